/**
 * A link label as CommonMark matches it: surrounding whitespace removed, inner runs of whitespace
 * as one space, case folded. `[Foo  Bar]` and `[foo bar]: /url` meet on `FOO BAR`.
 */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase();
}

/**
 * The labels in `text` (a paragraph or heading's inline content) that a link reference definition
 * could turn into links: every `[…]` that is not an inline link `[…](…)` and not inside a code span.
 *
 * It errs on the side of finding too many (a bracket in raw HTML or an autolink counts), never too
 * few: a label it missed could become a link after its block was declared final.
 *
 * @return Normalized labels (see {@link normalizeLabel}), empty ones left out.
 */
export function linkLabelsOf(text: string): string[] {
  const labels: string[] = [];
  const opens: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++; // an escaped character is literal, whatever it is
    } else if (char === '`') {
      i = codeSpanEnd(text, i) - 1;
    } else if (char === '[') {
      opens.push(i);
    } else if (char === ']' && opens.length > 0) {
      const open = opens.pop()!;
      if (text[i + 1] === '(' && isInlineLinkTail(text, i + 1)) continue;
      const label = normalizeLabel(text.slice(open + 1, i));
      if (label !== '' && label.length <= MAX_LABEL_LENGTH) labels.push(label);
    }
  }
  return labels;
}

/** CommonMark's longest link label. */
const MAX_LABEL_LENGTH = 999;

/** Where the code span opened by the backtick run at `start` ends, or the end of the run when no run of the same length closes it. */
function codeSpanEnd(text: string, start: number): number {
  const length = runLength(text, start);
  for (let at = text.indexOf('`', start + length); at >= 0; ) {
    const run = runLength(text, at);
    if (run === length) return at + run;
    at = text.indexOf('`', at + run);
  }
  return start + length;
}

function runLength(text: string, start: number): number {
  let end = start;
  while (text[end] === '`') end++;
  return end - start;
}

/**
 * True when `(` at `start` begins a well-formed inline link tail: a destination (`<…>` or a run
 * with balanced parentheses), an optional quoted title, then `)`.
 */
function isInlineLinkTail(text: string, start: number): boolean {
  let at = skipWhitespace(text, start + 1);
  if (text[at] === '<') {
    for (at++; at < text.length && text[at] !== '>'; at++) {
      if (text[at] === '\n' || text[at] === '<') return false;
      if (text[at] === '\\') at++;
    }
    if (at >= text.length) return false;
    at++;
  } else {
    let depth = 0;
    for (; at < text.length; at++) {
      const char = text[at];
      if (char === '\\') at++;
      else if (char === '(') depth++;
      else if (char === ')' && depth-- === 0) break;
      else if (char <= ' ') break;
    }
    if (depth > 0) return false;
  }
  const beforeTitle = at;
  at = skipWhitespace(text, at);
  const opener = text[at];
  if (at > beforeTitle && (opener === '"' || opener === "'" || opener === '(')) {
    const closer = opener === '(' ? ')' : opener;
    for (at++; at < text.length && text[at] !== closer; at++) if (text[at] === '\\') at++;
    if (at >= text.length) return false;
    at = skipWhitespace(text, at + 1);
  }
  return text[at] === ')';
}

function skipWhitespace(text: string, start: number): number {
  let at = start;
  while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n')) at++;
  return at;
}
