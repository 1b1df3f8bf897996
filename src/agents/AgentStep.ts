import type { AIMessage, BaseMessage, ToolMessage } from '../messages/messages.js';
import type { BaseChatModel } from '../models/BaseChatModel.js';
import type { ChatModelCallOptions } from '../models/ChatModelCallOptions.js';
import type { StructuredTool } from '../tools/StructuredTool.js';

/** One finished turn of an agent: the model's message and the tool answers it got. */
export interface AgentStep {
  /** 1 for the first model turn. */
  stepNumber: number;
  /** The model's message of this turn. */
  message: AIMessage;
  /** The answers to its tool calls, in the order they completed (empty when none ran). */
  toolMessages: ToolMessage[];
}

/** What `prepareStep` sees before a model turn. */
export interface PrepareStepContext {
  /** The number the coming turn will have (1 for the first). */
  stepNumber: number;
  /** The turns so far. */
  steps: readonly AgentStep[];
  /** The conversation the turn would send: the input and every message the run has added. */
  messages: readonly BaseMessage[];
}

/** What `prepareStep` may change for one turn; anything left out keeps the agent's setting. */
export interface StepSettings {
  /** The model of this turn (the turn's tools are bound to it). */
  model?: BaseChatModel;
  /** The tools offered, and run, in this turn. */
  tools?: ReadonlyArray<StructuredTool<any, any>>;
  /** The messages sent in this turn instead of the conversation (the conversation itself is kept). */
  messages?: BaseMessage[];
  /** Call options merged over the model's own for this turn (`toolChoice`, `stop`, …). */
  options?: ChatModelCallOptions;
}
