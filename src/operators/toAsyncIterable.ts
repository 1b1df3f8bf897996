import type { Observable } from 'rxjs';
import { subscribeAsAsyncIterator } from './subscribeAsAsyncIterator.js';

/**
 * An Observable as an `AsyncIterable`, for `for await` loops.
 *
 * Each loop subscribes anew (the Observable stays cold) on its first `next()`. Values the loop
 * has not consumed yet are buffered, since an Observable pushes; an error is thrown from the
 * loop after the values that came before it. Leaving the loop early (`break`, `return`, a throw)
 * calls the iterator's `return()`, which unsubscribes: the request behind the stream is
 * cancelled at once.
 *
 * ```
 * source:      --a--b--c--|
 * for await:     a  b  (break) → source unsubscribed at the break
 * ```
 *
 * @example
 * ```ts
 * import { toAsyncIterable } from 'rxllm';
 * for await (const chunk of toAsyncIterable(model.stream('What is AI?'))) {
 *   process.stdout.write(chunk.content);
 *   if (chunk.content.includes('STOP')) break; // cancels the request
 * }
 * ```
 *
 * @param source The Observable to iterate.
 * @return An AsyncIterable over its values.
 */
export function toAsyncIterable<T>(source: Observable<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => subscribeAsAsyncIterator(source) };
}
