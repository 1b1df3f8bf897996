export { ScriptedChatModel, type ScriptedChatModelFields, type ScriptedChunk, type ScriptedResponse, type ScriptedCall } from './ScriptedChatModel.js';
export { splitText, type ChunkBy } from './splitText.js';
