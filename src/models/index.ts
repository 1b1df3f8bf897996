export { BaseChatModel, type BaseChatModelFields, type BindableTool, type BindToolsOptions } from './BaseChatModel.js';
export { toMessages, type ChatModelInput, type MessageTuple } from './ChatModelInput.js';
export type { ChatModelCallOptions, ToolDefinition, ToolChoice } from './ChatModelCallOptions.js';
