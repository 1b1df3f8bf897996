export {
  sseEndpoint, type SseEndpoint, type SseEndpointOptions, type SseEndpointContext, type SseHandler, type BodySchema,
  type SseReplayOptions, type SseCorsOptions,
} from './sseEndpoint.js';
export type { ReplayStore, StoredFrame } from './ReplayStore.js';
export { MemoryReplayStore, type MemoryReplayStoreOptions } from './MemoryReplayStore.js';
export { SseResponseWriter, type SseResponseWriterOptions, type SlowClientPolicy } from './SseResponseWriter.js';
