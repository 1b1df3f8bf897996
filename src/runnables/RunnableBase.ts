import { defer, ignoreElements, mergeMap, of, toArray, type Observable, type OperatorFunction } from 'rxjs';
import type { CallbackHandler } from '../callbacks/CallbackHandler.js';
import { AbortError } from '../errors/errors.js';
import type { EventFilter, RunType, StreamEvent } from '../events/StreamEvent.js';
import { eventFilter } from '../events/eventFilter.js';
import { aggregateValues } from './aggregateValues.js';
import { RunContext, scopeFromConfig, type ChildRunOptions, type RunScope } from './RunContext.js';
import type { RunnableConfig } from './RunnableConfig.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { runBatch } from './runBatch.js';
import { transformRun, wholeInputRun, type RunReporter } from './runEvents.js';
import { StreamObservable } from './StreamObservable.js';
import { RunnableBinding, RunnableRetry, RunnableSequence, RunnableWithFallbacks, type RunnableRetryOptions, type RunnableWithFallbacksOptions } from './Runnable.js';

/** A record of runnables (or functions of the input) that run side by side: `parallel`'s argument. */
export type RunnableMap<I = any> = { [key: string]: Runnable<I, any> | ((input: I, config: RunnableConfig) => unknown) };

/** What `pipe` and `sequence` accept as a step. */
export type RunnableLike<I = any, O = any> = Runnable<I, O> | OperatorFunction<I, O> | RunnableMap<I>;

/** Extra options of `batch`. */
export interface BatchOptions {
  /** Resolve with the error in place of a failed input's output, instead of rejecting. */
  returnExceptions?: boolean;
}

/** Options of `withRetry` (see `retryStream`). */
export type WithRetryOptions<I = any, O = any> = RunnableRetryOptions<I, O>;

/** Options of `withFallbacks` (see `fallbackStream`). */
export type WithFallbacksOptions = RunnableWithFallbacksOptions;

/** Fields settable on a runnable through `withConfig`. */
export type RunnableBindingConfig = Pick<RunnableConfig, 'tags' | 'metadata' | 'runName' | 'callbacks'>;

/**
 * The unit of composition: something that turns an input into a stream of output chunks.
 *
 * Every runnable streams. `stream` gives the output chunks, `invoke` their concatenation,
 * `streamEvents` the start/stream/end events of this run and of every run inside it, in causal
 * order. The streaming path is pure Observable, so a chain over a model on a `TestScheduler` emits
 * in virtual time.
 *
 * A runnable either needs its whole input before it starts (a model, a prompt, a lambda) or
 * transforms its input chunk by chunk (parsers, operator steps, `passthrough`): see `wholeInput`.
 *
 * @example
 * ```ts
 * import { ChatPromptTemplate, StringOutputParser } from 'rxllm';
 * const chain = ChatPromptTemplate.fromMessages([['human', '{input}']]).pipe(model).pipe(new StringOutputParser());
 * chain.stream({ input: 'Hi' }).subscribe((text) => process.stdout.write(text));
 * const whole = await chain.invoke({ input: 'Hi' });
 * ```
 */
export abstract class Runnable<I = any, O = any, W = O> {
  /** The type its events report (`on_<runType>_start`, …). */
  abstract readonly runType: RunType;
  /** True when the runnable needs its whole input before it starts; false when it transforms chunks. */
  readonly wholeInput: boolean = true;
  /** False for runnables that report only start and end (prompts). */
  protected readonly emitsStreamEvents: boolean = true;
  /** Handlers for this runnable's own runs (not inherited by its children). */
  protected localCallbacks: readonly CallbackHandler[] = [];
  /** The name its runs report; defaults to the class name. */
  protected runName?: string;

  getName(): string {
    return this.runName ?? this.constructor.name;
  }

  /** The output chunks for one input, as a cold `StreamObservable`. */
  stream(input: I, config?: RunnableConfig): StreamObservable<O> {
    return this.runRoot(input, config, undefined, true);
  }

  /**
   * The whole output: the concatenation of every chunk `stream` would emit (strings joined,
   * message chunks concatenated, keyed objects merged).
   */
  invoke(input: I, config?: RunnableConfig): Promise<W> {
    return new Promise<W>((resolve, reject) => {
      const outputs: O[] = [];
      this.runRoot(input, config, undefined, false).subscribe({
        next: (value) => outputs.push(value),
        error: reject,
        complete: () => resolve(this.aggregateOutput(outputs)),
      });
    });
  }

  /**
   * The events of this run and of all its children: `on_<type>_start|stream|end|error` and
   * `on_custom_event`, filtered by `filter`. After an error event the Observable errors.
   */
  streamEvents(input: I, config?: RunnableConfig, filter?: EventFilter): StreamObservable<StreamEvent> {
    const keep = eventFilter(filter);
    return new StreamObservable<StreamEvent>((subscriber) => {
      const sink = (event: StreamEvent) => {
        if (keep(event)) subscriber.next(event);
      };
      // Subscribing the downstream subscriber itself keeps unsubscription chained to the run.
      return this.runRoot(input, config, sink, true).pipe(ignoreElements()).subscribe(subscriber);
    });
  }

  /** Runs every input (at most `config.maxConcurrency` at once) and resolves with the outputs in order. */
  batch(inputs: readonly I[], config: RunnableConfig = {}, options: BatchOptions = {}): Promise<Array<W | Error>> {
    const { maxConcurrency, ...callConfig } = config;
    return runBatch(inputs.length, maxConcurrency, (index) => this.runRoot(inputs[index], callConfig, undefined, false), (outputs) => this.aggregateOutput(outputs), options.returnExceptions ?? false);
  }

  /** This runnable followed by `next` (a runnable, an RxJS operator, or a map of runnables run in parallel). */
  pipe<N, NW = N>(next: Runnable<O, N, NW>): Runnable<I, N, NW>;
  pipe<N>(next: OperatorFunction<O, N>): Runnable<I, N>;
  pipe<M extends RunnableMap<O>>(next: M): Runnable<I, { [K in keyof M]: M[K] extends Runnable<any, infer R> ? R : unknown }>;
  pipe(next: RunnableLike<O>): Runnable<I, any> {
    return RunnableSequence.piped(this, next);
  }

  /** The same runnable with tags, metadata, callbacks (inherited by its children) or a run name. */
  withConfig(config: RunnableBindingConfig): Runnable<I, O, W> {
    return new RunnableBinding(this, config);
  }

  /**
   * This runnable, retried on failure — in `stream` and `streamEvents` too, also after the first
   * chunk when `afterFirstChunk` allows it. Options as `retryStream`.
   */
  withRetry(options: WithRetryOptions<I, O> & { afterFirstChunk: 'restart' }): Runnable<I, O | StreamReset, W>;
  withRetry(options?: WithRetryOptions<I, O>): Runnable<I, O, W>;
  withRetry(options: WithRetryOptions<I, O> = {}): Runnable<I, O | StreamReset, W> {
    return new RunnableRetry(this, options);
  }

  /**
   * This runnable, replaced by each of `fallbacks` in turn when it fails — in `stream` and
   * `streamEvents` too. The fallback's events carry the error that caused it.
   */
  withFallbacks(fallbacks: Runnable<I, O, W>[], options: WithFallbacksOptions & { afterFirstChunk: 'switch' }): Runnable<I, O | StreamReset, W>;
  withFallbacks(fallbacks: Runnable<I, O, W>[], options?: WithFallbacksOptions): Runnable<I, O, W>;
  withFallbacks(fallbacks: Runnable<I, O, W>[], options: WithFallbacksOptions = {}): Runnable<I, O | StreamReset, W> {
    return new RunnableWithFallbacks(this, fallbacks, options);
  }

  /**
   * Runs this runnable as a child of `scope`: creates the run, reports its events and returns
   * the output stream. `input$` carries the input (one value, or the chunks of the previous step).
   * @internal
   */
  _call(input$: Observable<I>, scope: RunScope, options: ChildRunOptions & { knownInput?: { value: I } } = {}): Observable<O> {
    // Built with operators only, so an unsubscribe reaches a synchronous source at once.
    return defer(() => {
      const run = new RunContext(this.runType, this.getName(), scope, {
        ...options,
        ...(this.localCallbacks.length && { localCallbacks: [...(options.localCallbacks ?? []), ...this.localCallbacks] }),
      });
      const reporter: RunReporter<I, O> = {
        emitsStreamEvents: this.emitsStreamEvents,
        eventInput: (input) => this.eventInput(input),
        aggregateOutput: (outputs) => this.aggregateOutput(outputs),
      };
      return this.wholeInput
        ? wholeInputRun(input$, run, (input) => this._stream(input, run), reporter)
        : transformRun(input$, run, (chunks$) => this._transform(chunks$, run), options.knownInput, reporter);
    });
  }

  /** For runnables with `wholeInput`: the output for one complete input. */
  protected _stream(_input: I, _run: RunContext): Observable<O> {
    throw new TypeError(`${this.getName()} must implement _stream or _transform`);
  }

  /** For transforming runnables: the output stream for a stream of input chunks. */
  protected _transform(input$: Observable<I>, run: RunContext): Observable<O> {
    return input$.pipe(toArray(), mergeMap((inputs) => this._stream(run.aggregateInput(inputs) as I, run)));
  }

  /** The whole output from its chunks: what `invoke` resolves with and end events report. */
  protected aggregateOutput(outputs: O[]): W {
    return aggregateValues(outputs) as W;
  }

  /** `aggregateOutput` for wrappers (bindings, retries, fallbacks) that stand in for this runnable. @internal */
  _aggregate(outputs: O[]): W {
    return this.aggregateOutput(outputs);
  }

  /** What `on_<type>_start` reports as `data.input`. */
  protected eventInput(input: I): unknown {
    return input;
  }

  /** One root call: a fresh run tree, with `config.signal` wired to cancel it. */
  private runRoot(input: I, config: RunnableConfig | undefined, sink: ((event: StreamEvent) => void) | undefined, streaming: boolean): StreamObservable<O> {
    return new StreamObservable<O>((subscriber) => {
      const scope = scopeFromConfig(config, { streaming, ...(sink && { sink }) });
      const signal = scope.tracer.signal;
      if (signal?.aborted) {
        subscriber.error(new AbortError());
        return undefined;
      }
      // Erroring the subscriber also tears down the run: it was subscribed with this subscriber.
      const onAbort = () => subscriber.error(new AbortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const subscription = this._call(of(input), scope, {
        knownInput: { value: input },
        ...(config?.runName && { runName: config.runName }),
        ...(config?.runId && { runId: config.runId }),
      }).subscribe(subscriber);
      return () => {
        signal?.removeEventListener('abort', onAbort);
        subscription.unsubscribe();
      };
    });
  }
}
