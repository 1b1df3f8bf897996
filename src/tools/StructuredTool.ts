import { EMPTY, Observable, concat, defer, isObservable, of, tap, type Subscription } from 'rxjs';
import type { ToolMessage } from '../messages/messages.js';
import { toolResultMessage } from './toolResultMessage.js';
import type { z } from 'zod';
import { ToolInputError } from '../errors/errors.js';
import type { ToolDefinition } from '../models/ChatModelCallOptions.js';
import type { RunContext } from '../runnables/RunContext.js';
import { Runnable } from '../runnables/Runnable.js';
import type { RunnableConfig } from '../runnables/RunnableConfig.js';
import { isPromiseLike } from '../messages/valueKinds.js';
import { checkSchema, jsonSchemaOf } from '../structured/jsonSchemaOf.js';
import { durationMs, positiveCount } from '../errors/optionChecks.js';
import { RateLimiter, type RateLimiterOptions } from '../resilience/RateLimiter.js';
import type { NeedsApproval } from './ToolApproval.js';

/** What a tool function receives besides its arguments. */
export interface ToolRuntime {
  /** Aborted when the run is cancelled (unsubscribed, or the config signal aborts). */
  signal: AbortSignal;
  /** Calls made with it become children of the tool's run (and may dispatch custom events). */
  config: RunnableConfig;
}

/** What a tool function may return: a value, a Promise, or an Observable of progress whose last value is the result. */
export type ToolResult<T> = T | PromiseLike<T> | Observable<T>;

/** The name, description and zod schema of a tool's arguments. */
export interface ToolFields<S extends z.ZodType> {
  name: string;
  description: string;
  schema: S;
  /** Ask providers that support it to follow the schema exactly. */
  strict?: boolean;
  /**
   * Whether a call waits for approval before it runs (in `executeTools` and `agent`): `true`, or
   * a function of the call. A denied call is answered with an error `ToolMessage` with the reason.
   */
  needsApproval?: NeedsApproval;
  /**
   * Throttles the tool's calls: a `RateLimiter` shared with other tools, or the options of one of
   * its own (`requestsPerMinute`, `maxConcurrent`, …). A call over the limit waits its turn.
   */
  rateLimit?: RateLimiter | RateLimiterOptions;
  /** The most calls of this tool in one run (one `executeTools` message, one agent run); further calls get an error `ToolMessage`. */
  maxCalls?: number;
  /** How long one call may take before it is cancelled and answered with an error `ToolMessage`. */
  timeoutMs?: number;
}

/** A tool call as input (LangChain's `ToolCall`): the call's `args` are used, and the answer is a `ToolMessage` paired with it. */
export interface ToolCallInput {
  id: string;
  name: string;
  args: unknown;
  type?: 'tool_call';
}

/**
 * A function a model can call, with its arguments described by a zod schema (sent to the model as
 * JSON Schema) and validated before the function runs. A runnable of type `tool`: its runs report
 * `on_tool_start` (the arguments), `on_tool_stream` (each progress value of an Observable tool)
 * and `on_tool_end` (the result).
 *
 * `stream` emits the progress values and the result last; `invoke` resolves with the result.
 * Given a tool call (`{ id, name, args }`, as a model's `toolCalls` hold them) instead of its
 * arguments, the run ends with a `ToolMessage` paired with that call, as LangChain's tools do:
 * `invoke(call)` resolves with it, `stream(call)` emits it after the result, and `on_tool_end`
 * reports it.
 * Invalid arguments are a `ToolInputError` naming each failing field. A schema without the
 * methods of zod 4.2 and later (`.safeParse()`, `.toJSONSchema()`) is an `InvalidOptionError` when
 * the tool is built.
 */
export class StructuredTool<S extends z.ZodType = z.ZodType, T = unknown> extends Runnable<z.input<S> | ToolCallInput, T> {
  readonly runType = 'tool' as const;
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  readonly strict?: boolean;
  readonly needsApproval?: NeedsApproval;
  /** The limiter its calls wait for, if any. */
  readonly rateLimiter?: RateLimiter;
  readonly maxCalls: number;
  readonly timeoutMs?: number;

  constructor(private readonly fn: (args: z.output<S>, runtime: ToolRuntime) => ToolResult<T>, fields: ToolFields<S>) {
    super();
    this.name = fields.name;
    this.description = fields.description;
    checkSchema(fields.schema, `tool "${fields.name}"`);
    this.schema = fields.schema;
    if (fields.strict !== undefined) this.strict = fields.strict;
    if (fields.needsApproval !== undefined) this.needsApproval = fields.needsApproval;
    if (fields.rateLimit) this.rateLimiter = fields.rateLimit instanceof RateLimiter ? fields.rateLimit : new RateLimiter(fields.rateLimit);
    this.maxCalls = positiveCount(`tool "${fields.name}"`, 'maxCalls', fields.maxCalls, Infinity);
    if (fields.timeoutMs !== undefined) this.timeoutMs = durationMs(`tool "${fields.name}"`, 'timeoutMs', fields.timeoutMs, Infinity, { zero: false, infinity: true });
    this.runName = fields.name;
  }

  /** The `ToolMessage` answering `call`; the raw result when given the arguments themselves. */
  override invoke(input: ToolCallInput, config?: RunnableConfig): Promise<ToolMessage>;
  override invoke(input: z.input<S>, config?: RunnableConfig): Promise<T>;
  override invoke(input: z.input<S> | ToolCallInput, config?: RunnableConfig): Promise<T | ToolMessage> {
    return super.invoke(input, config);
  }

  /** How the tool is described to a model. */
  toDefinition(): ToolDefinition {
    const parameters = jsonSchemaOf(this.schema, `tool "${this.name}"`);
    return { name: this.name, description: this.description, parameters, ...(this.strict !== undefined && { strict: this.strict }) };
  }

  /** The validated arguments, or a `ToolInputError` saying which fields are wrong. */
  parseArgs(args: unknown): z.output<S> {
    const result = this.schema.safeParse(args);
    if (result.success) return result.data;
    const issues = result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    throw new ToolInputError(this.name, issues);
  }

  protected override eventInput(input: z.input<S> | ToolCallInput): unknown {
    return argsOf(input);
  }

  protected override aggregateOutput(outputs: T[]): T {
    return outputs[outputs.length - 1];
  }

  protected override _stream(input: z.input<S> | ToolCallInput, run: RunContext): Observable<T> {
    const call = toolCallOf(input);
    const result$ = this.result$(argsOf(input), run);
    if (!call) return result$;
    // A tool call is answered with a ToolMessage paired with it, after the result itself.
    let last: { value: T } | undefined;
    return concat(
      result$.pipe(tap((value) => (last = { value }))),
      defer(() => (last ? of(toolResultMessage(last.value, call) as unknown as T) : EMPTY)),
    );
  }

  private result$(args: unknown, run: RunContext): Observable<T> {
    return new Observable<T>((subscriber) => {
      const controller = new AbortController();
      const onParentAbort = () => controller.abort(run.signal?.reason);
      run.signal?.addEventListener('abort', onParentAbort, { once: true });
      let inner: Subscription | undefined;
      try {
        const parsed = this.parseArgs(args);
        const result = run.runWith(() => this.fn(parsed, { signal: controller.signal, config: { ...run.toConfig(), signal: controller.signal } }));
        if (isObservable(result)) {
          inner = result.subscribe(subscriber);
        } else if (isPromiseLike(result)) {
          result.then((value) => {
            subscriber.next(value);
            subscriber.complete();
          }, (error: unknown) => subscriber.error(error));
        } else {
          subscriber.next(result);
          subscriber.complete();
        }
      } catch (error) {
        subscriber.error(error);
      }
      return () => {
        run.signal?.removeEventListener('abort', onParentAbort);
        inner?.unsubscribe();
        // Cancels work still running (a fetch inside the tool) when the run is torn down early.
        controller.abort();
      };
    });
  }
}

/**
 * A tool from a function and a zod schema.
 *
 * @example
 * ```ts
 * import { tool } from 'rxllm';
 * import { z } from 'zod';
 * const weather = tool(async ({ city }, { signal }) => fetchWeather(city, { signal }), {
 *   name: 'get_weather', description: 'Current weather for a city', schema: z.object({ city: z.string() }),
 * });
 * ```
 */
export function tool<S extends z.ZodType, T>(fn: (args: z.output<S>, runtime: ToolRuntime) => ToolResult<T>, fields: ToolFields<S>): StructuredTool<S, T> {
  return new StructuredTool(fn, fields);
}

function toolCallOf(input: unknown): ToolCallInput | undefined {
  const call = input as ToolCallInput | null;
  return call && typeof call === 'object' && typeof call.name === 'string' && typeof call.id === 'string' && 'args' in call ? call : undefined;
}

function argsOf(input: unknown): unknown {
  const call = toolCallOf(input);
  return call ? call.args : input;
}
