export { BaseChatModel, type BaseChatModelFields } from './BaseChatModel.js';
export { toMessages, type ChatModelInput, type MessageTuple } from './ChatModelInput.js';
export type { ChatModelCallOptions, ToolDefinition, ToolChoice } from './ChatModelCallOptions.js';
