import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable, type Subscriber } from 'rxjs';
import { ProviderError } from '../errors/errors.js';
import type { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { createResponsesChunkMapper } from './createResponsesChunkMapper.js';
import { connectionLost, mapOpenAIError } from './mapOpenAIError.js';

/** Opens the HTTP request of a streamed Responses call; `signal` aborts it. */
export type OpenResponses = (signal: AbortSignal) => Promise<Response>;

/** The events after which a Responses stream has said everything. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);

/**
 * The chunks of one streamed Responses API call, decoded straight from the response bytes as
 * `createResponsesChunkMapper` maps them. The stream completes at `response.completed` (or an
 * `incomplete` one for length or filtering); `response.failed`, `error`, a frame that is not JSON
 * or a body that ends before a final event end it with a `ProviderError` after every chunk
 * before; a connection lost mid-body with an `APIConnectionError`. Unsubscribing aborts the request.
 *
 * @example
 * ```ts
 * const chunks$ = streamResponses((signal) => client.responses.create({ ...body, stream: true }, { signal }).asResponse());
 * ```
 */
export function streamResponses(open: OpenResponses): Observable<AIMessageChunk> {
  return new Observable<AIMessageChunk>((subscriber) => {
    const controller = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    open(controller.signal).then(async (response) => {
      if (subscriber.closed) return;
      if (!response.body) throw new ProviderError('The server answered a streamed Responses call with no body', { code: 'unexpected_body' });
      reader = response.body.getReader();
      await pumpResponseEvents(reader, subscriber);
    }).catch((error: unknown) => {
      if (!subscriber.closed) subscriber.error(mapOpenAIError(error));
    });
    return () => {
      controller.abort();
      reader?.cancel().catch(() => undefined);
    };
  });
}

async function pumpResponseEvents(reader: ReadableStreamDefaultReader<Uint8Array>, subscriber: Subscriber<AIMessageChunk>): Promise<void> {
  const map = createResponsesChunkMapper();
  const decoder = new TextDecoder();
  let ended = false;
  let failure: Error | undefined;
  const onEvent = (message: EventSourceMessage) => {
    if (ended || subscriber.closed || message.data.trim() === '' || message.data === '[DONE]') return;
    const event = parseJson(message.data);
    if (!isPlainObject(event)) {
      failure = new ProviderError(`The server sent a data frame that cannot be read (not a JSON object): ${excerptOf(message.data)}`, { code: 'malformed_chunk' });
      ended = true;
      return;
    }
    // An SSE `event: error` frame whose data lacks the type still is an error.
    const step = map(message.event === 'error' && event.type === undefined ? { type: 'error', error: isPlainObject(event.error) ? event.error : event } : event);
    if (step.chunk) subscriber.next(step.chunk);
    if (step.error) failure = step.error;
    if (step.error || TERMINAL.has(String(event.type))) ended = true;
  };
  const parser = createParser({ onEvent });
  while (!ended && !subscriber.closed) {
    let result: Awaited<ReturnType<typeof reader.read>>;
    try {
      result = await reader.read();
    } catch (error) {
      if (subscriber.closed) return;
      throw connectionLost(error);
    }
    if (result.done) {
      // The last frame may lack its blank line: end it so it is dispatched.
      parser.feed(`${decoder.decode()}\n\n`);
      break;
    }
    parser.feed(decoder.decode(result.value, { stream: true }));
  }
  if (subscriber.closed) return;
  if (failure) subscriber.error(failure);
  else if (!ended) subscriber.error(new ProviderError('The Responses stream ended before the response was finished', { code: 'incomplete_stream' }));
  else subscriber.complete();
  // The final event came: the rest of the body (if any) is of no use.
  reader.cancel().catch(() => undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function excerptOf(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

