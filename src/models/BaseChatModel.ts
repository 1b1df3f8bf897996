import { defer, type Observable } from 'rxjs';
import { estimateTokens } from '../messages/estimateTokens.js';
import { nonNegativeInteger } from '../errors/optionChecks.js';
import { rateLimit } from '../operators/rateLimit.js';
import type { RateLimiter } from '../resilience/RateLimiter.js';
import type { CallbackHandler } from '../callbacks/CallbackHandler.js';
import { concatChunks, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { BaseMessage } from '../messages/messages.js';
import type { RunContext } from '../runnables/RunContext.js';
import { Runnable } from '../runnables/Runnable.js';
import type { ChatModelCallOptions, ToolChoice, ToolDefinition } from './ChatModelCallOptions.js';
import { transformRequests, wrapStreams, type ChatModelMiddleware, type ChatModelRequest } from './ChatModelMiddleware.js';
import { toMessages, type ChatModelInput } from '../messages/toMessages.js';
import { withModelDescription, type ModelDescription } from './ModelDescription.js';
import type { z } from 'zod';
import type { DeepPartial } from '../structured/DeepPartial.js';
import { StructuredOutputRunnable, type StructuredOutputOptions, type StructuredOutputWithRaw } from '../structured/StructuredOutputRunnable.js';

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
  /**
   * Throttles every call of this model (and of its copies): a call waits for the limiter before
   * its request is sent. Share one limiter between models that share a quota.
   */
  rateLimiter?: RateLimiter;
  /**
   * With a `rateLimiter`: the output tokens a request reserves against `tokensPerMinute` before it
   * is admitted (with its input's estimate), corrected from the reported usage when it arrives, so
   * that a burst of requests never passes the limit. Default: the model's `maxTokens` where it has
   * one, else 1024.
   */
  expectedOutputTokens?: number;
}

const DEFAULT_OUTPUT_RESERVATION = 1024;

/**
 * The base of chat models: a runnable from messages to `AIMessageChunk`s. A model implements
 * `_streamChunks`; the base reports `on_chat_model_start|stream|end|error` with
 * `data.input = { messages }` and feeds callbacks (`handleLLMNewToken` per chunk).
 */
export abstract class BaseChatModel extends Runnable<ChatModelInput, AIMessageChunk> {
  readonly runType = 'chat_model' as const;
  /** Options sent with every request of this instance (tools, response format, …). */
  protected callOptions: ChatModelCallOptions = {};
  protected readonly rateLimiter?: RateLimiter;
  private readonly expectedOutputTokens?: number;
  /** The layers of `withMiddleware`, outermost first. */
  private middlewares: readonly ChatModelMiddleware[] = [];
  /** The requests `eventInput` prepared for the call about to start, so each transform runs once. */
  private preparedRequests?: { input: ChatModelInput; requests: ChatModelRequest[] };

  constructor(fields: BaseChatModelFields = {}) {
    super();
    this.localCallbacks = fields.callbacks ?? [];
    if (fields.rateLimiter) this.rateLimiter = fields.rateLimiter;
    if (fields.expectedOutputTokens !== undefined) {
      this.expectedOutputTokens = nonNegativeInteger(this.constructor.name, 'expectedOutputTokens', fields.expectedOutputTokens, 0);
    }
  }

  /** The output tokens a rate-limited request reserves: `expectedOutputTokens`, else the model's own cap. */
  protected outputTokenReservation(): number {
    return this.expectedOutputTokens ?? this.maxOutputTokens() ?? DEFAULT_OUTPUT_RESERVATION;
  }

  /** The most tokens this model generates per request, where it is configured with a cap. */
  protected maxOutputTokens(): number | undefined {
    return undefined;
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
   * A copy of this model whose calls pass through `middlewares`, the first outermost: its
   * `transformRequest` runs first and its `wrapStream` wraps the stream every later layer has
   * wrapped. Middleware added to a model that has some goes outside it. The model's events show
   * the transformed messages and the wrapped chunks.
   *
   * @example
   * ```ts
   * const logged = model.withMiddleware({
   *   transformRequest: (request) => ({ ...request, messages: request.messages.slice(-20) }),
   *   wrapStream: (next) => next().pipe(tap((chunk) => console.log(chunk.content))),
   * });
   * ```
   */
  withMiddleware(...middlewares: ChatModelMiddleware[]): this {
    const copy = this.withCallOptions({});
    copy.middlewares = [...middlewares, ...this.middlewares];
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

  /**
   * This model answering in the shape of a zod schema: streams partial values as the JSON arrives
   * (parsed incrementally, in linear time) and ends with the complete value validated by the
   * schema; a mismatch is an `OutputParserError` naming the failing path.
   *
   * @example
   * ```ts
   * const recipe = model.withStructuredOutput(z.object({ title: z.string(), steps: z.array(z.string()) }));
   * recipe.stream('A pancake recipe').subscribe((partial) => render(partial)); // DeepPartial, then complete
   * const whole = await recipe.invoke('A pancake recipe');                      // validated
   * ```
   */
  withStructuredOutput<T>(schema: z.ZodType<T>, options?: StructuredOutputOptions & { includeRaw?: false }): Runnable<ChatModelInput, DeepPartial<T> | T, T>;
  withStructuredOutput<T>(schema: z.ZodType<T>, options: StructuredOutputOptions & { includeRaw: true }): Runnable<ChatModelInput, StructuredOutputWithRaw<DeepPartial<T> | T>, StructuredOutputWithRaw<T>>;
  withStructuredOutput<T>(schema: z.ZodType<T>, options: StructuredOutputOptions = {}): Runnable<ChatModelInput, unknown, unknown> {
    return new StructuredOutputRunnable(this, schema, options);
  }

  protected override _stream(input: ChatModelInput, run: RunContext): Observable<AIMessageChunk> {
    if (!this.middlewares.length) return this.request({ messages: toMessages(input), options: this.callOptions }, run);
    const prepared = this.preparedRequests;
    this.preparedRequests = undefined;
    const requests = prepared?.input === input ? prepared.requests : this.transformRequests(input);
    return wrapStreams(this.middlewares, requests, (request) => this.request(request, run));
  }

  /** One request to the provider, behind the rate limiter when there is one. */
  private request({ messages, options }: ChatModelRequest, run: RunContext): Observable<AIMessageChunk> {
    if (!this.rateLimiter) return this._streamChunks(messages, options, run);
    // `defer`: nothing is sent before the limiter admits the call.
    return defer(() => this._streamChunks(messages, options, run)).pipe(
      // Input and the answer's reservation are counted before admission, so a burst stays under the limit.
      rateLimit(this.rateLimiter, {
        estimateTokens: () => estimateTokens(messages.map((m) => m.content).join('\n')),
        reserveOutputTokens: this.outputTokenReservation(),
      }),
    );
  }

  /** The concatenation of the chunks: an empty message when the model sent none. */
  protected override aggregateOutput(outputs: AIMessageChunk[]): AIMessageChunk {
    return concatChunks(outputs);
  }

  /** The provider and request settings telemetry reports for this model's runs (none by default). */
  protected describeModel(): ModelDescription {
    return {};
  }

  protected override eventInput(input: ChatModelInput): unknown {
    if (!this.middlewares.length) return withModelDescription({ messages: toMessages(input) }, this.describeModel());
    // The start event shows what the model is sent; `_stream`, called next, reuses these requests.
    const requests = this.transformRequests(input);
    this.preparedRequests = { input, requests };
    return withModelDescription({ messages: requests[requests.length - 1].messages }, this.describeModel());
  }

  private transformRequests(input: ChatModelInput): ChatModelRequest[] {
    return transformRequests(this.middlewares, { messages: toMessages(input), options: this.callOptions });
  }
}
