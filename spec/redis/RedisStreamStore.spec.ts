import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { concat, concatMap, firstValueFrom, from, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { StreamGoneError } from '../../src/errors/errors.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import type { StoredFrame } from '../../src/node/ReplayStore.js';
import { RedisStreamStore, type RedisStreamStoreOptions } from '../../src/redis/RedisStreamStore.js';
import { clientsNamed, connectRedis, deleteKeys, describeRedis, keysUnder, uniquePrefix, untilTrue } from './support/redisServer.js';

const frame = (runId: string, seq: number): StoredFrame => ({ id: `${runId}:${seq}`, seq, text: `id: ${runId}:${seq}\ndata: ${seq}\n\n` });
const seqs = async (frames: Observable<StoredFrame>) => (await lastValueFrom(frames.pipe(toArray()))).map((f) => f.seq);
const done = (operation: Observable<void>) => lastValueFrom(operation, { defaultValue: undefined });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeRedis('RedisStreamStore', () => {
  let redis: Redis;
  let prefix: string;
  let name: string;
  const storeOf = (options: Partial<RedisStreamStoreOptions> = {}) => new RedisStreamStore({ redis, keyPrefix: prefix, ...options });
  /** Writes the whole run `runId` (open, frames `1..count`, end) and waits for Redis to have it. */
  const writeRun = async (store: RedisStreamStore, runId: string, count: number, { end = true } = {}) => {
    await done(store.open(runId));
    await done(concat(...range(1, count).map((seq) => store.append(runId, frame(runId, seq)))));
    if (end) await done(store.end(runId));
  };

  beforeEach(() => {
    prefix = uniquePrefix();
    name = `rxllm-spec-${randomUUID()}`;
    // Every connection the store duplicates from this client carries its name, so the spec can count them.
    redis = connectRedis({ connectionName: name });
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('refuses bad options with an InvalidOptionError naming the option', () => {
    const bad: Array<[Partial<RedisStreamStoreOptions>, string]> = [
      [{ redis: undefined }, 'redis'],
      [{ redis: {} as Redis }, 'redis'],
      [{ ttlMs: 0 }, 'ttlMs'],
      [{ ttlMs: Infinity }, 'ttlMs'],
      [{ maxLen: 0 }, 'maxLen'],
      [{ maxLen: 2.5 }, 'maxLen'],
      [{ leaseMs: 10 }, 'leaseMs'],
      [{ leaseMs: Infinity }, 'leaseMs'],
      [{ keyPrefix: 3 as unknown as string }, 'keyPrefix'],
    ];
    for (const [options, option] of bad) {
      expect(() => new RedisStreamStore({ redis, ...options } as RedisStreamStoreOptions)).toThrow(InvalidOptionError);
      expect(() => new RedisStreamStore({ redis, ...options } as RedisStreamStoreOptions)).toThrow(expect.objectContaining({ option }));
    }
    expect(() => new RedisStreamStore(undefined as unknown as RedisStreamStoreOptions)).toThrow(InvalidOptionError);
  });

  it('reads the frames of an ended run after any sequence number, each once, in order', async () => {
    const store = storeOf();
    await writeRun(store, 'r', 20);
    for (const after of [0, 1, 7, 19, 20]) expect(await seqs(store.read('r', after))).toEqual(range(after + 1, 20));
    const frames = await lastValueFrom(store.read('r', 18).pipe(toArray()));
    expect(frames).toEqual([frame('r', 19), frame('r', 20)]);
  });

  it('lets a reader on another instance attach to an opened run and follow it live until its end', async () => {
    const producer = storeOf();
    const reader = storeOf();
    await done(producer.open('live'));
    const read = lastValueFrom(reader.read('live', 0).pipe(toArray()));
    // Frames arrive one turn at a time, while the reader is blocked waiting.
    for (const seq of range(1, 5)) {
      await done(producer.append('live', frame('live', seq)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done(producer.end('live'));
    expect((await read).map((f) => f.seq)).toEqual(range(1, 5));
  });

  it('answers an unknown run, and frames trimmed by maxLen, with StreamGoneError', async () => {
    const store = storeOf({ maxLen: 5 });
    await writeRun(store, 't', 12);
    expect(await redis.xlen(store.keysOf('t').frames)).toBe(6); // five frames and the end marker
    expect(await seqs(store.read('t', 7))).toEqual([8, 9, 10, 11, 12]);
    expect(await seqs(store.read('t', 12))).toEqual([]);
    await expect(seqs(store.read('t', 6))).rejects.toEqual(new StreamGoneError('t', 't:6'));
    await expect(seqs(store.read('t', 0))).rejects.toBeInstanceOf(StreamGoneError);
    await expect(seqs(store.read('nope', 0))).rejects.toEqual(new StreamGoneError('nope'));
  });

  it('keeps the open marker until maxLen frames are stored: a short run is read whole', async () => {
    const store = storeOf({ maxLen: 5 });
    await writeRun(store, 's', 5);
    expect(await seqs(store.read('s', 0))).toEqual(range(1, 5));
  });

  it('stores thousands of frames appended in one turn, in order, in pipelines', async () => {
    const store = storeOf({ maxLen: Infinity });
    await done(store.open('big'));
    // One synchronous burst: more commands than may wait for replies at once, so some appends wait.
    const appended = range(1, 9_000).map((seq) => done(store.append('big', frame('big', seq))));
    await Promise.all(appended);
    await done(store.end('big'));
    expect(await seqs(store.read('big', 0))).toEqual(range(1, 9_000));
  });

  it('appends a synchronous burst of 20,000 frames through concatMap, as the endpoint does, without deepening the stack', async () => {
    const store = storeOf({ maxLen: Infinity });
    await done(store.open('burst'));
    // Past the bound on commands in flight, appends wait and concatMap buffers the rest; each
    // append released must not start the next one inside its own call.
    await done(from(range(1, 20_000)).pipe(concatMap((seq) => store.append('burst', frame('burst', seq)))));
    await done(store.end('burst'));
    expect(await seqs(store.read('burst', 0))).toEqual(range(1, 20_000));
  });

  it('expires a run ttlMs after its end, and drops its lease at once', async () => {
    const store = storeOf({ ttlMs: 300 });
    await writeRun(store, 'e', 3);
    const keys = store.keysOf('e');
    expect(await redis.exists(keys.lease)).toBe(0);
    const ttl = await redis.pttl(keys.frames);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await untilTrue(async () => (await keysUnder(redis, prefix)).length === 0);
    await expect(seqs(store.read('e', 0))).rejects.toBeInstanceOf(StreamGoneError);
  });

  it('keeps a live run and its lease alive past ttlMs and leaseMs while its producer renews them', async () => {
    const store = storeOf({ ttlMs: 100, leaseMs: 100 });
    await writeRun(store, 'long', 2, { end: false });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await redis.exists(store.keysOf('long').lease)).toBe(1);
    expect(await seqs(store.read('long', 0).pipe(take(2)))).toEqual([1, 2]);
    await done(store.end('long'));
    expect(await seqs(store.read('long', 0))).toEqual([1, 2]);
  });

  it('carries a stop from any instance to the producer within 500 ms, and a stop sent before it listened', async () => {
    const producer = storeOf();
    const other = storeOf();
    const heard = firstValueFrom(producer.stopRequests('p'), { defaultValue: 'completed' });
    // Let the subscription reach Redis before the stop is published.
    await untilTrue(async () => (await redis.pubsub('NUMSUB', `${prefix}stop`))[1] === 1);
    const start = Date.now();
    await done(other.stop('p'));
    expect(await heard).toBeUndefined();
    expect(Date.now() - start).toBeLessThan(500);
    // A stop recorded before anyone listened is found when the producer subscribes.
    await done(other.stop('early'));
    expect(await firstValueFrom(producer.stopRequests('early'), { defaultValue: 'completed' })).toBeUndefined();
  });

  it('opens one subscriber connection for all the runs it listens for, and closes it with the last listener', async () => {
    const store = storeOf();
    const base = await clientsNamed(redis, name);
    const a = store.stopRequests('a').subscribe();
    const b = store.stopRequests('b').subscribe();
    const during = async () => (await clientsNamed(redis, name)) - base;
    await untilTrue(async () => (await during()) === 1);
    a.unsubscribe();
    expect(await during()).toBe(1);
    b.unsubscribe();
    await untilTrue(async () => (await during()) === 0);
  });

  it('releases the blocking connection of a reader that unsubscribes while it waits', async () => {
    const store = storeOf();
    await done(store.open('w'));
    const base = await clientsNamed(redis, name);
    const reading = store.read('w', 0).subscribe();
    await untilTrue(async () => (await clientsNamed(redis, name)) === base + 1);
    reading.unsubscribe();
    await untilTrue(async () => (await clientsNamed(redis, name)) === base);
    await done(store.end('w'));
  });

  it('fails the next append and the end of a run whose write failed, and its readers get StreamGoneError, never a shorter run', async () => {
    const store = storeOf();
    await writeRun(store, 'f', 3, { end: false });
    // A frame out of order is refused by Redis (its id is not above the stream's last).
    await done(store.append('f', frame('f', 2)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = done(store.append('f', frame('f', 4)));
    await expect(next).rejects.toBeInstanceOf(RxllmError);
    await expect(next).rejects.toThrow(/could not store a frame/);
    await expect(done(store.end('f'))).rejects.toBeInstanceOf(RxllmError);
    await expect(seqs(store.read('f', 0))).rejects.toBeInstanceOf(StreamGoneError);
  });

  it('completes end() of a run it does not produce without writing anything', async () => {
    const store = storeOf();
    await done(store.end('stranger'));
    expect(await keysUnder(redis, prefix)).toEqual([]);
  });

  it('uses the key prefix for every key of a run, under one hash tag', async () => {
    const store = storeOf();
    await writeRun(store, 'k', 1);
    await done(store.stop('k'));
    expect(await keysUnder(redis, prefix)).toEqual([`${prefix}{k}:frames`, `${prefix}{k}:stop`]);
  });
});
