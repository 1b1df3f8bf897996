import { AIMessageChunk, type AIMessageChunkFields, type ToolCallChunk, type Usage } from '../messages/AIMessageChunk.js';
import { mergeToolCallChunksInto } from '../messages/toolCallChunkMerge.js';
import { mergeUsage } from '../messages/usageMerge.js';
import { mergeResponseMetadataInto } from '../messages/responseMetadataMerge.js';

/**
 * A running concatenation of chunks, with the same rules as `concatChunks`.
 *
 * Adding a chunk costs the size of that chunk (text is appended, tool-call fragments merged in
 * place); `snapshot()` costs the number of tool calls and metadata keys, never the length of the
 * text, because strings are immutable and shared by every snapshot.
 */
export class ChunkAccumulator {
  private id: string | undefined;
  private content = '';
  private reasoning: string | undefined;
  private readonly toolCallChunks: ToolCallChunk[] = [];
  private usage: Usage | undefined;
  private finishReason: AIMessageChunkFields['finishReason'];
  private readonly responseMetadata: Record<string, unknown> = {};

  add(chunk: AIMessageChunk): void {
    if (this.id === undefined && chunk.id) this.id = chunk.id;
    if (chunk.content) this.content += chunk.content;
    if (chunk.reasoning !== undefined) this.reasoning = (this.reasoning ?? '') + chunk.reasoning;
    if (chunk.toolCallChunks.length) mergeToolCallChunksInto(this.toolCallChunks, chunk.toolCallChunks);
    this.usage = mergeUsage(this.usage, chunk.usage);
    if (chunk.finishReason !== undefined) this.finishReason = chunk.finishReason;
    mergeResponseMetadataInto(this.responseMetadata, chunk.responseMetadata);
  }

  /** Everything added so far as a new chunk that later `add` calls do not change. */
  snapshot(): AIMessageChunk {
    return new AIMessageChunk({
      ...(this.id !== undefined && { id: this.id }),
      content: this.content,
      ...(this.reasoning !== undefined && { reasoning: this.reasoning }),
      // The merge replaces entries instead of mutating them, so a shallow copy is a stable view.
      toolCallChunks: this.toolCallChunks.slice(),
      ...(this.usage !== undefined && { usage: this.usage }),
      ...(this.finishReason !== undefined && { finishReason: this.finishReason }),
      responseMetadata: { ...this.responseMetadata },
    });
  }
}
