import { createServer, type AddressInfo, type Socket } from 'node:net';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { APIConnectionError, StreamTimeoutError } from '../../src/errors/errors.js';
import { concatChunks } from '../../src/messages/AIMessageChunk.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { ANSWER, ANSWER_BODY, ANSWER_CHUNKS, PARTS, bytesOfFrames, collect, withServer } from './support/faultSupport.js';
import { TEST_KEY } from '../support/replaySupport.js';

/** Byte offsets of every frame boundary of the answer: with `chunking` these write one frame per write. */
const FRAME_CUTS = ANSWER_CHUNKS.map((_, index) => bytesOfFrames(index + 1));

const COMPLETION = {
  id: 'chatcmpl-own', object: 'chat.completion', created: 1700000000, model: 'own-model',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: ANSWER } }],
};

// Every test runs real timers against a loopback server; --detectOpenHandles fails a run that
// leaves a socket or a timer behind.
describe('ChatOpenAI timeout options', () => {
  it('idleTimeoutMs: a body that stalls fails with StreamTimeoutError("idle") after the chunks, and the request is aborted', async () => {
    await withServer({ body: ANSWER_BODY, stallAfterBytes: bytesOfFrames(3) }, async (server, model) => {
      const { values, error, elapsedMs } = await collect(model.stream('Hi'));
      expect(values.map((chunk) => chunk.content)).toEqual(['', PARTS[0], PARTS[1]]);
      expect(error).toBeInstanceOf(StreamTimeoutError);
      expect(error).toEqual(expect.objectContaining({ kind: 'idle', timeoutMs: 100 }));
      expect(elapsedMs).toBeGreaterThanOrEqual(100);
      expect((await server.clientClosed(0)).bytesWritten).toBe(bytesOfFrames(3));
    }, { idleTimeoutMs: 100 });
  });

  it('firstChunkTimeoutMs: headers but no body fails with StreamTimeoutError("first-chunk"), and the request is aborted', async () => {
    await withServer({ body: ANSWER_BODY, stallAfterBytes: 0 }, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(values).toEqual([]);
      expect(error).toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'first-chunk', timeoutMs: 80 }));
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { firstChunkTimeoutMs: 80, idleTimeoutMs: 1000 });
  });

  it('firstChunkTimeoutMs also covers a server that reads the request and never sends headers: the connection is closed', async () => {
    const silent = await silentServer();
    try {
      const model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: silent.baseURL, maxRetries: 0, firstChunkTimeoutMs: 150 });
      const { values, error } = await collect(model.stream('Hi'));
      expect(values).toEqual([]);
      expect(error).toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'first-chunk', timeoutMs: 150 }));
      await silent.requestClosed;
    } finally {
      await silent.close();
    }
  });

  it('idleTimeoutMs alone also bounds the wait for the first chunk, reported as "idle"', async () => {
    await withServer({ body: ANSWER_BODY, stallAfterBytes: 0 }, async (server, model) => {
      const { error } = await collect(model.stream('Hi'));
      expect(error).toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'idle', timeoutMs: 60 }));
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { idleTimeoutMs: 60 });
  });

  it('the client\'s own timeout stops at the headers: a stalled body outlives it, only idleTimeoutMs ends it', async () => {
    await withServer({ body: ANSWER_BODY, stallAfterBytes: bytesOfFrames(2) }, async (server, model) => {
      const { values, error, elapsedMs } = await collect(model.stream('Hi'));
      expect(values.map((chunk) => chunk.content)).toEqual(['', PARTS[0]]);
      expect(error).not.toBeInstanceOf(APIConnectionError);
      expect(error).toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'idle' }));
      // Well past the client's 30 ms: its timer was cleared when the headers came.
      expect(elapsedMs).toBeGreaterThanOrEqual(150);
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { timeout: 30, idleTimeoutMs: 150 });
  });

  it('totalTimeoutMs: a body that keeps trickling fails with StreamTimeoutError("total") and is aborted', async () => {
    await withServer({ body: ANSWER_BODY, chunking: FRAME_CUTS, delayMs: 40 }, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(error).toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'total', timeoutMs: 130 }));
      const text = concatChunks(values).content;
      expect(text.length).toBeLessThan(ANSWER.length);
      expect(ANSWER.startsWith(text)).toBe(true);
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { idleTimeoutMs: 1000, totalTimeoutMs: 130 });
  });

  it('limits are per gap: a slow but steady stream longer than idleTimeoutMs in all completes whole', async () => {
    await withServer({ body: ANSWER_BODY, chunking: FRAME_CUTS, delayMs: 20 }, async (server, model) => {
      const { values, error, elapsedMs } = await collect(model.stream('Hi'));
      expect(error).toBeUndefined();
      expect(concatChunks(values).content).toBe(ANSWER);
      expect(elapsedMs).toBeGreaterThan(100);
      expect((await server.responseClosed(0)).closedByClient).toBe(false);
    }, { firstChunkTimeoutMs: 100, idleTimeoutMs: 100 });
  });

  it('invoke with streaming: true is watched like a stream', async () => {
    await withServer({ body: ANSWER_BODY, stallAfterBytes: bytesOfFrames(2) }, async (server, model) => {
      await expect(model.invoke('Hi')).rejects.toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'idle' }));
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { streaming: true, idleTimeoutMs: 60 });
  });

  it('a non-streaming invoke is bounded by totalTimeoutMs only: its one chunk comes after the whole generation', async () => {
    const slowJson = { json: COMPLETION, delayMs: 120 };
    await withServer(slowJson, async (_server, model) => {
      expect((await model.invoke('Hi')).content).toBe(ANSWER);
    }, { firstChunkTimeoutMs: 40, idleTimeoutMs: 40 });
    await withServer(slowJson, async (server, model) => {
      await expect(model.invoke('Hi')).rejects.toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'total', timeoutMs: 40 }));
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { totalTimeoutMs: 40 });
  });

  it('batch runs each input under its own limits', async () => {
    await withServer({ responses: [{ body: ANSWER_BODY, stallAfterBytes: bytesOfFrames(2) }, { body: ANSWER_BODY }] }, async (server, model) => {
      const [first, second] = await model.batch(['one', 'two'], { maxConcurrency: 1 }, { returnExceptions: true });
      expect(first).toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'idle' }));
      expect(second).toEqual(expect.objectContaining({ content: ANSWER }));
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { streaming: true, idleTimeoutMs: 60 });
  });

  it.each([0, -5, Number.NaN])('refuses %p as a limit when the model is created', (value) => {
    for (const option of ['firstChunkTimeoutMs', 'idleTimeoutMs', 'totalTimeoutMs'] as const) {
      expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, [option]: value })).toThrow(RxllmError);
      expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, [option]: value })).toThrow(option);
    }
  });

  it('takes Infinity as "no limit", and copies made by withCallOptions keep the limits', async () => {
    await withServer({ body: ANSWER_BODY, stallAfterBytes: bytesOfFrames(2) }, async (server, model) => {
      const { error } = await collect(model.withCallOptions({ stop: ['\n'] }).stream('Hi'));
      expect(error).toEqual(expect.objectContaining({ name: 'StreamTimeoutError', kind: 'total', timeoutMs: 80 }));
      expect(server.requests[0].body).toEqual(expect.objectContaining({ stop: ['\n'] }));
      expect((await server.clientClosed(0)).closedByClient).toBe(true);
    }, { idleTimeoutMs: Infinity, totalTimeoutMs: 80 });
  });
});

/**
 * A TCP server that reads requests and never answers. `requestClosed` resolves when a connection
 * that carried a request is closed by the client, and rejects if that takes more than a second.
 */
async function silentServer(): Promise<{ baseURL: string; requestClosed: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let onClosed!: () => void;
  let guard: NodeJS.Timeout | undefined;
  const requestClosed = new Promise<void>((resolve, reject) => {
    onClosed = resolve;
    guard = setTimeout(() => reject(new Error('no connection carrying a request was closed within 1 s')), 1000);
  }).finally(() => clearTimeout(guard));
  requestClosed.catch(() => undefined);
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.once('close', () => onClosed()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requestClosed,
    close: async () => {
      clearTimeout(guard);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
