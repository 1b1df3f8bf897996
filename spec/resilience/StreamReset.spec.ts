import { StreamReset, afterLastReset, isStreamReset } from '../../src/index.js';

describe('StreamReset', () => {
  const reset = (attempt: number) => new StreamReset({ attempt, error: { name: 'APIConnectionError', message: 'dropped' } });

  it('is recognised by its guard, also as plain data', () => {
    expect(isStreamReset(reset(2))).toBe(true);
    expect(isStreamReset({ type: 'stream_reset', attempt: 2, error: { name: 'E', message: 'm' } })).toBe(true);
    expect([isStreamReset('stream_reset'), isStreamReset(null), isStreamReset({ type: 'other' })]).toEqual([false, false, false]);
  });

  it('afterLastReset keeps what the last attempt produced', () => {
    expect(afterLastReset(['a', 'b'])).toEqual(['a', 'b']);
    expect(afterLastReset(['a', reset(2), 'b', reset(3), 'c', 'd'])).toEqual(['c', 'd']);
    expect(afterLastReset(['a', reset(2)])).toEqual([]);
  });
});
