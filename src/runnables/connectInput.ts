import { Observable, type Subscriber } from 'rxjs';

/**
 * rxjs's `connect` for one use: `selector` gets a stream that hands each value of `source` to
 * every subscriber it has at the time, and `source` is subscribed once, after the selector's
 * output, so that a synchronous source reaches every branch. A subscriber that comes after the
 * end gets the end at once, as a `Subject` would give it.
 *
 * `RunnableParallel` needs only this; rxjs's `connect` builds a `Subject` for it, which is 2.6 KB
 * minified in every bundle that can pipe into a map of runnables.
 */
export function connectInput<T, R>(source: Observable<T>, selector: (shared$: Observable<T>) => Observable<R>): Observable<R> {
  return new Observable<R>((subscriber) => {
    // Replaced, never changed in place: a loop over it is not disturbed by who joins or leaves.
    let listeners: readonly Subscriber<T>[] = [];
    let end: { error: unknown } | 'complete' | undefined;
    const shared$ = new Observable<T>((listener) => {
      if (end === 'complete') listener.complete();
      else if (end) listener.error(end.error);
      else listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((other) => other !== listener);
      };
    });
    const stop = (): readonly Subscriber<T>[] => {
      const stopped = listeners;
      listeners = [];
      return stopped;
    };
    selector(shared$).subscribe(subscriber);
    subscriber.add(source.subscribe({
      next: (value) => {
        for (const listener of listeners) listener.next(value);
      },
      error: (error: unknown) => {
        end = { error };
        for (const listener of stop()) listener.error(error);
      },
      complete: () => {
        end = 'complete';
        for (const listener of stop()) listener.complete();
      },
    }));
  });
}
