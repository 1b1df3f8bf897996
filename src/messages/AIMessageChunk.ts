import { argumentsSoFar } from './argumentsSoFar.js';
import { ChunkAccumulator } from './ChunkAccumulator.js';
import { AIMessage } from './messages.js';
import { isPlainObject } from './valueKinds.js';

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
/** The same, judged as a finished message (`toMessage`), where this chunk may still be streaming. */
const judgedToolCalls = new WeakMap<AIMessageChunk, { valid: ToolCall[]; invalid: InvalidToolCall[] }>();

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

  /**
   * A plain `AIMessage` with the same content, for history or results. The message is finished,
   * so its tool calls are judged: an argument text that is not a whole JSON object is an invalid
   * call, whether or not a finish reason came.
   */
  toMessage(): AIMessage {
    const { valid, invalid } = this.parseToolCalls(true);
    return new AIMessage({
      content: this.content,
      ...(this.id !== undefined && { id: this.id }),
      ...(this.reasoning !== undefined && { reasoning: this.reasoning }),
      toolCalls: valid,
      invalidToolCalls: invalid,
      ...(this.usage !== undefined && { usage: this.usage }),
      ...(this.finishReason !== undefined && { finishReason: this.finishReason }),
      responseMetadata: this.responseMetadata,
    });
  }

  /** Plain data, including the parsed tool calls (getters on the prototype, so not own fields). */
  toJSON(): Record<string, unknown> {
    return { ...Object.fromEntries(Object.entries(this)), toolCalls: this.toolCalls, invalidToolCalls: this.invalidToolCalls };
  }

  private parseToolCalls(finished = false): { valid: ToolCall[]; invalid: InvalidToolCall[] } {
    // Without a finish reason the message may still be streaming: an unfinished argument text is
    // no error yet, and the call shows with the arguments read so far.
    const streaming = !finished && this.finishReason === undefined;
    const cache = streaming || this.finishReason !== undefined ? parsedToolCalls : judgedToolCalls;
    const cached = cache.get(this);
    if (cached) return cached;
    const valid: ToolCall[] = [];
    const invalid: InvalidToolCall[] = [];
    for (const call of this.toolCallChunks) {
      const text = call.args ?? '';
      // A call without an id gets one from its index, so that a tool answer can still be paired with it.
      const id = call.id || `call_${call.index}`;
      try {
        const args = (streaming && argumentsSoFar(text)) || wholeArguments(text);
        valid.push({ id, name: call.name ?? '', args });
      } catch (error) {
        invalid.push({
          id,
          ...(call.name !== undefined && { name: call.name }),
          args: text,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const parsed = { valid, invalid };
    cache.set(this, parsed);
    return parsed;
  }
}

/** The arguments of a complete tool-call text (none for an empty one); throws when they are not a JSON object. */
function wholeArguments(text: string): Record<string, unknown> {
  const args: unknown = text.trim() === '' ? {} : JSON.parse(text);
  if (!isPlainObject(args)) throw new Error('arguments are not a JSON object');
  return args;
}

/**
 * All chunks as one, in time linear in their total size (the rules are `ChunkAccumulator`'s).
 *
 * @example
 * ```ts
 * import { concatChunks } from 'rxllm';
 * const message = concatChunks(chunks);
 * ```
 */
export function concatChunks(chunks: readonly AIMessageChunk[]): AIMessageChunk {
  const sum = new ChunkAccumulator();
  for (const chunk of chunks) sum.add(chunk);
  return new AIMessageChunk(sum.fields());
}

/** True for an `AIMessageChunk` (also across package copies). */
export function isAIMessageChunk(value: unknown): value is AIMessageChunk {
  return value instanceof AIMessageChunk
    || (typeof value === 'object' && value !== null && (value as AIMessageChunk).type === 'ai' && Array.isArray((value as AIMessageChunk).toolCallChunks));
}
