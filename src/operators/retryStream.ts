import {
  asyncScheduler, defer, map, retry, timer,
  type MonoTypeOperatorFunction, type Observable, type ObservableInput, type OperatorFunction, type SchedulerLike,
} from 'rxjs';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { oneOf } from '../errors/optionChecks.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import type { RetryPolicyOptions } from './RetryPolicyOptions.js';
import { RetryPolicy } from './retryInternals.js';
import { ResetTracker } from './streamResetInternals.js';

export type { BackoffOptions, RetryInfo, RetryPolicyOptions } from './RetryPolicyOptions.js';

/**
 * What a failure after the first chunk does. `'error'`: passes the error on (the chunks stay).
 * `'restart'`: emits a `StreamReset` and replays from scratch. `'continue'`: asks for the rest
 * (see `continueWith`) and streams only the new part.
 */
export type AfterFirstChunk = 'error' | 'restart' | 'continue';

/** Options of {@link retryStream}. */
export interface RetryStreamOptions<T> extends RetryPolicyOptions {
  /** What a failure after the first chunk does. Default `'error'`. */
  afterFirstChunk?: AfterFirstChunk;
  /**
   * For `afterFirstChunk: 'continue'`: the stream of the rest of the answer, given everything
   * emitted so far and the error. Return `throwError(() => error)` where continuing makes no sense.
   */
  continueWith?: (emittedSoFar: readonly T[], error: unknown) => ObservableInput<T>;
  /** Where the waits between attempts run. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Retries a failed stream by subscribing to it again — for a model's stream, a new request — with
 * exponential backoff, `Retry-After`, and a choice of what to do when chunks were already emitted.
 *
 * Which failures: `retryIf` (default `isRetryableError`: broken connections, timeouts, 408, 409,
 * 429 and 5xx, not other 4xx nor aborts). How long: `backoff.initialMs · factor^(n-1)`, at most
 * `backoff.maxMs`, less up to `jitter` of it at random, and never less than a `RateLimitError`'s
 * `retryAfterMs`. How often: `maxAttempts` in all. After the last attempt, the last error passes on.
 *
 * Before the first chunk a retry is invisible downstream. After it, `afterFirstChunk` decides:
 * - `'error'` (default): the error passes on; the chunks before it stay delivered.
 * - `'restart'`: a `StreamReset` marker opens the next attempt (after the wait), which replays
 *   the stream from scratch; a consumer drops what it has at the marker (see `restartOnReset`).
 *   One marker per voided stretch of chunks: an attempt that fails before its first chunk adds
 *   none. If the later attempts fail too, the last error follows the marker.
 * - `'continue'`: `continueWith(emittedSoFar, error)` gives the stream of the rest, e.g. a
 *   request asking the model to go on from the partial answer; it is retried like the source.
 *
 * Unsubscribing while waiting cancels the wait.
 *
 * Three subscriptions of a source, with `backoff: { initialMs: 2, factor: 2, jitter: 0 }`:
 * ```
 * 1st: -a-#      2nd (after 2): --#      3rd (after 4): -a-b|
 * 'error':    -a-#
 * 'restart':  -a---R------a-b|      R: StreamReset { attempt: 2 }
 * ```
 *
 * @example
 * ```ts
 * import { isStreamReset, retryStream, streamTimeout } from 'rxllm';
 * model.stream('Write a haiku').pipe(
 *   streamTimeout({ idleMs: 10_000 }),
 *   retryStream({ maxAttempts: 4, backoff: { initialMs: 1000 }, afterFirstChunk: 'restart' }),
 * ).subscribe((item) => (isStreamReset(item) ? clear() : append(item.content)));
 * ```
 *
 * @param options Attempts, backoff, which errors, and the policy after the first chunk.
 * @return An operator emitting the chunks of the attempts (and `StreamReset` markers for `'restart'`).
 */
export function retryStream<T>(options: RetryStreamOptions<T> & { afterFirstChunk: 'restart' }): OperatorFunction<T, T | StreamReset>;
export function retryStream<T>(options?: RetryStreamOptions<T> & { afterFirstChunk?: 'error' | 'continue' }): MonoTypeOperatorFunction<T>;
export function retryStream<T>(options?: RetryStreamOptions<T>): OperatorFunction<T, T | StreamReset>;
export function retryStream<T>(options: RetryStreamOptions<T> = {}): OperatorFunction<T, T | StreamReset> {
  const policy = new RetryPolicy('retryStream', options);
  const afterFirstChunk = oneOf('retryStream', 'afterFirstChunk', options.afterFirstChunk, 'error', ['error', 'restart', 'continue']);
  const { continueWith, onRetry } = options;
  if (afterFirstChunk === 'continue' && typeof continueWith !== 'function') {
    throw new InvalidOptionError('retryStream', 'continueWith', "a function giving the stream of the rest of the answer (afterFirstChunk 'continue' needs it)", continueWith);
  }
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) => defer(() => {
    const tracker = new ResetTracker();
    const emittedSoFar: T[] = [];
    let attempt = 1;
    let next$: Observable<T> = source;

    const attempt$ = defer(() => {
      const values$ = afterFirstChunk === 'continue' ? next$.pipe(map((value) => {
        emittedSoFar.push(value);
        return value;
      })) : next$;
      return tracker.track(values$, attempt);
    });

    return attempt$.pipe(retry({
      delay: (error: unknown) => {
        const failed = attempt;
        const giveUp = afterFirstChunk === 'error' && tracker.emitted;
        const delayMs = giveUp ? undefined : policy.delayAfter(error, failed);
        // Thrown from `delay`, the error ends the stream, as `throwError` would.
        if (delayMs === undefined) throw error;
        if (afterFirstChunk === 'restart') tracker.voidAfter(error);
        if (afterFirstChunk === 'continue' && tracker.emitted) {
          const soFar = emittedSoFar.slice();
          next$ = defer(() => continueWith!(soFar, error));
        }
        onRetry?.({ attempt: failed, error, delayMs });
        attempt = failed + 1;
        // `[0]` retries at once, as `of(0)` would, without rxjs's scheduled `from` in every bundle.
        return delayMs > 0 ? timer(delayMs, scheduler) : [0];
      },
    }));
  });
}
