export * from './messages.js';
export * from './AIMessageChunk.js';
export { estimateTokens } from './estimateTokens.js';
