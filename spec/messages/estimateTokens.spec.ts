import { estimateTokens } from '../../src/index.js';
import { estimateTokensOfLength } from '../../src/messages/estimateTokens.js';

describe('estimateTokens', () => {
  it('is 0 for no text', () => {
    expect(estimateTokens('')).toBe(0);
  });

  it('counts about four characters per token, rounding up', () => {
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('x'.repeat(400))).toBe(100);
  });

  it('is the same estimate from a length alone', () => {
    for (const text of ['', 'a', 'abcd', 'abcde', 'x'.repeat(401)]) expect(estimateTokensOfLength(text.length)).toBe(estimateTokens(text));
  });
});
