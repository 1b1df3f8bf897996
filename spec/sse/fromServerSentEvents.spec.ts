import { lastValueFrom, map, take, toArray } from 'rxjs';
import { APIConnectionError, AbortError, ProviderError, RateLimitError } from '../../src/errors/errors.js';
import { encodeSseFrame } from '../../src/sse/encodeSseFrame.js';
import { fromServerSentEvents } from '../../src/sse/fromServerSentEvents.js';

const data = (id: string, value: unknown) => encodeSseFrame({ id, data: JSON.stringify(value) });
const END = (id: string) => encodeSseFrame({ id, event: 'end', data: '{}' });

/** A body that sends `text` and then fails as a dropped connection does. */
function brokenBody(text: string): ReadableStream<Uint8Array> {
  let reads = 0;
  return new ReadableStream({
    pull(controller) {
      // The text is read first; the failure comes with the next read, as on a real socket.
      if (reads++ === 0) controller.enqueue(new TextEncoder().encode(text));
      else controller.error(new TypeError('terminated'));
    },
  });
}

/** A fetch that gives each request the next scripted answer, recording what it was asked. */
function scriptedFetch(...answers: Array<() => Response>) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fake = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    return answer();
  }) as unknown as typeof fetch;
  return { fetch: fake, requests };
}

const sse = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) => () => new Response(body, { headers: { 'content-type': 'text/event-stream', ...headers } });

describe('fromServerSentEvents', () => {
  it('posts the body as JSON and decodes the values until the end frame', async () => {
    const { fetch, requests } = scriptedFetch(sse(data('r:1', 'a') + data('r:2', 'b') + END('r:3')));
    expect(await lastValueFrom(fromServerSentEvents('http://h/chat', { body: { input: 'Hi' }, fetch }).pipe(toArray()))).toEqual(['a', 'b']);
    expect(requests[0].init).toMatchObject({ method: 'POST', body: '{"input":"Hi"}', headers: { accept: 'text/event-stream', 'content-type': 'application/json' } });
  });

  it('reconnects after a broken body with the same request and Last-Event-ID, dropping frames it already has', async () => {
    const { fetch, requests } = scriptedFetch(
      sse(brokenBody(data('r:1', 'a') + data('r:2', 'b'))),
      // The server replays from a little earlier than asked: the repeated frame is dropped.
      sse(data('r:2', 'b') + data('r:3', 'c') + END('r:4')),
    );
    const values = await lastValueFrom(fromServerSentEvents('http://h/chat', { body: { input: 'Hi' }, fetch, reconnect: { initialDelayMs: 1 } }).pipe(toArray()));
    expect(values).toEqual(['a', 'b', 'c']);
    expect(requests).toHaveLength(2);
    expect(requests[1].init).toMatchObject({ method: 'POST', body: '{"input":"Hi"}', headers: { 'last-event-id': 'r:2' } });
  });

  it('reconnects when the body ends before its closing frame, and gives up after maxAttempts in a row', async () => {
    const { fetch, requests } = scriptedFetch(sse(''));
    const error = await lastValueFrom(fromServerSentEvents('http://h/chat', { fetch, reconnect: { maxAttempts: 2, initialDelayMs: 1 } })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(requests).toHaveLength(3);
  });

  it('errors with the server\'s typed error from an error frame, without reconnecting', async () => {
    const frame = encodeSseFrame({ id: 'r:2', event: 'error', data: JSON.stringify({ name: 'RateLimitError', message: 'Slow down', fields: { status: 429, retryAfterMs: 1000 } }) });
    const { fetch, requests } = scriptedFetch(sse(data('r:1', 'a') + frame));
    const values: unknown[] = [];
    const error = await lastValueFrom(fromServerSentEvents('http://h/chat', { fetch }).pipe(map((value) => void values.push(value)))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1000, message: 'Slow down' });
    expect(requests).toHaveLength(1);
    expect(values).toEqual(['a']);
  });

  it('errors with an HTTP error answer, retrying only 502, 503 and 504', async () => {
    const refused = scriptedFetch(() => new Response(JSON.stringify({ error: { name: 'RequestBodyError', message: 'Invalid request body' } }), { status: 400 }));
    await expect(lastValueFrom(fromServerSentEvents('http://h/chat', { fetch: refused.fetch }))).rejects.toMatchObject({ name: 'RequestBodyError', status: 400 });
    expect(refused.requests).toHaveLength(1);
    const flaky = scriptedFetch(() => new Response('busy', { status: 503 }), sse(data('r:1', 'ok') + END('r:2')));
    expect(await lastValueFrom(fromServerSentEvents('http://h/chat', { fetch: flaky.fetch, reconnect: { initialDelayMs: 1 } }).pipe(toArray()))).toEqual(['ok']);
    const plain = scriptedFetch(() => new Response('nope', { status: 404 }));
    await expect(lastValueFrom(fromServerSentEvents('http://h/chat', { fetch: plain.fetch }))).rejects.toBeInstanceOf(ProviderError);
  });

  it('aborts the request on unsubscribe', async () => {
    let signal: AbortSignal | undefined;
    const never = (async (_url: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode(data('r:1', 'a'))) }));
    }) as unknown as typeof fetch;
    expect(await lastValueFrom(fromServerSentEvents('http://h/chat', { fetch: never }).pipe(take(1)))).toBe('a');
    expect(signal?.aborted).toBe(true);
  });

  it('errors with AbortError when its signal aborts', async () => {
    const controller = new AbortController();
    const { fetch } = scriptedFetch(() => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(data('r:1', 'a'))) })));
    const result = lastValueFrom(fromServerSentEvents('http://h/chat', { fetch, signal: controller.signal }).pipe(toArray())).catch((error: unknown) => error);
    setTimeout(() => controller.abort(), 5);
    expect(await result).toBeInstanceOf(AbortError);
    controller.abort();
    await expect(lastValueFrom(fromServerSentEvents('http://h/chat', { fetch, signal: controller.signal }))).rejects.toBeInstanceOf(AbortError);
  });

  it('stop() sends DELETE <url>/<runId> for the run it streams', async () => {
    const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode(data('run-7:1', 'a'))) });
    const { fetch, requests } = scriptedFetch(sse(body, { 'x-run-id': 'run-7' }), () => new Response(null, { status: 204 }));
    const stream = fromServerSentEvents('http://h/chat?x=1', { body: {}, fetch, headers: { authorization: 'Bearer t' } });
    const values: unknown[] = [];
    const subscription = stream.subscribe((value) => values.push(value));
    while (values.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await stream.stop();
    subscription.unsubscribe();
    expect(values).toEqual(['a']);
    expect(requests.map((request) => [request.init.method, request.url])).toContainEqual(['DELETE', 'http://h/chat/run-7']);
    expect(requests.find((request) => request.init.method === 'DELETE')!.init.headers).toEqual({ authorization: 'Bearer t' });
  });

  it('reads a Response it is given, and reconnects to its URL', async () => {
    const { fetch } = scriptedFetch(sse(data('r:1', 'b') + END('r:2')));
    const first = new Response(brokenBody(data('r:0', 'a')));
    Object.defineProperty(first, 'url', { value: 'http://h/chat' });
    expect(await lastValueFrom(fromServerSentEvents(first, { fetch, reconnect: { initialDelayMs: 1 } }).pipe(toArray()))).toEqual(['a', 'b']);
  });
});
