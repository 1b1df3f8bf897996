import {
  concatMap, defer, EMPTY, map, of, Subject, takeUntil, timer, type MonoTypeOperatorFunction, type ObservableNotification, type SchedulerLike,
} from 'rxjs';
import { Attempts } from './streamResetInternals.js';

/**
 * Spaces the values of a materialized stream at least `delayMs` apart on `scheduler`: a value
 * arriving after a quiet spell goes out at once, the next waits out the rest of the delay.
 * Completion and errors queue behind the values, so they follow the last one without a further
 * delay. A `StreamReset` value starts the pacing over: the values of the voided attempt still
 * waiting are dropped, and the marker goes out at once.
 */
export function paceNotifications<T>(delayMs: number, scheduler: SchedulerLike): MonoTypeOperatorFunction<ObservableNotification<T>> {
  return (source) => defer(() => {
    const attempts = new Attempts(() => ({ lastEmittedAt: -Infinity }));
    // Cancels the wait in progress when its attempt is voided.
    const voided = new Subject<void>();
    const emitted = (notification: ObservableNotification<T>): ObservableNotification<T> => {
      attempts.state.lastEmittedAt = scheduler.now();
      return notification;
    };
    return source.pipe(
      map((notification) => {
        if (notification.kind === 'N' && attempts.opensNext(notification.value)) voided.next();
        return { notification, attempt: attempts.number };
      }),
      concatMap(({ notification, attempt }) => {
        // Queued before a marker that has arrived since: part of the voided attempt.
        if (attempt !== attempts.number) return EMPTY;
        if (notification.kind !== 'N' || notification.value === attempts.marker) return of(notification);
        const wait = attempts.state.lastEmittedAt + delayMs - scheduler.now();
        return wait > 0 ? timer(wait, scheduler).pipe(takeUntil(voided), map(() => emitted(notification))) : of(emitted(notification));
      }),
    );
  });
}
