/**
 * What a chat model says about itself to telemetry: who serves it and what it asks for. Read by
 * `rxllm/otel` for the GenAI attributes of a model's span (`gen_ai.provider.name`,
 * `gen_ai.request.model`, …).
 */
export interface ModelDescription {
  /** The provider, in the GenAI conventions' words (`openai`, `anthropic`, …). */
  provider?: string;
  /** The model name the request asks for. */
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

/**
 * Where a chat model's start event carries its description: on `data.input`, under this symbol
 * and not enumerable, so the event stays LangChain's (it does not show in JSON, equality or
 * spreads), as `DISPATCHED_BY` on custom events.
 */
export const MODEL_DESCRIPTION: unique symbol = Symbol.for('rxllm.modelDescription');

/** `input` with `description` attached under `MODEL_DESCRIPTION`. */
export function withModelDescription<T extends object>(input: T, description: ModelDescription): T {
  Object.defineProperty(input, MODEL_DESCRIPTION, { value: description });
  return input;
}

/** The description a chat model's start event input carries, if any. */
export function modelDescriptionOf(input: unknown): ModelDescription | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  return (input as { [MODEL_DESCRIPTION]?: ModelDescription })[MODEL_DESCRIPTION];
}
