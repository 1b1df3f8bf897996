import type { Histogram, Meter } from '@opentelemetry/api';
import { METRIC } from './genAiNames.js';

/** The histograms a chat model run records into. */
export interface GenAiInstruments {
  operationDuration: Histogram;
  tokenUsage: Histogram;
  timeToFirstChunk: Histogram;
  timePerOutputChunk: Histogram;
  outputTokensPerSecond: Histogram;
}

// Bucket boundaries as the GenAI conventions advise them, so that every client's histograms line up.
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const FIRST_CHUNK_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const CHUNK_GAP_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5];
const RATE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** One set per meter: instruments are created once, not per run. */
const byMeter = new WeakMap<Meter, GenAiInstruments>();

/** The GenAI client histograms of `meter`, created on first use. */
export function genAiInstruments(meter: Meter): GenAiInstruments {
  let instruments = byMeter.get(meter);
  if (!instruments) {
    const histogram = (name: string, description: string, unit: string, buckets: number[]) =>
      meter.createHistogram(name, { description, unit, advice: { explicitBucketBoundaries: buckets } });
    instruments = {
      operationDuration: histogram(METRIC.operationDuration, 'Duration of a chat model call, to its last chunk', 's', DURATION_BUCKETS),
      tokenUsage: histogram(METRIC.tokenUsage, 'Input and output tokens of a chat model call, as the provider reported them', '{token}', TOKEN_BUCKETS),
      timeToFirstChunk: histogram(METRIC.timeToFirstChunk, 'Time from the start of a chat model call to its first chunk', 's', FIRST_CHUNK_BUCKETS),
      timePerOutputChunk: histogram(METRIC.timePerOutputChunk, 'Time between two chunks of a chat model call', 's', CHUNK_GAP_BUCKETS),
      outputTokensPerSecond: histogram(METRIC.outputTokensPerSecond, 'Output tokens of a chat model call per second, from its first chunk to its end', '{token}/s', RATE_BUCKETS),
    };
    byMeter.set(meter, instruments);
  }
  return instruments;
}
