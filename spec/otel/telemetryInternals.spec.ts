import { createNoopMeter, metrics, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { activeMeter, activeTracer, checkOptions, preciseNow } from '../../src/otel/telemetryInternals.js';
import { createTelemetry, type Telemetry } from '../support/telemetry.js';

let telemetry: Telemetry;
beforeEach(() => {
  telemetry = createTelemetry();
});
afterEach(async () => {
  trace.disable();
  metrics.disable();
  await telemetry.shutdown();
});

describe('activeTracer', () => {
  it('is undefined with no tracer given and no provider registered, the global one once registered', () => {
    expect(activeTracer(undefined)).toBeUndefined();
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    const tracer = activeTracer(undefined)!;
    tracer.startSpan('probe').end();
    expect(telemetry.spans().map((span) => [span.name, span.instrumentationScope.name])).toEqual([['probe', 'rxllm']]);
  });

  it("is undefined for the API's no-op tracer, and for a proxy tracer with nothing behind it", () => {
    expect(activeTracer(new ProxyTracerProvider().getDelegate().getTracer('app'))).toBeUndefined();
    const proxy = trace.getTracer('app');
    expect(activeTracer(proxy)).toBeUndefined();
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    expect(activeTracer(proxy)).toBe(proxy);
  });

  it('is the given SDK tracer', () => {
    expect(activeTracer(telemetry.tracer)).toBe(telemetry.tracer);
  });
});

describe('activeMeter', () => {
  it("is undefined for the API's no-op meter, the meter otherwise", () => {
    expect(activeMeter(undefined)).toBeUndefined();
    expect(activeMeter(createNoopMeter())).toBeUndefined();
    expect(activeMeter(telemetry.meter)).toBe(telemetry.meter);
    metrics.setGlobalMeterProvider(telemetry.meterProvider);
    expect(activeMeter(undefined)).toBeDefined();
    expect(activeMeter(undefined)).not.toBe(createNoopMeter());
  });
});

describe('preciseNow', () => {
  it('is epoch milliseconds with sub-millisecond precision', () => {
    const before = Date.now();
    const now = preciseNow();
    expect(now).toBeGreaterThanOrEqual(before - 1);
    expect(now).toBeLessThanOrEqual(Date.now() + 1);
  });
});

describe('checkOptions', () => {
  it('accepts the empty options and real instruments, and names the option that is wrong', () => {
    expect(() => checkOptions('here', {})).not.toThrow();
    expect(() => checkOptions('here', { tracer: telemetry.tracer, meter: telemetry.meter, now: () => 0 })).not.toThrow();
    expect(() => checkOptions('here', { meter: { createHistogram: 'no' } as never })).toThrow('here: meter must be an OpenTelemetry Meter (with createHistogram), got an object');
    expect(() => checkOptions('here', { now: 1 as never })).toThrow('here: now must be a function returning milliseconds, got 1');
  });
});
