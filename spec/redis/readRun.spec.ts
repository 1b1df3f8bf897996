import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { lastValueFrom, tap, toArray, type Observable } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { StreamGoneError } from '../../src/errors/errors.js';
import type { StoredFrame } from '../../src/node/ReplayStore.js';
import { readRun } from '../../src/redis/readRun.js';
import { OPEN_ENTRY_ID, endEntryId, frameEntryId, runKeys, type RunKeys } from '../../src/redis/redisStreamInternals.js';
import { connectRedis, deleteKeys, describeRedis, uniquePrefix } from './support/redisServer.js';

const seqs = async (frames: Observable<StoredFrame>) => (await lastValueFrom(frames.pipe(toArray()))).map((f) => f.seq);

// The stream is written here with raw commands, in the layout the store writes, so that each
// case (a burst that trims under a reader, a lease that lapses, an end just before the lease
// goes) happens exactly when the spec says.
describeRedis('readRun', () => {
  let redis: Redis;
  let prefix: string;
  let keys: RunKeys;
  const read = (afterSeq: number, blockMs = 50, client: Redis = redis) => readRun({ redis: client, runId: 'r', keys, afterSeq, blockMs, count: 512 });
  const writeFrames = (from: number, to: number, maxLen?: number) => {
    const multi = redis.multi();
    for (let seq = from; seq <= to; seq++) {
      if (maxLen) multi.xadd(keys.frames, 'MAXLEN', maxLen, frameEntryId(seq), 't', `frame ${seq}`);
      else multi.xadd(keys.frames, frameEntryId(seq), 't', `frame ${seq}`);
    }
    return multi.exec();
  };
  const open = async (leaseMs = 60_000) => {
    await redis.set(keys.lease, '1', 'PX', leaseMs);
    await redis.xadd(keys.frames, OPEN_ENTRY_ID, 'm', 'open');
  };

  beforeEach(() => {
    prefix = uniquePrefix();
    keys = runKeys(prefix, 'r');
    redis = connectRedis();
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('delivers kept frames, then live ones, and completes at the end marker', async () => {
    await open();
    await writeFrames(1, 3);
    const frames: StoredFrame[] = [];
    const done = lastValueFrom(read(1).pipe(tap((frame) => frames.push(frame)), toArray()));
    await writeFrames(4, 5);
    await redis.xadd(keys.frames, endEntryId(5), 'm', 'end');
    expect((await done).map((f) => f.seq)).toEqual([2, 3, 4, 5]);
    expect(frames[0]).toEqual({ id: 'r:2', seq: 2, text: 'frame 2' });
  });

  it('errors with StreamGoneError when frames are trimmed under a reader that lags (a gap in the sequence)', async () => {
    await open();
    await writeFrames(1, 3, 6);
    const received: number[] = [];
    const reading = lastValueFrom(read(0).pipe(tap((frame) => received.push(frame.seq)), toArray()));
    while (received.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const gone = expect(reading).rejects.toEqual(new StreamGoneError('r', 'r:3'));
    // One transaction: the blocked reader wakes only after all of it, and frames 4–14 are trimmed by then.
    await writeFrames(4, 20, 6);
    await gone;
    expect(received).toEqual([1, 2, 3]);
  });

  it('errors with StreamGoneError once the lease lapsed, within the lease plus one blocked read and a round trip', async () => {
    await open(200);
    await writeFrames(1, 2);
    const start = Date.now();
    const received: number[] = [];
    await expect(lastValueFrom(read(0).pipe(tap((frame) => received.push(frame.seq))))).rejects.toThrow(/stopped renewing its lease/);
    expect(received).toEqual([1, 2]);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(200 + 50 + 250);
  });

  it('completes a run whose end marker landed as its lease was dropped, and reads every frame written before', async () => {
    await open();
    await writeFrames(1, 2);
    const done = seqs(read(0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await redis.multi().xadd(keys.frames, frameEntryId(3), 't', 'x').xadd(keys.frames, endEntryId(3), 'm', 'end').del(keys.lease).exec();
    expect(await done).toEqual([1, 2, 3]);
  });

  it('reads an ended run without its lease, and refuses at once a run whose lease is gone without an end', async () => {
    await open();
    await writeFrames(1, 2);
    await redis.del(keys.lease);
    await expect(seqs(read(0))).rejects.toBeInstanceOf(StreamGoneError);
    await redis.xadd(keys.frames, endEntryId(2), 'm', 'end');
    expect(await seqs(read(0))).toEqual([1, 2]);
    expect(await seqs(read(2))).toEqual([]);
  });

  it('refuses an unknown run, a trimmed start and a trimmed end with StreamGoneError', async () => {
    await expect(seqs(read(0))).rejects.toEqual(new StreamGoneError('r'));
    await open();
    await writeFrames(1, 10, 3);
    await redis.xadd(keys.frames, 'MAXLEN', 1, endEntryId(10), 'm', 'end');
    await expect(seqs(read(8))).rejects.toEqual(new StreamGoneError('r', 'r:8'));
    expect(await seqs(read(10))).toEqual([]);
  });

  it('reads over RESP3 as over RESP2', async () => {
    const resp3 = connectRedis({ protocol: 3 });
    try {
      await open();
      await writeFrames(1, 4);
      await redis.xadd(keys.frames, endEntryId(4), 'm', 'end');
      expect(await seqs(read(1, 50, resp3))).toEqual([2, 3, 4]);
    } finally {
      await resp3.quit();
    }
  });

  it('wraps a Redis failure in an RxllmError naming the run', async () => {
    await redis.set(keys.frames, 'not a stream');
    const failure = seqs(read(0));
    await expect(failure).rejects.toBeInstanceOf(RxllmError);
    await expect(failure).rejects.toThrow(/could not read run r: WRONGTYPE/);
  });

  it('stops reading at once when unsubscribed inside next, and delivers nothing after', async () => {
    await open();
    await writeFrames(1, 5);
    const received: number[] = [];
    await new Promise<void>((resolve) => {
      const subscription = read(0).subscribe((frame) => {
        received.push(frame.seq);
        if (frame.seq === 2) {
          subscription.unsubscribe();
          resolve();
        }
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(received).toEqual([1, 2]);
  });

  it('gives each reader its own connection, named like the client it was duplicated from', async () => {
    const name = `rxllm-spec-${randomUUID()}`;
    const named = connectRedis({ connectionName: name });
    try {
      await open();
      const reading = read(0, 50, named).subscribe();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const list = (await redis.client('LIST')) as string;
      expect(list.split('\n').filter((line) => line.includes(` name=${name} `) && line.includes('cmd=xread'))).toHaveLength(1);
      reading.unsubscribe();
    } finally {
      await named.quit();
    }
  });
});
