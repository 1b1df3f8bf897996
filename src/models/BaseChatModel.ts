import type { Observable } from 'rxjs';
import type { CallbackHandler } from '../callbacks/CallbackHandler.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { BaseMessage } from '../messages/messages.js';
import type { RunContext } from '../runnables/RunContext.js';
import { Runnable } from '../runnables/Runnable.js';
import type { ChatModelCallOptions, ToolChoice, ToolDefinition } from './ChatModelCallOptions.js';
import { toMessages, type ChatModelInput } from './ChatModelInput.js';

/** Anything that describes itself as a tool: a `tool(...)`, or a plain definition. */
export type BindableTool = ToolDefinition | { toDefinition(): ToolDefinition };

/** Options of `bindTools`. */
export interface BindToolsOptions {
  /** Which tool the model must call: `'auto'` (default), `'none'`, `'required'` or `{ name }`. */
  toolChoice?: ToolChoice;
  /** Whether the model may call several tools in one turn (where the provider supports it). */
  parallelToolCalls?: boolean;
}

/** Constructor fields every chat model takes. */
export interface BaseChatModelFields {
  /** Handlers for this model's runs only. */
  callbacks?: CallbackHandler[];
}

/**
 * The base of chat models: a runnable from messages to `AIMessageChunk`s. A model implements
 * `_streamChunks`; the base reports `on_chat_model_start|stream|end|error` with
 * `data.input = { messages }` and feeds callbacks (`handleLLMNewToken` per chunk).
 */
export abstract class BaseChatModel extends Runnable<ChatModelInput, AIMessageChunk> {
  readonly runType = 'chat_model' as const;
  /** Options sent with every request of this instance (tools, response format, …). */
  protected callOptions: ChatModelCallOptions = {};

  constructor(fields: BaseChatModelFields = {}) {
    super();
    this.localCallbacks = fields.callbacks ?? [];
  }

  /**
   * The chunks of one model call. Unsubscribing must cancel the request. `run.streaming` is false
   * under `invoke`/`batch`, where a model may answer with one whole chunk instead.
   */
  protected abstract _streamChunks(messages: BaseMessage[], options: ChatModelCallOptions, run: RunContext): Observable<AIMessageChunk>;

  /** A copy of this model that sends `options` with every request. */
  withCallOptions(options: ChatModelCallOptions): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this);
    copy.callOptions = { ...this.callOptions, ...options };
    return copy;
  }

  /**
   * A copy of this model that offers `tools` to the model on every request.
   *
   * @example
   * ```ts
   * model.bindTools([weather], { toolChoice: 'auto' }).stream('Weather in Paris?').pipe(partialToolCalls());
   * ```
   */
  bindTools(tools: readonly BindableTool[], options: BindToolsOptions = {}): this {
    return this.withCallOptions({
      tools: tools.map((t) => ('toDefinition' in t ? t.toDefinition() : t)),
      ...(options.toolChoice !== undefined && { toolChoice: options.toolChoice }),
      ...(options.parallelToolCalls !== undefined && { parallelToolCalls: options.parallelToolCalls }),
    });
  }

  protected override _stream(input: ChatModelInput, run: RunContext): Observable<AIMessageChunk> {
    return this._streamChunks(toMessages(input), this.callOptions, run);
  }

  protected override eventInput(input: ChatModelInput): unknown {
    return { messages: toMessages(input) };
  }
}
