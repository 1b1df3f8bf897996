import { Observable } from 'rxjs';
import type { ChainableCommander, Redis } from 'ioredis';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { RxllmError } from '../errors/RxllmError.js';
import { durationMs, numberAtLeast, positiveCount } from '../errors/optionChecks.js';
import type { ReplayStore, StoredFrame } from '../node/ReplayStore.js';
import { readRun } from './readRun.js';
import { FIELD_MARK, FIELD_TEXT, OPEN_ENTRY_ID, endEntryId, frameEntryId, runKeys, stopChannel, type RunKeys } from './redisStreamInternals.js';
import { StopChannel } from './StopChannel.js';

/** Options of {@link RedisStreamStore}. */
export interface RedisStreamStoreOptions {
  /**
   * An `ioredis` client. The store sends its writes on it and duplicates it for what needs a
   * connection of its own (each blocking read, the stop channel's subscriber); it never closes it.
   */
  redis: Redis;
  /** How long a run's keys are kept after it ends (and after its producer's lease lapsed, when it died). Default 5 minutes. */
  ttlMs?: number;
  /** The most frames kept per run: older ones are trimmed, and a reader that still needs one gets `StreamGoneError`. Default 10 000; `Infinity` for no trimming. */
  maxLen?: number;
  /** How long a producer's lease lasts without a refresh (refreshed every third of it): its readers give up this long after it died, plus a bound. Default 5 000, at least 50. */
  leaseMs?: number;
  /** Put before every key and the stop channel, to share one Redis between applications. Default `'rxllm:'`. */
  keyPrefix?: string;
}

/** Commands sent but not yet answered, past which an append waits: the bound on memory when Redis is slow. */
const MAX_IN_FLIGHT = 4096;
/** The most entries one read returns. */
const READ_COUNT = 512;

interface OwnedRun {
  readonly keys: RunKeys;
  lastSeq: number;
  /** The first write of the run that failed: every later append and the end report it. */
  failure: RxllmError | undefined;
}

/** One pipeline of writes, sent at the end of the current turn, and who waits for its replies. */
interface Batch {
  readonly pipeline: ChainableCommander;
  /** For each command, the run it wrote for (to record a failure), or none. */
  readonly runs: Array<OwnedRun | undefined>;
  readonly settled: Array<(replies: ReadonlyArray<Error | null>) => void>;
}

/**
 * The endpoint's replay store on Redis Streams, for several instances behind a load balancer: a
 * resume with `Last-Event-ID` may reach any instance, a stop too, and both work.
 *
 * - **Frames.** A run is one stream; frame `seq` is the entry `<seq>-0`, so a reader on any
 *   instance continues with `XREAD BLOCK` from the id it has. Appends are pipelined: the writes of
 *   one turn go in one round trip and an append does not wait for its reply (Redis applies one
 *   connection's commands in order). A write that fails fails the run's next append and its end,
 *   and readers never skip a frame (sequence numbers rise by one; a gap is a `StreamGoneError`).
 * - **Limits.** Each stream is trimmed to `maxLen` frames on every append; a run's keys expire
 *   `ttlMs` after its end.
 * - **Stops.** `stop` publishes on a channel that the producing instance listens to, and sets a
 *   key that it checks when it starts listening and with every lease refresh.
 * - **Producer death.** The producer holds a lease of `leaseMs`, refreshed every third of it; a
 *   reader that waited for a frame looks at the lease, and errors with `StreamGoneError` once it
 *   lapsed: within `leaseMs` plus `min(leaseMs / 4, 1 s)` and a round trip of the death.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { sseEndpoint } from 'rxllm/node';
 * import { RedisStreamStore } from 'rxllm/redis';
 *
 * const store = new RedisStreamStore({ redis: new Redis(process.env.REDIS_URL!), ttlMs: 600_000, maxLen: 20_000, leaseMs: 5_000 });
 * const chat = sseEndpoint((body: { input: string }, { signal }) => chain.streamEvents(body.input, { signal }), { replay: { store } });
 * ```
 */
export class RedisStreamStore implements ReplayStore {
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly maxLen: number;
  private readonly leaseMs: number;
  private readonly prefix: string;
  private readonly blockMs: number;
  private readonly stops: StopChannel;
  private readonly owned = new Map<string, OwnedRun>();
  private batch: Batch | undefined;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** True while waiting appends are let go: an append made meanwhile (the next of a `concatMap`) joins the queue instead of running inside the one before it, which would deepen the stack by one call per frame. */
  private releasing = false;
  private leaseTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RedisStreamStoreOptions) {
    const where = 'RedisStreamStore';
    const redis = (options as Partial<RedisStreamStoreOptions> | undefined)?.redis;
    if (!redis || typeof redis.duplicate !== 'function' || typeof redis.pipeline !== 'function') {
      throw new InvalidOptionError(where, 'redis', 'an ioredis client', redis);
    }
    this.redis = redis;
    this.ttlMs = Math.ceil(durationMs(where, 'ttlMs', options.ttlMs, 300_000, { zero: false }));
    this.maxLen = positiveCount(where, 'maxLen', options.maxLen, 10_000);
    this.leaseMs = Math.ceil(numberAtLeast(where, 'leaseMs', options.leaseMs, 5_000, 50));
    if (options.keyPrefix !== undefined && typeof options.keyPrefix !== 'string') throw new InvalidOptionError(where, 'keyPrefix', 'a string', options.keyPrefix);
    this.prefix = options.keyPrefix ?? 'rxllm:';
    // A reader looks at the lease each time it waited this long for nothing.
    this.blockMs = Math.min(Math.max(Math.round(this.leaseMs / 4), 10), 1_000);
    this.stops = new StopChannel(redis, stopChannel(this.prefix));
  }

  /** The Redis keys of a run (its stream, lease and stop keys), for inspection. */
  keysOf(runId: string): RunKeys {
    return runKeys(this.prefix, runId);
  }

  /** Takes the lease and writes the open marker; completes once Redis has both. */
  open(runId: string): Observable<void> {
    return new Observable<void>((subscriber) => {
      const run = this.own(runId);
      const first = this.queue(run, (p) => p.set(run.keys.lease, '1', 'PX', this.leaseMs));
      this.queue(run, (p) => p.xadd(run.keys.frames, ...this.trim(), OPEN_ENTRY_ID, FIELD_MARK, 'open'));
      this.queue(run, (p) => p.pexpire(run.keys.frames, this.ttlMs + this.leaseMs));
      this.whenSent(first, 3, (errors) => {
        const error = errors.find(Boolean);
        if (error) subscriber.error(this.failed(run, runId, 'open', error));
        else subscriber.complete();
      });
    });
  }

  /** Queues the frame's `XADD` in this turn's pipeline and completes at once (or, when too many writes wait for Redis, once they are fewer). */
  append(runId: string, frame: StoredFrame): Observable<void> {
    return new Observable<void>((subscriber) => {
      const run = this.owned.get(runId) ?? this.own(runId);
      const send = () => {
        if (run.failure) return subscriber.error(run.failure);
        run.lastSeq = frame.seq;
        this.queue(run, (p) => p.xadd(run.keys.frames, ...this.trim(), frameEntryId(frame.seq), FIELD_TEXT, frame.text));
        subscriber.complete();
      };
      if (this.inFlight < MAX_IN_FLIGHT && !this.releasing) return send();
      this.waiting.push(send);
      return () => {
        const index = this.waiting.indexOf(send);
        if (index >= 0) this.waiting.splice(index, 1);
      };
    });
  }

  /**
   * Writes the end marker, sets the run's expiry to `ttlMs` and drops the lease; completes once
   * Redis has them. A run whose writes failed gets no end marker (its readers get
   * `StreamGoneError`, never a silently shorter run) and the end errors with that failure.
   */
  end(runId: string): Observable<void> {
    return new Observable<void>((subscriber) => {
      const run = this.owned.get(runId);
      if (!run) return subscriber.complete();
      this.owned.delete(runId);
      if (this.owned.size === 0) this.stopLeaseTimer();
      const failure = run.failure;
      let count = 0;
      const first = failure ? undefined : this.queue(run, (p) => p.xadd(run.keys.frames, ...this.trim(), endEntryId(run.lastSeq), FIELD_MARK, 'end'));
      if (first !== undefined) count++;
      const expire = this.queue(undefined, (p) => p.pexpire(run.keys.frames, this.ttlMs));
      this.queue(undefined, (p) => p.del(run.keys.lease));
      count += 2;
      this.whenSent(first ?? expire, count, (errors) => {
        const error = errors.find(Boolean);
        if (failure) subscriber.error(failure);
        else if (error) subscriber.error(this.failed(run, runId, 'end', error));
        else subscriber.complete();
      });
    });
  }

  read(runId: string, afterSeq: number): Observable<StoredFrame> {
    return readRun({ redis: this.redis, runId, keys: runKeys(this.prefix, runId), afterSeq, blockMs: this.blockMs, count: READ_COUNT });
  }

  /** Records the stop under the run's stop key (for `ttlMs`) and publishes it; completes once Redis has both. */
  stop(runId: string): Observable<void> {
    return new Observable<void>((subscriber) => {
      const keys = runKeys(this.prefix, runId);
      const first = this.queue(undefined, (p) => p.set(keys.stop, '1', 'PX', this.ttlMs));
      this.queue(undefined, (p) => p.publish(stopChannel(this.prefix), runId));
      this.whenSent(first, 2, (errors) => {
        const error = errors.find(Boolean);
        if (error) subscriber.error(new RxllmError(`RedisStreamStore could not stop run ${runId}: ${error.message}`, { cause: error }));
        else subscriber.complete();
      });
    });
  }

  stopRequests(runId: string): Observable<void> {
    return this.stops.listen(runId, runKeys(this.prefix, runId).stop);
  }

  private own(runId: string): OwnedRun {
    let run = this.owned.get(runId);
    if (!run) {
      run = { keys: runKeys(this.prefix, runId), lastSeq: 0, failure: undefined };
      this.owned.set(runId, run);
      this.startLeaseTimer();
    }
    return run;
  }

  /** `MAXLEN` for an `XADD`: the frames, plus the open marker while it is kept. */
  private trim(): string[] {
    return this.maxLen === Infinity ? [] : ['MAXLEN', String(this.maxLen + 1)];
  }

  /** Adds one command to this turn's pipeline; returns its index there. */
  private queue(run: OwnedRun | undefined, command: (pipeline: ChainableCommander) => void): number {
    if (!this.batch) {
      const batch: Batch = { pipeline: this.redis.pipeline(), runs: [], settled: [] };
      this.batch = batch;
      // Sent at the end of the loop's turn, not from a microtask: the appends of every run fed in
      // this turn (each from its own socket's callback) then share one round trip. No timer.
      setImmediate(() => this.flush(batch));
    }
    command(this.batch.pipeline);
    this.batch.runs.push(run);
    this.inFlight++;
    return this.batch.runs.length - 1;
  }

  /** Calls `settled` with the errors of the `count` commands from `index` of this turn's pipeline, once it is answered. */
  private whenSent(index: number, count: number, settled: (errors: ReadonlyArray<Error | null>) => void): void {
    this.batch!.settled.push((replies) => settled(replies.slice(index, index + count)));
  }

  private flush(batch: Batch): void {
    if (this.batch === batch) this.batch = undefined;
    const size = batch.runs.length;
    const answered = (errors: ReadonlyArray<Error | null>) => {
      this.inFlight -= size;
      errors.forEach((error, i) => {
        const run = batch.runs[i];
        if (error && run && !run.failure) run.failure = storeError(error);
      });
      for (const settled of batch.settled) settled(errors);
      this.releasing = true;
      try {
        while (this.waiting.length > 0 && this.inFlight < MAX_IN_FLIGHT) this.waiting.shift()!();
      } finally {
        this.releasing = false;
      }
    };
    batch.pipeline.exec().then(
      (replies) => answered((replies ?? []).map(([error]) => error)),
      (error: Error) => answered(batch.runs.map(() => error)),
    );
  }

  private failed(run: OwnedRun, runId: string, what: string, error: Error): RxllmError {
    return run.failure ?? new RxllmError(`RedisStreamStore could not ${what} run ${runId}: ${error.message}`, { cause: error });
  }

  /**
   * Every third of `leaseMs`: renews the lease and the expiry of each run this instance
   * produces, and looks for stops that the channel did not bring. One pipeline for all runs.
   */
  private startLeaseTimer(): void {
    if (this.leaseTimer) return;
    this.leaseTimer = setInterval(() => {
      for (const run of this.owned.values()) {
        this.queue(undefined, (p) => p.set(run.keys.lease, '1', 'PX', this.leaseMs));
        this.queue(undefined, (p) => p.pexpire(run.keys.frames, this.ttlMs + this.leaseMs));
      }
      for (const runId of [...this.stops.runIds]) {
        this.redis.exists(runKeys(this.prefix, runId).stop).then((recorded) => recorded && this.stops.deliver(runId), () => undefined);
      }
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
  }

  private stopLeaseTimer(): void {
    clearInterval(this.leaseTimer);
    this.leaseTimer = undefined;
  }
}

function storeError(error: Error): RxllmError {
  return new RxllmError(`RedisStreamStore could not store a frame: ${error.message}`, { cause: error });
}
