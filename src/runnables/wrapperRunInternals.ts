import { mergeMap, of, tap, toArray, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { isStreamReset } from '../resilience/StreamReset.js';
import type { RunContext } from './RunContext.js';
import type { Runnable } from './Runnable.js';

/**
 * Reports each `StreamReset` a recovering wrapper (`withRetry`, `withFallbacks`) emits as an
 * `on_custom_event` named `stream_reset` of its run. The run's own stream and end events skip the
 * marker and start over after it (see `Runnable`).
 */
export function reportResets<T>(run: RunContext): MonoTypeOperatorFunction<T> {
  return tap((value) => {
    if (isStreamReset(value)) run.emitCustom('stream_reset', { attempt: value.attempt, error: value.error });
  });
}

/**
 * One attempt: `runnable` as a child run of the wrapper on `input`. Under `invoke` (not
 * streaming) its chunks are held until it completes: nobody has seen a chunk of a failed
 * attempt, so every failure can be recovered and the result is the successful attempt's alone.
 */
export function attemptOf<I, O>(runnable: Runnable<I, O, unknown>, input: I, run: RunContext, stepTag?: string): Observable<O> {
  const output$ = runnable._call(of(input), run.childScope(), { knownInput: { value: input }, ...(stepTag && { stepTag }) });
  return run.streaming ? output$ : output$.pipe(toArray(), mergeMap((chunks) => chunks));
}
