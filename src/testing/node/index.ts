export { SseReplayServer, type SseReplayServerOptions, type SseReplayResponse, type RecordedRequest, type SseChunking } from './SseReplayServer.js';
