import { catchError, concat, defer, from, map, mergeAll, of, throwError, type Observable } from 'rxjs';
import { positiveCount } from '../errors/optionChecks.js';

/** Anything with a `stream(input, config?)` method: a chat model, a chain, a runnable. */
export interface StreamingRunnable<I, O, C = unknown> {
  stream(input: I, config?: C): Observable<O>;
}

/** An item of {@link parallelStreams}: a chunk of one input's stream, or how that stream ended. */
export type ParallelStreamItem<I, O> =
  | { type: 'chunk'; index: number; input: I; chunk: O }
  | { type: 'done'; index: number; input: I }
  | { type: 'error'; index: number; input: I; error: unknown };

/** Options of {@link parallelStreams}. */
export interface ParallelStreamsOptions<C> {
  /** Streams running at once; the next input starts when one ends. Default `Infinity`. */
  concurrency?: number;
  /** Error the whole result (cancelling the others) at the first failure. Default `false`. */
  failFast?: boolean;
  /** Passed to every `runnable.stream(input, config)` call. */
  config?: C;
}

/**
 * Streams a runnable over many inputs at once, interleaving the chunks, each tagged with the
 * input it belongs to.
 *
 * Items are `{ type: 'chunk', index, input, chunk }`, then for each input exactly one
 * `{ type: 'done', index, input }` or `{ type: 'error', index, input, error }`. A failing input
 * does not stop the others (its chunks already emitted stay delivered); with `failFast: true`
 * the first failure errors the result instead, and cancels the streams still running. The result
 * completes when every input has ended. Each `stream` call is made when its turn comes (at most
 * `concurrency` at a time, in input order), and unsubscribing cancels every stream in flight.
 *
 * ```
 * stream('p'):                -a-b|
 * stream('q'):                --x-#
 * parallelStreams(['p','q']): -axb(DE|)   a, b: chunks of p, x: chunk of q, D: done p, E: error q
 * ```
 *
 * @example
 * ```ts
 * import { parallelStreams } from 'rxllm';
 * parallelStreams(['Summarise A', 'Summarise B', 'Summarise C'], model, { concurrency: 2 })
 *   .subscribe((item) => {
 *     if (item.type === 'chunk') outputs[item.index] += item.chunk.content;
 *     else if (item.type === 'error') console.error(`input ${item.index} failed`, item.error);
 *   });
 * ```
 *
 * @param inputs The inputs, one stream each.
 * @param runnable What streams each input.
 * @param options `concurrency`, `failFast`, the `config` of every call.
 * @return An Observable of chunk, done and error items.
 */
export function parallelStreams<I, O, C = unknown>(
  inputs: Iterable<I>,
  runnable: StreamingRunnable<I, O, C>,
  options: ParallelStreamsOptions<C> = {},
): Observable<ParallelStreamItem<I, O>> {
  const concurrency = positiveCount('parallelStreams', 'concurrency', options.concurrency, Infinity);
  const { failFast = false, config } = options;
  const streams = Array.from(inputs, (input, index): Observable<ParallelStreamItem<I, O>> => concat(
    // `defer`: the request starts when the stream's turn comes, and a throwing `stream` is that input's error.
    defer(() => runnable.stream(input, config)).pipe(map((chunk) => ({ type: 'chunk' as const, index, input, chunk }))),
    of({ type: 'done' as const, index, input }),
  ).pipe(
    catchError((error: unknown) => (failFast ? throwError(() => error) : of({ type: 'error' as const, index, input, error }))),
  ));
  return from(streams).pipe(mergeAll(concurrency));
}
