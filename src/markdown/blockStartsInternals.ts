// The line patterns that open CommonMark blocks, each tested on a line from its first
// non-space character. Raw HTML block starts follow markdown-it's list of block tag names (the
// renderer rxllm is checked against), which is the spec's.

/** `#` to `######` followed by a space, a tab or the end of the line. */
export const ATX_HEADING = /^#{1,6}(?:[ \t]+|$)/;

/** Three or more backticks (with no backtick in the info string) or tildes. */
export const CODE_FENCE = /^`{3,}(?!.*`)|^~{3,}/;

/** A closing fence: backticks or tildes, then only spaces or tabs. */
export const CLOSING_FENCE = /^(?:`{3,}|~{3,})(?=[ \t]*$)/;

/** A Setext underline: `=` or `-` characters, then only spaces or tabs. */
export const SETEXT_UNDERLINE = /^(?:=+|-+)[ \t]*$/;

/** Three or more `*`, `-` or `_`, spaces and tabs between them allowed. */
export const THEMATIC_BREAK = /^(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$/;

/** A bullet list marker. */
export const BULLET_MARKER = /^[*+-]/;

/** An ordered list marker: up to nine digits, then `.` or `)`. */
export const ORDERED_MARKER = /^(\d{1,9})([.)])/;

/** A GFM table's delimiter row (`| --- | :-: |`), as the second line of a table. */
export const TABLE_DELIMITER_ROW = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

const BLOCK_TAGS = 'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|'
  + 'fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|'
  + 'nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
const ATTRIBUTE = String.raw`(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^"'=<>\x60\x00-\x20]+|'[^']*'|"[^"]*"))?)`;
const OPEN_TAG = String.raw`<[A-Za-z][A-Za-z0-9\-]*${ATTRIBUTE}*\s*\/?>`;
const CLOSE_TAG = String.raw`<\/[A-Za-z][A-Za-z0-9\-]*\s*>`;

/** One kind of raw HTML block: how it starts, how it ends, and whether it may interrupt a paragraph. */
export interface HtmlBlockRule {
  start: RegExp;
  /** The line that ends it (that line included); `undefined` for the kinds a blank line ends. */
  end: RegExp | undefined;
  interruptsParagraph: boolean;
}

/** CommonMark's seven kinds of HTML block, in the order they are tried. */
export const HTML_BLOCKS: readonly HtmlBlockRule[] = [
  { start: /^<(?:script|pre|style|textarea)(?=\s|>|$)/i, end: /<\/(?:script|pre|style|textarea)>/i, interruptsParagraph: true },
  { start: /^<!--/, end: /-->/, interruptsParagraph: true },
  { start: /^<\?/, end: /\?>/, interruptsParagraph: true },
  { start: /^<![A-Za-z]/, end: />/, interruptsParagraph: true },
  { start: /^<!\[CDATA\[/, end: /\]\]>/, interruptsParagraph: true },
  { start: new RegExp(`^</?(?:${BLOCK_TAGS})(?=\\s|/?>|$)`, 'i'), end: undefined, interruptsParagraph: true },
  { start: new RegExp(`^(?:${OPEN_TAG}|${CLOSE_TAG})\\s*$`), end: undefined, interruptsParagraph: false },
];
