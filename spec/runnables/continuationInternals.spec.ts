import fc from 'fast-check';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { dropRepeatedStart, longestOverlap } from '../../src/runnables/continuationInternals.js';
import { createTestScheduler } from '../support/marbles.js';

describe('longestOverlap', () => {
  it.each([
    ['Hello wor', 'world', 3],
    ['Hello wor', 'ld', 0],
    ['Hello ', ' world', 1],
    ['abcabc', 'abcabcd', 6],
    ['aaa', 'aaaa', 3],
    ['', 'x', 0],
    ['x', '', 0],
    ['The price is 10', '0 dollars.', 0],
    ['It costs 12', '12 euros', 2],
    ['It costs 1212', '12 euros', 0],
    ['Hello wor', 'work is done', 3],
    ['I like', 'ke cats', 0],
    ['The end.', '. Next', 1],
  ])('%j then %j overlap by %i', (previous, text, expected) => {
    expect(longestOverlap(previous, text)).toBe(expected);
  });

  it('is the longest start of the text that ends the previous text at a word start, for any strings', () => {
    const startsWord = (s: string, at: number) => at === 0 || s[at - 1] === ' ' || s[at] === ' ';
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 12 }), (previous, text) => {
      let expected = 0;
      for (let n = Math.min(previous.length, text.length); n > 0; n--) {
        if (previous.endsWith(text.slice(0, n)) && startsWord(previous, previous.length - n)) {
          expected = n;
          break;
        }
      }
      expect(longestOverlap(previous, text)).toBe(expected);
    }));
  });
});

describe('dropRepeatedStart', () => {
  const chunk = (content: string) => new AIMessageChunk(content);

  it('holds the chunks while they repeat the end of the previous text, then releases the rest', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-|', { a: chunk('wo'), b: chunk('rld'), c: chunk('!') });
      expectObservable(source.pipe(dropRepeatedStart('Hello wor'))).toBe('---x-c-|', { x: chunk('ld'), c: chunk('!') });
    });
  });

  it('releases at once what cannot be a repeat', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-|', { a: chunk('ld'), b: chunk('!') });
      expectObservable(source.pipe(dropRepeatedStart('Hello wor'))).toBe('-a-b-|', { a: chunk('ld'), b: chunk('!') });
    });
  });

  it('releases what it holds, trimmed, when the stream ends or fails', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|', { a: chunk('wor') }).pipe(dropRepeatedStart('Hello wor'))).toBe('---|');
      expectObservable(cold('-a-#', { a: chunk('He') }, new Error('lost')).pipe(dropRepeatedStart('Hello He wor'))).toBe('---(x#)', { x: chunk('He') }, new Error('lost'));
    });
  });

  it('keeps chunks that carry more than text', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const usage = new AIMessageChunk({ content: 'wor', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
      expectObservable(cold('-u-|', { u: usage }).pipe(dropRepeatedStart('Hello wor'))).toBe('-u-|', {
        u: new AIMessageChunk({ content: '', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }),
      });
    });
  });
});
