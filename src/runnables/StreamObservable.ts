import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { subscribeAsAsyncIterator } from '../operators/subscribeAsAsyncIterator.js';

/**
 * What `stream` and `streamEvents` return: an RxJS `Observable` that is also an `AsyncIterable`.
 * It is cold: each subscription (or `for await` loop) is one run. Leaving a `for await` loop early
 * unsubscribes, which cancels the run.
 *
 * @example
 * ```ts
 * for await (const chunk of model.stream('Hi')) process.stdout.write(chunk.content);
 * model.stream('Hi').subscribe((chunk) => process.stdout.write(chunk.content));
 * ```
 */
export class StreamObservable<T> extends Observable<T> implements AsyncIterable<T> {
  constructor(subscribe?: (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic) {
    super(subscribe);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return subscribeAsAsyncIterator(this);
  }

  /** `source` as a `StreamObservable`. */
  static from<T>(source: Observable<T>): StreamObservable<T> {
    return source instanceof StreamObservable ? source : new StreamObservable<T>((subscriber) => source.subscribe(subscriber));
  }
}
