import { asyncScheduler, defer, map, type OperatorFunction } from 'rxjs';
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
export function withProgress<T extends TextChunk>(options: ProgressOptions = {}): OperatorFunction<T, ChunkWithProgress<T>> {
  const expectedTokens = checkExpectedTokens('withProgress', options.expectedTokens);
  const sections = checkExpectedSections('withProgress', options);
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) => defer(() => {
    const meter = new ProgressMeter(scheduler.now(), expectedTokens, sections);
    return source.pipe(map((chunk) => ({ chunk, progress: meter.record(chunk, scheduler.now()) })));
  });
}
