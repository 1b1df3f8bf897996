import type { SseMessage } from './SseFrame.js';
import type { WireError } from './WireError.js';

/** The wire formats rxllm speaks. */
export type SseFormatName = 'rxllm' | 'ai-sdk-ui' | 'ag-ui' | 'langchain';

/** What an encoder knows of the stream it encodes. */
export interface SseEncoderContext {
  /** The run the frames belong to (also the message id where a format has one). */
  readonly runId: string;
  /** The conversation, for formats that name one (AG-UI's `threadId`); defaults to the run id. */
  readonly threadId?: string;
}

/**
 * Turns the values of one stream into the events of a format. It keeps the state the format
 * needs (which text part is open, which tool calls have started), so each stream gets its own.
 */
export interface SseEncoder {
  /** Events sent before the first value (a run-started event), possibly none. */
  start(): SseMessage[];
  /** The events for one value of the stream. */
  next(value: unknown): SseMessage[];
  /** The events that end a stream that completed. */
  complete(): SseMessage[];
  /** The events that end a stream that failed; `error` is already masked. */
  error(error: WireError): SseMessage[];
}

/** What one received event means to a client. */
export type SseDecoded<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly error: WireError };

/** Turns the events of one received stream back into values. */
export interface SseDecoder<T> {
  /** What `message` means: values to emit, the end of the stream, or the server's error. */
  decode(message: SseMessage): SseDecoded<T>[];
}

/**
 * A wire format: how values become Server-Sent Events on the server and how a client reads them
 * back. The four built in are named by {@link SseFormatName}; any object of this shape works too.
 */
export interface SseFormat<T = unknown> {
  readonly name: string;
  /** Response headers the format's own readers expect, besides the Server-Sent Events ones. */
  readonly headers: Readonly<Record<string, string>>;
  /** A fresh encoder for one stream. */
  encoder(context: SseEncoderContext): SseEncoder;
  /** A fresh decoder for one received stream. */
  decoder(): SseDecoder<T>;
}
