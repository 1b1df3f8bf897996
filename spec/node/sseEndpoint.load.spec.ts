import { connect, type Socket } from 'node:net';
import { concatMap, finalize, lastValueFrom, map, of, range, timer, toArray } from 'rxjs';
import { MemoryReplayStore } from '../../src/node/MemoryReplayStore.js';
import { sseEndpoint } from '../../src/node/sseEndpoint.js';
import { fromServerSentEvents } from '../../src/sse/fromServerSentEvents.js';
import { startEndpointServer, type EndpointServer } from './support/startEndpointServer.js';
import { waitFor } from './support/requests.js';

const FRAME_TEXT = 'x'.repeat(64 * 1024);
const FRAMES = 800; // 800 × 64 KiB ≈ 50 MiB

/**
 * A raw client that sends the request and then never reads: the socket is paused from the start.
 * A paused socket never sees its connection closed (the server's FIN waits behind unread data),
 * so the test watches the server's side of it.
 */
function stalledReader(url: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      const body = '{}';
      socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** The server's socket for the client socket `client`. */
async function serverSideOf(server: EndpointServer, client: Socket): Promise<Socket> {
  let found: Socket | undefined;
  await waitFor(() => (found = [...server.sockets].find((socket) => socket.remotePort === client.localPort)) !== undefined);
  return found!;
}

describe('sseEndpoint under load', () => {
  let server: EndpointServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('bounds the heap while 50 MB are produced for a reader that stopped reading: its connection is closed by policy, other clients go on', async () => {
    let produced = 0;
    let ended = false;
    const store = new MemoryReplayStore({ maxEvents: 32 });
    const big = () => range(0, FRAMES).pipe(
      // A pause every 16 frames: a real producer (a model) yields to the event loop.
      concatMap((i) => (i % 16 === 0 ? timer(0).pipe(map(() => i)) : of(i))),
      map(() => {
        produced++;
        return FRAME_TEXT;
      }),
      finalize(() => (ended = true)),
    );
    const small = () => range(0, 50);
    server = await startEndpointServer(sseEndpoint((body: { size?: string }) => (body?.size === 'small' ? small() : big()), {
      replay: { store }, maxBufferedBytes: 1024 * 1024,
    }));
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    try {
      const socket = await stalledReader(server.url);
      const serverSide = await serverSideOf(server, socket);
      // Another client, meanwhile, gets its whole stream.
      const other = await lastValueFrom(fromServerSentEvents<number>(server.url, { body: { size: 'small' } }).pipe(toArray()));
      expect(other).toEqual([...Array(50).keys()]);
      await waitFor(() => serverSide.destroyed, 10_000);
      // With replay the run outlives its first connection: every frame is produced, the store keeps the newest.
      await waitFor(() => ended, 15_000);
      expect(produced).toBe(FRAMES);
      expect(store.size).toBeLessThanOrEqual(32);
      socket.destroy();
    } finally {
      clearInterval(sampler);
    }
    // 50 MiB went through; what stayed is the store (32 frames, 2 MiB) and the bounded buffers.
    expect(peak - baseline).toBeLessThan(30 * 1024 * 1024);
  });

  it('stops producing for a stalled reader when nothing can resume it (no replay)', async () => {
    let produced = 0;
    const big = () => range(0, FRAMES).pipe(
      concatMap((i) => (i % 16 === 0 ? timer(0).pipe(map(() => i)) : of(i))),
      map(() => {
        produced++;
        return FRAME_TEXT;
      }),
    );
    const endpoint = sseEndpoint(big, { maxBufferedBytes: 512 * 1024 });
    server = await startEndpointServer(endpoint);
    const socket = await stalledReader(server.url);
    const serverSide = await serverSideOf(server, socket);
    await waitFor(() => serverSide.destroyed, 10_000);
    await waitFor(() => endpoint.activeRuns === 0);
    const stoppedAt = produced;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(produced).toBe(stoppedAt);
    expect(produced).toBeLessThan(FRAMES / 2);
    socket.destroy();
  });

  it("with 'drop-oldest', keeps a stalled reader connected, drops its oldest frames and delivers the newest when it reads again", async () => {
    let ended = false;
    const snapshots = () => range(0, 200).pipe(
      concatMap((i) => (i % 16 === 0 ? timer(0).pipe(map(() => i)) : of(i))),
      map((n) => ({ n, pad: FRAME_TEXT })),
      finalize(() => (ended = true)),
    );
    const endpoint = sseEndpoint(snapshots, { slowClient: 'drop-oldest', maxBufferedBytes: 512 * 1024 });
    server = await startEndpointServer(endpoint);
    const socket = await stalledReader(server.url);
    const serverSide = await serverSideOf(server, socket);
    await waitFor(() => ended, 10_000);
    expect(serverSide.destroyed).toBe(false);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (part: string) => (text += part));
    socket.resume();
    await waitFor(() => text.endsWith('0\r\n\r\n'), 10_000);
    const numbers = [...text.matchAll(/"n":(\d+)/g)].map((match) => Number(match[1]));
    // Dropped frames leave gaps, never a repeat or a wrong order, and the last snapshot arrives.
    expect(numbers[numbers.length - 1]).toBe(199);
    expect(numbers.length).toBeLessThan(200);
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1])).toBe(true);
    socket.destroy();
  });

  it('serves 100 clients at once, each its whole stream', async () => {
    const endpoint = sseEndpoint((body: { client: number }) => range(0, 40).pipe(map((i) => ({ client: body.client, i }))));
    server = await startEndpointServer(endpoint);
    const url = server.url;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 100 }, (_, client) =>
      lastValueFrom(fromServerSentEvents<{ client: number; i: number }>(url, { body: { client } }).pipe(toArray()))));
    expect(Date.now() - started).toBeLessThan(10_000);
    results.forEach((values, client) => expect(values).toEqual(Array.from({ length: 40 }, (_, i) => ({ client, i }))));
    expect(endpoint.activeRuns).toBe(0);
  });
});
