import type { AIMessageChunk, AIMessageChunkFields, ToolCallChunk, Usage } from './AIMessageChunk.js';
import { mergeResponseMetadataInto } from './responseMetadataMerge.js';
import { mergeToolCallChunksInto } from './toolCallChunkMerge.js';
import { mergeUsage } from './usageMerge.js';
import { isPlainObject } from './valueKinds.js';

/**
 * The running sum of message chunks: the one place the concatenation rules are applied, behind
 * `concatChunks`, `AIMessageChunk.concat` and the `accumulate` operator. Text and reasoning
 * append, tool-call chunks merge by index and id (`toolCallChunkMerge`), usage keeps the largest
 * cumulative counts (`usageMerge`), the first id and the last finish reason win, metadata merges
 * key by key (`responseMetadataMerge`).
 *
 * `add` costs the size of the chunk it is given (text is appended, tool-call fragments are merged
 * in place); `fields` costs the number of tool calls and metadata keys, never the length of the
 * text, because strings are immutable and shared by every view. So summing n chunks, or taking a
 * view after each of them, stays linear in the text.
 *
 * It builds the fields of a chunk rather than the chunk itself so that `AIMessageChunk` can use
 * it without the two modules loading each other: `new AIMessageChunk(sum.fields())`.
 */
export class ChunkAccumulator {
  private id: string | undefined;
  // `+=` builds a rope that V8 flattens once when it is read: appending stays O(chunk) however
  // long the text grows (a join per view would copy the whole text each time).
  private content = '';
  private reasoning: string | undefined;
  private readonly toolCallChunks: ToolCallChunk[] = [];
  private usage: Usage | undefined;
  private finishReason: AIMessageChunkFields['finishReason'];
  private readonly responseMetadata: Record<string, unknown> = {};

  /** Adds `chunk` after everything added so far. The chunk is not changed. */
  add(chunk: AIMessageChunk): this {
    if (this.id === undefined && chunk.id) this.id = chunk.id;
    if (chunk.content) this.content += chunk.content;
    if (chunk.reasoning !== undefined) this.reasoning = (this.reasoning ?? '') + chunk.reasoning;
    if (chunk.toolCallChunks.length) mergeToolCallChunksInto(this.toolCallChunks, chunk.toolCallChunks);
    if (chunk.usage !== undefined) this.usage = mergeUsage(this.usage, chunk.usage);
    if (chunk.finishReason !== undefined) this.finishReason = chunk.finishReason;
    if (hasOwnKeys(chunk.responseMetadata)) mergeResponseMetadataInto(this.responseMetadata, chunk.responseMetadata);
    return this;
  }

  /** Everything added so far, as the fields of a new chunk that later `add` calls do not change. */
  fields(): AIMessageChunkFields {
    // Plain assignments: conditional object spreads cost about a microsecond each in V8, which
    // would dominate the cost of a chunk when a view is taken after every one.
    const responseMetadata: Record<string, unknown> = Object.assign({}, this.responseMetadata);
    if (isPlainObject(responseMetadata.logprobs)) responseMetadata.logprobs = logprobsView(responseMetadata.logprobs);
    const fields: AIMessageChunkFields = {
      content: this.content,
      // The merge replaces entries instead of mutating them, so a shallow copy is a stable view.
      toolCallChunks: this.toolCallChunks.slice(),
      responseMetadata,
    };
    if (this.id !== undefined) fields.id = this.id;
    if (this.reasoning !== undefined) fields.reasoning = this.reasoning;
    if (this.usage !== undefined) fields.usage = this.usage;
    if (this.finishReason !== undefined) fields.finishReason = this.finishReason;
    return fields;
  }
}

/**
 * The log-probabilities as they stand now: the accumulator keeps appending to its arrays, so a
 * view holds their lengths and cuts its own copy when a key is first read. Taking a view stays
 * O(keys); only reading it costs the arrays' length, so a view after every chunk is still linear
 * when nobody reads the log-probabilities, and an earlier view never grows.
 */
function logprobsView(owned: Record<string, unknown>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(owned)) {
    const value = owned[key];
    if (!Array.isArray(value)) {
      view[key] = value;
      continue;
    }
    const length = value.length;
    Object.defineProperty(view, key, {
      enumerable: true,
      configurable: true,
      get() {
        const copy = value.slice(0, length);
        Object.defineProperty(view, key, { value: copy, enumerable: true, configurable: true, writable: true });
        return copy;
      },
    });
  }
  return view;
}

/** Whether an object has any key, without allocating a key list (this runs once per chunk). */
function hasOwnKeys(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key)) return true;
  return false;
}
