import type { Context, Meter, Tracer } from '@opentelemetry/api';

/** Where runs are reported: options of `instrument` and of `OpenTelemetryCallbackHandler`. */
export interface OpenTelemetryOptions {
  /** Default: the globally registered provider's tracer named `rxllm` (looked up per call). */
  tracer?: Tracer;
  /** Default: the globally registered provider's meter named `rxllm` (looked up per call). */
  meter?: Meter;
  /**
   * The clock spans and metrics are timed with, in milliseconds. Default: the epoch time with
   * `performance.now()`'s precision. Give a scheduler's `now` to time runs in virtual time.
   */
  now?: () => number;
}

/** Options of `OpenTelemetryCallbackHandler`. */
export interface OpenTelemetryCallbackHandlerOptions extends OpenTelemetryOptions {
  /**
   * The context a root run's span starts in (its parent span). Default: the active context when
   * the run starts.
   */
  context?: Context;
}
