import fc from 'fast-check';
import { splitText } from '../../src/testing/index.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';

describe('splitText', () => {
  it('cuts by word by default, each word keeping the whitespace before it', () => {
    expect(splitText('Hello brave new world')).toEqual(['Hello', ' brave', ' new', ' world']);
    expect(splitText('  Hello \n world  ', 'word')).toEqual(['  Hello', ' \n world  ']);
  });

  it('keeps text of only whitespace as one chunk', () => {
    expect(splitText('   ', 'word')).toEqual(['   ']);
  });

  it('cuts by code point, never inside an emoji', () => {
    expect(splitText('a😀b', 'char')).toEqual(['a', '😀', 'b']);
  });

  it('cuts by a number of characters, the last chunk shorter', () => {
    expect(splitText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(splitText('ab', 5)).toEqual(['ab']);
  });

  it('counts characters, not UTF-16 units, when cutting by number', () => {
    expect(splitText('😀😀😀', 2)).toEqual(['😀😀', '😀']);
    expect(splitText('a😀b', 2)).toEqual(['a😀', 'b']);
  });

  it('gives no chunks for no text', () => {
    expect(splitText('')).toEqual([]);
    expect(splitText('', 'char')).toEqual([]);
    expect(splitText('', 4)).toEqual([]);
  });

  it.each([[0], [-1], [1.5], [Number.NaN], ['line' as never]])('rejects chunkBy %p with an InvalidOptionError', (by) => {
    expect(() => splitText('abc', by)).toThrow(InvalidOptionError);
  });

  it('always joins back to the text, with no empty chunk and no lone surrogate', () => {
    const by = fc.oneof(fc.constant('char' as const), fc.constant('word' as const), fc.integer({ min: 1, max: 7 }));
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), by, (text, chunkBy) => {
      const chunks = splitText(text, chunkBy);
      expect(chunks.join('')).toBe(text);
      for (const chunk of chunks) {
        expect(chunk.length).toBeGreaterThan(0);
        expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(chunk)).toBe(false);
      }
    }));
  });
});
