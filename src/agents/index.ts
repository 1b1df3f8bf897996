export { Agent, agent, type AgentOptions, type AgentChunk, type AgentResult } from './Agent.js';
export type { AgentStep, PrepareStepContext, StepSettings } from './AgentStep.js';
export { stepCountIs, hasToolCall, type StopCondition } from './stopConditions.js';
