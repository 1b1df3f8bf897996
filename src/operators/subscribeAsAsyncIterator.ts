import type { Observable, Subscription } from 'rxjs';

/**
 * Pull adapter from an Observable: the subscription starts at the first `next()`, values wait in
 * a queue until pulled, and `return()` (what `break` in `for await` calls) unsubscribes at once.
 */
export function subscribeAsAsyncIterator<T>(source: Observable<T>): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let head = 0;
  let waiting: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | undefined;
  let subscription: Subscription | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;

  const finish = (): IteratorResult<T> => ({ done: true, value: undefined });
  const start = () => {
    subscription = source.subscribe({
      next(value) {
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w.resolve({ done: false, value });
        } else {
          queue.push(value);
        }
      },
      error(error) {
        done = true;
        failure = { error };
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          failure = undefined;
          w.reject(error);
        }
      },
      complete() {
        done = true;
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w.resolve(finish());
        }
      },
    });
  };

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (!subscription && !done) start();
      if (head < queue.length) {
        const value = queue[head++];
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        return Promise.resolve({ done: false, value });
      }
      if (failure) {
        const { error } = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (done) return Promise.resolve(finish());
      return new Promise((resolve, reject) => (waiting = { resolve, reject }));
    },
    return() {
      done = true;
      queue.length = head = 0;
      subscription?.unsubscribe();
      waiting?.resolve(finish());
      waiting = undefined;
      return Promise.resolve(finish());
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
