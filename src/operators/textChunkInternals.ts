import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { TextChunk } from './TextChunk.js';

/** The text a chunk adds to the answer (its `content`). */
export function textOf(chunk: TextChunk): string {
  return typeof chunk === 'string' ? chunk : chunk.content;
}

/**
 * True when a chunk carries nothing but answer text (and the `id` / `responseMetadata` that
 * providers repeat on every chunk). Tool-call chunks, usage, a finish reason or reasoning make it
 * a chunk that text operators must not split or move text across.
 */
export function isPlainTextChunk(chunk: AIMessageChunk): boolean {
  return chunk.toolCallChunks.length === 0
    && chunk.usage === undefined
    && chunk.finishReason === undefined
    && chunk.reasoning === undefined;
}
