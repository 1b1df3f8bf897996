/**
 * A rough token count for text when no tokenizer is at hand: about four characters per token,
 * which is close for English with OpenAI tokenizers. Used before a server reports usage.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
