import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable, type Subscriber } from 'rxjs';
import { ProviderError } from '../errors/errors.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { completionToChunk } from './completionToChunk.js';
import { createChatChunkMapper } from './createChatChunkMapper.js';
import { connectionLost, mapOpenAIError } from './mapOpenAIError.js';
import type { WireCompletion } from './openAIWireTypes.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { providerErrorFromWire } from './wireMappingInternals.js';

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
export function streamChatCompletion(open: OpenChatCompletion): Observable<AIMessageChunk> {
  return new Observable<AIMessageChunk>((subscriber) => {
    const controller = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
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
      reader = response.body.getReader();
      await pumpEvents(reader, subscriber);
    }).catch(fail);
    return () => {
      controller.abort();
      reader?.cancel().catch(() => undefined);
    };
  });
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
  subscriber.next(completionToChunk(wire));
  subscriber.complete();
}

/** Reads SSE frames until `[DONE]`, an error, the end of the body, or unsubscription. */
async function pumpEvents(reader: ReadableStreamDefaultReader<Uint8Array>, subscriber: Subscriber<AIMessageChunk>): Promise<void> {
  const mapChunk = createChatChunkMapper();
  const decoder = new TextDecoder();
  let stopped = false;
  let failure: Error | undefined;
  const onEvent = (event: EventSourceMessage) => {
    if (stopped || subscriber.closed) return;
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
      return;
    }
    if (data.trim() === '') return;
    const wire = parseJson(data);
    if (!isPlainObject(wire)) {
      failure = malformed(data);
      stopped = true;
      return;
    }
    const chunk = mapChunk(wire as WireCompletion);
    if (chunk) subscriber.next(chunk);
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
      if (subscriber.closed) return;
      throw connectionLost(error);
    }
    if (result.done) {
      // The last frame may lack its blank line (or even its newline): end it so it is dispatched.
      parser.feed(`${decoder.decode()}\n\n`);
      break;
    }
    parser.feed(decoder.decode(result.value, { stream: true }));
  }
  if (subscriber.closed) return;
  if (failure) subscriber.error(failure);
  else subscriber.complete();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function malformed(data: string): ProviderError {
  const excerpt = data.length > 200 ? `${data.slice(0, 200)}…` : data;
  return new ProviderError(`The server sent a data frame that is not a JSON object: ${excerpt}`, { code: 'malformed_chunk' });
}
