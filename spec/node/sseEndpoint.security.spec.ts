import { Observable, lastValueFrom, map, throwError } from 'rxjs';
import { MaskedError, ProviderError, RateLimitError } from '../../src/errors/errors.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { MemoryReplayStore } from '../../src/node/MemoryReplayStore.js';
import { sseEndpoint, type SseEndpointOptions, type SseHandler } from '../../src/node/sseEndpoint.js';
import { fromServerSentEvents } from '../../src/sse/fromServerSentEvents.js';
import { startEndpointServer, type EndpointServer } from './support/startEndpointServer.js';
import { rawRequest } from './support/requests.js';

// Not key-shaped, and never registered: only masking keeps them from the client.
const SERVER_BODY = 'org-Acme-7781 exceeded its monthly budget';
const PASSWORD = 'Hunter2-Gateway-Pw';
const KEY = 'sk-proj-Zq81mWx40pLr7TnB2cVd';

/** A run that streams one chunk, then fails with an error that carries a key, a server body, headers and a URL with credentials. */
const leakyRun: SseHandler<unknown> = () => new Observable((subscriber) => {
  subscriber.next(new AIMessageChunk('partial'));
  subscriber.error(Object.assign(new ProviderError(`Incorrect API key provided: ${KEY}; ${SERVER_BODY}`, { status: 401, code: SERVER_BODY }), {
    headers: { 'x-gateway-token': PASSWORD },
    url: `https://admin:${PASSWORD}@llm.internal.example/v1`,
  }));
});

function expectClean(text: string): void {
  for (const fragment of [KEY, 'Zq81mWx4', SERVER_BODY, 'Acme', PASSWORD, 'llm.internal', 'at ']) expect(text).not.toContain(fragment);
}

describe('sseEndpoint security', () => {
  let server: EndpointServer | undefined;
  const serve = async <B>(handler: SseHandler<B>, options?: SseEndpointOptions<B>) => {
    server = await startEndpointServer(sseEndpoint(handler, options));
    return server.url;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
    jest.restoreAllMocks();
  });

  it('sends the security headers of an event stream, and no CORS header unless cors is set', async () => {
    const url = await serve(() => [1]);
    const answer = await rawRequest(url, { body: '{}', headers: { origin: 'https://evil.example' } });
    expect(answer.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = await rawRequest(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const refused = await rawRequest(url, { body: '{not json' });
    expect(refused.status).toBe(400);
    expect(refused.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  });

  it('keeps the security headers on a resumed stream, and lets the headers option override one', async () => {
    const url = await serve(() => [1], { replay: true, headers: { 'cache-control': 'private, no-store, no-transform' } });
    const first = await rawRequest(url, { body: '{}' });
    expect(first.headers['cache-control']).toBe('private, no-store, no-transform');
    const resumed = await rawRequest(`${url}/${first.headers['x-run-id'] as string}`, { method: 'GET' });
    expect(resumed.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' });
  });

  it('masks a failed run by default: the client gets a MaskedError, report gets the original', async () => {
    const reported: unknown[] = [];
    const url = await serve(leakyRun, { maskErrors: { report: (error) => reported.push(error) } });
    const raw = await rawRequest(url, { body: '{}' });
    expectClean(raw.body);
    const values: unknown[] = [];
    const error = await lastValueFrom(fromServerSentEvents(url, { body: {} }).pipe(map((value) => values.push(value)))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MaskedError);
    expect(error).toMatchObject({ kind: 'provider', retryable: false, message: 'The model provider could not answer the request' });
    expectClean(`${String(error)} ${JSON.stringify(error)} ${String((error as Error).stack).split('\n')[0]}`);
    expect(values).toHaveLength(1);
    expect(reported).toHaveLength(2);
    expect(reported[0]).toBeInstanceOf(ProviderError);
    expect((reported[0] as ProviderError).code).toBe(SERVER_BODY);
  });

  it('masks the error frame of every format', async () => {
    for (const format of ['rxllm', 'ai-sdk-ui', 'ag-ui', 'langchain'] as const) {
      const url = await serve(leakyRun, { format, maskErrors: { report: () => undefined } });
      const raw = await rawRequest(url, { body: '{}' });
      expect(raw.body).toContain('The model provider could not answer the request');
      expectClean(raw.body);
      await server!.close();
      server = undefined;
    }
  });

  it('keeps what the client can act on: a rate limit is retryable and says how long to wait', async () => {
    const url = await serve(() => throwError(() => new RateLimitError(`Limit reached for ${SERVER_BODY}`, { retryAfterMs: 2000 })), { maskErrors: { report: () => undefined } });
    const error = await lastValueFrom(fromServerSentEvents(url, { body: {} })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'MaskedError', kind: 'rate_limit', retryable: true, retryAfterMs: 2000 });
  });

  it('masks a handler that throws before it returns a stream', async () => {
    const reported: unknown[] = [];
    const url = await serve(() => {
      throw new Error(`cannot reach postgres://app:${PASSWORD}@db.internal/chat`);
    }, { maskErrors: { report: (error) => reported.push(error) } });
    const raw = await rawRequest(url, { body: '{}' });
    expect(raw.status).toBe(200);
    expect(raw.body).toContain('Something went wrong on the server');
    expectClean(raw.body);
    expect((reported[0] as Error).message).toContain('db.internal');
  });

  it('masks a failure outside a run (a 500 answer) and a replay store\'s failure on resume', async () => {
    const reported: unknown[] = [];
    class BrokenStore extends MemoryReplayStore {
      override read(): Observable<never> {
        return throwError(() => new Error(`redis://default:${PASSWORD}@cache.internal:6379 refused the connection`));
      }
    }
    const url = await serve(() => [1], {
      replay: { store: new BrokenStore() },
      threadId: () => {
        throw new Error(`session lookup failed at https://admin:${PASSWORD}@llm.internal.example`);
      },
      maskErrors: { report: (error) => reported.push(error) },
    });
    const failed = await rawRequest(url, { body: '{}' });
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ error: { name: 'MaskedError', message: 'Something went wrong on the server', fields: { kind: 'internal', retryable: false } } });
    const resumed = await rawRequest(`${url}/some-run`, { method: 'GET', headers: { 'last-event-id': 'some-run:2' } });
    expect(resumed.body).toContain('Something went wrong on the server');
    expectClean(resumed.body);
    expect(resumed.body).not.toContain('cache.internal');
    expect(reported.map((error) => (error as Error).message)).toEqual([expect.stringContaining('llm.internal'), expect.stringContaining('cache.internal')]);
  });

  it('reports to console.error by default, with key-shaped secrets masked and the server body kept for the operator', async () => {
    const logged: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((text: unknown) => void logged.push(String(text)));
    const url = await serve(leakyRun);
    expectClean((await rawRequest(url, { body: '{}' })).body);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^sseEndpoint: a run failed: ProviderError: Incorrect API key provided: \*\*\*; org-Acme-7781/);
    expect(logged[0]).not.toContain('Zq81mWx4');
  });

  it('refuses a maskErrors option it cannot use with an InvalidOptionError', () => {
    expect(() => sseEndpoint(() => [1], { maskErrors: 'yes' as never })).toThrow(InvalidOptionError);
    expect(() => sseEndpoint(() => [1], { maskErrors: { report: 'console' as never } })).toThrow('sseEndpoint: maskErrors.report must be a function of the original error');
  });
});
