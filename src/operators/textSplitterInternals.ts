import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { SmoothTextUnit, TextSegmenter } from './SmoothTextUnit.js';

/**
 * Cuts a growing text into complete pieces. `push` returns the pieces the new text completed, in
 * order; the tail that may still grow stays pending until more text or `flush`. Concatenating
 * every piece and the final flush gives back exactly the text pushed.
 */
export interface TextSplitter {
  push(text: string): string[];
  flush(): string;
  hasPending(): boolean;
}

/** The splitter for a `by` option. */
export function createTextSplitter(by: SmoothTextUnit): TextSplitter {
  // A blank line is a line, but whitespace alone is not a word: it leads the next word instead.
  if (by === 'word') return new DelimiterSplitter(/\s+/g, false);
  if (by === 'line') return new DelimiterSplitter(/\n/g, true);
  if (by instanceof RegExp) return new PatternSplitter(by);
  if (typeof Intl.Segmenter === 'function' && by instanceof Intl.Segmenter) return new SegmenterSplitter(by);
  throw new InvalidOptionError('smoothText', 'by', "'word', 'line', a RegExp or an Intl.Segmenter", by);
}

/** A copy of `pattern` that scans (flag `g`), whatever flags it was given. */
function scanning(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'g');
}

/**
 * A piece ends after each match of a delimiter that cannot span two chunks in a way that matters
 * (whitespace, newline): a run split across chunks just starts the next piece. So only the new
 * text is scanned, and the pending tail is kept as parts joined once per piece: linear in the
 * text however long a piece grows.
 */
class DelimiterSplitter implements TextSplitter {
  private pending: string[] = [];
  /** Whether the pending text has more than delimiters (whitespace alone is no word). */
  private pendingHasContent = false;
  constructor(private readonly delimiter: RegExp, private readonly delimiterOnlyPieces: boolean) {}

  push(text: string): string[] {
    const pieces: string[] = [];
    let start = 0;
    let contentFrom = 0;
    this.delimiter.lastIndex = 0;
    for (let match = this.delimiter.exec(text); match; match = this.delimiter.exec(text)) {
      const end = match.index + match[0].length;
      if (!this.delimiterOnlyPieces && !this.pendingHasContent && match.index === start) {
        contentFrom = end;
        continue;
      }
      this.pending.push(text.slice(start, end));
      pieces.push(this.pending.join(''));
      this.pending = [];
      this.pendingHasContent = false;
      start = contentFrom = end;
    }
    if (start < text.length) {
      this.pending.push(text.slice(start));
      this.pendingHasContent ||= contentFrom < text.length;
    }
    return pieces;
  }

  flush(): string {
    const rest = this.pending.join('');
    this.pending = [];
    this.pendingHasContent = false;
    return rest;
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }
}

/**
 * A splitter that keeps its tail as one string and scans it again with each chunk, cutting it
 * where `cutsIn` says: cheap while pieces are short, as words and sentences are.
 */
abstract class RescanningSplitter implements TextSplitter {
  private pending = '';

  /** The offsets in `buffer` where a piece ends, ascending; the text after the last one stays pending. */
  protected abstract cutsIn(buffer: string): Iterable<number>;

  push(text: string): string[] {
    const buffer = this.pending + text;
    const pieces: string[] = [];
    let start = 0;
    for (const cut of this.cutsIn(buffer)) {
      pieces.push(buffer.slice(start, cut));
      start = cut;
    }
    this.pending = buffer.slice(start);
    return pieces;
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  hasPending(): boolean {
    return this.pending !== '';
  }
}

/**
 * A piece ends after each match of a user pattern. A match may span chunks (a sentence end
 * `. ` split between two chunks), hence the rescan of the pending tail.
 */
class PatternSplitter extends RescanningSplitter {
  private readonly pattern: RegExp;
  constructor(pattern: RegExp) {
    super();
    this.pattern = scanning(pattern);
  }

  protected *cutsIn(buffer: string): Iterable<number> {
    this.pattern.lastIndex = 0;
    for (let match = this.pattern.exec(buffer); match; match = this.pattern.exec(buffer)) {
      // An empty match cuts nothing; step over it so the scan always advances.
      if (match[0].length === 0) {
        this.pattern.lastIndex++;
        continue;
      }
      yield match.index + match[0].length;
    }
  }
}

/**
 * Pieces from `Intl.Segmenter` (words in languages written without spaces, sentences,
 * graphemes). With word granularity a piece is one word and the spaces and punctuation after it;
 * the last word stays pending, since more text may extend it.
 */
class SegmenterSplitter extends RescanningSplitter {
  constructor(private readonly segmenter: TextSegmenter) {
    super();
  }

  protected *cutsIn(buffer: string): Iterable<number> {
    for (const segment of this.segmenter.segment(buffer)) {
      // Word granularity: cut before each word. Other granularities: before each segment.
      if (segment.index > 0 && segment.isWordLike !== false) yield segment.index;
    }
  }
}
