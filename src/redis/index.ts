// The public names of `rxllm/redis`: the endpoint's replay store on Redis Streams.
export { RedisStreamStore, type RedisStreamStoreOptions } from './RedisStreamStore.js';
