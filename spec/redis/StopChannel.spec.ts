import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { firstValueFrom, toArray, lastValueFrom } from 'rxjs';
import { StopChannel } from '../../src/redis/StopChannel.js';
import { clientsNamed, connectRedis, deleteKeys, describeRedis, uniquePrefix, untilTrue } from './support/redisServer.js';

describeRedis('StopChannel', () => {
  let redis: Redis;
  let prefix: string;
  let name: string;
  let channel: string;
  const subscribed = async () => untilTrue(async () => (await redis.pubsub('NUMSUB', channel))[1] === 1);

  beforeEach(() => {
    prefix = uniquePrefix();
    channel = `${prefix}stop`;
    name = `rxllm-spec-${randomUUID()}`;
    redis = connectRedis({ connectionName: name });
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('emits once for the run that was stopped, then completes; other runs hear nothing', async () => {
    const stops = new StopChannel(redis, channel);
    const heard: string[] = [];
    const b = stops.listen('b', `${prefix}b`).subscribe(() => heard.push('b'));
    const a = lastValueFrom(stops.listen('a', `${prefix}a`).pipe(toArray()));
    await subscribed();
    await redis.publish(channel, 'a');
    await redis.publish(channel, 'a');
    expect(await a).toEqual([undefined]);
    expect(heard).toEqual([]);
    expect([...stops.runIds]).toEqual(['b']);
    b.unsubscribe();
    expect([...stops.runIds]).toEqual([]);
  });

  it('finds a stop recorded under its key before it subscribed', async () => {
    await redis.set(`${prefix}early`, '1');
    const stops = new StopChannel(redis, channel);
    expect(await firstValueFrom(stops.listen('early', `${prefix}early`))).toBeUndefined();
  });

  it('delivers a stop found by a periodic check to every listener of the run', async () => {
    const stops = new StopChannel(redis, channel);
    const one = firstValueFrom(stops.listen('r', `${prefix}r`));
    const two = firstValueFrom(stops.listen('r', `${prefix}r`));
    stops.deliver('r');
    await expect(Promise.all([one, two])).resolves.toEqual([undefined, undefined]);
  });

  it('shares one subscriber connection and closes it when the last listener unsubscribes, even before it subscribed', async () => {
    const stops = new StopChannel(redis, channel);
    const base = await clientsNamed(redis, name);
    // Unsubscribed in the same turn: the connection is closed before it ever subscribed.
    stops.listen('x', `${prefix}x`).subscribe().unsubscribe();
    const first = stops.listen('a', `${prefix}a`).subscribe();
    const second = stops.listen('b', `${prefix}b`).subscribe();
    await subscribed();
    expect((await clientsNamed(redis, name)) - base).toBe(1);
    first.unsubscribe();
    expect((await redis.pubsub('NUMSUB', channel))[1]).toBe(1);
    second.unsubscribe();
    await untilTrue(async () => (await clientsNamed(redis, name)) === base);
    expect((await redis.pubsub('NUMSUB', channel))[1]).toBe(0);
  });
});
