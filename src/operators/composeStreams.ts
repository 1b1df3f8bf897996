import { concat, Observable, type Subscription } from 'rxjs';
import { keyedStreams, type KeyedChunkOf, type StreamCollection } from './keyedStreamsInternals.js';
import { mergeStreams } from './mergeStreams.js';
import { RxllmError } from '../errors/RxllmError.js';

/** How {@link composeStreams} combines its streams. */
export type ComposeMode = 'concat' | 'merge' | 'race';

/** Options of {@link composeStreams}. */
export interface ComposeStreamsOptions {
  /** Default `'concat'`. */
  mode?: ComposeMode;
}

/**
 * Combines several streams into one, in sequence, interleaved, or as a race.
 *
 * Every mode emits the same shape, `{ key, chunk }` (the key is the index for an array, the name
 * for a record), so switching mode never changes the code downstream; `map(({ chunk }) => chunk)`
 * gives the bare values.
 *
 * - `'concat'`: each stream in key order, the next subscribed when the previous completes.
 * - `'merge'`: all at once, values interleaved as they come (as `mergeStreams`).
 * - `'race'`: all at once; the first stream to emit a value wins, the others are cancelled and
 *   only the winner's values follow. A stream that errors or completes before any value drops
 *   out, so a fast failure never beats a slow answer; if every stream drops out, the result ends
 *   as the last one did (its error, or completion).
 *
 * In every mode an error of a stream that is playing errors the result; unsubscribing cancels
 * every stream subscribed.
 *
 * ```
 * s0:             --a-b|
 * s1:             -x---y-|
 * mode 'concat':  --a-b-x---y-|      a: { key: 0, chunk: 'a' }, x: { key: 1, chunk: 'x' }, …
 * mode 'merge':   -xa-by-|
 * mode 'race':    -x---y-|           s1 emits first: s0 is cancelled
 * ```
 *
 * @example
 * ```ts
 * import { composeStreams } from 'rxllm';
 * // Ask two providers, keep whichever answers first.
 * composeStreams({ openai: gpt.stream(question), local: llama.stream(question) }, { mode: 'race' })
 *   .subscribe(({ key, chunk }) => render(key, chunk.content));
 * ```
 *
 * @param streams The streams, by index or by name.
 * @param options The `mode`.
 * @return An Observable of `{ key, chunk }`.
 */
export function composeStreams<S extends StreamCollection>(streams: S, options: ComposeStreamsOptions = {}): Observable<KeyedChunkOf<S>> {
  const mode = options.mode ?? 'concat';
  switch (mode) {
    case 'concat':
      return concat(...keyedStreams(streams));
    case 'merge':
      return mergeStreams(streams);
    case 'race':
      return firstValueWins(keyedStreams(streams));
    default:
      throw new RxllmError(`composeStreams: mode must be 'concat', 'merge' or 'race', got ${String(mode)}`);
  }
}

function firstValueWins<T>(contenders: Observable<T>[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    if (contenders.length === 0) {
      subscriber.complete();
      return undefined;
    }
    const subscriptions: (Subscription | undefined)[] = [];
    let winner = -1;
    let remaining = contenders.length;
    const dropOut = (end: () => void): void => {
      if (--remaining === 0) end();
    };
    for (let i = 0; i < contenders.length && winner < 0 && !subscriber.closed; i++) {
      subscriptions[i] = contenders[i].subscribe({
        next: (value) => {
          if (winner < 0) {
            winner = i;
            // Cancel the losers; one subscribed later in this loop is never started.
            subscriptions.forEach((subscription, j) => j !== i && subscription?.unsubscribe());
          }
          subscriber.next(value);
        },
        error: (error: unknown) => (winner === i ? subscriber.error(error) : dropOut(() => subscriber.error(error))),
        complete: () => (winner === i ? subscriber.complete() : dropOut(() => subscriber.complete())),
      });
    }
    return () => subscriptions.forEach((subscription) => subscription?.unsubscribe());
  });
}
