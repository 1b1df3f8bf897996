import { AIMessage } from './messages.js';
import { mergeToolCallChunksInto } from './toolCallChunkMerge.js';
import { mergeUsage } from './usageMerge.js';
import { mergeResponseMetadataInto } from './responseMetadataMerge.js';

/** A fragment of a tool call as it streams: `args` is a fragment of the JSON argument text. */
export interface ToolCallChunk {
  index: number;
  id?: string;
  name?: string;
  args?: string;
}

/** A complete tool call with parsed arguments. */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** A tool call whose arguments are not a JSON object: the raw text and why it failed. */
export interface InvalidToolCall {
  id?: string;
  name?: string;
  args: string;
  error: string;
}

/** Token counts. Cumulative: a later report replaces an earlier one. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  reasoningTokens?: number;
  cachedInputTokens?: number;
}

/** What a chunk is built from; every field is optional. */
export interface AIMessageChunkFields {
  id?: string;
  content?: string;
  reasoning?: string;
  toolCallChunks?: ToolCallChunk[];
  usage?: Usage;
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter' | (string & {});
  responseMetadata?: Record<string, unknown>;
}

/**
 * Parsed tool calls per chunk, filled on first read. Kept outside the instances so that the cache
 * never shows in equality checks, spreads or serialisation.
 */
const parsedToolCalls = new WeakMap<AIMessageChunk, { valid: ToolCall[]; invalid: InvalidToolCall[] }>();

/**
 * One streamed piece of an assistant message. Chunks add up with `concat` (or `concatChunks` for
 * many at once): text and reasoning append, tool-call chunks merge by index and id, usage keeps
 * the latest cumulative report. `toolCalls` and `invalidToolCalls` are parsed from the merged
 * tool-call chunks on first read and cached, so concatenating never re-parses arguments.
 *
 * @example
 * ```ts
 * import { AIMessageChunk } from 'rxllm';
 * const whole = new AIMessageChunk({ content: 'Hel' }).concat(new AIMessageChunk({ content: 'lo' }));
 * whole.content; // 'Hello'
 * ```
 */
export class AIMessageChunk {
  readonly type = 'ai' as const;
  id?: string;
  content: string;
  reasoning?: string;
  toolCallChunks: ToolCallChunk[];
  usage?: Usage;
  finishReason?: AIMessageChunkFields['finishReason'];
  responseMetadata: Record<string, unknown>;

  constructor(fields: string | AIMessageChunkFields = {}) {
    const f: AIMessageChunkFields = typeof fields === 'string' ? { content: fields } : fields;
    if (f.id !== undefined) this.id = f.id;
    this.content = f.content ?? '';
    if (f.reasoning !== undefined) this.reasoning = f.reasoning;
    this.toolCallChunks = f.toolCallChunks ?? [];
    if (f.usage !== undefined) this.usage = f.usage;
    if (f.finishReason !== undefined) this.finishReason = f.finishReason;
    this.responseMetadata = f.responseMetadata ?? {};
  }

  /** Tool calls with parsed arguments (from the merged tool-call chunks). */
  get toolCalls(): ToolCall[] {
    return this.parseToolCalls().valid;
  }

  /** Tool calls whose argument text is not a JSON object, with the parse error. */
  get invalidToolCalls(): InvalidToolCall[] {
    return this.parseToolCalls().invalid;
  }

  /** This chunk followed by `other`, as one chunk. Neither operand is changed. */
  concat(other: AIMessageChunk): AIMessageChunk {
    return concatChunks([this, other]);
  }

  /** A plain `AIMessage` with the same content, for history or results. */
  toMessage(): AIMessage {
    return new AIMessage({
      content: this.content,
      ...(this.id !== undefined && { id: this.id }),
      ...(this.reasoning !== undefined && { reasoning: this.reasoning }),
      toolCalls: this.toolCalls,
      invalidToolCalls: this.invalidToolCalls,
      ...(this.usage !== undefined && { usage: this.usage }),
      ...(this.finishReason !== undefined && { finishReason: this.finishReason }),
      responseMetadata: this.responseMetadata,
    });
  }

  /** Plain data, including the parsed tool calls (getters on the prototype, so not own fields). */
  toJSON(): Record<string, unknown> {
    return { ...Object.fromEntries(Object.entries(this)), toolCalls: this.toolCalls, invalidToolCalls: this.invalidToolCalls };
  }

  private parseToolCalls(): { valid: ToolCall[]; invalid: InvalidToolCall[] } {
    const cached = parsedToolCalls.get(this);
    if (cached) return cached;
    const valid: ToolCall[] = [];
    const invalid: InvalidToolCall[] = [];
    for (const call of this.toolCallChunks) {
      const text = call.args ?? '';
      try {
        const args: unknown = text.trim() === '' ? {} : JSON.parse(text);
        if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error('arguments are not a JSON object');
        valid.push({ id: call.id || `call_${call.index}`, name: call.name ?? '', args: args as Record<string, unknown> });
      } catch (error) {
        invalid.push({
          // The same fallback id as a valid call, so that a tool answer can still be paired with it.
          id: call.id || `call_${call.index}`,
          ...(call.name !== undefined && { name: call.name }),
          args: text,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const parsed = { valid, invalid };
    parsedToolCalls.set(this, parsed);
    return parsed;
  }
}

/**
 * All chunks as one, in time linear in their total size.
 *
 * @example
 * ```ts
 * import { concatChunks } from 'rxllm';
 * const message = concatChunks(chunks);
 * ```
 */
export function concatChunks(chunks: readonly AIMessageChunk[]): AIMessageChunk {
  // `+=` builds a rope that V8 flattens once when it is read, so `a.concat(b)` repeated over a
  // long answer stays linear too (a join would copy the whole text on every call).
  let content = '';
  let reasoning = '';
  const toolCallChunks: ToolCallChunk[] = [];
  const responseMetadata: Record<string, unknown> = {};
  let id: string | undefined;
  let usage: Usage | undefined;
  let finishReason: AIMessageChunkFields['finishReason'];
  let hasReasoning = false;
  for (const chunk of chunks) {
    if (id === undefined && chunk.id) id = chunk.id;
    if (chunk.content) content += chunk.content;
    if (chunk.reasoning !== undefined) {
      hasReasoning = true;
      reasoning += chunk.reasoning;
    }
    if (chunk.toolCallChunks.length) mergeToolCallChunksInto(toolCallChunks, chunk.toolCallChunks);
    if (chunk.usage !== undefined) usage = mergeUsage(usage, chunk.usage);
    if (chunk.finishReason !== undefined) finishReason = chunk.finishReason;
    if (hasOwnKeys(chunk.responseMetadata)) mergeResponseMetadataInto(responseMetadata, chunk.responseMetadata);
  }
  return new AIMessageChunk({
    ...(id !== undefined && { id }),
    content,
    ...(hasReasoning && { reasoning }),
    toolCallChunks,
    ...(usage !== undefined && { usage }),
    ...(finishReason !== undefined && { finishReason }),
    responseMetadata,
  });
}

/** Whether an object has any key, without allocating a key list (this runs once per chunk). */
function hasOwnKeys(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key)) return true;
  return false;
}

/** True for an `AIMessageChunk` (also across package copies). */
export function isAIMessageChunk(value: unknown): value is AIMessageChunk {
  return value instanceof AIMessageChunk
    || (typeof value === 'object' && value !== null && (value as AIMessageChunk).type === 'ai' && Array.isArray((value as AIMessageChunk).toolCallChunks));
}
