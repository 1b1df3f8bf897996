import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * The Redis server the specs run against: `REDIS_URL` (`.ci/run` starts one on a free loopback
 * port and exports it). Without it the Redis suites skip, saying why once, except in CI, where a
 * missing server is a failure.
 */
export const redisUrl = process.env.REDIS_URL;

const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';

if (!redisUrl && !inCi) {
  console.warn('Redis specs skipped: REDIS_URL is not set (start redis-server on 127.0.0.1 and export REDIS_URL=redis://127.0.0.1:<port>; .ci/run does).');
}

/** `describe` when a Redis server is given (and in CI, where its absence must fail), `describe.skip` otherwise. */
export const describeRedis: jest.Describe = redisUrl || inCi ? describe : describe.skip;

/** A client of the spec's server; in CI without `REDIS_URL` this throws, failing the suite. */
export function connectRedis(options: RedisOptions = {}): Redis {
  if (!redisUrl) throw new Error('REDIS_URL is not set: the Redis specs need a redis-server (CI must start one)');
  return new Redis(redisUrl, { maxRetriesPerRequest: 2, ...options });
}

/** How many connections of the server carry the name `name` (a client's duplicates inherit it). */
export async function clientsNamed(redis: Redis, name: string): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

/** Resolves once `condition()` holds, asking every 10 ms; rejects after `timeoutMs`. */
export async function untilTrue(condition: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A key prefix no other test uses: `rxllm-spec:<random>:`. */
export function uniquePrefix(): string {
  return `rxllm-spec:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (the test's own), with SCAN so a shared server is not blocked. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** The keys under `prefix` now. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found.sort();
}
