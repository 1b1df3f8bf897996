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
    // Plain assignments: conditional object spreads cost about a microsecond each in V8, which
    // would dominate the cost of a chunk.
    const fields: AIMessageChunkFields = {
      content: this.content,
      // The merge replaces entries instead of mutating them, so a shallow copy is a stable view.
      toolCallChunks: this.toolCallChunks.slice(),
      responseMetadata: Object.assign({}, this.responseMetadata),
    };
    if (this.id !== undefined) fields.id = this.id;
    if (this.reasoning !== undefined) fields.reasoning = this.reasoning;
    if (this.usage !== undefined) fields.usage = this.usage;
    if (this.finishReason !== undefined) fields.finishReason = this.finishReason;
    return new AIMessageChunk(fields);
  }
}
