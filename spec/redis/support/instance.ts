// One server instance of the multi-instance specs, run as a child process
// (`node -r ts-node/register spec/redis/support/instance.ts`): `sseEndpoint` with a
// `RedisStreamStore` on a loopback port, over a scripted slow model. It reports to its parent over
// IPC: when it listens, and when a model request starts, finishes or is cancelled (unsubscribed).
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { Observable, concatMap, interval, map, range, take } from 'rxjs';
import { sseEndpoint } from '../../../src/node/sseEndpoint.js';
import { RedisStreamStore } from '../../../src/redis/RedisStreamStore.js';
import { ScriptedChatModel } from '../../../src/testing/ScriptedChatModel.js';

/** What a run streams: the model's chunks (`words` of them), or `count` numbered values in bursts. */
export type InstanceBody =
  | { kind: 'model'; words: number; intervalMs: number }
  | { kind: 'count'; count: number; burst: number; intervalMs: number };

/** What an instance tells its parent. */
export type InstanceReport =
  | { type: 'listening'; url: string; pid: number }
  | { type: 'model-start' | 'model-done' | 'model-cancelled'; runId: string; at: number };

const report = (message: InstanceReport) => process.send?.(message);

/** The model request of one run, reported when it starts and when it ends or is unsubscribed. */
function observed<T>(runId: string, source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let finished = false;
    report({ type: 'model-start', runId, at: Date.now() });
    const subscription = source.subscribe({
      next: (value) => subscriber.next(value),
      error: (error: unknown) => {
        finished = true;
        subscriber.error(error);
      },
      complete: () => {
        finished = true;
        report({ type: 'model-done', runId, at: Date.now() });
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (!finished) report({ type: 'model-cancelled', runId, at: Date.now() });
    };
  });
}

function stream(body: InstanceBody): Observable<unknown> {
  if (body.kind === 'model') {
    const text = Array.from({ length: body.words }, (_, i) => `w${i}`).join(' ');
    return new ScriptedChatModel({ responses: [text], chunkBy: 'word', intervalMs: body.intervalMs }).stream('Go');
  }
  return interval(body.intervalMs).pipe(
    take(Math.ceil(body.count / body.burst)),
    concatMap((i) => range(i * body.burst, Math.min(body.burst, body.count - i * body.burst))),
    map((n) => ({ n })),
  );
}

async function main(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2 });
  const store = new RedisStreamStore({
    redis,
    keyPrefix: process.env.RXLLM_PREFIX!,
    leaseMs: Number(process.env.RXLLM_LEASE_MS ?? 5_000),
    ttlMs: Number(process.env.RXLLM_TTL_MS ?? 60_000),
  });
  const endpoint = sseEndpoint<InstanceBody>((body, { runId }) => observed(runId, stream(body)), { replay: { store }, heartbeatMs: Infinity });
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => void endpoint(request, response));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  report({ type: 'listening', url: `http://127.0.0.1:${port}/chat`, pid: process.pid });
  process.on('message', async (message: { type: string }) => {
    if (message.type !== 'close') return;
    await endpoint.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await redis.quit();
    process.disconnect();
  });
}

void main();
