import { ProxyTracer, ProxyTracerProvider, createNoopMeter, metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { SCOPE_NAME } from './genAiNames.js';
import type { OpenTelemetryOptions } from './OpenTelemetryOptions.js';

// The API's no-op provider and tracer class, reached through public API: a proxy provider without
// a delegate hands out the no-op provider, whose tracers are the no-op class.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NoopTracer: unknown = NOOP_TRACER_PROVIDER.getTracer(SCOPE_NAME).constructor;

/** True when a tracer provider is registered globally (`trace.setGlobalTracerProvider`, an SDK's `register()`). */
function globalTracingOn(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_TRACER_PROVIDER;
}

/**
 * The tracer a call uses, or undefined when its spans would be the API's no-op ones: no tracer
 * given and none registered, or a proxy tracer whose provider has no delegate yet. Asked per call,
 * so an SDK registered after `instrument()` is used from the next call on.
 */
export function activeTracer(given: Tracer | undefined): Tracer | undefined {
  if (!given) return globalTracingOn() ? trace.getTracer(SCOPE_NAME) : undefined;
  if (given.constructor === NoopTracer) return undefined;
  if (given instanceof ProxyTracer && !globalTracingOn()) return undefined;
  return given;
}

/** The meter a call uses, or undefined when it is the API's no-op meter (no meter provider registered). */
export function activeMeter(given: Meter | undefined): Meter | undefined {
  const meter = given ?? metrics.getMeter(SCOPE_NAME);
  return meter === createNoopMeter() ? undefined : meter;
}

/** Milliseconds since the epoch, with the sub-millisecond precision of `performance.now()`. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Throws an `InvalidOptionError` for a tracer, meter or clock of the wrong shape. */
export function checkOptions(where: string, options: OpenTelemetryOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(where, 'options', 'an object', options);
  const { tracer, meter, now } = options;
  if (tracer !== undefined && typeof (tracer as Partial<Tracer>)?.startSpan !== 'function') {
    throw new InvalidOptionError(where, 'tracer', 'an OpenTelemetry Tracer (with startSpan)', tracer);
  }
  if (meter !== undefined && typeof (meter as { createHistogram?: unknown })?.createHistogram !== 'function') {
    throw new InvalidOptionError(where, 'meter', 'an OpenTelemetry Meter (with createHistogram)', meter);
  }
  if (now !== undefined && typeof now !== 'function') throw new InvalidOptionError(where, 'now', 'a function returning milliseconds', now);
}
