import * as semconv from '@opentelemetry/semantic-conventions/incubating';
import { ATTR, METRIC, OPERATION } from '../../src/otel/genAiNames.js';

describe('genAiNames', () => {
  it('spells every gen_ai and error attribute as the semantic conventions do', () => {
    const known = new Set<string>(Object.entries(semconv).filter(([key, value]) => key.startsWith('ATTR_') && typeof value === 'string').map(([, value]) => value as string));
    const conventional = Object.values(ATTR).filter((name) => !name.startsWith('rxllm.'));
    expect(conventional.filter((name) => !known.has(name))).toEqual([]);
    expect(conventional.length).toBeGreaterThan(15);
  });

  it('uses the conventions’ operation names, and chain for the runs they have no name for', () => {
    expect(OPERATION.chat).toBe(semconv.GEN_AI_OPERATION_NAME_VALUE_CHAT);
    expect(OPERATION.executeTool).toBe(semconv.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
    expect(OPERATION.invokeAgent).toBe(semconv.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT);
  });

  it('names the client metrics as the conventions do; the rate is ours', () => {
    expect(METRIC.operationDuration).toBe(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(METRIC.tokenUsage).toBe(semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
    expect(METRIC.timeToFirstChunk).toBe(semconv.METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK);
    expect(METRIC.timePerOutputChunk).toBe(semconv.METRIC_GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK);
    expect(METRIC.outputTokensPerSecond.startsWith('rxllm.')).toBe(true);
  });
});
