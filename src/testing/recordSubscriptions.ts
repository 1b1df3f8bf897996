import { Observable, asyncScheduler, type SchedulerLike } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';

/** One subscription's frames, as `expectSubscriptions` reads them. */
export type SubscriptionFrames = Parameters<TestScheduler['expectSubscriptions']>[0][number];

/** A source wrapped so that each subscription to it is recorded. */
export interface RecordedSource<T> {
  /** Subscribe to this instead of the source. */
  readonly observable: Observable<T>;
  /** The frames of every subscription so far, for `expectSubscriptions(...).toBe('^--!')`. */
  readonly subscriptions: SubscriptionFrames[];
}

/**
 * Wraps any source (a model's stream, a `fetch`-backed Observable, a hot subject) so that the
 * frames where it is subscribed and released are recorded, as marble `cold()` sources record
 * theirs. A subscription still open reads `unsubscribedFrame: Infinity`. Frames are read from
 * `scheduler` (inside `TestScheduler.run`, the default reads virtual time).
 *
 * @example
 * ```ts
 * import { recordSubscriptions, createTestScheduler, ScriptedChatModel } from 'rxllm/testing';
 * createTestScheduler().run(({ expectObservable, expectSubscriptions }) => {
 *   const model = recordSubscriptions(ScriptedChatModel.fromMarbles('-a-b-c|').stream('Hi'));
 *   expectObservable(model.observable.pipe(take(2))).toBe('-a-(b|)');
 *   expectSubscriptions(model.subscriptions).toBe('^--!');
 * });
 * ```
 */
export function recordSubscriptions<T>(source: Observable<T>, scheduler: SchedulerLike = asyncScheduler): RecordedSource<T> {
  const subscriptions: SubscriptionFrames[] = [];
  const observable = new Observable<T>((subscriber) => {
    const log = { subscribedFrame: scheduler.now(), unsubscribedFrame: Infinity };
    subscriptions.push(log);
    const inner = source.subscribe(subscriber);
    return () => {
      log.unsubscribedFrame = scheduler.now();
      inner.unsubscribe();
    };
  });
  return { observable, subscriptions };
}
