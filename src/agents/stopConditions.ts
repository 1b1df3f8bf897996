import { positiveCount } from '../errors/optionChecks.js';
import type { AgentStep } from './AgentStep.js';

/**
 * When an agent stops early: asked after each turn whose tool calls have run, with the turns so
 * far; `true` ends the loop there (the tool answers are in the result, no further model turn).
 */
export type StopCondition = (state: { steps: readonly AgentStep[] }) => boolean;

/**
 * Stops the agent once `count` turns have run (their tools included).
 *
 * @example
 * ```ts
 * import { agent, stepCountIs } from 'rxllm';
 * const assistant = agent({ model, tools: [weather], stopWhen: stepCountIs(3) });
 * ```
 */
export function stepCountIs(count: number): StopCondition {
  const limit = positiveCount('stepCountIs', 'count', count, 1, { infinity: false });
  return ({ steps }) => steps.length >= limit;
}

/**
 * Stops the agent after a turn that called the tool `name`: the tool runs, its answer is in the
 * result, and the model is not asked again (a "final answer" tool, for example).
 *
 * @example
 * ```ts
 * import { agent, hasToolCall } from 'rxllm';
 * const assistant = agent({ model, tools: [search, submitAnswer], stopWhen: hasToolCall('submit_answer') });
 * ```
 */
export function hasToolCall(name: string): StopCondition {
  return ({ steps }) => steps[steps.length - 1]?.message.toolCalls.some((call) => call.name === name) ?? false;
}

/** Whether any of the conditions holds for `steps`. */
export function shouldStop(conditions: readonly StopCondition[], steps: readonly AgentStep[]): boolean {
  return conditions.some((condition) => condition({ steps }));
}
