import { createNoopMeter } from '@opentelemetry/api';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { genAiInstruments } from '../../src/otel/genAiInstruments.js';
import { createTelemetry } from '../support/telemetry.js';

describe('genAiInstruments', () => {
  it('creates the histograms once per meter', () => {
    const telemetry = createTelemetry();
    const created: string[] = [];
    const meter = telemetry.meter;
    const spy = jest.spyOn(meter, 'createHistogram').mockImplementation((name) => {
      created.push(name);
      return createNoopMeter().createHistogram(name);
    });
    expect(genAiInstruments(meter)).toBe(genAiInstruments(meter));
    expect(created).toEqual([
      'gen_ai.client.operation.duration', 'gen_ai.client.token.usage', 'gen_ai.client.operation.time_to_first_chunk',
      'gen_ai.client.operation.time_per_output_chunk', 'rxllm.client.output_tokens_per_second',
    ]);
    spy.mockRestore();
    return telemetry.shutdown();
  });

  it('gives durations in seconds, tokens as {token}, and the advised bucket boundaries', async () => {
    const telemetry = createTelemetry();
    const { operationDuration, tokenUsage } = genAiInstruments(telemetry.meter);
    operationDuration.record(0.05);
    tokenUsage.record(100);
    const duration = (await telemetry.metric('gen_ai.client.operation.duration')) as HistogramMetricData;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPoints[0].value.buckets.boundaries).toEqual([0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]);
    const tokens = (await telemetry.metric('gen_ai.client.token.usage')) as HistogramMetricData;
    expect(tokens.descriptor.unit).toBe('{token}');
    expect(tokens.dataPoints[0].value.buckets.boundaries.slice(0, 4)).toEqual([1, 4, 16, 64]);
    await telemetry.shutdown();
  });
});
