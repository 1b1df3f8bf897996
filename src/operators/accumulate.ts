import { defer, filter, map, scan, type Observable, type OperatorFunction } from 'rxjs';
import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { ChunkAccumulator } from '../messages/ChunkAccumulator.js';
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
 * ```
 * source:       --a----b----c--|      a: 'Hel', b: 'lo', c: (usage chunk)
 * accumulate(): --x----y----z--|      x: 'Hel', y: 'Hello', z: 'Hello' + usage
 * accumulate({ text: true }):
 *               --p----q-------|      p: 'Hel', q: 'Hello'
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
export function accumulate(options: AccumulateOptions & { text: true }): OperatorFunction<TextChunk, string>;
export function accumulate(options?: AccumulateOptions & { text?: false }): OperatorFunction<AIMessageChunk, AIMessageChunk>;
export function accumulate(options: AccumulateOptions = {}): OperatorFunction<AIMessageChunk, AIMessageChunk> | OperatorFunction<TextChunk, string> {
  return options.text ? accumulateText : accumulateMessage;
}

function accumulateMessage(source: Observable<AIMessageChunk>): Observable<AIMessageChunk> {
  return defer(() => {
    const message = new ChunkAccumulator();
    return source.pipe(map((chunk) => new AIMessageChunk(message.add(chunk).fields())));
  });
}

function accumulateText(source: Observable<TextChunk>): Observable<string> {
  // `+=` builds a rope in V8: appending is O(chunk) and the text is flattened only when read.
  return source.pipe(map(textOf), filter((delta) => delta !== ''), scan((text, delta) => text + delta, ''));
}
