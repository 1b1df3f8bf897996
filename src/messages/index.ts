export * from './messages.js';
export * from './AIMessageChunk.js';
export { estimateTokens } from './estimateTokens.js';
export { toMessages, type ChatModelInput, type MessageTuple } from './toMessages.js';
export { ChatPromptValue, isChatPromptValue } from './ChatPromptValue.js';
