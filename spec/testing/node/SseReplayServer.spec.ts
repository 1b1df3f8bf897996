import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError } from '../../../src/errors/InvalidOptionError.js';
import { SseReplayServer } from '../../../src/testing/node/SseReplayServer.js';
import { splitBody } from '../../../src/testing/node/sseReplayInternals.js';

const BODY = 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n';

/** Reads a whole response, recording the size of every read the client got. */
async function readAll(response: Response): Promise<{ text: string; reads: number[] }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const reads: number[] = [];
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), reads };
    reads.push(value.length);
    text += decoder.decode(value, { stream: true });
  }
}

function post(baseURL: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${baseURL}/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(signal && { signal }),
  });
}

describe('SseReplayServer', () => {
  let server: SseReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(options: ConstructorParameters<typeof SseReplayServer>[0]): Promise<string> {
    server = new SseReplayServer(options);
    return server.start();
  }

  it('serves a body whole on 127.0.0.1 as text/event-stream, with a /v1 base URL', async () => {
    const baseURL = await start({ body: BODY });
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await post(baseURL, {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect((await readAll(response)).text).toBe(BODY);
  });

  it('serves the bytes of a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-replay-'));
    try {
      const file = join(dir, 'stream.sse');
      writeFileSync(file, 'data: {"from":"file"}\n\n');
      const baseURL = await start({ file });
      expect((await readAll(await post(baseURL, {}))).text).toBe('data: {"from":"file"}\n\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to start when the file is missing', async () => {
    server = new SseReplayServer({ file: join(tmpdir(), 'no-such-recording.sse') });
    await expect(server.start()).rejects.toThrow(/ENOENT/);
  });

  it('writes one byte at a time, each reaching the client on its own', async () => {
    // A pause between writes keeps the client from reading two of them at once.
    const baseURL = await start({ body: 'data: é\n\n', chunking: 1, delayMs: 15 });
    const { text, reads } = await readAll(await post(baseURL, {}));
    expect(text).toBe('data: é\n\n');
    // 'é' is two bytes: ten writes in all.
    expect(reads).toEqual(new Array(10).fill(1));
  });

  it('cuts the body at explicit byte offsets', async () => {
    const baseURL = await start({ body: BODY, chunking: [5, 20], delayMs: 15 });
    const { text, reads } = await readAll(await post(baseURL, {}));
    expect(text).toBe(BODY);
    expect(reads).toEqual([5, 15, BODY.length - 20]);
  });

  it('waits delayMs before each write', async () => {
    const baseURL = await start({ body: 'abcd', chunking: 2, delayMs: 40 });
    const started = Date.now();
    const { text } = await readAll(await post(baseURL, {}));
    expect(text).toBe('abcd');
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('answers with a status, headers and a JSON error body', async () => {
    const baseURL = await start({ status: 429, headers: { 'Retry-After': '3' }, json: { error: { message: 'slow down' } } });
    const response = await post(baseURL, {});
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ error: { message: 'slow down' } });
  });

  it('follows a script of responses, one per request, the last one repeating', async () => {
    const baseURL = await start({ responses: [{ status: 500, json: { error: { message: 'boom' } } }, { body: 'ok' }] });
    expect((await post(baseURL, {})).status).toBe(500);
    expect((await readAll(await post(baseURL, {}))).text).toBe('ok');
    expect((await readAll(await post(baseURL, {}))).text).toBe('ok');
    expect(server!.requests.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('records each request with its JSON body and the credentials redacted', async () => {
    const baseURL = await start({ body: BODY });
    await readAll(await post(baseURL, { model: 'm', stream: true }, { authorization: 'Bearer sk-proj-secret123456', 'x-custom': 'kept' }));
    const [request] = server!.requests;
    expect(request).toEqual(expect.objectContaining({ index: 0, method: 'POST', url: '/v1/chat/completions', body: { model: 'm', stream: true } }));
    expect(request.headers.authorization).toBe('[redacted]');
    expect(request.headers['x-custom']).toBe('kept');
    expect(JSON.stringify(server!.requests)).not.toContain('sk-proj-secret123456');
  });

  it('stalls after stallAfterBytes with the connection open, until the client closes it', async () => {
    const baseURL = await start({ body: BODY, stallAfterBytes: 15 });
    const controller = new AbortController();
    const reader = (await post(baseURL, {}, {}, controller.signal)).body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(BODY.slice(0, 15));
    const closed = server!.clientClosed(0);
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    expect(await closed).toEqual(expect.objectContaining({ closedByClient: true, bytesWritten: 15 }));
  });

  it('destroys the connection after dropAfterBytes, so the client sees a broken body', async () => {
    const baseURL = await start({ body: BODY, dropAfterBytes: 15 });
    const reader = (await post(baseURL, {})).body!.getReader();
    let received = '';
    const failure = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return undefined;
          received += new TextDecoder().decode(value);
        }
      } catch (error) {
        return error;
      }
    })();
    expect(received).toBe(BODY.slice(0, 15));
    // fetch's TypeError comes from another realm under jest: compare by shape.
    expect(failure).toEqual(expect.objectContaining({ name: 'TypeError', message: 'terminated' }));
    expect(await server!.responseClosed(0)).toEqual(expect.objectContaining({ closedByClient: false, bytesWritten: 15 }));
  });

  it('reports a response the client read to the end as not closed by the client', async () => {
    const baseURL = await start({ body: BODY });
    await readAll(await post(baseURL, {}));
    await expect(server!.clientClosed(0)).rejects.toThrow(/without the client closing it/);
  });

  it('close() ends a stalled response, clears its timers and rejects waits for requests that never came', async () => {
    const baseURL = await start({ body: BODY, chunking: 1, delayMs: 10_000 });
    const response = await post(baseURL, {});
    const pending = server!.responseClosed(1);
    const reading = readAll(response).catch((error: unknown) => error);
    await server!.close();
    expect(await reading).toEqual(expect.objectContaining({ name: 'TypeError', message: 'terminated' }));
    await expect(pending).rejects.toThrow(/closed before request 1/);
    expect(server!.requests[0].closedByClient).toBe(false);
  });

  it('can be closed before it started, and twice', async () => {
    server = new SseReplayServer({ body: BODY });
    await server.close();
    await server.close();
  });
});

describe('splitBody', () => {
  const bytes = new TextEncoder().encode('0123456789');
  const texts = (pieces: Uint8Array[]) => pieces.map((piece) => new TextDecoder().decode(piece));

  it('keeps the body whole', () => {
    expect(texts(splitBody(bytes, 'whole', Infinity))).toEqual(['0123456789']);
  });

  it('cuts every n bytes', () => {
    expect(texts(splitBody(bytes, 4, Infinity))).toEqual(['0123', '4567', '89']);
  });

  it('cuts at offsets, ignoring ones outside the body', () => {
    expect(texts(splitBody(bytes, [0, 3, 7, 50], Infinity))).toEqual(['012', '3456', '789']);
  });

  it('truncates to the limit', () => {
    expect(texts(splitBody(bytes, 3, 5))).toEqual(['012', '34']);
  });

  it('rejects a chunk size that is not a positive integer, and offsets out of order', () => {
    expect(() => splitBody(bytes, 0, Infinity)).toThrow('SseReplayServer: chunking must be a positive integer, got 0');
    expect(() => splitBody(bytes, 1.5, Infinity)).toThrow(InvalidOptionError);
    expect(() => splitBody(bytes, [5, 2], Infinity)).toThrow("SseReplayServer: chunking must be 'whole', a positive integer of bytes or strictly increasing byte offsets, got an array of 2");
  });

  it('gives nothing for an empty body', () => {
    expect(splitBody(new Uint8Array(), 1, Infinity)).toEqual([]);
  });
});
