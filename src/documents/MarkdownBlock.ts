import type { MarkdownBlockKind, MarkdownHeading } from '../markdown/MarkdownBlockKind.js';

export type { MarkdownBlockKind, MarkdownHeading };

/**
 * Turns Markdown into HTML, reading and adding to `env` (for markdown-it, `env.references` holds
 * the link reference definitions seen so far): `(src, env) => md.render(src, env)`.
 */
export type MarkdownRender = (markdown: string, env: Record<string, unknown>) => string;

/** One top-level block of a Markdown document: a paragraph, a heading, a list, a fence, … */
export interface MarkdownBlock {
  /** What it is (for the tail: what it is so far). */
  readonly kind: MarkdownBlockKind;
  /** Its Markdown, line endings and the blank lines after it included. */
  readonly source: string;
  /** Its level and text, when it is a heading. */
  readonly heading?: MarkdownHeading;
  /** Its HTML, with the `render` option. A settled block's never changes; the tail's is rendered when read. */
  readonly html?: string;
}

/** What `markdownBlocks` emits after a chunk. */
export interface MarkdownBlocksUpdate {
  /** The blocks this chunk made final, in document order; each block is settled once over the stream. */
  readonly settled: readonly MarkdownBlock[];
  /** Everything after the settled blocks: the block being written (and any held back), or `undefined` when nothing is. */
  readonly tail: MarkdownBlock | undefined;
}

/** Options of `markdownBlocks`. */
export interface MarkdownBlocksOptions {
  /** Renders each block's `html`. Without it blocks carry their source only. */
  render?: MarkdownRender;
  /**
   * What to do with a block holding a `[label]` that no definition above it defines. `'hold'`
   * (default) keeps it, and the blocks after it, in the tail until a definition of the label
   * arrives or the stream ends: a definition further down could still make it a link. `'settle'`
   * settles it at once, for text full of brackets that are not links (citations such as `[1]`,
   * task boxes `[x]`): a definition that comes after such a block no longer links it.
   */
  unresolvedLabels?: 'hold' | 'settle';
  /**
   * Whether the renderer reads raw HTML blocks (`<div>` … up to a blank line), as CommonMark and
   * markdown-it with `html: true` do. Default true; set false for markdown-it's default preset,
   * where `<div>` is paragraph text and cannot end a paragraph.
   */
  html?: boolean;
}
