/**
 * The names rxllm's spans and metrics use: the OpenTelemetry GenAI semantic conventions'
 * (`gen_ai.*`, `error.type`), written out here so that `rxllm/otel` depends on
 * `@opentelemetry/api` alone; the specs check them against `@opentelemetry/semantic-conventions`.
 * What the conventions have no name for is under `rxllm.*`.
 */
export const ATTR = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  tokenType: 'gen_ai.token.type',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  agentName: 'gen_ai.agent.name',
  errorType: 'error.type',
  runId: 'rxllm.run.id',
  runType: 'rxllm.run.type',
  runTags: 'rxllm.run.tags',
} as const;

/** Values of `gen_ai.operation.name`: the conventions' own, and `chain` for every other chain run. */
export const OPERATION = {
  chat: 'chat',
  executeTool: 'execute_tool',
  invokeAgent: 'invoke_agent',
  chain: 'chain',
} as const;

export const METRIC = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
  timePerOutputChunk: 'gen_ai.client.operation.time_per_output_chunk',
  outputTokensPerSecond: 'rxllm.client.output_tokens_per_second',
} as const;

/** `error.type` of a run that was unsubscribed (or aborted) before it ended. */
export const CANCELLED = 'cancelled';

/** The instrumentation scope's name: what `trace.getTracer` and `metrics.getMeter` are asked for. */
export const SCOPE_NAME = 'rxllm';
