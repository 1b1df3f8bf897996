import { AIMessageChunk, aggregateValues } from '../../src/index.js';

describe('aggregateValues', () => {
  it('is undefined for nothing and the value itself for one', () => {
    const only = { a: 1 };
    expect(aggregateValues([])).toBeUndefined();
    expect(aggregateValues([only])).toBe(only);
  });

  it('joins strings and concatenates message chunks', () => {
    expect(aggregateValues(['a', 'b', 'c'])).toBe('abc');
    const whole = aggregateValues([new AIMessageChunk('Hel'), new AIMessageChunk({ content: 'lo', finishReason: 'stop' })]) as AIMessageChunk;
    expect([whole.content, whole.finishReason]).toEqual(['Hello', 'stop']);
  });

  it('merges plain objects key by key, aggregating each key', () => {
    expect(aggregateValues([{ a: 'x' }, { b: 1 }, { a: 'y' }, { b: 2 }])).toEqual({ a: 'xy', b: 2 });
  });

  it('keeps the last value of anything else', () => {
    expect(aggregateValues([1, 2, 3])).toBe(3);
    expect(aggregateValues(['a', 1])).toBe(1);
    const date = new Date(0);
    expect(aggregateValues([{ a: 1 }, date])).toBe(date);
  });
});
