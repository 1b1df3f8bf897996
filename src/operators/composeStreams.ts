import { catchError, concat, defer, EMPTY, filter, merge, Subject, takeUntil, tap, throwError, type Observable } from 'rxjs';
import type { KeyedChunkOf, StreamCollection } from './KeyedChunk.js';
import { keyedStreams } from './keyedStreamsInternals.js';
import { mergeStreams } from './mergeStreams.js';
import { oneOf } from '../errors/optionChecks.js';

/** How {@link composeStreams} combines its streams. */
export type ComposeMode = 'concat' | 'merge' | 'race';

/** Options of {@link composeStreams}. */
export interface ComposeStreamsOptions {
  /** Default `'concat'`. */
  mode?: ComposeMode;
}

const COMPOSE_MODES: readonly ComposeMode[] = ['concat', 'merge', 'race'];

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
  const mode = oneOf('composeStreams', 'mode', options.mode, 'concat', COMPOSE_MODES);
  switch (mode) {
    case 'concat':
      return concat(...keyedStreams(streams));
    case 'merge':
      return mergeStreams(streams);
    case 'race':
      return firstValueWins(keyedStreams(streams));
  }
}

function firstValueWins<T>(contenders: Observable<T>[]): Observable<T> {
  return defer(() => {
    let winner = -1;
    let ended = 0;
    const won = new Subject<void>();
    return merge(...contenders.map((contender, i) => defer(() => (winner >= 0 ? EMPTY : contender)).pipe(
      tap({
        next: () => {
          if (winner >= 0) return;
          winner = i;
          won.next();
        },
        complete: () => ended++,
      }),
      takeUntil(won.pipe(filter(() => winner !== i))),
      // Before any value, a failing contender drops out, unless it is the last one running.
      catchError((error: unknown) => (winner < 0 && ++ended < contenders.length ? EMPTY : throwError(() => error))),
    )));
  });
}
