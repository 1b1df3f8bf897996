/**
 * A rough token count for text when no tokenizer is at hand: about four characters per token,
 * which is close for English with OpenAI tokenizers. Used before a server reports usage.
 */
export function estimateTokens(text: string): number {
  return estimateTokensOfLength(text.length);
}

/** `estimateTokens` for a text of `length` characters, for counters that keep only the length. */
export function estimateTokensOfLength(length: number): number {
  return Math.ceil(length / 4);
}
