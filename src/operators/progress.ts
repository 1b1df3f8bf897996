import { map, pipe, type OperatorFunction } from 'rxjs';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';
import type { ProgressOptions, StreamProgress } from './StreamProgress.js';
import type { TextChunk } from './TextChunk.js';
import { withProgress } from './withProgress.js';

/**
 * The progress of a stream after each chunk, without the chunks: for a progress bar or a
 * status line fed from a shared stream.
 *
 * Emits the same `StreamProgress` as `withProgress` (which keeps the chunk beside it). To show
 * both the text and the progress of one request, prefer `withProgress`; `progress` suits a
 * stream that is already shared (`share()`), so that the request is made once.
 *
 * For a long Markdown answer, `expectedSections` counts its sections (top-level `##` headings by
 * default) and makes `fraction` the share of sections done; `documentStatus` also names the
 * section being written.
 *
 * A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })` or a fallback that switches)
 * passes on, and the progress starts over after it, timed from the marker (see `withProgress`).
 *
 * ```
 * source:                               -a--b---c|     a: 'Hello', b: ' world', c: usage { outputTokens: 2 }
 * progress({ expectedTokens: 4 }):      -x--y---z|     x: { outputTokens: 2, fraction: 0.5, … }
 *                                                      y: { outputTokens: 4, fraction: 1, … }
 *                                                      z: { outputTokens: 2, estimated: false, fraction: 0.5, … }
 * ```
 *
 * @example
 * ```ts
 * import { share } from 'rxjs';
 * import { progress, textDeltas } from 'rxllm';
 * const answer$ = model.stream('Explain RxJS').pipe(share());
 * answer$.pipe(progress()).subscribe((p) => console.error(`${p.outputTokens} tokens, ${p.tokensPerSecond.toFixed(1)}/s`));
 * answer$.pipe(textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @param options `expectedTokens` or `expectedSections` for `fraction`; the clock.
 * @return An operator emitting a `StreamProgress` after each chunk.
 */
export function progress<T extends TextChunk | StreamReset>(options: ProgressOptions = {}): OperatorFunction<T, StreamProgress | Extract<T, StreamReset>> {
  return pipe(withProgress<T>(options), map((item) => (isStreamReset(item) ? item : item.progress)));
}
