/**
 * What a top-level Markdown block is, as CommonMark's block structure sees it.
 *
 * - `paragraph`, `heading` (ATX `## Title` or Setext `Title` over `===`/`---`), `thematicBreak`
 * - `codeFence` (```` ``` ```` or `~~~`), `indentedCode` (four spaces)
 * - `html`: a raw HTML block
 * - `blockquote`, `list`: containers, whatever they hold
 * - `table`: a paragraph whose second line is a GFM delimiter row (`|---|---|`)
 * - `definitions`: a paragraph made only of link reference definitions (`[1]: https://…`), which
 *   renders to nothing
 * - `blank`: blank lines left at the end of the document
 */
export type MarkdownBlockKind =
  | 'paragraph'
  | 'heading'
  | 'thematicBreak'
  | 'codeFence'
  | 'indentedCode'
  | 'html'
  | 'blockquote'
  | 'list'
  | 'table'
  | 'definitions'
  | 'blank';

/** A heading's level and text. */
export interface MarkdownHeading {
  /** 1 for `#` (or `===`), 2 for `##` (or `---`), … 6. */
  level: number;
  /** Its text as written (Markdown source, inline markup kept), without the `#` marks or the underline. */
  text: string;
}
