import { mergeUsage } from '../../src/messages/usageMerge.js';
import type { Usage } from '../../src/index.js';

describe('mergeUsage', () => {
  const u = (inputTokens: number, outputTokens: number, totalTokens = inputTokens + outputTokens): Usage => ({ inputTokens, outputTokens, totalTokens });

  it('returns the one that exists when the other is missing', () => {
    expect(mergeUsage(undefined, undefined)).toBeUndefined();
    expect(mergeUsage(u(1, 2), undefined)).toEqual(u(1, 2));
    expect(mergeUsage(undefined, u(3, 4))).toEqual(u(3, 4));
  });

  it('takes the field-wise maximum: the same report twice counts once', () => {
    expect(mergeUsage(u(20, 4), u(20, 4))).toEqual(u(20, 4));
  });

  it('takes the field-wise maximum: running totals end at the last total', () => {
    expect(mergeUsage(u(10, 5), u(10, 336))).toEqual(u(10, 336));
    expect(mergeUsage(u(10, 336), u(10, 5))).toEqual(u(10, 336));
  });

  it('combines counts split across reports', () => {
    expect(mergeUsage(u(50, 0, 50), u(0, 7, 57))).toEqual(u(50, 7, 57));
  });

  it('keeps optional counts from either side, and omits them when neither has one', () => {
    expect(mergeUsage({ ...u(1, 1), reasoningTokens: 4 }, { ...u(1, 2), cachedInputTokens: 1 }))
      .toEqual({ ...u(1, 2), reasoningTokens: 4, cachedInputTokens: 1 });
    expect(mergeUsage({ ...u(1, 1), reasoningTokens: 4 }, { ...u(1, 1), reasoningTokens: 9 })!.reasoningTokens).toBe(9);
    expect(Object.keys(mergeUsage(u(1, 1), u(2, 2))!).sort()).toEqual(['inputTokens', 'outputTokens', 'totalTokens']);
  });

  it('does not change its operands', () => {
    const a = u(1, 1);
    const b = { ...u(2, 2), reasoningTokens: 1 };
    mergeUsage(a, b);
    expect(a).toEqual(u(1, 1));
    expect(b).toEqual({ ...u(2, 2), reasoningTokens: 1 });
  });
});
