import { filter, map, pipe, type OperatorFunction } from 'rxjs';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';
import type { TextChunk } from './TextChunk.js';
import { textOf } from './textChunkInternals.js';

/**
 * Turns a stream of chunks into the text each one adds.
 *
 * Chunks that add no text (a tool-call fragment, the usage report, the finish chunk) are skipped,
 * so every emitted string is non-empty and can go straight to a renderer. Strings pass through
 * (empty ones are skipped too). A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })`)
 * passes through as it is, in its place, so the operators after it can start over.
 *
 * ```
 * source:       --a--t--b--u--|     a: 'Hel', t: (tool-call chunk), b: 'lo', u: (usage chunk)
 * textDeltas(): --x-----y-----|     x: 'Hel', y: 'lo'
 * ```
 *
 * @example
 * ```ts
 * import { textDeltas } from 'rxllm';
 * model.stream('What is AI?').pipe(textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @return An operator emitting the non-empty text of each chunk (and the markers).
 */
export function textDeltas<T extends TextChunk | StreamReset>(): OperatorFunction<T, string | Extract<T, StreamReset>> {
  return pipe(
    map((item: T) => (isStreamReset(item) ? item : textOf(item as TextChunk))),
    filter((item): item is string | Extract<T, StreamReset> => typeof item !== 'string' || item.length > 0),
  );
}
