import type { Redis } from 'ioredis';
import type { InstanceBody } from './support/instance.js';
import { startInstance, type Instance } from './support/instances.js';
import { connectRedis, deleteKeys, describeRedis, keysUnder, uniquePrefix, untilTrue } from './support/redisServer.js';
import { openStream, type ReceivedFrame } from './support/sseClient.js';

/** Instances hold their lease this long; a reader notices a dead producer within it plus a quarter of it and a round trip. */
const LEASE_MS = 600;
const slowModel = (words: number, intervalMs = 10): InstanceBody => ({ kind: 'model', words, intervalMs });

/** The sequence numbers of frames, and the text of the model chunks they carry. */
const seqsOf = (frames: readonly ReceivedFrame[]) => frames.filter((frame) => frame.id).map((frame) => Number(frame.id!.slice(frame.id!.lastIndexOf(':') + 1)));
const tokensOf = (frames: readonly ReceivedFrame[]) => frames.flatMap((frame) => {
  if (!frame.data || frame.event) return [];
  const event = JSON.parse(frame.data) as { content?: string };
  return typeof event.content === 'string' && event.content.trim() ? [event.content.trim()] : [];
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeRedis('RedisStreamStore across instances (child processes, real redis-server)', () => {
  let redis: Redis;
  let prefix: string;
  let a: Instance;
  let b: Instance;
  const extra: Instance[] = [];
  const spawn = async (env: { leaseMs?: number; ttlMs?: number } = {}) => {
    const instance = await startInstance(prefix, { leaseMs: LEASE_MS, ...env });
    extra.push(instance);
    return instance;
  };

  beforeAll(async () => {
    prefix = uniquePrefix();
    redis = connectRedis();
    [a, b] = await Promise.all([startInstance(prefix, { leaseMs: LEASE_MS }), startInstance(prefix, { leaseMs: LEASE_MS })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a, b, ...extra].filter(Boolean).map((instance) => instance.close()));
    await deleteKeys(redis, prefix);
    await redis.quit();
  }, 30_000);

  it('resumes on another instance after a drop, and again on a third after the second was killed (SIGKILL): every frame once, in order', async () => {
    const reader = await spawn();
    const words = 80;
    const first = openStream(a.url, { body: slowModel(words) });
    const runId = await first.runId;
    await first.framesWithId(10);
    first.drop();
    const had = seqsOf(first.frames);
    // The run goes on on A; the client comes back through the load balancer to another instance.
    const second = openStream(reader.url, { body: {}, lastEventId: `${runId}:${had[had.length - 1]}` });
    await second.framesWithId(15);
    await reader.kill();
    const hadToo = [...had, ...seqsOf(second.frames)];
    const third = openStream(b.url, { body: {}, lastEventId: `${runId}:${hadToo[hadToo.length - 1]}` });
    expect(await third.ended).toEqual({ kind: 'end' });
    const frames = [...first.frames, ...second.frames, ...third.frames];
    const seqs = seqsOf(frames);
    // The model's chunks, the start and end events around them, and the closing frame: each once.
    expect(seqs).toEqual(range(1, seqs.length));
    expect(tokensOf(frames)).toEqual(range(0, words - 1).map((i) => `w${i}`));
    expect(frames[frames.length - 1].event).toBe('end');
  });

  it('carries a stop sent to another instance to the producer, which cancels its model request within 500 ms; the readers get the end', async () => {
    const producing = openStream(a.url, { body: slowModel(5_000, 20) });
    const runId = await producing.runId;
    await producing.framesWithId(3);
    const follower = openStream(`${b.url}/${encodeURIComponent(runId)}`);
    await follower.framesWithId(3);
    const sent = Date.now();
    const answer = await fetch(`${b.url}/${encodeURIComponent(runId)}`, { method: 'DELETE' });
    expect(answer.status).toBe(204);
    const cancelled = await a.next((report) => report.type === 'model-cancelled' && report.runId === runId, 5_000);
    expect((cancelled as { at: number }).at - sent).toBeLessThan(500);
    expect(await follower.ended).toEqual({ kind: 'end' });
    expect(await producing.ended).toEqual({ kind: 'end' });
    // What the follower read is what the producer's own client read: the same frames, each once.
    expect(seqsOf(follower.frames)).toEqual(seqsOf(producing.frames));
    expect(a.reports.some((report) => report.type === 'model-done' && report.runId === runId)).toBe(false);
  });

  it('errors the readers of a killed producer with StreamGoneError within its lease plus the bound, nothing duplicated; its keys expire after ttlMs', async () => {
    const ttlMs = 400;
    const producer = await spawn({ ttlMs });
    const own = openStream(producer.url, { body: slowModel(5_000, 10) });
    const runId = await own.runId;
    await own.framesWithId(5);
    const reader = openStream(`${a.url}/${encodeURIComponent(runId)}`);
    await reader.framesWithId(10);
    const killedAt = Date.now();
    await producer.kill();
    const end = await reader.ended;
    const noticedAfter = Date.now() - killedAt;
    expect(end).toMatchObject({ kind: 'error', name: 'StreamGoneError' });
    // The lease, then one blocked read (a quarter of the lease), a round trip and a loaded machine's slack.
    expect(noticedAfter).toBeLessThan(LEASE_MS + LEASE_MS / 4 + 400);
    const seqs = seqsOf(reader.frames);
    expect(seqs).toEqual(range(1, seqs.length));
    // A resume that comes later, on any instance, is told at once.
    const late = openStream(`${b.url}/${encodeURIComponent(runId)}`, { lastEventId: `${runId}:${seqs[seqs.length - 1]}` });
    expect(await late.ended).toMatchObject({ kind: 'error', name: 'StreamGoneError' });
    expect(seqsOf(late.frames)).toEqual([]);
    // Nobody ends the run of a dead producer: its keys go ttlMs after the last renewal of its lease.
    await untilTrue(async () => (await keysUnder(redis, `${prefix}{${runId}}`)).length === 0, LEASE_MS + ttlMs + 2_000);
  });

  it('expires an ended run ttlMs after its end: a resume then gets StreamGoneError', async () => {
    const ttlMs = 1_500;
    const short = await spawn({ ttlMs });
    const whole = openStream(short.url, { body: slowModel(5, 1) });
    const runId = await whole.runId;
    expect(await whole.ended).toEqual({ kind: 'end' });
    // The end reaches Redis just after the client's last frame: then the lease is gone and the stream stays.
    await untilTrue(async () => (await keysUnder(redis, `${prefix}{${runId}}`)).join() === `${prefix}{${runId}}:frames`);
    expect(await redis.pttl(`${prefix}{${runId}}:frames`)).toBeLessThanOrEqual(ttlMs);
    const again = openStream(`${a.url}/${encodeURIComponent(runId)}`);
    expect(await again.ended).toEqual({ kind: 'end' });
    expect(seqsOf(again.frames)).toEqual(seqsOf(whole.frames));
    await untilTrue(async () => (await keysUnder(redis, `${prefix}{${runId}}`)).length === 0, ttlMs + 2_000);
    const gone = openStream(`${b.url}/${encodeURIComponent(runId)}`);
    expect(await gone.ended).toMatchObject({ kind: 'error', name: 'StreamGoneError' });
  });
});
