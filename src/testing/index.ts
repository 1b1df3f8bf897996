export { ScriptedChatModel, type ScriptedChatModelFields, type ScriptedChunk, type ScriptedResponse, type ScriptedCall } from './ScriptedChatModel.js';
export { splitText, type ChunkBy } from './splitText.js';
export { SseReplayServer, type SseReplayServerOptions, type SseReplayResponse, type RecordedRequest, type SseChunking } from './SseReplayServer.js';
