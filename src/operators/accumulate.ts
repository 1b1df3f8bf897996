import { defer, filter, map, type Observable, type OperatorFunction } from 'rxjs';
import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { ChunkAccumulator } from '../messages/ChunkAccumulator.js';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';
import { Attempts } from './streamResetInternals.js';
import type { TextChunk } from './TextChunk.js';
import { textOf } from './textChunkInternals.js';

/** Options of {@link accumulate}. */
export interface AccumulateOptions {
  /** Emit the running text (a string) instead of the running message. Default `false`. */
  text?: boolean;
}

/**
 * Emits the message so far after each chunk: the running concatenation of the stream.
 *
 * Each emission is a new `AIMessageChunk` equal to `concatChunks` of every chunk received so far
 * (text, reasoning, merged tool calls, usage, finish reason, metadata), and later chunks never
 * change it. The work per chunk is proportional to that chunk and to the number of tool calls,
 * not to the text already received, so accumulating a long answer stays linear.
 *
 * With `{ text: true }` it emits the running text instead, and only when a chunk adds text.
 * An empty source completes without emitting.
 *
 * A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })` or a fallback that switches)
 * passes on at once and the accumulation starts over after it: the message after the marker holds
 * only the new attempt's chunks.
 *
 * ```
 * source:       --a----b----c--|      a: 'Hel', b: 'lo', c: (usage chunk)
 * accumulate(): --x----y----z--|      x: 'Hel', y: 'Hello', z: 'Hello' + usage
 * accumulate({ text: true }):
 *               --p----q-------|      p: 'Hel', q: 'Hello'
 *
 * source:                      -a-b-R-a-b-|      R: StreamReset
 * accumulate({ text: true }):  -p-q-R-p-q-|
 * ```
 *
 * @example
 * ```ts
 * import { accumulate } from 'rxllm';
 * model.stream('Tell me a story').pipe(accumulate({ text: true }))
 *   .subscribe((soFar) => (element.textContent = soFar));
 * ```
 *
 * @param options `text: true` to emit strings.
 * @return An operator emitting the running message (or text) after each chunk.
 */
export function accumulate<T extends TextChunk | StreamReset>(options: AccumulateOptions & { text: true }): OperatorFunction<T, string | Extract<T, StreamReset>>;
export function accumulate<T extends AIMessageChunk | StreamReset>(options?: AccumulateOptions & { text?: false }): OperatorFunction<T, AIMessageChunk | Extract<T, StreamReset>>;
export function accumulate(options: AccumulateOptions = {}): OperatorFunction<AIMessageChunk | StreamReset, AIMessageChunk | StreamReset> | OperatorFunction<TextChunk | StreamReset, string | StreamReset> {
  return options.text ? accumulateText : accumulateMessage;
}

function accumulateMessage(source: Observable<AIMessageChunk | StreamReset>): Observable<AIMessageChunk | StreamReset> {
  return defer(() => {
    const attempts = new Attempts(() => new ChunkAccumulator());
    return source.pipe(map((item) => (attempts.opensNext(item) ? item : new AIMessageChunk(attempts.state.add(item).fields()))));
  });
}

function accumulateText(source: Observable<TextChunk | StreamReset>): Observable<string | StreamReset> {
  return defer(() => {
    // `+=` builds a rope in V8: appending is O(chunk) and the text is flattened only when read.
    const attempts = new Attempts(() => '');
    return source.pipe(
      filter((item) => isStreamReset(item) || textOf(item) !== ''),
      map((item) => (attempts.opensNext(item) ? item : (attempts.state += textOf(item)))),
    );
  });
}
