import { concatMap, defer, map, of, timer, type MonoTypeOperatorFunction, type ObservableNotification, type SchedulerLike } from 'rxjs';

/**
 * Spaces the values of a materialized stream at least `delayMs` apart on `scheduler`: a value
 * arriving after a quiet spell goes out at once, the next waits out the rest of the delay.
 * Completion and errors queue behind the values, so they follow the last one without a further
 * delay.
 */
export function paceNotifications<T>(delayMs: number, scheduler: SchedulerLike): MonoTypeOperatorFunction<ObservableNotification<T>> {
  return (source) => defer(() => {
    let lastEmittedAt = -Infinity;
    const emitted = (notification: ObservableNotification<T>): ObservableNotification<T> => {
      lastEmittedAt = scheduler.now();
      return notification;
    };
    return source.pipe(concatMap((notification) => {
      if (notification.kind !== 'N') return of(notification);
      const wait = lastEmittedAt + delayMs - scheduler.now();
      return wait > 0 ? timer(wait, scheduler).pipe(map(() => emitted(notification))) : of(emitted(notification));
    }));
  });
}
