export { BaseChatModel, type BaseChatModelFields, type BindableTool, type BindToolsOptions } from './BaseChatModel.js';
export type { ChatModelCallOptions, ToolDefinition, ToolChoice } from './ChatModelCallOptions.js';
export type { ChatModelMiddleware, ChatModelRequest } from './ChatModelMiddleware.js';
export type { ModelDescription } from './ModelDescription.js';
