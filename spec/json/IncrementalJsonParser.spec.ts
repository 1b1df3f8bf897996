import { OutputParserError } from '../../src/errors/index.js';
import { IncrementalJsonParser, type IncrementalJsonParserOptions } from '../../src/json/IncrementalJsonParser.js';
import type { JsonValue } from '../../src/json/jsonTypes.js';
import { applyJsonPatch, feed, splitAt } from './jsonTestHelpers.js';

/** The value after each chunk (whether or not it changed), then after end(). */
function valuesAfterEachChunk(chunks: readonly string[]): Array<JsonValue | undefined> {
  const parser = new IncrementalJsonParser();
  const values = chunks.map((chunk) => {
    parser.write(chunk);
    return parser.value;
  });
  parser.end();
  values.push(parser.value);
  return values;
}

/** The error raised by parsing these chunks (fails the test when there is none). */
function errorOf(chunks: readonly string[], options?: IncrementalJsonParserOptions): OutputParserError {
  const parser = new IncrementalJsonParser(options);
  try {
    for (const chunk of chunks) parser.write(chunk);
    parser.end();
  } catch (error) {
    expect(error).toBeInstanceOf(OutputParserError);
    return error as OutputParserError;
  }
  throw new Error(`Expected ${JSON.stringify(chunks.join(''))} to be rejected`);
}

describe('IncrementalJsonParser', () => {
  describe('partial values', () => {
    it('shows open objects and growing strings after every chunk', () => {
      expect(valuesAfterEachChunk(['{"title": "Strea', 'ming", "tags": ["a', '", "b"', '], "n": 1', '2}'])).toEqual([
        { title: 'Strea' },
        { title: 'Streaming', tags: ['a'] },
        { title: 'Streaming', tags: ['a', 'b'] },
        { title: 'Streaming', tags: ['a', 'b'] },
        { title: 'Streaming', tags: ['a', 'b'], n: 12 },
        { title: 'Streaming', tags: ['a', 'b'], n: 12 },
      ]);
    });

    it('shows nothing before the first visible character', () => {
      expect(valuesAfterEachChunk(['  ', '\n', '[', ']'])).toEqual([undefined, undefined, [], [], []]);
    });

    it('shows a string at its opening quote, at the root too', () => {
      expect(valuesAfterEachChunk(['"', 'ab', 'c"'])).toEqual(['', 'ab', 'abc', 'abc']);
    });

    it('shows containers as soon as they open, nested', () => {
      expect(valuesAfterEachChunk(['[{', '"a": [[', ']], "b": {"c": {', '}}}]'])).toEqual([
        [{}],
        [{ a: [[]] }],
        [{ a: [[]], b: { c: {} } }],
        [{ a: [[]], b: { c: {} } }],
        [{ a: [[]], b: { c: {} } }],
      ]);
    });

    it('shows a member only once its key is complete and its value has started', () => {
      expect(valuesAfterEachChunk(['{"ke', 'y"', ' :', ' ', '"', 'v', '"}'])).toEqual([
        {}, {}, {}, {}, { key: '' }, { key: 'v' }, { key: 'v' }, { key: 'v' },
      ]);
    });
  });

  describe('numbers', () => {
    it('shows a number only when the character after it arrives', () => {
      expect(valuesAfterEachChunk(['[1', '2', '3', ',', '4.5e', '-1', ' ', ']'])).toEqual([
        [], [], [], [123], [123], [123], [123, 0.45], [123, 0.45], [123, 0.45],
      ]);
    });

    it('keeps a member whose number is pending out of the object', () => {
      expect(valuesAfterEachChunk(['{"a": 1', '0', '}'])).toEqual([{}, {}, { a: 10 }, { a: 10 }]);
    });

    it('completes a top-level number only at end()', () => {
      const parser = new IncrementalJsonParser();
      expect(parser.write('-12.5E+2')).toBe(false);
      expect(parser.value).toBeUndefined();
      expect(parser.end()).toBe(true);
      expect(parser.value).toBe(-1250);
    });

    it('ends a top-level number at whitespace', () => {
      expect(valuesAfterEachChunk(['0', '\n'])).toEqual([undefined, 0, 0]);
    });

    it.each([
      ['0', 0], ['-0', -0], ['10', 10], ['-7', -7], ['0.25', 0.25], ['1e3', 1000], ['1E-2', 0.01], ['2e+2', 200],
      ['-0.0e0', -0], ['123456789012345678901234567890', 123456789012345678901234567890], ['1e400', Infinity], ['1e-400', 0],
    ])('reads %s as JSON.parse does', (text, expected) => {
      expect(feed([text]).final).toBe(expected);
      expect(feed(text.split('')).final).toBe(expected);
      expect(feed([`[${text}`, ']']).final).toEqual([expected]);
    });

    it.each([
      ['[01]', 2, 'leading zeros are not allowed'],
      ['[-]', 2, 'expected a digit'],
      ['[-a]', 2, 'expected a digit'],
      ['[1.]', 3, 'expected a digit'],
      ['[.5]', 1, "expected a JSON value or ']'"],
      ['[1e]', 3, 'expected a digit or a sign of the exponent'],
      ['[1e+]', 4, 'expected a digit'],
      ['[+1]', 1, "expected a JSON value or ']'"],
      ['[1.2.3]', 4, "expected ',' or ']'"],
      ['[0x1]', 2, "expected ',' or ']'"],
      ['[Infinity]', 1, "expected a JSON value or ']'"],
      ['[1, NaN]', 4, 'expected a JSON value'],
    ])('rejects %s at offset %i', (text, offset, hint) => {
      for (const chunks of [[text], text.split('')]) {
        const error = errorOf(chunks);
        expect(error.offset).toBe(offset);
        expect(error.message).toContain(`(${hint})`);
      }
    });

    it('rejects a number cut short at the end', () => {
      expect(errorOf(['-']).message).toBe('Unexpected end of JSON input at offset 1 in JSON (expected a digit): -');
      expect(errorOf(['[1']).message).toContain("(expected ',' or ']')");
      expect(errorOf(['{"a":1']).message).toContain("(expected ',' or '}')");
    });
  });

  describe('literals', () => {
    it('shows true, false and null once their last letter arrives', () => {
      expect(valuesAfterEachChunk(['[t', 'ru', 'e,f', 'alse, n', 'ull', ']'])).toEqual([
        [], [], [true], [true, false], [true, false, null], [true, false, null], [true, false, null],
      ]);
    });

    it('reads literals at the root', () => {
      expect(feed(['nu', 'll']).final).toBeNull();
      expect(feed(['true']).final).toBe(true);
    });

    it.each([['[tru]', 4, '"true"'], ['[nil]', 2, '"null"'], ['[True]', 1, "a JSON value or ']'"], ['[falsey]', 6, "',' or ']'"]])(
      'rejects %s at offset %i',
      (text, offset, expected) => {
        const error = errorOf(text.split(''));
        expect(error.offset).toBe(offset);
        expect(error.message).toContain(`(expected ${expected})`);
      },
    );
  });

  describe('strings', () => {
    it('decodes every escape, split at every position', () => {
      const text = '["a\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u00e9\\u20AC"]';
      const expected = JSON.parse(text) as string[];
      for (let cut = 0; cut <= text.length; cut++) {
        const { snapshots, final } = feed(splitAt(text, [cut]));
        expect(final).toEqual(expected);
        for (const snapshot of snapshots) expect(expected[0].startsWith((snapshot as string[])[0] ?? '')).toBe(true);
      }
    });

    it('holds back a \\u escape split across chunks until its four digits arrive', () => {
      expect(valuesAfterEachChunk(['"ab\\', 'u0', '0e', '9c"'])).toEqual(['ab', 'ab', 'ab', 'abéc', 'abéc']);
    });

    it('holds back half a surrogate pair written as escapes', () => {
      expect(valuesAfterEachChunk(['"x\\uD83D', '\\uDE00', 'y"'])).toEqual(['x', 'x😀', 'x😀y', 'x😀y']);
    });

    it('holds back half a raw surrogate pair when a chunk ends between the two halves', () => {
      const [high, low] = ['😀'.charAt(0), '😀'.charAt(1)];
      expect(valuesAfterEachChunk(['{"e": "a' + high, low + '"}'])).toEqual([{ e: 'a' }, { e: 'a😀' }, { e: 'a😀' }]);
      const parser = new IncrementalJsonParser();
      parser.write('"' + high);
      expect(parser.value).toBe('');
      expect(parser.write(low)).toBe(true);
      expect(parser.value).toBe('😀');
    });

    it('keeps a lone surrogate exactly as JSON.parse does once the string goes on or ends', () => {
      expect(valuesAfterEachChunk(['["\\uDADA', 'x", "\\uD800', '"]'])).toEqual([
        [''], ['\uDADAx', ''], ['\uDADAx', '\uD800'], ['\uDADAx', '\uD800'],
      ]);
      expect(feed(['"\\uDd1e\\uD834"']).final).toBe(JSON.parse('"\\uDd1e\\uD834"'));
    });

    it('reads keys with escapes and surrogates split across chunks', () => {
      expect(feed(['{"k\\u00', 'e9\\uD83D', '\\uDE00": 1}']).final).toEqual({ 'ké😀': 1 });
    });

    it.each([
      ['"a\u0001"', 2, 'control characters must be escaped in strings'],
      ['"a\nb"', 2, 'control characters must be escaped in strings'],
      ['"a\\x"', 3, 'expected an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX'],
      ['"\\u00g0"', 5, 'expected a hexadecimal digit of a \\u escape'],
      ["'a'", 0, 'expected a JSON value'],
    ])('rejects %j at offset %i', (text, offset, hint) => {
      for (const chunks of [[text], text.split('')]) {
        const error = errorOf(chunks);
        expect(error.offset).toBe(offset);
        expect(error.message).toContain(`(${hint})`);
      }
    });

    it('rejects a string cut short at the end', () => {
      expect(errorOf(['"abc']).message).toBe(`Unexpected end of JSON input at offset 4 in JSON (expected the closing '"' of the string): "abc`);
      expect(errorOf(['"a\\']).offset).toBe(3);
      expect(errorOf(['"a\\u12']).offset).toBe(6);
    });
  });

  describe('whitespace', () => {
    it('accepts the four JSON whitespace characters everywhere and reports no change for them', () => {
      const parser = new IncrementalJsonParser();
      const changes = [' \t\n\r', '{', ' \t\n\r', '"a"', ' \r\n\t', ':', '\n', '[', ' ', '1', '\t', ',', ' ', 'true', '\r', ']', '\n', '}', ' \n']
        .map((chunk) => parser.write(chunk));
      parser.end();
      expect(parser.value).toEqual({ a: [1, true] });
      expect(changes).toEqual([false, true, false, false, false, false, false, true, false, false, true, false, false, true, false, false, false, false, false]);
    });

    it('rejects other whitespace: form feed, no-break space, a byte order mark', () => {
      expect(errorOf(['[\f]']).offset).toBe(1);
      expect(errorOf(['[1,\u00a02]']).offset).toBe(3);
      expect(errorOf(['\ufeff{}']).offset).toBe(0);
    });
  });

  describe('structure errors', () => {
    it.each([
      ['[1,]', 3, 'expected a JSON value'],
      ['{"a":1,}', 7, 'expected a string key'],
      ['{a:1}', 1, "expected a string key or '}'"],
      ['{"a" 1}', 5, "expected ':' after the key"],
      ['{"a":1]', 6, "expected ',' or '}'"],
      ['[1}', 2, "expected ',' or ']'"],
      ['[1 2]', 3, "expected ',' or ']'"],
      ['{"a":1}}', 7, 'expected only whitespace after the JSON value'],
      ['[] []', 3, 'expected only whitespace after the JSON value'],
      ['1 2', 2, 'expected only whitespace after the JSON value'],
      ['[1] // comment', 4, 'expected only whitespace after the JSON value'],
      [']', 0, 'expected a JSON value'],
    ])('rejects %j at offset %i', (text, offset, hint) => {
      for (const chunks of [[text], text.split('')]) {
        const error = errorOf(chunks);
        expect(error.offset).toBe(offset);
        expect(error.message).toContain(`(${hint})`);
      }
    });

    it.each([
      ['', 0, 'expected a JSON value'],
      ['   ', 3, 'expected a JSON value'],
      ['[', 1, "expected a JSON value or ']'"],
      ['{', 1, "expected a string key or '}'"],
      ['{"a"', 4, "expected ':' after the key"],
      ['{"a":', 5, 'expected a JSON value'],
      ['[1,', 3, 'expected a JSON value'],
      ['{"a":[]', 7, "expected ',' or '}'"],
      ['[tr', 3, 'expected "true"'],
    ])('rejects the incomplete %j at end() with offset %i', (text, offset, hint) => {
      const error = errorOf([text]);
      expect(error.offset).toBe(offset);
      expect(error.message).toBe(`Unexpected end of JSON input at offset ${offset} in JSON (${hint}): ${text}`);
    });

    it('gives absolute offsets and an excerpt spanning earlier chunks', () => {
      const chunks = ['{"items": [1, 2, 3, ', '4, 5', ', 6 7]}'];
      const error = errorOf(chunks);
      expect(error.offset).toBe(chunks.join('').indexOf('7'));
      expect(error.text).toBe(': [1, 2, 3, 4, 5, 6 7]}');
      expect(error.message).toBe("Unexpected character '7' at offset 28 in JSON (expected ',' or ']'): : [1, 2, 3, 4, 5, 6 7]}");
    });

    it('keeps the excerpt short around an offset deep in a long text', () => {
      const text = `[${'1,'.repeat(1000)}x${',2'.repeat(1000)}]`;
      const error = errorOf([text]);
      expect(error.offset).toBe(2001);
      expect(error.text).toBe(`${'1,'.repeat(10)}x${',2'.repeat(9)},`);
    });

    it('shows control characters escaped in the message', () => {
      expect(errorOf(['["a\tb"]']).message).toBe("Unexpected character '\\t' at offset 3 in JSON (control characters must be escaped in strings): [\"a\\tb\"]");
    });

    it('stays failed: later writes and end() throw the same error', () => {
      const parser = new IncrementalJsonParser();
      parser.write('[1');
      let first: unknown;
      try {
        parser.write('x');
      } catch (error) {
        first = error;
      }
      expect(first).toBeInstanceOf(OutputParserError);
      expect(() => parser.write(']')).toThrow(first as Error);
      expect(() => parser.end()).toThrow(first as Error);
    });

    it('rejects a write after end()', () => {
      const parser = new IncrementalJsonParser();
      parser.write('[]');
      parser.end();
      expect(parser.end()).toBe(false);
      expect(() => parser.write(' ')).toThrow('IncrementalJsonParser: write() after end()');
    });

    it('survives 100 000 nested arrays without recursion when maxDepth allows them', () => {
      const parser = new IncrementalJsonParser({ maxDepth: Infinity });
      parser.write('['.repeat(100_000));
      expect(Array.isArray(parser.value)).toBe(true);
      parser.write(']'.repeat(100_000));
      parser.end();
      expect(parser.complete).toBe(true);
    });

    it('rejects nesting deeper than maxDepth (1000 by default)', () => {
      expect(feed(['['.repeat(1000), ']'.repeat(1000)]).parser.complete).toBe(true);
      const error = errorOf(['{"a":'.repeat(1000) + '[']);
      expect(error.offset).toBe(5000);
      expect(error.message).toBe(`Nesting deeper than 1000 levels at offset 5000 in JSON (raise the maxDepth option to accept it): ${'{"a":'.repeat(4)}[`);
      expect(errorOf(['[[[1]]]'], { maxDepth: 2 }).offset).toBe(2);
    });
  });

  describe('objects as JSON.parse builds them', () => {
    it('keeps the last of duplicate keys at the place of the first', () => {
      const text = '{"a": "x", "b": 1, "a": {"c": [true]}}';
      expect(Object.entries(feed(text.split('')).final as object)).toEqual(Object.entries(JSON.parse(text)));
    });

    it('creates an own __proto__ member instead of changing the prototype', () => {
      const { final, snapshots } = feed(['{"__proto__": {"polluted": ', 'true}, "x": 1}']);
      const value = final as Record<string, unknown>;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.keys(value)).toEqual(['__proto__', 'x']);
      expect(value.__proto__).toEqual({ polluted: true });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(snapshots[1] as object)).toBe(Object.prototype);
    });

    it('orders integer-like keys as JSON.parse does', () => {
      const text = '{"b": 1, "10": 2, "2": 3, "a": 4}';
      expect(Object.keys(feed(text.split('')).final as object)).toEqual(Object.keys(JSON.parse(text)));
    });
  });

  describe('snapshots', () => {
    it('never changes a value it has handed out', () => {
      const parser = new IncrementalJsonParser();
      parser.write('{"list": [{"name": "a');
      const first = parser.value;
      const firstCopy = JSON.parse(JSON.stringify(first));
      parser.write('b"}, {"name": "c"}], "more": {"x": [1');
      const second = parser.value;
      parser.write(', 2], "y": "z"}}');
      parser.end();
      expect(first).toEqual(firstCopy);
      expect(second).toEqual({ list: [{ name: 'ab' }, { name: 'c' }], more: { x: [] } });
      expect(parser.value).toEqual({ list: [{ name: 'ab' }, { name: 'c' }], more: { x: [1, 2], y: 'z' } });
    });

    it('shares unchanged members and renews the changed path', () => {
      const parser = new IncrementalJsonParser();
      parser.write('{"done": {"a": [1]}, "open": {"list": ["x"], "text": "a');
      const before = parser.value as { done: object; open: { list: string[]; text: string } };
      parser.write('b');
      const after = parser.value as typeof before;
      expect(after).not.toBe(before);
      expect(after.done).toBe(before.done);
      expect(after.open).not.toBe(before.open);
      expect(after.open.list).toBe(before.open.list);
      expect(after.open.text).toBe('ab');
    });

    it('returns the same object while nothing changes', () => {
      const parser = new IncrementalJsonParser();
      parser.write('{"a": [1');
      const value = parser.value;
      expect(parser.write('23')).toBe(false);
      expect(parser.value).toBe(value);
      expect(parser.version).toBe(2);
    });

    it('counts a version per visible change and reports completion', () => {
      const parser = new IncrementalJsonParser();
      parser.write('[1, "a');
      expect(parser.version).toBe(4); // [ - 1 - the opening quote - "a"
      expect(parser.complete).toBe(false);
      parser.write('b"]');
      expect(parser.version).toBe(5);
      expect(parser.complete).toBe(true);
    });
  });

  describe('snapshot copy limit', () => {
    const growList = (parser: IncrementalJsonParser, items: number) => {
      parser.write('{"items": [');
      for (let i = 0; i < items; i++) parser.write(`${i ? ',' : ''}{"n": ${i}}`);
    };

    it('keeps snapshots persistent while open containers are within the limit', () => {
      const parser = new IncrementalJsonParser({ snapshotCopyLimit: 4 });
      growList(parser, 3);
      const before = parser.value as { items: unknown[] };
      parser.write(',{"n": 3}');
      const after = parser.value as { items: unknown[] };
      expect(before.items).toHaveLength(3);
      expect(after.items).toHaveLength(4);
      expect(after).not.toBe(before);
      expect(after.items[0]).toBe(before.items[0]);
    });

    it('updates a container past the limit in place, giving the root a new identity', () => {
      const parser = new IncrementalJsonParser({ snapshotCopyLimit: 4 });
      growList(parser, 6);
      const before = parser.value as { items: Array<{ n: number }> };
      parser.write(',{"n": 6}');
      const after = parser.value as { items: Array<{ n: number }> };
      expect(after).not.toBe(before);
      expect(after.items).toBe(before.items);
      expect(after.items.map((item) => item.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      parser.write(']}');
      parser.end();
      expect(parser.value).toEqual({ items: [0, 1, 2, 3, 4, 5, 6].map((n) => ({ n })) });
    });

    it('copies always with Infinity and never with 0', () => {
      const always = new IncrementalJsonParser({ snapshotCopyLimit: Infinity });
      growList(always, 300);
      const first = always.value as { items: unknown[] };
      always.write(',{"n": 300}');
      expect((always.value as { items: unknown[] }).items).not.toBe(first.items);
      expect(first.items).toHaveLength(300);

      const live = new IncrementalJsonParser({ snapshotCopyLimit: 0 });
      growList(live, 2);
      const root = live.value;
      live.write(',{"n": 2}');
      expect(live.value).toBe(root);
    });
  });

  describe('patches', () => {
    function patchedValues(chunks: readonly string[]): void {
      const parser = new IncrementalJsonParser({ patches: true });
      let document: JsonValue | undefined;
      for (const chunk of [...chunks, null]) {
        if (chunk === null) parser.end();
        else parser.write(chunk);
        document = applyJsonPatch(document, parser.takePatches());
        expect(document).toEqual(parser.value);
      }
    }

    it('records add and replace operations that rebuild every partial value', () => {
      const text = '{"a~b/c": [1, {"s": "xy\\u00e9", "t": null}], "n": -2.5, "a~b/c": "dup", "e": {}}';
      patchedValues(splitAt(text, [3, 9, 14, 20, 22, 28, 40, 55, 60, 71]));
      patchedValues(text.split(''));
      patchedValues([text]);
    });

    it('writes a growing string as one replace per batch with the whole string', () => {
      const parser = new IncrementalJsonParser({ patches: true });
      parser.write('{"t": "a');
      expect(parser.takePatches()).toEqual([
        { op: 'add', path: '', value: {} },
        { op: 'add', path: '/t', value: 'a' },
      ]);
      parser.write('b');
      parser.write('c');
      expect(parser.takePatches()).toEqual([{ op: 'replace', path: '/t', value: 'abc' }]);
      parser.write('", "u": [2, "');
      expect(parser.takePatches()).toEqual([
        { op: 'add', path: '/u', value: [] },
        { op: 'add', path: '/u/0', value: 2 },
        { op: 'add', path: '/u/1', value: '' },
      ]);
      expect(parser.takePatches()).toEqual([]);
    });

    it('escapes ~ and / in paths and replaces a duplicate key', () => {
      const parser = new IncrementalJsonParser({ patches: true });
      parser.write('{"a/b~": 1, "a/b~": 2}');
      expect(parser.takePatches()).toEqual([
        { op: 'add', path: '', value: {} },
        { op: 'add', path: '/a~1b~0', value: 1 },
        { op: 'replace', path: '/a~1b~0', value: 2 },
      ]);
    });

    it('adds a top-level number at end()', () => {
      const parser = new IncrementalJsonParser({ patches: true });
      parser.write('42');
      expect(parser.takePatches()).toEqual([]);
      parser.end();
      expect(parser.takePatches()).toEqual([{ op: 'add', path: '', value: 42 }]);
    });

    it('records nothing unless asked', () => {
      const parser = new IncrementalJsonParser();
      parser.write('{"a": "b"}');
      expect(parser.takePatches()).toEqual([]);
    });
  });

  describe('tolerant mode', () => {
    const tolerant = { tolerant: true };

    it('skips prose and reads the value out of a ```json fence split across chunks', () => {
      const chunks = ['Here is the result:\n`', '`', '`js', 'on\n{"a": [1, ', '2]}\n`', '``\nAnything after the fence {"b": 1}'];
      const { final, snapshots, parser } = feed(chunks, tolerant);
      expect(final).toEqual({ a: [1, 2] });
      expect(snapshots).toEqual([{ a: [1] }, { a: [1, 2] }]);
      expect(parser.complete).toBe(true);
    });

    it('reads any JSON value from a bare fence, and a fence on one line', () => {
      expect(feed(['```\n  "text"\n```'], tolerant).final).toBe('text');
      expect(feed(['```json\n42', '\n```'], tolerant).final).toBe(42);
      expect(feed(['```json\n42```'], tolerant).final).toBe(42);
      expect(feed(['```{"a": 1}```'], tolerant).final).toEqual({ a: 1 });
      expect(feed(['```json {"a": 1}```'], tolerant).final).toEqual({ a: 1 });
    });

    it('accepts a fence that the stream never closes', () => {
      expect(feed(['```json\n[true]\n'], tolerant).final).toEqual([true]);
    });

    it('without a fence, starts at the first { or [ and ignores the text after the value', () => {
      const { final, snapshots } = feed(['Sure! ', '{"ok": tr', 'ue} Hope this helps.', ' {"not": "read"}'], tolerant);
      expect(final).toEqual({ ok: true });
      expect(snapshots).toEqual([{}, { ok: true }]);
    });

    it('reads a plain JSON document as well', () => {
      expect(feed(['[1, {"a": null}]'], tolerant).final).toEqual([1, { a: null }]);
    });

    it('stays strict inside the value, with offsets counted from the start of the text', () => {
      const error = errorOf(['Result: ```json\n{"a": 01}'], tolerant);
      expect(error.offset).toBe(23);
      expect(error.message).toContain('(leading zeros are not allowed)');
    });

    it('rejects text between the value and the closing fence', () => {
      const error = errorOf(['```json\n{"a": 1}\nThat is all.\n```'], tolerant);
      expect(error.offset).toBe(17);
      expect(error.message).toContain('(expected the closing ``` fence after the JSON value)');
    });

    it('rejects a text with no JSON in it, an empty fence and an unfinished value', () => {
      expect(errorOf(['I cannot answer that.'], tolerant).message).toBe(
        'Unexpected end of JSON input at offset 21 in JSON (expected a JSON object or array, or a ``` code fence holding JSON):  cannot answer that.',
      );
      expect(errorOf(['```json\n```'], tolerant).message).toContain('(expected a JSON value inside the code fence)');
      expect(errorOf(['```json\n'], tolerant).message).toContain('(expected a JSON value inside the code fence)');
      expect(errorOf(['{"a": [1'], tolerant).message).toContain("(expected ',' or ']')");
    });
  });
});
