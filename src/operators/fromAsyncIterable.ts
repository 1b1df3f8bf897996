import { Observable } from 'rxjs';
import { RxllmError } from '../errors/RxllmError.js';

/**
 * An `AsyncIterable` (an async generator, a Node stream, a web `ReadableStream`) as an Observable.
 *
 * Each subscription asks the iterable for a new iterator and pulls one value at a time, so a slow
 * subscriber is never flooded. Unsubscribing calls the iterator's `return()`: an async
 * generator's `finally` blocks run and a stream is closed. (RxJS's own `from()` does not do
 * that in 7.x, which leaks the producer when a consumer stops early.)
 *
 * ```
 * iterable:             a  b  c  (done)
 * fromAsyncIterable():  --a--b--c--|
 * ```
 *
 * @example
 * ```ts
 * import { fromAsyncIterable } from 'rxllm';
 * async function* ticks() { try { for (let i = 0; ; i++) yield i; } finally { console.log('closed'); } }
 * fromAsyncIterable(ticks()).pipe(take(3)).subscribe(console.log); // 0 1 2 closed
 * ```
 *
 * @param iterable The iterable to read.
 * @return An Observable of its values.
 */
export function fromAsyncIterable<T>(iterable: AsyncIterable<T>): Observable<T> {
  if (typeof (iterable as Partial<AsyncIterable<T>> | null)?.[Symbol.asyncIterator] !== 'function') {
    throw new RxllmError(`fromAsyncIterable: expected an AsyncIterable (an object with [Symbol.asyncIterator]), got ${iterable === null ? 'null' : typeof iterable}`);
  }
  return new Observable<T>((subscriber) => {
    const iterator = iterable[Symbol.asyncIterator]();
    let finished = false;
    const fail = (error: unknown): void => {
      finished = true;
      subscriber.error(error);
    };
    const pull = (): void => {
      let result: Promise<IteratorResult<T>>;
      try {
        result = iterator.next();
      } catch (error) {
        fail(error);
        return;
      }
      result.then((step) => {
        if (subscriber.closed) return;
        if (step.done) {
          finished = true;
          subscriber.complete();
          return;
        }
        subscriber.next(step.value);
        if (!subscriber.closed) pull();
      }, fail);
    };
    pull();
    return () => {
      if (finished) return;
      finished = true;
      try {
        // Errors raised while closing have no one to go to once the subscriber has left.
        void iterator.return?.()?.catch(() => undefined);
      } catch {
        /* ditto */
      }
    };
  });
}
