export type { ChatMessage, ChatRole, ChatToolCall, ChatToolCallState } from './ChatMessage.js';
export type { ChatState, ChatStatus, ChatError, ChatErrorKind, ChatUsageRecord } from './ChatState.js';
export type { ChatTransport, ChatTransportEvent, ChatTransportRequest, ChatRunCursor, ChatWireMessage } from './ChatTransport.js';
export type { ChatHistory, StoredChat, StoredAnswer, StoredTurn, MaybeAsync } from './ChatHistory.js';
export type { ChatSessionOptions, ChatSessionSource, ChatRunnable } from './ChatSessionOptions.js';
export type { ApprovalRequest } from '../tools/ToolApproval.js';
export { ChatSession } from './ChatSession.js';
export { localStorageHistory, type StorageLike } from './localStorageHistory.js';
export { toChatError } from './toChatError.js';
