import { Observable, interval, lastValueFrom, map, take, toArray } from 'rxjs';
import { z } from 'zod';
import { AbortError, ProviderError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { sseEndpoint, type SseEndpointOptions, type SseHandler } from '../../src/node/sseEndpoint.js';
import { fromServerSentEvents } from '../../src/sse/fromServerSentEvents.js';
import { ScriptedChatModel } from '../../src/testing/ScriptedChatModel.js';
import { startEndpointServer, type EndpointServer } from './support/startEndpointServer.js';
import { delay, frameIds, rawRequest, waitFor } from './support/requests.js';

/** A stream that emits `count` chunks, one every `everyMs`, and records when it is unsubscribed. */
function slowChunks(count: number, everyMs: number) {
  const record = { subscribed: 0, unsubscribedAt: undefined as number | undefined, signal: undefined as AbortSignal | undefined };
  const handler: SseHandler<unknown> = (_body, { signal }) => new Observable<AIMessageChunk>((subscriber) => {
    record.subscribed++;
    record.signal = signal;
    const subscription = interval(everyMs).pipe(take(count), map((i) => new AIMessageChunk(`t${i} `))).subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      record.unsubscribedAt = Date.now();
    };
  });
  return { handler, record };
}

describe('sseEndpoint over node:http', () => {
  let server: EndpointServer | undefined;
  const serve = async <B>(handler: SseHandler<B>, options?: SseEndpointOptions<B>) => {
    server = await startEndpointServer(sseEndpoint(handler, options));
    return server.url;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('streams a run that a client reads back as the same events', async () => {
    const model = new ScriptedChatModel({ responses: ['Hello there'] });
    const url = await serve((body: { input: string }, { signal }) => model.streamEvents(body.input, { signal }), { schema: z.object({ input: z.string() }) });
    const events = await lastValueFrom(fromServerSentEvents<StreamEvent>(url, { body: { input: 'Hi' } }).pipe(toArray()));
    expect(events.map((event) => event.event)).toEqual(['on_chat_model_start', 'on_chat_model_stream', 'on_chat_model_stream', 'on_chat_model_end']);
    expect(events[1].data.chunk).toBeInstanceOf(AIMessageChunk);
    expect(events[3].data.output.content).toBe('Hello there');
  });

  it('sends the stream headers: event stream, no caching, no proxy buffering, the run id', async () => {
    const url = await serve(() => [1]);
    const answer = await rawRequest(url, { body: '{}' });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' });
    const runId = answer.headers['x-run-id'] as string;
    expect(frameIds(answer.body)).toEqual([`${runId}:1`, `${runId}:2`]);
    expect(answer.body.startsWith('retry: 3000\n\n')).toBe(true);
  });

  it('answers a body the schema rejects with a 400 JSON error, streams nothing and never calls the handler', async () => {
    let calls = 0;
    const url = await serve(() => {
      calls++;
      return [1];
    }, { schema: z.object({ input: z.string() }) });
    const answer = await rawRequest(url, { body: JSON.stringify({ input: 3 }) });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ error: { name: 'RequestBodyError', message: expect.stringContaining('input'), fields: { issues: [{ path: ['input'], message: expect.any(String) }] } } });
    expect((await rawRequest(url, { body: '{not json' })).status).toBe(400);
    expect(calls).toBe(0);
    await expect(lastValueFrom(fromServerSentEvents(url, { body: { input: 1 } }))).rejects.toMatchObject({ name: 'RequestBodyError', status: 400 });
  });

  it('refuses a body larger than maxBodyBytes with a 413', async () => {
    const url = await serve(() => [1], { maxBodyBytes: 64 });
    expect((await rawRequest(url, { body: JSON.stringify({ input: 'x'.repeat(100) }) })).status).toBe(413);
  });

  it('stops the run at once when the client leaves (no replay): the handler\'s stream is unsubscribed and its signal aborted', async () => {
    const { handler, record } = slowChunks(1000, 5);
    const url = await serve(handler);
    const received: unknown[] = [];
    const subscription = fromServerSentEvents(url, { body: {} }).subscribe((value) => received.push(value));
    await waitFor(() => received.length >= 3);
    const leftAt = Date.now();
    subscription.unsubscribe();
    await waitFor(() => record.unsubscribedAt !== undefined);
    expect(record.unsubscribedAt! - leftAt).toBeLessThan(100);
    expect(record.signal?.aborted).toBe(true);
  });

  it('with maskErrors: false, ends a failed run with the typed error itself, key-shaped secrets masked', async () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwx';
    const url = await serve(() => new Observable((subscriber) => {
      subscriber.next(new AIMessageChunk('partial'));
      subscriber.error(new ProviderError(`Incorrect API key provided: ${key}`, { status: 401, code: 'invalid_api_key' }));
    }), { maskErrors: false });
    const raw = await rawRequest(url, { body: '{}' });
    expect(raw.body).not.toContain('abcdefghijkl');
    const values: unknown[] = [];
    const error = await lastValueFrom(fromServerSentEvents(url, { body: {} }).pipe(map((value) => values.push(value)))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ message: 'Incorrect API key provided: ***', status: 401, code: 'invalid_api_key' });
    expect(String((error as Error).stack)).not.toContain('abcdefghijkl');
    expect(values).toHaveLength(1);
  });

  it('stops a run on DELETE <url>/<runId> and on the client\'s stop(): the stream ends with its closing frames', async () => {
    const { handler, record } = slowChunks(1000, 5);
    const url = await serve(handler, { replay: true });
    const stream = fromServerSentEvents<AIMessageChunk>(url, { body: {} });
    const received: AIMessageChunk[] = [];
    const done = lastValueFrom(stream.pipe(map((chunk) => received.push(chunk)), toArray()));
    await waitFor(() => received.length >= 2);
    await stream.stop();
    await done;
    expect(record.unsubscribedAt).toBeDefined();
    expect(received.length).toBeLessThan(1000);
  });

  it('keeps a run going after a disconnect when replay is on, and a resume gets exactly the frames after its Last-Event-ID', async () => {
    const { handler, record } = slowChunks(30, 4);
    const url = await serve(handler, { replay: true });
    const first = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const runId = first.headers.get('x-run-id')!;
    await first.body!.cancel();
    await delay(30);
    expect(record.unsubscribedAt).toBeUndefined();
    const resumed = await rawRequest(`${url}/${runId}`, { method: 'GET', headers: { 'last-event-id': `${runId}:3` } });
    const ids = frameIds(resumed.body);
    expect(ids[0]).toBe(`${runId}:4`);
    expect(ids).toHaveLength(30 - 3 + 1);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ends streams with a final error frame on shutdown and refuses new requests', async () => {
    const { handler, record } = slowChunks(1000, 5);
    const endpoint = sseEndpoint(handler);
    server = await startEndpointServer(endpoint);
    const received: unknown[] = [];
    const done = lastValueFrom(fromServerSentEvents(server.url, { body: {} }).pipe(map((value) => received.push(value)))).catch((error: unknown) => error);
    await waitFor(() => received.length >= 2);
    await endpoint.close();
    const error = await done;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toBe('The server is shutting down');
    expect(record.unsubscribedAt).toBeDefined();
    expect(endpoint.activeRuns).toBe(0);
    const refused = await rawRequest(server.url, { body: '{}' });
    expect([refused.status, JSON.parse(refused.body).error.message]).toEqual([503, 'The server is shutting down']);
  });

  it('answers CORS preflights and exposes the run id to the allowed origin', async () => {
    const url = await serve(() => [1], { cors: { origin: ['https://app.example'] } });
    const preflight = await rawRequest(url, { method: 'OPTIONS', headers: { origin: 'https://app.example' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example', 'access-control-allow-headers': expect.stringContaining('last-event-id') });
    const answer = await rawRequest(url, { body: '{}', headers: { origin: 'https://app.example' } });
    expect(answer.headers['access-control-expose-headers']).toBe('x-run-id');
    const other = await rawRequest(url, { body: '{}', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends heartbeats while the handler is silent', async () => {
    const url = await serve(() => new Observable((subscriber) => {
      const timer = setTimeout(() => subscriber.complete(), 60);
      return () => clearTimeout(timer);
    }), { heartbeatMs: 15 });
    const answer = await rawRequest(url, { body: '{}' });
    expect(answer.body.match(/^: keep-alive$/gm)?.length).toBeGreaterThanOrEqual(2);
  });
});
