import { Observable } from 'rxjs';
import type { Redis } from 'ioredis';
import { RxllmError } from '../errors/RxllmError.js';
import { StreamGoneError } from '../errors/errors.js';
import type { StoredFrame } from '../node/ReplayStore.js';
import { frameId } from '../sse/frameId.js';
import { frameEntryId, nextIsKept, parseEntry, xreadEntries, type RunKeys } from './redisStreamInternals.js';

/** What {@link readRun} needs. */
export interface ReadRunOptions {
  /** The store's client: duplicated for the blocking reads, which need a connection of their own. */
  readonly redis: Redis;
  readonly runId: string;
  readonly keys: RunKeys;
  /** The last sequence number the reader has (0 for none). */
  readonly afterSeq: number;
  /** How long one `XREAD BLOCK` waits before the lease is looked at. */
  readonly blockMs: number;
  /** The most entries one read returns. */
  readonly count: number;
}

/**
 * The frames of a run after `afterSeq`, read with `XREAD BLOCK` from the last entry id on a
 * connection of its own, completing at the run's end marker. Errors with `StreamGoneError` when
 * the run is unknown or expired, when the frame after `afterSeq` was trimmed (also while reading:
 * a reader left behind by `maxLen` sees a gap), or when the producer's lease lapsed before its end
 * marker. The lease is looked at whenever a read waited `blockMs` for nothing, so a dead producer
 * is noticed within its lease plus `blockMs` and a round trip. Unsubscribing closes the connection,
 * which ends a read that is blocked.
 */
export function readRun({ redis, runId, keys, afterSeq, blockMs, count }: ReadRunOptions): Observable<StoredFrame> {
  return new Observable<StoredFrame>((subscriber) => {
    const connection = redis.duplicate();
    // Its failures reach the commands; the event itself would only be logged.
    connection.on('error', () => undefined);
    let closed = false;
    const lastEventId = afterSeq > 0 ? frameId(runId, afterSeq) : undefined;
    const lapsed = () => new StreamGoneError(runId, lastEventId, `Stream ${runId} is gone: the instance producing it stopped renewing its lease`);

    const follow = async (): Promise<void> => {
      // The lease is asked before the last entry: a producer writes its end marker before it drops
      // the lease, so a run that just ended is seen ended, never abandoned.
      const [first, leased, last] = await connection.pipeline()
        .xrange(keys.frames, '-', '+', 'COUNT', 1)
        .exists(keys.lease)
        .xrevrange(keys.frames, '+', '-', 'COUNT', 1)
        .exec()
        .then((replies) => (replies ?? []).map(([error, value]) => {
          if (error) throw error;
          return value;
        })) as [Array<[string, string[]]>, number, Array<[string, string[]]>];
      if (first.length === 0 || !nextIsKept(parseEntry(runId, first[0][0], first[0][1]), afterSeq)) throw new StreamGoneError(runId, lastEventId);
      if (leased === 0 && parseEntry(runId, last[0][0], last[0][1]).kind !== 'end') throw lapsed();

      let cursor = frameEntryId(afterSeq);
      let lastSeq = afterSeq;
      let afterOpen = false;
      let leaseGone = false;
      while (!closed) {
        // Once the lease is gone, only what is already written is read: no more waiting.
        const reply = leaseGone
          ? await connection.xread('COUNT', count, 'STREAMS', keys.frames, cursor)
          : await connection.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', keys.frames, cursor);
        if (closed) return;
        const entries = xreadEntries(reply);
        if (entries.length === 0) {
          if (leaseGone) throw lapsed();
          const [[leaseError, leaseCount], [framesError, framesCount]] = (await connection.pipeline().exists(keys.lease).exists(keys.frames).exec()) ?? [[null, 0], [null, 0]];
          if (leaseError || framesError) throw leaseError ?? framesError;
          if (framesCount === 0) throw new StreamGoneError(runId, lastEventId);
          leaseGone = leaseCount === 0;
          continue;
        }
        for (const [entryId, fields] of entries) {
          cursor = entryId;
          const entry = parseEntry(runId, entryId, fields);
          if (entry.kind === 'open') {
            afterOpen = true;
            continue;
          }
          if (entry.kind === 'end') return subscriber.complete();
          // Sequence numbers rise by one: a gap is frames trimmed while this reader lagged.
          if (entry.frame.seq !== lastSeq + 1 && !afterOpen) throw new StreamGoneError(runId, frameId(runId, lastSeq));
          afterOpen = false;
          lastSeq = entry.frame.seq;
          subscriber.next(entry.frame);
          if (closed) return;
        }
      }
    };

    follow().then(
      () => connection.disconnect(),
      (error: unknown) => {
        connection.disconnect();
        if (closed) return;
        subscriber.error(error instanceof RxllmError ? error : new RxllmError(`RedisStreamStore could not read run ${runId}: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      },
    );
    return () => {
      closed = true;
      // Ends a blocked XREAD at once; its rejected promise is ignored above.
      connection.disconnect();
    };
  });
}
