import { normalizeLabel } from './linkLabels.js';

/** What {@link parseReferenceDefinitions} finds at the start of a paragraph. */
export interface ReferenceDefinitions {
  /** The labels defined, normalized, in order. */
  labels: string[];
  /** The paragraph text after the definitions (empty when the paragraph was only definitions). */
  rest: string;
}

/**
 * The link reference definitions (`[label]: destination "title"`) that open a paragraph's text,
 * as CommonMark reads them: one after another from the first line, until a line that is not one.
 *
 * @param content The paragraph's lines joined with `\n`, container markers removed.
 */
export function parseReferenceDefinitions(content: string): ReferenceDefinitions {
  const labels: string[] = [];
  let at = 0;
  for (let next = definitionAt(content, at); next; next = definitionAt(content, at)) {
    labels.push(next.label);
    at = next.end;
  }
  return { labels, rest: content.slice(at) };
}

interface Definition {
  label: string;
  /** Offset after the definition and its line ending. */
  end: number;
}

function definitionAt(text: string, start: number): Definition | undefined {
  let at = skipSpaces(text, start);
  if (text[at] !== '[') return undefined;
  const labelStart = at + 1;
  for (at = labelStart; at < text.length && text[at] !== ']'; at++) {
    if (text[at] === '[' || at - labelStart > MAX_LABEL_LENGTH) return undefined;
    if (text[at] === '\\') at++;
  }
  const label = normalizeLabel(text.slice(labelStart, at));
  if (at >= text.length || text[at + 1] !== ':' || label === '') return undefined;
  at = skipSpaces(text, at + 2);
  if (text[at] === '\n') at = skipSpaces(text, at + 1);

  const destinationEnd = destinationEndAt(text, at);
  if (destinationEnd === undefined) return undefined;
  const titled = titleEndAt(text, destinationEnd);
  if (titled !== undefined) return { label, end: titled };
  // No title, or one that fails on a later line: the definition ends with its destination's line.
  const lineEnd = skipSpaces(text, destinationEnd);
  if (lineEnd >= text.length || text[lineEnd] === '\n') return { label, end: lineEnd + 1 };
  return undefined;
}

const MAX_LABEL_LENGTH = 999;

/** The end of a link destination at `start`: `<…>` on one line, or a non-empty run with balanced parentheses. */
function destinationEndAt(text: string, start: number): number | undefined {
  let at = start;
  if (text[at] === '<') {
    for (at++; at < text.length && text[at] !== '>'; at++) {
      if (text[at] === '\n' || text[at] === '<') return undefined;
      if (text[at] === '\\') at++;
    }
    return at < text.length ? at + 1 : undefined;
  }
  let depth = 0;
  for (; at < text.length; at++) {
    const char = text[at];
    if (char <= ' ') break;
    if (char === '\\') at++;
    else if (char === '(') depth++;
    else if (char === ')' && depth-- === 0) return undefined;
  }
  return at > start && depth === 0 ? at : undefined;
}

/** The end of a title after whitespace at `start`, and of its line; undefined when there is none that ends its line. */
function titleEndAt(text: string, start: number): number | undefined {
  let at = skipSpaces(text, start);
  if (text[at] === '\n') at = skipSpaces(text, at + 1);
  const opener = text[at];
  if (at === start || (opener !== '"' && opener !== "'" && opener !== '(')) return undefined;
  const closer = opener === '(' ? ')' : opener;
  for (at++; at < text.length && text[at] !== closer; at++) {
    if (opener === '(' && text[at] === '(') return undefined;
    if (text[at] === '\\') at++;
  }
  if (at >= text.length) return undefined;
  at = skipSpaces(text, at + 1);
  return at >= text.length || text[at] === '\n' ? at + 1 : undefined;
}

function skipSpaces(text: string, start: number): number {
  let at = start;
  while (text[at] === ' ' || text[at] === '\t') at++;
  return at;
}
