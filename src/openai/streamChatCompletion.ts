import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable, type Subscriber } from 'rxjs';
import { ProviderError } from '../errors/errors.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { completionToChunk } from './completionToChunk.js';
import { createChatChunkMapper } from './createChatChunkMapper.js';
import { connectionLost, mapOpenAIError } from './mapOpenAIError.js';
import type { WireCompletion } from './openAIWireTypes.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { malformedEntry, providerErrorFromWire } from './wireMappingInternals.js';

/** Opens the HTTP request; `signal` aborts it (before or during the body). */
export type OpenChatCompletion = (signal: AbortSignal) => Promise<Response>;

const MID_STREAM = 'The server reported an error mid-stream';

/**
 * The chunks of one chat.completions call, decoded straight from the response bytes: an SSE body
 * (`text/event-stream`) chunk by chunk, a JSON body (a non-streaming answer) as one chunk.
 *
 * Comment lines, `[DONE]` and a last frame without its blank line are handled; an `event: error`
 * frame, a chunk carrying a top-level `error`, or a data line that is not JSON ends the stream
 * with a `ProviderError` after every chunk before it. A connection lost mid-body ends it with an
 * `APIConnectionError`. Unsubscribing aborts the request and cancels the body at once.
 *
 * @example
 * ```ts
 * const chunks$ = streamChatCompletion((signal) => client.chat.completions.create(body, { signal }).asResponse());
 * ```
 */
export function streamChatCompletion(open: OpenChatCompletion, options: StreamChatCompletionOptions = {}): Observable<AIMessageChunk> {
  return new Observable<AIMessageChunk>((subscriber) => {
    const controller = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let draining = false;
    const fail = (error: unknown) => {
      if (!subscriber.closed) subscriber.error(mapOpenAIError(error));
    };
    open(controller.signal).then(async (response) => {
      if (subscriber.closed) return;
      if (!response.body) {
        subscriber.complete();
        return;
      }
      if (!isEventStream(response)) {
        await emitWholeBody(response, subscriber);
        return;
      }
      const bodyReader = response.body.getReader();
      reader = bodyReader;
      const unread = await pumpEvents(bodyReader, subscriber, response.headers.get('content-type') ?? 'none', options.usageRequested ?? false);
      if (!unread || subscriber.closed) return;
      // The answer is complete ([DONE]) but the body has not ended: let it end, so the connection
      // goes back to the pool for the next request, as the plain client does.
      draining = true;
      subscriber.complete();
      drainBody(bodyReader, options.drainMs ?? DRAIN_MS, () => controller.abort());
    }).catch(fail);
    return () => {
      if (draining) return;
      controller.abort();
      reader?.cancel().catch(() => undefined);
    };
  });
}

/** Options of `streamChatCompletion`. */
export interface StreamChatCompletionOptions {
  /**
   * The request asked for a usage chunk (`stream_options.include_usage`). A connection lost after
   * the finish reason and that usage chunk, before `[DONE]`, still gave the whole answer: the
   * stream completes instead of failing.
   */
  usageRequested?: boolean;
  /** Longest wait for the body to end after `[DONE]` before the connection is closed. Default 2000 ms. */
  drainMs?: number;
}

const DRAIN_MS = 2_000;

/** Reads what is left of a body and drops it; after `limitMs` it gives up and calls `abort`. */
function drainBody(reader: ReadableStreamDefaultReader<Uint8Array>, limitMs: number, abort: () => void): void {
  const timer = setTimeout(() => {
    abort();
    reader.cancel().catch(() => undefined);
  }, limitMs);
  // A body that never ends must not keep the process alive.
  timer.unref?.();
  const next = (): void => {
    reader.read().then((result) => (result.done ? clearTimeout(timer) : next()), () => clearTimeout(timer));
  };
  next();
}

function isEventStream(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return !type.includes('json');
}

async function emitWholeBody(response: Response, subscriber: Subscriber<AIMessageChunk>): Promise<void> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw connectionLost(error);
  }
  if (subscriber.closed) return;
  const wire = parseJson(text);
  if (!isPlainObject(wire)) throw malformed(text);
  if (isPlainObject(wire.error)) throw providerErrorFromWire(wire.error, 'The server answered with an error');
  const broken = malformedEntry(wire);
  if (broken) throw malformed(text, broken);
  subscriber.next(completionToChunk(wire));
  subscriber.complete();
}

/**
 * Reads SSE frames until `[DONE]`, an error, the end of the body, or unsubscription, and ends the
 * subscriber — except after `[DONE]` with the body still open, when it returns true and leaves
 * completing (and the rest of the body) to the caller.
 */
async function pumpEvents(reader: ReadableStreamDefaultReader<Uint8Array>, subscriber: Subscriber<AIMessageChunk>, contentType: string, usageRequested: boolean): Promise<boolean> {
  const mapChunk = createChatChunkMapper();
  const decoder = new TextDecoder();
  let stopped = false;
  let done = false;
  let finished = false;
  let usageSeen = false;
  let bodyEnded = false;
  let failure: Error | undefined;
  // An answer with no data frame at all is no empty success: an HTML page from a proxy, say.
  let frames = 0;
  let start = '';
  const onEvent = (event: EventSourceMessage) => {
    if (stopped || subscriber.closed) return;
    frames++;
    const data = event.data;
    if (event.event === 'error') {
      const payload = parseJson(data);
      failure = isPlainObject(payload) ? providerErrorFromWire(isPlainObject(payload.error) ? payload.error : payload, MID_STREAM)
        : new ProviderError(`${MID_STREAM}: ${data}`);
      stopped = true;
      return;
    }
    if (data === '[DONE]') {
      stopped = true;
      done = true;
      return;
    }
    if (data.trim() === '') return;
    const parsed = parseJson(data);
    const wire = isPlainObject(parsed) ? parsed : undefined;
    const broken = wire ? malformedEntry(wire) : 'not a JSON object';
    if (!wire || broken) {
      failure = malformed(data, broken);
      stopped = true;
      return;
    }
    const chunk = mapChunk(wire as WireCompletion);
    if (chunk) {
      if (chunk.finishReason) finished = true;
      if (chunk.usage) usageSeen = true;
      subscriber.next(chunk);
    }
    if (isPlainObject(wire.error)) {
      failure = providerErrorFromWire(wire.error, MID_STREAM);
      stopped = true;
    }
  };
  const parser = createParser({ onEvent });
  while (!stopped && !subscriber.closed) {
    let result: Awaited<ReturnType<typeof reader.read>>;
    try {
      result = await reader.read();
    } catch (error) {
      if (subscriber.closed) return false;
      // Everything but [DONE] had come: the answer is whole, only the connection ended badly.
      if (finished && (usageSeen || !usageRequested) && !failure) {
        subscriber.complete();
        return false;
      }
      throw connectionLost(error);
    }
    if (result.done) {
      // The last frame may lack its blank line (or even its newline): end it so it is dispatched.
      parser.feed(`${decoder.decode()}\n\n`);
      bodyEnded = true;
      break;
    }
    const text = decoder.decode(result.value, { stream: true });
    if (start.length < 200) start += text.slice(0, 200 - start.length);
    parser.feed(text);
  }
  if (subscriber.closed) return false;
  if (failure) subscriber.error(failure);
  else if (frames === 0) subscriber.error(unexpectedBody(contentType, start));
  else if (done && !bodyEnded) return true;
  else subscriber.complete();
  return false;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function malformed(data: string, problem = 'not a JSON object'): ProviderError {
  return new ProviderError(`The server sent a data frame that cannot be read (${problem}): ${excerptOf(data)}`, { code: 'malformed_chunk' });
}

function unexpectedBody(contentType: string, start: string): ProviderError {
  return new ProviderError(
    `The server answered with a body that is neither SSE nor JSON (content-type ${contentType}): ${excerptOf(start.trim()) || '(empty)'}`,
    { code: 'unexpected_body' },
  );
}

function excerptOf(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
