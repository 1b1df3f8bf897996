import type { Attributes, Meter, Tracer } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A metric reader collected on demand: no export timer, so nothing is left open. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** One histogram data point, as a spec compares it. */
export interface HistogramPoint {
  attributes: Attributes;
  count: number;
  sum: number;
  min?: number;
  max?: number;
}

/** The SDK wired to memory: finished spans in an in-memory exporter, metrics read on demand. */
export interface Telemetry {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  tracer: Tracer;
  meter: Meter;
  /** Every finished span, in the order they ended. */
  spans(): ReadableSpan[];
  /** The span whose name is `name` (the only one, or the `index`th). */
  span(name: string, index?: number): ReadableSpan;
  /** The data points of histogram `name`. */
  histogram(name: string): Promise<HistogramPoint[]>;
  /** Metric `name` as the SDK collected it (descriptor, data points with buckets). */
  metric(name: string): Promise<MetricData | undefined>;
  shutdown(): Promise<void>;
}

export function createTelemetry(): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = () => exporter.getFinishedSpans();
  const collected = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === name);
  };
  return {
    tracerProvider,
    meterProvider,
    tracer: tracerProvider.getTracer('spec'),
    meter: meterProvider.getMeter('spec'),
    spans,
    span(name, index = 0) {
      const found = spans().filter((span) => span.name === name);
      if (!found[index]) throw new Error(`no span "${name}" #${index}; spans: ${spans().map((span) => span.name).join(', ')}`);
      return found[index];
    },
    async histogram(name) {
      const metric = await collected(name);
      if (!metric) return [];
      if (metric.dataPointType !== DataPointType.HISTOGRAM) throw new Error(`${name} is not a histogram`);
      return (metric as HistogramMetricData).dataPoints.map(({ attributes, value }) => ({
        attributes, count: value.count, sum: value.sum ?? 0,
        ...(value.min !== undefined && { min: value.min }),
        ...(value.max !== undefined && { max: value.max }),
      }));
    },
    metric: collected,
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The span's parent's span id, or undefined for a root span. */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/**
 * The spans as a tree of names: each span's name followed by its children's trees, children in
 * the order they started. Compares a whole trace at a glance.
 */
export function spanTree(spans: readonly ReadableSpan[]): unknown[] {
  const started = [...spans].sort((a, b) => compareTime(a.startTime, b.startTime));
  const childrenOf = (parentId: string | undefined): unknown[] => started
    .filter((span) => parentIdOf(span) === parentId || (parentId === undefined && !spans.some((other) => other.spanContext().spanId === parentIdOf(span))))
    .map((span) => {
      const children = childrenOf(span.spanContext().spanId);
      return children.length ? [span.name, ...children] : span.name;
    });
  return childrenOf(undefined);
}

function compareTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Seconds of an HrTime duration. */
export function seconds([s, ns]: [number, number]): number {
  return s + ns / 1e9;
}
