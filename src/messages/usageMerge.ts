import type { Usage } from './AIMessageChunk.js';

/**
 * Combines the usage of two chunks. Servers disagree on where usage goes: once at the end
 * (OpenAI), on the finish chunk and again on a trailing chunk (Groq, Hugging Face), or running
 * totals on every chunk (Perplexity). Every one of them reports cumulative counts, so the
 * field-wise maximum is right for all of them, where a sum would double count.
 */
export function mergeUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  const merged: Usage = {
    inputTokens: Math.max(a.inputTokens, b.inputTokens),
    outputTokens: Math.max(a.outputTokens, b.outputTokens),
    totalTokens: Math.max(a.totalTokens, b.totalTokens),
  };
  const reasoning = maxDefined(a.reasoningTokens, b.reasoningTokens);
  if (reasoning !== undefined) merged.reasoningTokens = reasoning;
  const cached = maxDefined(a.cachedInputTokens, b.cachedInputTokens);
  if (cached !== undefined) merged.cachedInputTokens = cached;
  return merged;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
