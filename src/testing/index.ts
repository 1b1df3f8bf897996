export { ScriptedChatModel, type ScriptedChatModelFields, type ScriptedChunk, type ScriptedResponse, type ScriptedCall } from './ScriptedChatModel.js';
export { splitText, type ChunkBy } from './splitText.js';
export { createTestScheduler, type DeepEqualAssertion } from './createTestScheduler.js';
export { chunkMarbles, type MarbleChunk } from './chunkMarbles.js';
export { recordSubscriptions, type RecordedSource, type SubscriptionFrames } from './recordSubscriptions.js';
