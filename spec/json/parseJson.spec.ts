import { OutputParserError } from '../../src/errors/index.js';
import { parseJson } from '../../src/json/parseJson.js';

describe('parseJson', () => {
  it('parses a whole document strictly', () => {
    expect(parseJson(' {"a": [1, -2.5e1, "x", true, null]} ')).toEqual({ a: [1, -25, 'x', true, null] });
    expect(parseJson('7')).toBe(7);
  });

  it('raises an OutputParserError with the offset and an excerpt', () => {
    expect(() => parseJson('{"a": 1,}')).toThrow(OutputParserError);
    expect(() => parseJson('{"a": 1,}')).toThrow("Unexpected character '}' at offset 8 in JSON (expected a string key): {\"a\": 1,}");
    expect(() => parseJson('Here: {"a": 1}')).toThrow("Unexpected character 'H' at offset 0");
  });

  it('reads JSON out of prose and a code fence when tolerant', () => {
    expect(parseJson('Here it is:\n```json\n{"ok": true}\n```\nBye', { tolerant: true })).toEqual({ ok: true });
    expect(parseJson('The list: [1, 2] and more', { tolerant: true })).toEqual([1, 2]);
    expect(() => parseJson('no json here', { tolerant: true })).toThrow(OutputParserError);
  });

  it('rejects nesting deeper than maxDepth', () => {
    expect(() => parseJson('[[1]]', { maxDepth: 1 })).toThrow('Nesting deeper than 1 levels at offset 1');
  });
});
