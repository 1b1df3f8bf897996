import { Observable, asyncScheduler, defer, map, takeUntil, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { RxllmError } from '../errors/RxllmError.js';
import { StreamTimeoutError, type StreamTimeoutKind } from '../errors/errors.js';
import { durationMs } from '../errors/optionChecks.js';

/** Options of {@link streamTimeout}. Every limit is optional; `Infinity` or leaving it out means none. */
export interface StreamTimeoutOptions {
  /** Longest wait from subscription to the first chunk (time to first token). Default: `idleMs`. */
  firstChunkMs?: number;
  /** Longest gap between two chunks. Also bounds the wait for the first chunk when `firstChunkMs` is not given. */
  idleMs?: number;
  /** Longest time from subscription to completion. */
  totalMs?: number;
  /** Where time is measured. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Fails a stream that stalls: no first chunk in time, too long a gap between chunks, or no
 * completion in time.
 *
 * An HTTP client's timeout usually ends when the response headers arrive, so a body that stops
 * half-way hangs forever. `streamTimeout` watches the chunks themselves. When a limit passes it
 * unsubscribes the source (which aborts a model's request) and errors with a
 * `StreamTimeoutError` whose `kind` says which limit fired: `'first-chunk'`, `'idle'` or
 * `'total'`. When only `idleMs` is given, it also bounds the wait for the first chunk, reported as
 * `'idle'`. Chunks before the timeout stay delivered; its timer is released on completion, error
 * and unsubscription. Put `retryStream` after it to retry a stalled stream.
 *
 * It keeps one timer per stream and does not restart it on every chunk: when the timer fires it
 * checks the time of the latest chunk and, if there was one, waits out the rest of the gap.
 *
 * ```
 * source:                             ---a-b---------c-|
 * streamTimeout({ firstChunkMs: 5 }): ---a-b---------c-|
 * streamTimeout({ idleMs: 4 }):       ---a-b----#          (kind 'idle')
 * streamTimeout({ firstChunkMs: 2 }): --#                  (kind 'first-chunk')
 * streamTimeout({ totalMs: 8 }):      ---a-b--#            (kind 'total')
 * ```
 *
 * @example
 * ```ts
 * import { retryStream, streamTimeout } from 'rxllm';
 * model.stream('Summarise this').pipe(
 *   streamTimeout({ firstChunkMs: 20_000, idleMs: 10_000, totalMs: 120_000 }),
 *   retryStream({ maxAttempts: 3 }),
 * ).subscribe((chunk) => process.stdout.write(chunk.content));
 * ```
 *
 * @param options The limits, in milliseconds, and the scheduler.
 * @return An operator mirroring the source until it completes, errors, or passes a limit.
 */
export function streamTimeout<T>(options: StreamTimeoutOptions): MonoTypeOperatorFunction<T> {
  if (typeof options !== 'object' || options === null) throw new RxllmError('streamTimeout: pass an options object such as { idleMs: 10_000 }');
  const firstChunkMs = limitMs('firstChunkMs', options.firstChunkMs);
  const idleMs = limitMs('idleMs', options.idleMs);
  const totalMs = limitMs('totalMs', options.totalMs);
  const scheduler = options.scheduler ?? asyncScheduler;
  const firstLimit: Limit = options.firstChunkMs !== undefined ? { kind: 'first-chunk', ms: firstChunkMs } : { kind: 'idle', ms: idleMs };
  if (firstLimit.ms === Infinity && idleMs === Infinity && totalMs === Infinity) return (source) => source;

  return (source) => defer(() => {
    const startedAt = scheduler.now();
    let lastChunkAt: number | undefined;
    // Set while no timer runs because no limit is ahead (only a chunk can bring one back).
    let rearm: (() => void) | undefined;

    const nextDeadline = (): Limit & { at: number } => {
      const gap = lastChunkAt === undefined
        ? { ...firstLimit, at: startedAt + firstLimit.ms }
        : { kind: 'idle' as const, ms: idleMs, at: lastChunkAt + idleMs };
      // On a tie the total limit is reported: it is the one no further chunk could have moved.
      return startedAt + totalMs <= gap.at ? { kind: 'total', ms: totalMs, at: startedAt + totalMs } : gap;
    };

    const deadline$ = new Observable<never>((subscriber) => {
      let timer: Subscription | undefined;
      const arm = (): void => {
        timer = undefined;
        const due = nextDeadline();
        if (due.at === Infinity) {
          rearm = arm;
          return;
        }
        const wait = due.at - scheduler.now();
        if (wait <= 0) subscriber.error(new StreamTimeoutError(due.kind, due.ms));
        // One timer, not one per chunk: when it fires, a later chunk has moved the deadline on.
        else timer = scheduler.schedule(arm, Math.min(wait, MAX_TIMER_MS));
      };
      arm();
      return () => {
        timer?.unsubscribe();
        rearm = undefined;
      };
    });

    const seen = (chunk: T): T => {
      lastChunkAt = scheduler.now();
      const armAgain = rearm;
      rearm = undefined;
      armAgain?.();
      return chunk;
    };
    // takeUntil passes the deadline's error on, then unsubscribes the source. `map` for the side
    // effect: rxjs's `tap` (0.5 KB minified) is then not in a bundle of chunk operators.
    return source.pipe(map(seen), takeUntil(deadline$));
  });
}

/** Longest delay a timer can take (setTimeout overflows above it and would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Limit {
  kind: StreamTimeoutKind;
  ms: number;
}

/** A limit: above 0 ms (a limit of 0 would fire at once), `Infinity` or left out for none. */
function limitMs(option: string, value: number | undefined): number {
  return durationMs('streamTimeout', option, value, Infinity, { zero: false, infinity: true });
}
