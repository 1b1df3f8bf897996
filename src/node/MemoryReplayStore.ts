import { EMPTY, Observable, Subject, asyncScheduler, defer, filter, map, take, throwError, type SchedulerLike } from 'rxjs';
import { StreamGoneError } from '../errors/errors.js';
import { durationMs, positiveCount } from '../errors/optionChecks.js';
import { frameId } from '../sse/frameId.js';
import type { ReplayStore, StoredFrame } from './ReplayStore.js';

/** Options of {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** The most frames kept, across all runs; the oldest go first. Default 10 000. */
  maxEvents?: number;
  /** How long a frame is kept; a run is forgotten this long after its last frame. Default 5 minutes. */
  maxAgeMs?: number;
  /** Where time is read (for age). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

interface RunRecord {
  /** Kept frames from `head` on, oldest first (evicted ones before `head` are dropped now and then). */
  readonly frames: StoredFrame[];
  head: number;
  /** The sequence number of the last frame evicted (one before the run's first, when none was). */
  lastEvictedSeq: number;
  lastAppendAt: number;
  ended: boolean;
  readonly live: Subject<StoredFrame | 'end'>;
}

/**
 * The default replay store: one process's memory, bounded by frame count and age. Frames are kept
 * in one queue of arrival across runs, so `maxEvents` bounds the memory of all runs together, and
 * the oldest frames go first, whichever run they belong to. Expiry is checked on each operation
 * (no timer runs, nothing to close). Stop requests reach the runs of this process only; use a
 * shared store (Redis) to stop and resume across instances.
 *
 * @example
 * ```ts
 * import { MemoryReplayStore, sseEndpoint } from 'rxllm/node';
 * app.use('/chat', sseEndpoint(handler, { replay: { store: new MemoryReplayStore({ maxEvents: 50_000 }) } }));
 * ```
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly maxEvents: number;
  private readonly maxAgeMs: number;
  private readonly scheduler: SchedulerLike;
  private readonly runs = new Map<string, RunRecord>();
  /** Every kept frame in arrival order, for eviction by count and age. */
  private readonly arrivals: Array<{ runId: string; at: number }> = [];
  private arrivalsStart = 0;
  private readonly stops = new Subject<string>();

  constructor(options: MemoryReplayStoreOptions = {}) {
    this.maxEvents = positiveCount('MemoryReplayStore', 'maxEvents', options.maxEvents, 10_000, { infinity: true });
    this.maxAgeMs = durationMs('MemoryReplayStore', 'maxAgeMs', options.maxAgeMs, 300_000, { zero: false, infinity: true });
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  /** Frames kept now, across runs. */
  get size(): number {
    return this.arrivals.length - this.arrivalsStart;
  }

  open(runId: string): Observable<void> {
    const now = this.scheduler.now();
    this.expire(now);
    if (!this.runs.has(runId)) this.runs.set(runId, { frames: [], head: 0, lastEvictedSeq: 0, lastAppendAt: now, ended: false, live: new Subject() });
    return EMPTY;
  }

  append(runId: string, frame: StoredFrame): Observable<void> {
    const now = this.scheduler.now();
    this.expire(now);
    let run = this.runs.get(runId);
    if (!run) {
      run = { frames: [], head: 0, lastEvictedSeq: frame.seq - 1, lastAppendAt: now, ended: false, live: new Subject() };
      this.runs.set(runId, run);
    } else if (run.frames.length === 0 && run.lastEvictedSeq === 0) {
      run.lastEvictedSeq = frame.seq - 1;
    }
    run.frames.push(frame);
    run.lastAppendAt = now;
    this.arrivals.push({ runId, at: now });
    while (this.size > this.maxEvents) this.evictOldest();
    run.live.next(frame);
    return EMPTY;
  }

  end(runId: string): Observable<void> {
    const run = this.runs.get(runId);
    if (run && !run.ended) {
      run.ended = true;
      run.lastAppendAt = this.scheduler.now();
      run.live.next('end');
      run.live.complete();
    }
    return EMPTY;
  }

  read(runId: string, afterSeq: number): Observable<StoredFrame> {
    return defer(() => {
      this.expire(this.scheduler.now());
      const run = this.runs.get(runId);
      const lastEventId = afterSeq > 0 ? frameId(runId, afterSeq) : undefined;
      if (!run) return throwError(() => new StreamGoneError(runId, lastEventId));
      // The frame after `afterSeq` must still be here, or the client would miss it.
      if (afterSeq < run.lastEvictedSeq) return throwError(() => new StreamGoneError(runId, lastEventId));
      return new Observable<StoredFrame>((subscriber) => {
        // Kept frames and the live ones are joined within one turn: no append can come between.
        for (let i = run.head; i < run.frames.length && !subscriber.closed; i++) if (run.frames[i].seq > afterSeq) subscriber.next(run.frames[i]);
        if (run.ended) return subscriber.complete();
        return run.live.subscribe({
          next: (item) => (item === 'end' ? subscriber.complete() : item.seq > afterSeq && subscriber.next(item)),
          complete: () => subscriber.complete(),
        });
      });
    });
  }

  stop(runId: string): Observable<void> {
    this.stops.next(runId);
    return EMPTY;
  }

  stopRequests(runId: string): Observable<void> {
    return this.stops.pipe(filter((id) => id === runId), take(1), map(() => undefined));
  }

  /** Drops frames older than `maxAgeMs` and runs idle that long. O(frames dropped). */
  private expire(now: number): void {
    if (this.maxAgeMs === Infinity) return;
    const cutoff = now - this.maxAgeMs;
    let evicted = false;
    while (this.size > 0 && this.arrivals[this.arrivalsStart].at <= cutoff) {
      this.evictOldest();
      evicted = true;
    }
    // Runs are swept only when time has moved past some frame: then some may have gone quiet too.
    if (!evicted && this.size > 0) return;
    for (const [runId, run] of this.runs) {
      if (run.head === run.frames.length && run.lastAppendAt <= cutoff) this.forget(runId, run);
    }
  }

  private evictOldest(): void {
    const { runId } = this.arrivals[this.arrivalsStart++];
    // Compact the queue now and then rather than shifting on every eviction.
    if (this.arrivalsStart > 1024 && this.arrivalsStart * 2 > this.arrivals.length) {
      this.arrivals.splice(0, this.arrivalsStart);
      this.arrivalsStart = 0;
    }
    const run = this.runs.get(runId);
    if (!run || run.head === run.frames.length) return;
    run.lastEvictedSeq = run.frames[run.head].seq;
    // The slot is cleared at once: an evicted frame must not stay reachable until the next compaction.
    run.frames[run.head++] = undefined as unknown as StoredFrame;
    if (run.head > 1024 && run.head * 2 > run.frames.length) {
      run.frames.splice(0, run.head);
      run.head = 0;
    }
  }

  private forget(runId: string, run: RunRecord): void {
    this.runs.delete(runId);
    if (!run.ended) run.live.complete();
  }
}
