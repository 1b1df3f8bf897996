import fc from 'fast-check';
import { IncrementalJsonParser } from '../../src/json/IncrementalJsonParser.js';
import type { JsonValue } from '../../src/json/jsonTypes.js';
import { argumentsSoFar } from '../../src/messages/argumentsSoFar.js';
import { isPlainObject } from '../../src/messages/valueKinds.js';
import { sameJson } from '../json/jsonTestHelpers.js';

/** The rule argumentsSoFar keeps, read off the incremental parser itself. */
function parserArgumentsSoFar(text: string): Record<string, unknown> | undefined {
  const start = text.trimStart();
  if (start !== '' && start[0] !== '{') return undefined;
  const parser = new IncrementalJsonParser();
  try {
    parser.write(text);
  } catch {
    return undefined;
  }
  if (parser.complete) return undefined;
  const value = parser.value;
  return isPlainObject(value) ? value : {};
}

function same(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  return a === undefined || b === undefined ? a === b : sameJson(a as JsonValue, b as JsonValue);
}

/** Characters for every string path: escapes, control characters, surrogate pairs and lone halves. */
const trickyChar = fc.constantFrom('a', ' ', '"', '\\', '/', '\n', '\u0000', '\u001f', 'é', '😀', '\uD800', '\uDBFF', '\uDC00');

/** A JSON object's text as a model may write it: any whitespace, any character written as a `\u` escape. */
const argumentsText = fc
  .tuple(
    fc.dictionary(fc.string({ unit: trickyChar, maxLength: 4 }), fc.jsonValue({ maxDepth: 3, stringUnit: trickyChar }), { maxKeys: 4 }),
    fc.constantFrom<undefined | number | string>(undefined, 1, '\t'),
    fc.boolean(),
  )
  .map(([value, indent, escapeAll]) => {
    const text = JSON.stringify(value, null, indent);
    if (!escapeAll) return text;
    // Inside strings (after an odd run of quotes), every character that may be escaped is.
    let inString = false;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        const length = text[i + 1] === 'u' ? 6 : 2;
        out += text.slice(i, i + length);
        i += length - 1;
        continue;
      }
      if (c === '"') inString = !inString;
      out += inString && c !== '"' ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c;
    }
    return out;
  });

describe('argumentsSoFar', () => {
  it.each<[string, Record<string, unknown> | undefined]>([
    ['', {}],
    ['  ', {}],
    ['{', {}],
    ['{"ci', {}],
    ['{"city"', {}],
    ['{"city":', {}],
    ['{"city": "', { city: '' }],
    ['{"city": "Par', { city: 'Par' }],
    ['{"city": "Par\\', { city: 'Par' }],
    ['{"city": "Par\\u00e', { city: 'Par' }],
    ['{"city": "Par\\u00e9', { city: 'Paré' }],
    ['{"face": "\\ud83d', { face: '' }],
    ['{"face": "\\ud83d\\ude00', { face: '😀' }],
    ['{"days": 1', {}],
    ['{"days": 12,', { days: 12 }],
    ['{"days": 1.', {}],
    ['{"days": -', {}],
    ['{"ok": tr', {}],
    ['{"ok": true', { ok: true }],
    ['{"tags": [', { tags: [] }],
    ['{"tags": ["a", "b', { tags: ['a', 'b'] }],
    ['{"tags": [1, 2', { tags: [1] }],
    ['{"a": {"b": [{"c": null', { a: { b: [{ c: null }] } }],
  ])('%j shows %j', (text, expected) => {
    expect(argumentsSoFar(text)).toEqual(expected);
    expect(parserArgumentsSoFar(text)).toEqual(expected);
  });

  it.each([
    '{}', '{"a": 1}', ' {"a": [1, {"b": 2}]} ', // complete: judged by the reader
    '[', '"a"', '1', 'x', // not an object
    '{"a": 01', '{"a": 1.}', '{"a": tx', '{"a" 1', '{"a": 1 2', '{"a": "\\x', '{"a": "\u0001', '{,', '{"a": [1,]', '{"a": 1} x', '\u00a0{',
  ])('%j: undefined, as the parser rejects or completes it', (text) => {
    expect(argumentsSoFar(text)).toBeUndefined();
    expect(parserArgumentsSoFar(text)).toBeUndefined();
  });

  it('rejects nesting deeper than the parser accepts', () => {
    expect(argumentsSoFar(`{"a": ${'['.repeat(999)}`)).toEqual(parserArgumentsSoFar(`{"a": ${'['.repeat(999)}`));
    expect(argumentsSoFar(`{"a": ${'['.repeat(1000)}`)).toBeUndefined();
    expect(parserArgumentsSoFar(`{"a": ${'['.repeat(1000)}`)).toBeUndefined();
  });

  it('gives what the incremental parser shows, for every prefix of an object', () => {
    fc.assert(
      fc.property(argumentsText, (text) => {
        for (let end = 0; end <= text.length; end++) {
          const prefix = text.slice(0, end);
          if (!same(argumentsSoFar(prefix), parserArgumentsSoFar(prefix))) throw new Error(`differs on ${JSON.stringify(prefix)}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rejects what the parser rejects: every prefix of an object with one character changed', () => {
    const stray = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '1', '-', '.', 'e', '+', 't', 'n', 'x', 'u', '\n', '\u0001', '\uD800');
    fc.assert(
      fc.property(argumentsText, fc.nat(), stray, fc.boolean(), (text, at, character, replace) => {
        const position = at % (text.length + 1);
        const changed = text.slice(0, position) + character + text.slice(replace ? position + 1 : position);
        for (let end = 0; end <= changed.length; end++) {
          const prefix = changed.slice(0, end);
          if (!same(argumentsSoFar(prefix), parserArgumentsSoFar(prefix))) throw new Error(`differs on ${JSON.stringify(prefix)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
