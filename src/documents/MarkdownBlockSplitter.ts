import { LineSplitter, lineContent } from '../markdown/LineSplitter.js';
import { MarkdownBlockScanner, type ScannedBlock } from '../markdown/MarkdownBlockScanner.js';
import type { MarkdownBlockKind } from '../markdown/MarkdownBlockKind.js';
import type { TextChunk } from '../operators/TextChunk.js';
import type { MarkdownBlock, MarkdownBlocksOptions, MarkdownBlocksUpdate, MarkdownRender } from './MarkdownBlock.js';

/** A block that is closed but not settled yet, because a label in it, or in one before it, awaits its definition. */
interface ClosedBlock extends Omit<ScannedBlock, 'endLine'> {
  source: string;
}

/**
 * One document's state under `markdownBlocks`: text in, the blocks it settles and the tail out.
 *
 * Lines go through the block scanner as they complete; a top-level block it closes is settled
 * (rendered once, in document order, with one `env` for the whole document) unless a label in it
 * is still undefined. Per chunk the work is the chunk's length and the lines it completes, plus the
 * rendering of the blocks it settles; nothing is read twice but the blocks held for a label.
 */
export class MarkdownBlockSplitter {
  private readonly lines = new LineSplitter();
  private readonly scanner: MarkdownBlockScanner;
  private readonly render: MarkdownRender | undefined;
  private readonly holdLabels: boolean;
  private readonly env: Record<string, unknown> = {};
  /** The complete lines of the open block (and blank lines before it), from line `openStart` on. */
  private openLines: string[] = [];
  private openText = '';
  private openStart = 0;
  private held: ClosedBlock[] = [];
  private heldText = '';
  private readonly defined = new Set<string>();
  private readonly unresolved = new Set<string>();
  /** Where `readLine` puts what it settles; most chunks settle nothing, and share one empty list. */
  private settling: MarkdownBlock[] = NOTHING_SETTLED;
  private readonly onLine = (line: string): void => this.readLine(line);

  constructor(options: MarkdownBlocksOptions) {
    this.scanner = new MarkdownBlockScanner({ html: options.html });
    this.render = options.render;
    this.holdLabels = (options.unresolvedLabels ?? 'hold') === 'hold';
  }

  /** Reads a chunk's text; `undefined` for a chunk without text (a tool call, the usage report), which changes nothing. */
  pushChunk(chunk: TextChunk): MarkdownBlocksUpdate | undefined {
    const text = typeof chunk === 'string' ? chunk : chunk.content;
    return text === '' ? undefined : this.push(text);
  }

  /** Reads a chunk of text; returns what it settled and the tail after it. */
  push(text: string): MarkdownBlocksUpdate {
    this.settling = NOTHING_SETTLED;
    this.lines.push(text, this.onLine);
    return { settled: this.settling, tail: this.tail() };
  }

  /** Ends the document: every block left settles. `undefined` when there was nothing left. */
  finish(): MarkdownBlocksUpdate | undefined {
    this.settling = NOTHING_SETTLED;
    const last = this.lines.end();
    if (last !== '') this.readLine(last);
    for (const block of this.scanner.finish()) this.close(block);
    if (this.openLines.length > 0) this.close({ kind: 'blank', endLine: this.openStart + this.openLines.length, definitions: [], labels: [] });
    this.unresolved.clear();
    this.release();
    return this.settling.length > 0 ? { settled: this.settling, tail: undefined } : undefined;
  }

  private readLine(line: string): void {
    this.openLines.push(line);
    this.openText += line;
    for (const block of this.scanner.pushLine(lineContent(line))) this.close(block);
  }

  private close({ endLine, ...block }: ScannedBlock): void {
    const source = this.openLines.splice(0, endLine - this.openStart).join('');
    this.openText = this.openText.slice(source.length);
    this.openStart = endLine;
    for (const label of block.definitions) {
      this.defined.add(label);
      this.unresolved.delete(label);
    }
    if (this.holdLabels) for (const label of block.labels) if (!this.defined.has(label)) this.unresolved.add(label);
    this.held.push({ ...block, source });
    this.heldText += source;
    if (this.unresolved.size === 0) this.release();
  }

  /** Settles the blocks held so far. */
  private release(): void {
    if (this.held.length === 0) return;
    if (this.settling === NOTHING_SETTLED) this.settling = [];
    const settled = this.settling;
    const render = this.render;
    // Blocks were held for a definition further down: let the renderer read those definitions
    // first, as it would have reading the whole document at once.
    if (render && this.held.length > 1) for (const block of this.held) render(block.source, this.env);
    for (const { kind, source, heading } of this.held) {
      settled.push(Object.freeze({
        kind, source, ...(heading && { heading }), ...(render && { html: render(source, this.env) }),
      }));
    }
    this.held = [];
    this.heldText = '';
  }

  private tail(): MarkdownBlock | undefined {
    const source = this.heldText + this.openText + this.lines.rest;
    if (source === '') return undefined;
    const kind: MarkdownBlockKind = this.scanner.openKind ?? this.held[this.held.length - 1]?.kind ?? (source.trim() === '' ? 'blank' : 'paragraph');
    return this.render ? new RenderedTail(kind, source, this.render, this.env) : { kind, source };
  }
}

const NOTHING_SETTLED: MarkdownBlock[] = Object.freeze([]) as unknown as MarkdownBlock[];

/** The tail with a renderer: its `html` is rendered when first read (a getter on the prototype, so making one per chunk costs little). */
class RenderedTail implements MarkdownBlock {
  private rendered: string | undefined;

  constructor(
    readonly kind: MarkdownBlockKind,
    readonly source: string,
    private readonly render: MarkdownRender,
    private readonly env: Record<string, unknown>,
  ) {}

  get html(): string {
    // Rendered on a copy of env: a definition still being written must not reach later blocks.
    return (this.rendered ??= this.render(this.source, forkEnv(this.env)));
  }
}

/** A copy of `env` that rendering may add to without changing it: one level deeper than its own keys (markdown-it's `references`). */
function forkEnv(env: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    copy[key] = Array.isArray(value) ? [...value] : value !== null && typeof value === 'object' ? { ...value } : value;
  }
  return copy;
}
