import type { Observable, Subscription } from 'rxjs';
import { RxllmError } from '../errors/RxllmError.js';
import type { ContentVerdict } from './ContentFilterOptions.js';

/** One classification: its outcome once it arrives. Windows with the same text share one. */
interface Judgement {
  verdict?: ContentVerdict;
  failure?: { error: unknown };
  subscription?: Subscription;
}

/** A piece of one text the classifier judges, by absolute offsets in that text. */
interface Window {
  start: number;
  end: number;
  text: string;
  judgement: Judgement;
}

/**
 * How many recent windows' judgements are kept for windows with the same text. An event stream
 * carries one text several times (a model's chunks, a parser's, a chain's, the end outputs), cut
 * into the same windows, close together.
 */
const REMEMBERED = 256;

/** One text's windows: what was appended, where the open window starts, what was released. */
class WindowedText {
  /** The text from `released` on. */
  text = '';
  length = 0;
  openStart = 0;
  released = 0;
  /** Closed windows not wholly released yet, in order. */
  readonly windows: Window[] = [];

  constructor(readonly windowChars: number) {}
}

/** What one text of a released value became. */
export interface JudgedText {
  text: string;
  /** Windows refused by the classifier that begin in this text. */
  refused: Array<{ window: string; verdict: ContentVerdict }>;
  /** The window that stops the stream (refused with `stop`, or whose classification failed). */
  stop?: { verdict?: ContentVerdict; error?: unknown };
}

/** Where a window of `text` (from `from`, at most `limit` characters) ends: a sentence end, else a space, in its second half. */
function cutPoint(text: string, from: number, limit: number): number {
  const end = from + limit;
  const half = from + Math.ceil(limit / 2);
  let space = -1;
  for (let i = end; i > half; i--) {
    if (!/\s/u.test(text[i - 1])) continue;
    if (i - 2 >= from && /[.!?;:\n]/u.test(text[i - 2])) return i;
    if (text[i - 1] === '\n') return i;
    if (space < 0) space = i;
  }
  if (space > 0) return space;
  // No space at all: a hard cut, but never between the halves of a surrogate pair.
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff && end - 1 > from ? end - 1 : end;
}

/**
 * The classifier side of `contentFilter`: each text (by key) is cut into windows of at most
 * `windowChars` characters at points that depend on the text alone, never on how it was chunked;
 * each window is classified as soon as it is complete (concurrently with the others), and a
 * value's texts are released once every window they touch has its verdict. So text is held only
 * while its window is open or being judged. A window with the text of a recent one shares its
 * judgement instead of being classified again.
 *
 * @internal
 */
export class ClassifiedWindows {
  private readonly texts = new Map<string, WindowedText>();
  private readonly pending = new Set<Judgement>();
  private readonly remembered = new Map<string, Judgement>();

  /**
   * @param classify the user's classifier.
   * @param windowChars the longest window of prose.
   * @param settled called when a verdict (or a failure) arrives, maybe synchronously.
   */
  constructor(
    private readonly classify: (text: string) => Observable<ContentVerdict>,
    private readonly windowChars: number,
    private readonly settled: () => void,
  ) {}

  /** Appends released text to the text `key`; a JSON text (tool-call arguments) is one window. */
  append(key: string, fragment: string, json: boolean): void {
    if (fragment === '') return;
    let text = this.texts.get(key);
    if (!text) this.texts.set(key, text = new WindowedText(json ? Infinity : this.windowChars));
    text.text += fragment;
    text.length += fragment.length;
    while (text.length - text.openStart >= text.windowChars) {
      const from = text.openStart - text.released;
      this.closeWindow(text, text.released + cutPoint(text.text, from, text.windowChars));
    }
  }

  /** The end of the text `key`: its open window is judged. */
  close(key: string): void {
    const text = this.texts.get(key);
    if (text && text.length > text.openStart) this.closeWindow(text, text.length);
  }

  /** The end of every text. */
  closeAll(): void {
    for (const key of this.texts.keys()) this.close(key);
  }

  /** Whether texts of these lengths, next in their keys, are judged. */
  ready(parts: ReadonlyArray<{ key: string; length: number }>): boolean {
    const cursors = new Map<string, number>();
    for (const { key, length } of parts) {
      const text = this.texts.get(key);
      if (!text || length === 0) continue;
      const start = cursors.get(key) ?? text.released;
      const end = start + length;
      cursors.set(key, end);
      if (end > text.openStart) return false;
      for (const window of text.windows) {
        if (window.start >= end) break;
        if (window.end > start && !window.judgement.verdict && !window.judgement.failure) return false;
      }
    }
    return true;
  }

  /**
   * The next `length` characters of the text `key`, judged: flagged windows are reported, and
   * `replaced` says what a refused window becomes (in the text where it begins; `undefined` keeps
   * it, `'stop'` stops before it). Call only when `ready` says so.
   */
  release(key: string, length: number, replaced: (window: string, verdict: ContentVerdict) => string | undefined | 'stop'): JudgedText {
    const text = this.texts.get(key);
    const judged: JudgedText = { text: '', refused: [] };
    if (!text || length === 0) return judged;
    const start = text.released;
    const end = start + length;
    for (const window of text.windows) {
      if (window.start >= end) break;
      if (window.end <= start) continue;
      const piece = text.text.slice(Math.max(start, window.start) - start, Math.min(end, window.end) - start);
      const begins = window.start >= start;
      if (window.judgement.failure) {
        judged.stop = { error: window.judgement.failure.error };
        break;
      }
      const verdict = window.judgement.verdict!;
      if (!verdict.flagged) {
        judged.text += piece;
        continue;
      }
      const becomes = replaced(window.text, verdict);
      if (becomes === 'stop') {
        judged.stop = { verdict };
        break;
      }
      if (begins) judged.refused.push({ window: window.text, verdict });
      judged.text += becomes === undefined ? piece : begins ? becomes : '';
    }
    text.text = text.text.slice(length);
    text.released = end;
    while (text.windows.length && text.windows[0].end <= end) text.windows.shift();
    if (text.released === text.length && text.openStart === text.length) this.texts.delete(key);
    return judged;
  }

  /** Cancels every classification still running. */
  cancel(): void {
    for (const judgement of this.pending) judgement.subscription?.unsubscribe();
    this.pending.clear();
    this.remembered.clear();
  }

  private closeWindow(text: WindowedText, end: number): void {
    const windowText = text.text.slice(text.openStart - text.released, end - text.released);
    text.openStart = end;
    text.windows.push({ start: text.openStart - windowText.length, end, text: windowText, judgement: this.judgementOf(windowText) });
  }

  /** The judgement of `windowText`: a recent one of the same text, or a new classification. */
  private judgementOf(windowText: string): Judgement {
    const known = this.remembered.get(windowText);
    if (known) {
      // Most recently used last, so that the oldest is forgotten first.
      this.remembered.delete(windowText);
      this.remembered.set(windowText, known);
      return known;
    }
    const judgement: Judgement = {};
    this.remembered.set(windowText, judgement);
    if (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
    this.judge(windowText, judgement);
    return judgement;
  }

  private judge(windowText: string, judgement: Judgement): void {
    const done = (outcome: Pick<Judgement, 'verdict' | 'failure'>): void => {
      if (judgement.verdict || judgement.failure) return;
      Object.assign(judgement, outcome);
      this.pending.delete(judgement);
      judgement.subscription?.unsubscribe();
      this.settled();
    };
    this.pending.add(judgement);
    try {
      const subscription = this.classify(windowText).subscribe({
        next: (verdict) => done(isVerdict(verdict) ? { verdict } : { failure: { error: new RxllmError(`contentFilter: classify must emit { flagged: boolean, category?: string }, got ${describe(verdict)}`) } }),
        error: (error: unknown) => done({ failure: { error } }),
        complete: () => done({ failure: { error: new RxllmError('contentFilter: classify completed without a verdict') } }),
      });
      if (judgement.verdict || judgement.failure) subscription.unsubscribe();
      else judgement.subscription = subscription;
    } catch (error) {
      done({ failure: { error } });
    }
  }
}

function isVerdict(value: unknown): value is ContentVerdict {
  return typeof value === 'object' && value !== null && typeof (value as ContentVerdict).flagged === 'boolean'
    && ((value as ContentVerdict).category === undefined || typeof (value as ContentVerdict).category === 'string');
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? `a string` : String(value);
  return 'an object without a boolean flagged';
}
