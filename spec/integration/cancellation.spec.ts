import { getEventListeners } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AbortError } from '../../src/errors/errors.js';
import type { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';

/** Three chunks, then the server stalls with the connection open: only cancellation can end it. */
const HEAD = sseBody([wireChunk({ content: 'one ' }), wireChunk({ content: 'two ' }), wireChunk({ content: 'three' })], { done: false });
const BODY = HEAD + sseBody([wireChunk({ content: ' never' })]);

// Jest fails a test on any unhandled rejection, and --detectOpenHandles reports a socket or timer
// left behind: both are checked by every test here without extra code.
describe('ChatOpenAI cancellation', () => {
  let server: SseReplayServer;
  let model: ChatOpenAI;

  beforeEach(async () => {
    server = new SseReplayServer({ body: BODY, stallAfterBytes: HEAD.length });
    model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: await server.start(), maxRetries: 0, streaming: true });
  });

  afterEach(async () => {
    await server.close();
  });

  it('unsubscribing aborts the request: the server sees the connection close', async () => {
    const seen: string[] = [];
    const subscription = model.stream('Hi').subscribe({
      next: (chunk) => {
        seen.push(chunk.content);
        if (seen.length === 2) subscription.unsubscribe();
      },
    });
    const closed = await server.clientClosed(0);
    expect(closed.closedByClient).toBe(true);
    expect(seen).toEqual(['one ', 'two ']);
    expect(subscription.closed).toBe(true);
  });

  it('break in for await aborts the request', async () => {
    const seen: string[] = [];
    for await (const chunk of model.stream('Hi')) {
      seen.push(chunk.content);
      if (chunk.content === 'two ') break;
    }
    expect(seen).toEqual(['one ', 'two ']);
    expect((await server.clientClosed(0)).closedByClient).toBe(true);
  });

  it('aborting config.signal aborts the request and ends the stream with AbortError', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await new Promise<unknown>((resolve) => {
      model.stream('Hi', { signal: controller.signal }).subscribe({
        next: (chunk) => {
          seen.push(chunk.content);
          if (seen.length === 3) controller.abort();
        },
        error: resolve,
        complete: () => resolve(undefined),
      });
    });
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toEqual(['one ', 'two ', 'three']);
    expect((await server.clientClosed(0)).closedByClient).toBe(true);
  });

  it('aborting a signal used by invoke rejects it with AbortError and closes the connection', async () => {
    const controller = new AbortController();
    const answer = model.invoke('Hi', { signal: controller.signal });
    await waitFor(() => server.requests.length === 1 && server.requests[0].bytesWritten === HEAD.length);
    controller.abort();
    await expect(answer).rejects.toBeInstanceOf(AbortError);
    expect((await server.clientClosed(0)).closedByClient).toBe(true);
  });

  it('an already aborted signal sends no request', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(model.invoke('Hi', { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('one signal shared by many runs, cancelled one after another, leaks no listener', async () => {
    const controller = new AbortController();
    for (let run = 0; run < 15; run++) {
      for await (const chunk of model.stream('Hi', { signal: controller.signal })) {
        if (chunk.content === 'one ') break;
      }
    }
    expect(server.requests).toHaveLength(15);
    for (let run = 0; run < 15; run++) expect((await server.clientClosed(run)).closedByClient).toBe(true);
    // What MaxListenersExceededWarning would warn about: listeners piling up on the shared signal.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('several concurrent runs on one signal all close when it aborts', async () => {
    const controller = new AbortController();
    const runs = Array.from({ length: 6 }, () => model.invoke('Hi', { signal: controller.signal }).catch((e: unknown) => e));
    await waitFor(() => server.requests.length === 6 && server.requests.every((r) => r.bytesWritten === HEAD.length));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(6);
    controller.abort();
    for (const error of await Promise.all(runs)) expect(error).toBeInstanceOf(AbortError);
    for (let run = 0; run < 6; run++) expect((await server.clientClosed(run)).closedByClient).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a run that completes removes its listener from the signal', async () => {
    const done = new SseReplayServer({ body: BODY });
    try {
      const complete = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: await done.start(), maxRetries: 0 });
      const controller = new AbortController();
      for (let run = 0; run < 12; run++) expect((await complete.invoke('Hi', { signal: controller.signal })).content).toBe('one two three never');
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      await done.close();
    }
  });

  it('unsubscribing before the response headers arrive closes the connection too', async () => {
    const silent = await silentServer();
    try {
      const quiet = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: silent.baseURL, maxRetries: 0 });
      const chunks: AIMessageChunk[] = [];
      const subscription = quiet.stream('Hi').subscribe((chunk) => chunks.push(chunk));
      const socket = await silent.connected;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      subscription.unsubscribe();
      await closed;
      expect(chunks).toEqual([]);
    } finally {
      await silent.close();
    }
  });
});

/** Polls `condition` every few milliseconds (bounded: fails after 5 s). */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A TCP server that accepts a connection and never answers. */
async function silentServer(): Promise<{ baseURL: string; connected: Promise<Socket>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let onConnection!: (socket: Socket) => void;
  const connected = new Promise<Socket>((resolve) => (onConnection = resolve));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    connected,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
