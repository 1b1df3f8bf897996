/**
 * The Redis store benchmark (`npm run bench -- redis`, needs `REDIS_URL`):
 *
 * - per-event cost of `RedisStreamStore.append`, driven the way the endpoint drives it (one
 *   append after the other, each awaited through `concatMap`), against the floor: raw pipelined
 *   `XADD` of the very same frame texts from one process, one pipeline per event-loop turn as the
 *   store sends them. Two shapes: one run of 20,000 frames produced 250 per turn (a model's chunks
 *   parsed from one socket read), and 100 runs of 200 frames each producing one frame per turn.
 *   Target: the store at most 2× the floor's time.
 * - end to end: events per second through two instances (child processes running `sseEndpoint`
 *   with the store): 50 runs of 1,000 events started on one instance, each read whole through the
 *   other.
 */
import { Redis } from 'ioredis';
import { concatMap, from, lastValueFrom } from 'rxjs';
import type { StoredFrame } from '../src/node/ReplayStore.js';
import { RedisStreamStore } from '../src/redis/RedisStreamStore.js';
import { startInstance } from '../spec/redis/support/instances.js';
import { openStream } from '../spec/redis/support/sseClient.js';
import { formatNumber, formatRatio, medianTime, microsPer, printTable, verdict, type TimingOptions } from './benchInternals.js';

const TIMING = { warmup: 2, runs: 5 } as const satisfies TimingOptions;
const TARGET_RATIO = 2;
const E2E_RUNS = 50;
const E2E_EVENTS = 1_000;

/** A frame as the endpoint stores it: an `on_chat_model_stream` event in the `'rxllm'` format. */
function frameText(runId: string, seq: number): string {
  const event = { event: 'on_chat_model_stream', run_id: runId, name: 'ChatOpenAI', tags: [], metadata: {}, data: { chunk: { $rxllm: 'AIMessageChunk', content: ' token', id: 'chatcmpl-1' } } };
  return `id: ${runId}:${seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

function framesOf(runId: string, count: number): StoredFrame[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${runId}:${i + 1}`, seq: i + 1, text: frameText(runId, i + 1) }));
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** One shape of load: `runs` runs of `frames` frames; `perTurn` frames of each run per turn. */
interface Shape {
  readonly name: string;
  readonly runs: number;
  readonly frames: number;
  readonly perTurn: number;
}

const SHAPES: readonly Shape[] = [
  { name: '1 run × 20,000 frames, 250 per turn', runs: 1, frames: 20_000, perTurn: 250 },
  { name: '100 runs × 200 frames, a frame per run per turn', runs: 100, frames: 200, perTurn: 1 },
];

interface AppendCost {
  readonly rawMs: number;
  /** Raw `XADD` with a pipeline per run per turn, as runs fed by separate socket reads are sent (only with several runs). */
  readonly rawPerRunMs: number | undefined;
  readonly storeMs: number;
}

async function appendCost(redis: Redis, shape: Shape): Promise<AppendCost> {
  const prefix = `rxllm-bench:${process.pid}:`;
  let round = 0;
  const runIdsOf = () => Array.from({ length: shape.runs }, (_, i) => `r${round}-${i}`);

  const rawTime = (pipelinePerRun: boolean) => medianTime(async () => {
    round++;
    const runs = runIdsOf().map((runId) => ({ key: `${prefix}raw:${runId}`, frames: framesOf(runId, shape.frames) }));
    const replies: Array<Promise<unknown>> = [];
    for (let offset = 0; offset < shape.frames; offset += shape.perTurn) {
      let pipeline = redis.pipeline();
      for (const run of runs) {
        for (const frame of run.frames.slice(offset, offset + shape.perTurn)) pipeline.xadd(run.key, '*', 't', frame.text);
        if (pipelinePerRun) {
          replies.push(pipeline.exec());
          pipeline = redis.pipeline();
        }
      }
      if (!pipelinePerRun) replies.push(pipeline.exec());
      await nextTurn();
    }
    await Promise.all(replies);
    await deleteUnder(redis, `${prefix}raw:`);
  }, TIMING);
  const raw = await rawTime(false);
  const rawPerRun = shape.runs > 1 ? await rawTime(true) : undefined;

  const store = new RedisStreamStore({ redis, keyPrefix: `${prefix}store:` });
  const timed = await medianTime(async () => {
    round++;
    await Promise.all(runIdsOf().map(async (runId) => {
      const frames = framesOf(runId, shape.frames);
      await lastValueFrom(store.open(runId), { defaultValue: undefined });
      // The endpoint's own loop: each frame appended once the one before has been accepted, a
      // turn's frames through one concatMap. (A single concatMap over a synchronous burst of many
      // thousand frames overflows the stack once appends wait for Redis: rxjs drains its buffer
      // recursively.)
      for (let offset = 0; offset < frames.length; offset += shape.perTurn) {
        const burst = frames.slice(offset, offset + shape.perTurn);
        await lastValueFrom(from(burst).pipe(concatMap((frame) => store.append(runId, frame))), { defaultValue: undefined });
        await nextTurn();
      }
      // The end is answered after every append before it: the run is then wholly stored.
      await lastValueFrom(store.end(runId), { defaultValue: undefined });
    }));
    await deleteUnder(redis, `${prefix}store:`);
  }, TIMING);
  return { rawMs: raw.medianMs, rawPerRunMs: rawPerRun?.medianMs, storeMs: timed.medianMs };
}

async function endToEnd(): Promise<{ ms: number; events: number }> {
  const prefix = `rxllm-bench:${process.pid}:e2e:`;
  const [producer, reader] = await Promise.all([startInstance(prefix), startInstance(prefix)]);
  try {
    const once = async () => {
      const body = { kind: 'count', count: E2E_EVENTS, burst: 50, intervalMs: 1 };
      const start = process.hrtime.bigint();
      const received = await Promise.all(Array.from({ length: E2E_RUNS }, async () => {
        const started = openStream(producer.url, { body });
        const runId = await started.runId;
        // The client that started the run leaves once it has a frame (the open marker is in Redis
        // before the first frame is sent); the whole run is read through the other instance.
        await started.framesWithId(1);
        started.drop();
        const follower = openStream(`${reader.url}/${encodeURIComponent(runId)}`);
        const end = await follower.ended;
        if (end.kind !== 'end') throw new Error(`A run ended with ${JSON.stringify(end)}`);
        return follower.frames.filter((frame) => frame.data && !frame.event).length;
      }));
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      return { ms, events: received.reduce((sum, count) => sum + count, 0) };
    };
    await once();
    const timed = [await once(), await once(), await once()].sort((x, y) => x.ms - y.ms);
    return timed[1];
  } finally {
    await Promise.all([producer.close(), reader.close()]);
    const redis = new Redis(process.env.REDIS_URL!);
    await deleteUnder(redis, prefix);
    await redis.quit();
  }
}

export async function runRedisBench(): Promise<void> {
  const url = process.env.REDIS_URL;
  if (!url) {
    console.log('Redis benchmark skipped: REDIS_URL is not set (start redis-server on 127.0.0.1 and export REDIS_URL=redis://127.0.0.1:<port>).');
    return;
  }
  const redis = new Redis(url);
  try {
    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const shape of SHAPES) {
      const { rawMs, rawPerRunMs, storeMs } = await appendCost(redis, shape);
      const events = shape.runs * shape.frames;
      rows.push([shape.name, 'raw pipelined XADD', formatNumber(microsPer(rawMs, events)), '1.00×']);
      if (rawPerRunMs !== undefined) rows.push([shape.name, 'raw XADD, a pipeline per run per turn', formatNumber(microsPer(rawPerRunMs, events)), formatRatio(rawPerRunMs, rawMs)]);
      rows.push([shape.name, 'RedisStreamStore.append', formatNumber(microsPer(storeMs, events)), formatRatio(storeMs, rawMs)]);
      verdicts.push(`${shape.name}: the store ${formatNumber(storeMs / rawMs)}× raw XADD (target ≤ ${TARGET_RATIO}×) ${verdict(storeMs / rawMs <= TARGET_RATIO)}`);
    }
    printTable(`Per-event cost of storing frames (median of ${TIMING.runs} runs)`, [
      { header: 'load' }, { header: 'writer' }, { header: 'µs/event', align: 'right' }, { header: 'vs raw', align: 'right' },
    ], rows);
    for (const line of verdicts) console.log(line);
  } finally {
    await redis.quit();
  }
  const { ms, events } = await endToEnd();
  console.log(`\nEnd to end through two instances (${E2E_RUNS} runs × ${E2E_EVENTS} events started on one, each read through the other; median of 3): ${formatNumber(events / (ms / 1000), 0)} events/s (${events} events in ${formatNumber(ms, 0)} ms)`);
}

if (require.main === module) {
  runRedisBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
