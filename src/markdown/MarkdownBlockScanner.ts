import {
  ATX_HEADING, BULLET_MARKER, CLOSING_FENCE, CODE_FENCE, HTML_BLOCKS, ORDERED_MARKER, SETEXT_UNDERLINE,
  TABLE_DELIMITER_ROW, THEMATIC_BREAK,
} from './blockStartsInternals.js';
import { linkLabelsOf } from './linkLabels.js';
import type { MarkdownBlockKind, MarkdownHeading } from './MarkdownBlockKind.js';
import { parseReferenceDefinitions } from './referenceDefinitions.js';

/** A top-level block the scanner closed: it ends before line `endLine` and nothing after can change it. */
export interface ScannedBlock {
  kind: MarkdownBlockKind;
  /** Lines before this one belong to this block or an earlier one (counted from 0, over every line pushed). */
  endLine: number;
  /** Set on a top-level heading. */
  heading?: MarkdownHeading;
  /** Labels defined inside it (`[label]: url`), normalized. */
  definitions: string[];
  /** Labels inside it that a definition could turn into links, normalized (see `linkLabelsOf`). */
  labels: string[];
}

/** Options of {@link MarkdownBlockScanner}. */
export interface MarkdownBlockScannerOptions {
  /** Whether raw HTML blocks exist (CommonMark; markdown-it with `html: true`). Default true. */
  html?: boolean;
}

type OpenBlock =
  | { kind: 'document' }
  | { kind: 'blockquote' }
  | { kind: 'list'; ordered: boolean; marker: string }
  | { kind: 'item'; contentIndent: number; hasChild: boolean }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'fence'; char: string; length: number; indent: number }
  | { kind: 'indentedCode' }
  | { kind: 'html'; end: RegExp | undefined }
  | { kind: 'heading' | 'thematicBreak' };

/** What a container's continuation check decided for the current line. */
const enum Continuation { Matched, Unmatched, LineConsumed }

/**
 * CommonMark's block structure, one line at a time: the spec's parsing strategy (match the open
 * containers, open new blocks, add the rest of the line), keeping only what decides where the
 * top-level blocks end. It reports each top-level block when it closes, with the labels it
 * defines and uses, so that a caller can cut a growing document into blocks that are final.
 *
 * Each line costs work in its own length and the depth of the open containers; a paragraph's
 * text is kept until it closes (its reference definitions and labels are read then).
 */
export class MarkdownBlockScanner {
  private readonly html: boolean;
  private readonly open: OpenBlock[] = [{ kind: 'document' }];
  private lineNumber = 0;
  private top: TopBlock | undefined;
  private closed: Array<{ block: ScannedBlock; beforeNewTop: boolean }> = [];

  // The line being read, with CommonMark's column bookkeeping (a tab moves to the next multiple of 4).
  private line = '';
  private offset = 0;
  private column = 0;
  private nextNonspace = 0;
  private nextNonspaceColumn = 0;
  private indent = 0;
  private blank = false;
  private partiallyConsumedTab = false;
  private allClosed = true;
  private lastMatched = 0;

  constructor(options: MarkdownBlockScannerOptions = {}) {
    this.html = options.html ?? true;
  }

  /** The kind of the top-level block still open, as far as its lines so far tell (a paragraph may yet become a heading). */
  get openKind(): MarkdownBlockKind | undefined {
    const open = this.open[1];
    if (open?.kind === 'paragraph' && open.lines.length >= 2 && isTable(`${open.lines[0]}\n${open.lines[1]}`)) return 'table';
    return this.top?.kind;
  }

  /** Reads one line (without its line ending) and returns the top-level blocks it closed. */
  pushLine(line: string): ScannedBlock[] {
    this.line = line;
    this.offset = 0;
    this.column = 0;
    this.blank = false;
    this.partiallyConsumedTab = false;
    this.closed = [];
    this.readLine();
    return this.takeClosed(this.lineNumber++);
  }

  /** Ends the document: every open block closes. */
  finish(): ScannedBlock[] {
    this.closed = [];
    while (this.open.length > 1) this.closeTip();
    return this.takeClosed(this.lineNumber - 1);
  }

  private takeClosed(lineNumber: number): ScannedBlock[] {
    // A block closed while this line started a new top-level block ends before the line; any
    // other closed here (by a blank line, or on its own last line) takes the line with it.
    return this.closed.map(({ block, beforeNewTop }) => ({ ...block, endLine: beforeNewTop ? lineNumber : lineNumber + 1 }));
  }

  private readLine(): void {
    // 1. Which open blocks does the line continue?
    this.lastMatched = 0;
    for (let depth = 1; depth < this.open.length; depth++) {
      this.findNextNonspace();
      const continuation = this.continues(this.open[depth]);
      if (continuation === Continuation.Unmatched) break;
      if (continuation === Continuation.LineConsumed) {
        this.closeTip(); // a closing fence: the line ends the fence and nothing else
        return;
      }
      this.lastMatched = depth;
    }
    this.allClosed = this.lastMatched === this.open.length - 1;
    let container = this.open[this.lastMatched];

    // 2. Which blocks does it open?
    if (container.kind !== 'fence' && container.kind !== 'indentedCode' && container.kind !== 'html') {
      for (;;) {
        this.findNextNonspace();
        const started = this.startBlock(container);
        if (started === undefined) {
          this.advanceNextNonspace();
          break;
        }
        container = started;
        if (!isContainer(started)) break;
      }
    }

    // 3. Where does the rest of the line go?
    const tip = this.open[this.open.length - 1];
    if (!this.allClosed && !this.blank && tip.kind === 'paragraph') {
      tip.lines.push(this.line.slice(this.offset)); // a lazy continuation line
      return;
    }
    this.closeUnmatched();
    if (container.kind === 'paragraph') container.lines.push(this.line.slice(this.offset));
    else if (container.kind === 'html') {
      if (container.end?.test(this.line.slice(this.offset))) this.closeTip();
    } else if (container.kind === 'heading' || container.kind === 'thematicBreak') {
      this.closeTip(); // one line long
    } else if (container.kind !== 'fence' && container.kind !== 'indentedCode' && !this.blank) {
      this.addChild({ kind: 'paragraph', lines: [] }, 'paragraph');
      this.advanceNextNonspace();
      const paragraph = this.open[this.open.length - 1] as Extract<OpenBlock, { kind: 'paragraph' }>;
      paragraph.lines.push(this.line.slice(this.offset));
    }
  }

  private continues(block: OpenBlock): Continuation {
    switch (block.kind) {
      case 'blockquote':
        if (this.indent >= 4 || this.line[this.nextNonspace] !== '>') return Continuation.Unmatched;
        this.advanceNextNonspace();
        this.advanceOffset(1, false);
        if (isSpaceOrTab(this.line[this.offset])) this.advanceOffset(1, true);
        return Continuation.Matched;
      case 'list':
        return Continuation.Matched; // its items decide
      case 'item':
        if (this.blank) {
          // An item can begin with at most one blank line.
          if (!block.hasChild) return Continuation.Unmatched;
          this.advanceNextNonspace();
        } else if (this.indent >= block.contentIndent) {
          this.advanceOffset(block.contentIndent, true);
        } else {
          return Continuation.Unmatched;
        }
        return Continuation.Matched;
      case 'paragraph':
        return this.blank ? Continuation.Unmatched : Continuation.Matched;
      case 'fence': {
        const closing = this.indent <= 3 && this.line[this.nextNonspace] === block.char
          ? CLOSING_FENCE.exec(this.line.slice(this.nextNonspace)) : null;
        if (closing && closing[0].length >= block.length) return Continuation.LineConsumed;
        for (let spaces = block.indent; spaces > 0 && isSpaceOrTab(this.line[this.offset]); spaces--) this.advanceOffset(1, true);
        return Continuation.Matched;
      }
      case 'indentedCode':
        if (this.indent >= 4) this.advanceOffset(4, true);
        else if (this.blank) this.advanceNextNonspace();
        else return Continuation.Unmatched;
        return Continuation.Matched;
      case 'html':
        return this.blank && block.end === undefined ? Continuation.Unmatched : Continuation.Matched;
      default:
        return Continuation.Unmatched;
    }
  }

  /** Opens the block the line starts at the current position, if any, and returns it. */
  private startBlock(container: OpenBlock): OpenBlock | undefined {
    const indented = this.indent >= 4;
    const rest = this.line.slice(this.nextNonspace);
    const first = rest[0];
    if (!indented) {
      if (first === '>') {
        this.advanceNextNonspace();
        this.advanceOffset(1, false);
        if (isSpaceOrTab(this.line[this.offset])) this.advanceOffset(1, true);
        this.closeUnmatched();
        return this.addChild({ kind: 'blockquote' }, 'blockquote');
      }
      const atx = first === '#' ? ATX_HEADING.exec(rest) : null;
      if (atx) {
        this.closeUnmatched();
        const level = atx[0].trim().length;
        const text = rest.slice(atx[0].length).replace(/^[ \t]*#+[ \t]*$/, '').replace(/[ \t]+#+[ \t]*$/, '').trim();
        this.offset = this.line.length;
        const heading = this.addChild({ kind: 'heading' }, 'heading');
        this.noteHeading({ level, text });
        return heading;
      }
      const fence = first === '`' || first === '~' ? CODE_FENCE.exec(rest) : null;
      if (fence) {
        this.closeUnmatched();
        const block = this.addChild({ kind: 'fence', char: first, length: fence[0].length, indent: this.indent }, 'codeFence');
        this.offset = this.line.length; // the info string
        return block;
      }
      if (first === '<' && this.html) {
        const tip = this.open[this.open.length - 1];
        const interrupting = container.kind === 'paragraph' || (!this.allClosed && !this.blank && tip.kind === 'paragraph');
        const rule = HTML_BLOCKS.find((candidate) => candidate.start.test(rest) && (candidate.interruptsParagraph || !interrupting));
        if (rule) {
          this.closeUnmatched();
          return this.addChild({ kind: 'html', end: rule.end }, 'html');
        }
      }
      if (container.kind === 'paragraph' && (first === '=' || first === '-') && SETEXT_UNDERLINE.test(rest)) {
        const heading = this.setextHeading(container, first === '=' ? 1 : 2);
        if (heading) return heading;
      }
      if ((first === '*' || first === '-' || first === '_') && THEMATIC_BREAK.test(rest)) {
        this.closeUnmatched();
        this.offset = this.line.length;
        return this.addChild({ kind: 'thematicBreak' }, 'thematicBreak');
      }
    }
    if (!indented || container.kind === 'list') {
      const item = this.startListItem(container);
      if (item) return item;
    }
    const tip = this.open[this.open.length - 1];
    if (indented && !this.blank && tip.kind !== 'paragraph') {
      this.advanceOffset(4, true);
      this.closeUnmatched();
      return this.addChild({ kind: 'indentedCode' }, 'indentedCode');
    }
    return undefined;
  }

  /** Turns the paragraph over an underline into a heading, unless it held only reference definitions. */
  private setextHeading(paragraph: Extract<OpenBlock, { kind: 'paragraph' }>, level: number): OpenBlock | undefined {
    const { labels, rest } = parseReferenceDefinitions(paragraph.lines.join('\n'));
    if (rest.trim() === '') return undefined;
    this.closeUnmatched();
    this.top?.definitions.push(...labels);
    paragraph.lines = [];
    // The paragraph becomes the heading: it closes as one, with its text as the heading's.
    const depth = this.open.indexOf(paragraph);
    this.open[depth] = { kind: 'heading' };
    if (depth === 1 && this.top) this.top.kind = 'heading';
    this.noteHeading({ level, text: rest.trim() }, depth === 1);
    this.offset = this.line.length;
    return this.open[depth];
  }

  private startListItem(container: OpenBlock): OpenBlock | undefined {
    if (this.indent >= 4) return undefined;
    const rest = this.line.slice(this.nextNonspace);
    const interruptsParagraph = container.kind === 'paragraph';
    let marker: string;
    let ordered: boolean;
    let markerLength: number;
    const bullet = BULLET_MARKER.exec(rest);
    const number = bullet ? null : ORDERED_MARKER.exec(rest);
    if (bullet) {
      [marker, ordered, markerLength] = [bullet[0], false, 1];
    } else if (number && (!interruptsParagraph || number[1] === '1')) {
      [marker, ordered, markerLength] = [number[2], true, number[0].length];
    } else {
      return undefined;
    }
    const after = rest[markerLength];
    if (after !== undefined && !isSpaceOrTab(after)) return undefined;
    // An empty item cannot interrupt a paragraph.
    if (interruptsParagraph && /^[ \t]*$/.test(rest.slice(markerLength))) return undefined;

    const markerOffset = this.indent;
    this.advanceNextNonspace();
    this.advanceOffset(markerLength, true);
    const spacesStartColumn = this.column;
    const spacesStartOffset = this.offset;
    do {
      this.advanceOffset(1, true);
    } while (this.column - spacesStartColumn < 5 && isSpaceOrTab(this.line[this.offset]));
    const blankItem = this.offset >= this.line.length;
    const spacesAfterMarker = this.column - spacesStartColumn;
    let padding: number;
    if (spacesAfterMarker >= 5 || spacesAfterMarker < 1 || blankItem) {
      // Content indented by five or more starts an indented code block inside the item.
      padding = markerLength + 1;
      this.column = spacesStartColumn;
      this.offset = spacesStartOffset;
      this.partiallyConsumedTab = false;
      if (isSpaceOrTab(this.line[this.offset])) this.advanceOffset(1, true);
    } else {
      padding = markerLength + spacesAfterMarker;
    }

    this.closeUnmatched();
    const tip = this.open[this.open.length - 1];
    if (tip.kind !== 'list' || tip.ordered !== ordered || tip.marker !== marker) this.addChild({ kind: 'list', ordered, marker }, 'list');
    return this.addChild({ kind: 'item', contentIndent: markerOffset + padding, hasChild: false }, 'list');
  }

  /** Adds a block under the innermost open one that may hold it, closing those that may not. */
  private addChild(block: OpenBlock, topKind: MarkdownBlockKind): OpenBlock {
    while (!mayContain(this.open[this.open.length - 1], block)) this.closeTip();
    const parent = this.open[this.open.length - 1];
    if (parent.kind === 'item') parent.hasChild = true;
    if (parent.kind === 'document') {
      for (const entry of this.closed) entry.beforeNewTop = true;
      this.top = { kind: topKind, definitions: [], labels: [] };
    }
    this.open.push(block);
    return block;
  }

  private closeUnmatched(): void {
    if (this.allClosed) return;
    while (this.open.length - 1 > this.lastMatched) this.closeTip();
    this.allClosed = true;
  }

  /** Closes the innermost open block, reading a paragraph's definitions and labels. */
  private closeTip(): void {
    const block = this.open.pop()!;
    if (block.kind === 'paragraph' && this.top) {
      const { labels, rest } = parseReferenceDefinitions(block.lines.join('\n'));
      this.top.definitions.push(...labels);
      this.top.labels.push(...linkLabelsOf(rest));
      if (this.open.length === 1) {
        if (rest.trim() === '' && labels.length > 0) this.top.kind = 'definitions';
        else if (isTable(rest)) this.top.kind = 'table';
      }
    }
    if (this.open.length === 1 && this.top) {
      const { kind, heading, definitions, labels } = this.top;
      this.closed.push({ block: { kind, endLine: 0, ...(heading && { heading }), definitions, labels }, beforeNewTop: false });
      this.top = undefined;
    }
  }

  private noteHeading(heading: MarkdownHeading, topLevel = this.open.length === 2): void {
    if (!this.top) return;
    this.top.labels.push(...linkLabelsOf(heading.text));
    if (topLevel) this.top.heading = heading;
  }

  private findNextNonspace(): void {
    let at = this.offset;
    let column = this.column;
    for (;;) {
      const char = this.line[at];
      if (char === ' ') column++;
      else if (char === '\t') column += 4 - (column % 4);
      else break;
      at++;
    }
    this.blank = at >= this.line.length;
    this.nextNonspace = at;
    this.nextNonspaceColumn = column;
    this.indent = column - this.column;
  }

  private advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partiallyConsumedTab = false;
  }

  /** Moves on by `count` characters, or by `count` columns when `columns` (a tab may then be consumed in part). */
  private advanceOffset(count: number, columns: boolean): void {
    let left = count;
    while (left > 0 && this.offset < this.line.length) {
      if (this.line[this.offset] === '\t') {
        const toTab = 4 - (this.column % 4);
        if (columns) {
          this.partiallyConsumedTab = toTab > left;
          const step = Math.min(toTab, left);
          this.column += step;
          if (!this.partiallyConsumedTab) this.offset++;
          left -= step;
        } else {
          this.partiallyConsumedTab = false;
          this.column += toTab;
          this.offset++;
          left--;
        }
      } else {
        this.partiallyConsumedTab = false;
        this.offset++;
        this.column++;
        left--;
      }
    }
  }
}

/** What the scanner gathers about the open top-level block until it closes. */
interface TopBlock {
  kind: MarkdownBlockKind;
  heading?: MarkdownHeading;
  definitions: string[];
  labels: string[];
}

function isContainer(block: OpenBlock): boolean {
  return block.kind === 'blockquote' || block.kind === 'item' || block.kind === 'list';
}

function mayContain(parent: OpenBlock, child: OpenBlock): boolean {
  switch (parent.kind) {
    case 'document':
    case 'blockquote':
    case 'item':
      return child.kind !== 'item';
    case 'list':
      return child.kind === 'item';
    default:
      return false;
  }
}

function isSpaceOrTab(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

function isTable(text: string): boolean {
  const firstBreak = text.indexOf('\n');
  if (firstBreak < 0 || !text.slice(0, firstBreak).includes('|')) return false;
  const secondBreak = text.indexOf('\n', firstBreak + 1);
  return TABLE_DELIMITER_ROW.test(text.slice(firstBreak + 1, secondBreak < 0 ? undefined : secondBreak).trim());
}
