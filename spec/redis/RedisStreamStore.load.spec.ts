import type { Redis } from 'ioredis';
import { seededRandom } from '../support/seededRandom.js';
import type { InstanceBody } from './support/instance.js';
import { startInstance, type Instance } from './support/instances.js';
import { connectRedis, deleteKeys, describeRedis, uniquePrefix } from './support/redisServer.js';
import { openStream, type OpenStream, type ReceivedFrame } from './support/sseClient.js';

const STREAMS = 200;
const EVENTS = 500;

describeRedis('RedisStreamStore under load: two instances (child processes), real redis-server', () => {
  let redis: Redis;
  let prefix: string;
  let instances: Instance[] = [];

  beforeAll(async () => {
    prefix = uniquePrefix();
    redis = connectRedis();
    instances = await Promise.all([startInstance(prefix), startInstance(prefix)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await deleteKeys(redis, prefix);
    await redis.quit();
  }, 30_000);

  it(`streams ${STREAMS} runs × ${EVENTS} events at once, each dropped once and resumed on the other instance: 0 lost, 0 duplicated`, async () => {
    const random = seededRandom(16);
    const body: InstanceBody = { kind: 'count', count: EVENTS, burst: 10, intervalMs: 5 };
    const started = Date.now();
    const runs = Array.from({ length: STREAMS }, async (_, i) => {
      const [home, other] = i % 2 === 0 ? instances : [instances[1], instances[0]];
      // Each client loses its connection at its own frame, somewhere in the run.
      const dropAt = 1 + Math.floor(random() * (EVENTS - 2));
      const first = openStream(home.url, { body, onFrame: (frame, stream) => frame.id && stream.frames.length === dropAt && stream.drop() });
      const runId = await first.runId;
      await first.ended;
      const lastId = first.frames[first.frames.length - 1].id!;
      const second: OpenStream = openStream(other.url, { body: {}, lastEventId: lastId });
      const end = await second.ended;
      return { runId, end, frames: [...first.frames, ...second.frames], dropAt };
    });
    const results = await Promise.all(runs);
    const elapsedMs = Date.now() - started;
    let lost = 0;
    let duplicated = 0;
    for (const { runId, end, frames, dropAt } of results) {
      expect(end).toEqual({ kind: 'end' });
      expect(frames.length).toBeGreaterThan(dropAt);
      const values = valuesOf(frames);
      const seen = new Set(values);
      duplicated += values.length - seen.size;
      for (let n = 0; n < EVENTS; n++) if (!seen.has(n)) lost++;
      // Frame ids too: 1 … EVENTS + 1 (the end frame), each once, all of this run.
      expect(frames.map((frame) => frame.id)).toEqual(Array.from({ length: EVENTS + 1 }, (_, i) => `${runId}:${i + 1}`));
    }
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    console.log(`${STREAMS} streams × ${EVENTS} events through two instances with a drop and a resume each: ${elapsedMs} ms, ${Math.round((STREAMS * EVENTS) / (elapsedMs / 1000))} events/s; 0 lost, 0 duplicated`);
  }, 90_000);
});

function valuesOf(frames: readonly ReceivedFrame[]): number[] {
  return frames.filter((frame) => frame.data && !frame.event).map((frame) => (JSON.parse(frame.data!) as { n: number }).n);
}
