import { OutputParserError } from '../errors/index.js';
import type { JsonObject, JsonValue } from './jsonTypes.js';

/** How many characters of context an error excerpt keeps on each side of the offending offset. */
export const EXCERPT_RADIUS = 20;

/** JSON whitespace is exactly space, tab, line feed and carriage return (RFC 8259 §2). */
export function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The value of a hexadecimal digit, or -1. */
export function hexDigitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/** The character a one-letter escape (`\n`, `\"`, …) stands for, or undefined when it is not one. */
export function simpleEscape(code: number): string | undefined {
  switch (code) {
    case 0x22: return '"';
    case 0x5c: return '\\';
    case 0x2f: return '/';
    case 0x62: return '\b';
    case 0x66: return '\f';
    case 0x6e: return '\n';
    case 0x72: return '\r';
    case 0x74: return '\t';
    default: return undefined;
  }
}

/** One reference token of an RFC 6901 JSON Pointer. */
export function pointerToken(key: string | number): string {
  if (typeof key === 'number') return String(key);
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

/**
 * Sets an own property the way `JSON.parse` does. A plain assignment of `__proto__` would replace
 * the prototype instead of creating the member a JSON document can legitimately contain.
 */
export function setMember(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Makes control characters visible in a message (a raw newline would break the log line). */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** What the parser was looking at when it failed: enough to build a message and an excerpt. */
export interface JsonSyntaxErrorSite {
  /** Absolute offset of the offending character (or of the end of input) in the whole text. */
  offset: number;
  /** The offending character; undefined at the end of input. */
  found: string | undefined;
  /** Why it is wrong, e.g. `expected ',' or '}'`. */
  hint: string;
  /** Replaces the "Unexpected character" opening for errors that are not about one character. */
  problem?: string;
  /** Up to EXCERPT_RADIUS characters before the offset. */
  before: string;
  /** Up to EXCERPT_RADIUS characters from the offset on. */
  after: string;
}

/** The `OutputParserError` for malformed JSON, with `offset` and a short excerpt in `text`. */
export function jsonSyntaxError(site: JsonSyntaxErrorSite): OutputParserError {
  const excerpt = site.before + site.after;
  const what = site.problem ?? (site.found === undefined ? 'Unexpected end of JSON input' : `Unexpected character '${printable(site.found)}'`);
  const message = `${what} at offset ${site.offset} in JSON (${site.hint}): ${printable(excerpt)}`;
  return new OutputParserError(message, { offset: site.offset, text: excerpt });
}
