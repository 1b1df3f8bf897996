import { Observable, take, type OperatorFunction } from 'rxjs';

/** A synchronous source and how many values it has produced so far. */
export interface CountingSource<T> {
  source: Observable<T>;
  /** Values produced so far, over every subscription. */
  readonly produced: number;
}

/**
 * A source that emits `valueAt(0)`, `valueAt(1)`, … while it is being subscribed, as `range` does:
 * before each value it checks that its subscriber is still open, and it completes after `limit`
 * values. `produced` shows how far a consumer that unsubscribed early let it run.
 */
export function countingSource<T>(valueAt: (index: number) => T, limit = 1000): CountingSource<T> {
  let produced = 0;
  const source = new Observable<T>((subscriber) => {
    for (let index = 0; index < limit && !subscriber.closed; index++) {
      produced++;
      subscriber.next(valueAt(index));
    }
    subscriber.complete();
  });
  return {
    source,
    get produced() {
      return produced;
    },
  };
}

/** What `expectSynchronousSourceStopped` takes downstream and expects. */
export interface SynchronousStopCase {
  /** How many results `take` keeps downstream of the operator. */
  take: number;
  /** How many values the source may have produced when `take` unsubscribes. */
  produced: number;
  /** The results, when the spec states them (otherwise only their number is checked). */
  delivers?: readonly unknown[];
}

/**
 * The checklist's synchronous case: `operator` over a `countingSource` of `valueAt`, with
 * `take(n)` downstream, delivers its results and completes before `subscribe` returns, and the
 * source has produced exactly `produced` values: it stopped when `take` unsubscribed, instead of
 * running on to its end with nobody listening.
 */
export function expectSynchronousSourceStopped<T>(
  operator: OperatorFunction<T, unknown>,
  valueAt: (index: number) => T,
  { take: count, produced, delivers }: SynchronousStopCase,
): void {
  const counting = countingSource(valueAt);
  const delivered: unknown[] = [];
  let failure: unknown;
  let completed = false;
  counting.source.pipe(operator, take(count)).subscribe({
    next: (value) => delivered.push(value),
    error: (error: unknown) => (failure = error),
    complete: () => (completed = true),
  });
  expect(failure).toBeUndefined();
  expect(completed).toBe(true);
  if (delivers !== undefined) expect(delivered).toEqual(delivers);
  expect(delivered).toHaveLength(count);
  expect(counting.produced).toBe(produced);
}
