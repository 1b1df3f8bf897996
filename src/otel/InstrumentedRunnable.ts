import { context as otelContext } from '@opentelemetry/api';
import { defer, finalize, type Observable } from 'rxjs';
import type { EventFilter, StreamEvent } from '../events/StreamEvent.js';
import { extendScope, type ChildRunOptions, type RunScope } from '../runnables/RunContext.js';
import { Runnable, type BatchOptions } from '../runnables/Runnable.js';
import type { RunnableConfig } from '../runnables/RunnableConfig.js';
import { StreamObservable } from '../runnables/StreamObservable.js';
import { OpenTelemetryCallbackHandler } from './OpenTelemetryCallbackHandler.js';
import type { OpenTelemetryOptions } from './OpenTelemetryOptions.js';
import { activeMeter, activeTracer } from './telemetryInternals.js';

/**
 * `instrument`'s runnable: each call of the wrapped runnable runs with a fresh
 * `OpenTelemetryCallbackHandler` among its callbacks, and the spans that call leaves open when it
 * is unsubscribed or aborted are ended. When nothing would record (the API's no-op tracer and
 * meter), the call is the wrapped runnable's own, with no handler: events are then not even built.
 * Root calls go through the wrapped runnable's own `stream`/`invoke`/`streamEvents`/`batch`, so
 * what those do for their runnable (an agent's per-call settings) still happens.
 */
export class InstrumentedRunnable<I, O, W = O> extends Runnable<I, O, W> {
  readonly runType: Runnable['runType'];
  override readonly wholeInput: boolean;

  constructor(readonly bound: Runnable<I, O, W>, private readonly options: OpenTelemetryOptions) {
    super();
    this.runType = bound.runType;
    this.wholeInput = bound.wholeInput;
  }

  override getName(): string {
    return this.bound.getName();
  }

  override stream(input: I, config?: RunnableConfig): StreamObservable<O> {
    return this.observed(config, (callConfig) => this.bound.stream(input, callConfig));
  }

  override streamEvents(input: I, config?: RunnableConfig, filter?: EventFilter): StreamObservable<StreamEvent> {
    return this.observed(config, (callConfig) => this.bound.streamEvents(input, callConfig, filter));
  }

  override invoke(input: I, config?: RunnableConfig): Promise<W> {
    const handler = this.handlerForCall();
    if (!handler) return this.bound.invoke(input, config);
    return this.bound.invoke(input, withHandler(config, handler)).finally(() => handler.endOpenSpans());
  }

  override batch(inputs: readonly I[], config: RunnableConfig = {}, options: BatchOptions = {}): Promise<Array<W | Error>> {
    const handler = this.handlerForCall();
    if (!handler) return this.bound.batch(inputs, config, options);
    return this.bound.batch(inputs, withHandler(config, handler), options).finally(() => handler.endOpenSpans());
  }

  protected override aggregateOutput(outputs: O[]): W {
    return this.bound._aggregate(outputs);
  }

  override _call(input$: Observable<I>, scope: RunScope, options: ChildRunOptions & { knownInput?: { value: I } } = {}): Observable<O> {
    // Inside another run: the handler joins this child's scope only, so it sees this run's subtree.
    return defer(() => {
      const handler = this.handlerForCall();
      if (!handler) return this.bound._call(input$, scope, options);
      return this.bound._call(input$, extendScope(scope, { callbacks: [handler] }), options).pipe(finalize(() => handler.endOpenSpans()));
    });
  }

  /** A root call's stream with a handler of its own, ending its open spans on teardown. */
  private observed<T>(config: RunnableConfig | undefined, call: (config: RunnableConfig | undefined) => Observable<T>): StreamObservable<T> {
    return new StreamObservable<T>((subscriber) => {
      const handler = this.handlerForCall();
      // Subscribing the subscriber itself: no extra hop per chunk on either path.
      if (!handler) return call(config).subscribe(subscriber);
      const subscription = call(withHandler(config, handler)).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        handler.endOpenSpans();
      };
    });
  }

  /** A handler for one call, or none when neither spans nor metrics would be recorded. */
  private handlerForCall(): OpenTelemetryCallbackHandler | undefined {
    const tracer = activeTracer(this.options.tracer);
    const meter = activeMeter(this.options.meter);
    if (!tracer && !meter) return undefined;
    return new OpenTelemetryCallbackHandler({
      ...(tracer && { tracer }),
      ...(meter && { meter }),
      ...(this.options.now && { now: this.options.now }),
      context: otelContext.active(),
    });
  }
}

function withHandler(config: RunnableConfig | undefined, handler: OpenTelemetryCallbackHandler): RunnableConfig {
  return { ...config, callbacks: [...(config?.callbacks ?? []), handler] };
}
