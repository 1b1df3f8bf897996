import { from, mergeAll, type Observable } from 'rxjs';
import type { KeyedChunkOf, StreamCollection } from './KeyedChunk.js';
import { keyedStreams } from './keyedStreamsInternals.js';
import { positiveCount } from '../errors/optionChecks.js';

/** Options of {@link mergeStreams}. */
export interface MergeStreamsOptions {
  /** Streams subscribed at once; the others wait their turn, in order. Default `Infinity`. */
  concurrency?: number;
}

/**
 * Runs several streams at once and interleaves their values, each tagged with the key of its
 * stream: `{ key, chunk }`, where the key is the index for an array and the name for a record.
 *
 * Completes when every stream has completed; an error of any stream errors the result and
 * cancels the others. Unsubscribing cancels every stream in flight. With `concurrency`, at most
 * that many streams run at a time and the next starts when one completes.
 *
 * ```
 * streams[0]:           -a---b-|
 * streams[1]:           --x-y---|
 * mergeStreams(streams): -ax-yb--|     a: { key: 0, chunk: 'a' }, x: { key: 1, chunk: 'x' }, …
 * ```
 *
 * @example
 * ```ts
 * import { mergeStreams } from 'rxllm';
 * mergeStreams({ summary: model.stream('Summarise …'), title: model.stream('Title for …') })
 *   .subscribe(({ key, chunk }) => panels[key].append(chunk.content));
 * ```
 *
 * @param streams The streams, by index or by name.
 * @param options `concurrency`.
 * @return An Observable of `{ key, chunk }`.
 */
export function mergeStreams<S extends StreamCollection>(streams: S, options: MergeStreamsOptions = {}): Observable<KeyedChunkOf<S>> {
  const concurrency = positiveCount('mergeStreams', 'concurrency', options.concurrency, Infinity);
  return from(keyedStreams(streams)).pipe(mergeAll(concurrency));
}
