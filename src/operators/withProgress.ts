import { asyncScheduler, defer, map, type OperatorFunction } from 'rxjs';
import type { StreamReset } from '../resilience/StreamReset.js';
import { Attempts } from './streamResetInternals.js';
import { checkExpectedSections, checkExpectedTokens, ProgressMeter } from './progressInternals.js';
import type { ProgressOptions, StreamProgress } from './StreamProgress.js';
import type { TextChunk } from './TextChunk.js';

/** A chunk and the progress of its stream once it arrived. */
export interface ChunkWithProgress<T> {
  chunk: T;
  progress: StreamProgress;
}

/**
 * Pairs each chunk with the progress of the stream: chunks, characters, output tokens, elapsed
 * time, tokens per second and, given `expectedTokens`, the fraction done.
 *
 * Use it to render the answer and a status line from one subscription. Output tokens are
 * estimated from the text (about four characters per token) until a chunk reports usage; from
 * then on the server's count is used and the estimate is corrected. Time comes from
 * `scheduler.now()`, so it runs in virtual time under `TestScheduler`.
 *
 * A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })` or a fallback that switches)
 * passes on as it is, not paired, and the counting starts over after it: chunks, characters,
 * tokens, and the elapsed time, which counts from the marker (the new attempt's start).
 *
 * ```
 * source:          -a--b--|       a: 'Hello', b: ' world'
 * withProgress():  -x--y--|       x: { chunk: a, progress: { chunks: 1, chars: 5, elapsedMs: 1, … } }
 *                                 y: { chunk: b, progress: { chunks: 2, chars: 11, elapsedMs: 4, … } }
 * ```
 *
 * @example
 * ```ts
 * import { withProgress } from 'rxllm';
 * model.stream('Explain RxJS').pipe(withProgress({ expectedTokens: 500 }))
 *   .subscribe(({ chunk, progress }) => {
 *     process.stdout.write(chunk.content);
 *     status.textContent = `${progress.outputTokens} tokens, ${Math.round((progress.fraction ?? 0) * 100)}%`;
 *   });
 * ```
 *
 * @param options `expectedTokens` or `expectedSections` (with `sectionLevel`) for `fraction`; the clock.
 * @return An operator emitting `{ chunk, progress }` for each chunk.
 */
export function withProgress<T extends TextChunk | StreamReset>(
  options: ProgressOptions = {},
): OperatorFunction<T, ChunkWithProgress<Exclude<T, StreamReset>> | Extract<T, StreamReset>> {
  const expectedTokens = checkExpectedTokens('withProgress', options.expectedTokens);
  const sections = checkExpectedSections('withProgress', options);
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) => defer(() => {
    // Each attempt is measured from its own start: the marker is emitted as the new request starts.
    const attempts = new Attempts(() => new ProgressMeter(scheduler.now(), expectedTokens, sections));
    return source.pipe(map((item) => {
      if (attempts.opensNext(item)) return item as Extract<T, StreamReset>;
      const chunk = item as Exclude<T, StreamReset>;
      return { chunk, progress: attempts.state.record(chunk, scheduler.now()) };
    }));
  });
}
