// A tool call still streaming shows the arguments read so far, by the incremental parser's rules
// (src/json). Every bundle that touches a chunk carries this file, so it does not use that parser
// (12 KB minified): it reads the text once to check that it can still become a JSON object and to
// find where the part that shows ends, closes that part and leaves the parsing to `JSON.parse`.
// The parser's persistent snapshots are not needed here: a chunk reads its calls once.

/** The deepest nesting the incremental parser accepts (its `maxDepth` default). */
const MAX_DEPTH = 1000;
/** A whole number; what may follow it is the grammar's business. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** A number the end of the text may have cut short (`-`, `12`, `1.`, `2e+`). */
const NUMBER_SO_FAR = /-?(?:(?:0|[1-9]\d*)(?:\.(?:\d+(?:[eE][+-]?\d*)?)?|[eE][+-]?\d*)?)?$/y;
/** A whole escape; the digits of a `\u` escape are captured. */
const ESCAPE = /\\(?:["\\/bfnrt]|u([\da-fA-F]{4}))/y;
/** An escape the end of the text cut short. */
const ESCAPE_SO_FAR = /\\(?:u[\da-fA-F]{0,3})?$/y;
/** `primitiveEnd` of a number or literal that the end of the text cut short. */
const PENDING = -1;

// What the grammar takes next, between tokens.
const VALUE = 0;
const FIRST_ELEMENT = 1; // a value or ']'
const FIRST_KEY = 2; // a key or '}'
const KEY = 3;
const COLON = 4;
const NEXT = 5; // ',' or the closing bracket

/**
 * The arguments an unfinished tool-call text holds so far: what `IncrementalJsonParser` would
 * show for it. A string shows as it grows (without half an escape or half a surrogate pair), a
 * number or literal once it cannot change, a member once its key is complete and its value has
 * started to show: `{"city": "Par` gives `{ city: 'Par' }`, `{"ci` and `{"days": 1` give `{}`.
 *
 * @return undefined when the text is a complete object (judged as such by its reader) or cannot
 *   be the start of one, as the parser would reject it.
 */
export function argumentsSoFar(text: string): Record<string, unknown> | undefined {
  const length = text.length;
  /** The closing brackets of the open containers, innermost last. */
  const closers: string[] = [];
  /** The text up to here, with the closers (and `quote`), is what shows. */
  let shown = 0;
  /** `"` when the text ends in a string value, which then shows too. */
  let quote = '';
  let expect = VALUE;
  let i = 0;
  while (i < length) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
    } else if (expect === COLON) {
      if (c !== ':') return undefined;
      expect = VALUE;
      i++;
    } else if (expect === NEXT && c === ',') {
      expect = closers[closers.length - 1] === ']' ? VALUE : KEY;
      i++;
    } else if ((expect === NEXT || expect === FIRST_ELEMENT || expect === FIRST_KEY) && c === closers[closers.length - 1]) {
      closers.pop();
      // The object is complete: its reader judges it whole.
      if (closers.length === 0) return undefined;
      shown = ++i;
      expect = NEXT;
    } else if (expect === KEY || expect === FIRST_KEY) {
      if (c !== '"') return undefined;
      const key = readString(text, i);
      if (!key) return undefined;
      if (!key.closed) break;
      i = key.end;
      expect = COLON;
    } else if (expect === NEXT) {
      return undefined;
    } else if (closers.length === 0 && c !== '{') {
      return undefined; // arguments are an object
    } else if (c === '{' || c === '[') {
      if (closers.length === MAX_DEPTH) return undefined;
      closers.push(c === '{' ? '}' : ']');
      shown = ++i;
      expect = c === '{' ? FIRST_KEY : FIRST_ELEMENT;
    } else if (c === '"') {
      const string = readString(text, i);
      if (!string) return undefined;
      shown = string.end;
      if (!string.closed) {
        quote = '"';
        break;
      }
      i = string.end;
      expect = NEXT;
    } else {
      const end = primitiveEnd(text, i);
      if (end === undefined) return undefined;
      // Cut short: it may still change, so it does not show yet.
      if (end === PENDING) break;
      shown = i = end;
      expect = NEXT;
    }
  }
  if (closers.length === 0) return {};
  return JSON.parse(text.slice(0, shown) + quote + closers.reverse().join('')) as Record<string, unknown>;
}

/**
 * Reads the string that opens at `text[start]`: `end` is the index after its closing quote or,
 * when the text ends inside it, the index up to which its text can show. Undefined when malformed.
 */
function readString(text: string, start: number): { closed: boolean; end: number } | undefined {
  let shown = start + 1;
  let i = shown;
  while (i < text.length) {
    const unitStart = i;
    let code = text.charCodeAt(i);
    if (code === 0x22) return { closed: true, end: i + 1 };
    if (code < 0x20) return undefined;
    if (code === 0x5c) {
      ESCAPE.lastIndex = i;
      const escape = ESCAPE.exec(text);
      if (!escape) {
        ESCAPE_SO_FAR.lastIndex = i;
        return ESCAPE_SO_FAR.test(text) ? { closed: false, end: shown } : undefined;
      }
      i = ESCAPE.lastIndex;
      code = escape[1] ? parseInt(escape[1], 16) : 0;
    } else {
      i++;
    }
    // A high surrogate waits for what follows it: the end of the text may have split a pair.
    shown = code < 0xd800 || code > 0xdbff ? i : unitStart;
  }
  return { closed: false, end: shown };
}

/**
 * Where the number or literal at `text[start]` ends; PENDING when the text ends in it and it may
 * still change (a number needs the character after it), undefined when it is malformed.
 */
function primitiveEnd(text: string, start: number): number | undefined {
  const c = text[start];
  const literal = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : undefined;
  if (literal) {
    if (text.startsWith(literal, start)) return start + literal.length;
    return text.length - start < literal.length && literal.startsWith(text.slice(start)) ? PENDING : undefined;
  }
  NUMBER_SO_FAR.lastIndex = start;
  if (NUMBER_SO_FAR.test(text)) return PENDING;
  NUMBER.lastIndex = start;
  return NUMBER.test(text) ? NUMBER.lastIndex : undefined;
}
