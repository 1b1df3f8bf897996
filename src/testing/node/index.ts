export { SseReplayServer, type SseReplayServerOptions, type SseReplayResponse, type RecordedRequest, type SseChunking } from './SseReplayServer.js';
export { localOpenAIServer, type LocalOpenAIServer, type LocalOpenAIServerOptions } from './localOpenAIServer.js';
export { textAnswer, type Transcript, type TranscriptChunk, type TranscriptToolCall } from './transcripts/Transcript.js';
