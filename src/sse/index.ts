export type { SseFrame, SseMessage } from './SseFrame.js';
export type { SseFormat, SseFormatName, SseEncoder, SseEncoderContext, SseDecoder, SseDecoded } from './SseFormat.js';
export type { WireError, WireValue } from './WireError.js';
export { encodeSseFrame, type SseFrameFields } from './encodeSseFrame.js';
export { frameId, parseFrameId, type FrameIdParts } from './frameId.js';
export { toWireError } from './toWireError.js';
export { fromWireError, isWireError } from './fromWireError.js';
export { resolveSseFormat } from './resolveSseFormat.js';
export { rxllmFormat } from './rxllmFormat.js';
export { aiSdkUiFormat } from './aiSdkUiFormat.js';
export { agUiFormat } from './agUiFormat.js';
export { langchainFormat } from './langchainFormat.js';
export { toServerSentEvents, HEARTBEAT_FRAME, type ToServerSentEventsOptions } from './toServerSentEvents.js';
export { readServerSentEvents, type ReceivedSse } from './readServerSentEvents.js';
export { dedupeById, FrameIdFilter } from './dedupeById.js';
export {
  fromServerSentEvents, ServerSentEventsObservable, type FromServerSentEventsOptions, type SseReconnectOptions,
} from './fromServerSentEvents.js';
export { sseTransport, type SseTransportOptions } from './sseTransport.js';
