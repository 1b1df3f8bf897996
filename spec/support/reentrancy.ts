import { dematerialize, from, Subject, type ObservableNotification, type Observer, type OperatorFunction } from 'rxjs';

/** What the subscriber of a reentrancy case does with a value: it may push into the source (`source`) before it returns. */
export type Reentry<T, R> = (value: R, source: Observer<T>) => void;

/**
 * The checklist's reentrancy case: `operator` over a `Subject` fed `inputs` and then completed,
 * whose subscriber reacts to each value with `reenter`, which may push values, an error or the
 * completion into the subject while that value is being delivered. What the subscriber sees must
 * be what `operator` gives for the same pushes made one after the other, none reentrant: the
 * order of the output is the order of the input. Returns what the subscriber saw, for the spec to
 * state as well (so that a case where nothing is seen cannot pass unnoticed).
 *
 * For operators that emit synchronously (no timer involved).
 */
export function expectOrderKeptUnderReentrancy<T, R>(
  operator: OperatorFunction<T, R>,
  // The input type is the operator's: a spec may push values of it that are not among `inputs`.
  inputs: readonly NoInfer<T>[],
  reenter: Reentry<NoInfer<T>, R>,
): ObservableNotification<R>[] {
  const subject = new Subject<T>();
  const pushed: ObservableNotification<T>[] = [];
  const source: Observer<T> = {
    next: (value) => {
      pushed.push({ kind: 'N', value });
      subject.next(value);
    },
    error: (error: unknown) => {
      pushed.push({ kind: 'E', error });
      subject.error(error);
    },
    complete: () => {
      pushed.push({ kind: 'C' });
      subject.complete();
    },
  };
  const seen: ObservableNotification<R>[] = [];
  subject.pipe(operator).subscribe({
    next: (value) => {
      seen.push({ kind: 'N', value });
      reenter(value, source);
    },
    error: (error: unknown) => seen.push({ kind: 'E', error }),
    complete: () => seen.push({ kind: 'C' }),
  });
  inputs.forEach((input) => source.next(input));
  source.complete();

  // The same pushes, replayed one at a time (a push after the end is ignored, as the subject did).
  const inOrder: ObservableNotification<R>[] = [];
  from(pushed).pipe(dematerialize(), operator).subscribe({
    next: (value) => inOrder.push({ kind: 'N', value }),
    error: (error: unknown) => inOrder.push({ kind: 'E', error }),
    complete: () => inOrder.push({ kind: 'C' }),
  });
  expect(seen).toEqual(inOrder);
  return seen;
}

/** The values of notifications, for a spec to state what was seen. */
export function valuesOf<R>(notifications: readonly ObservableNotification<R>[]): R[] {
  return notifications.flatMap((notification) => (notification.kind === 'N' ? [notification.value] : []));
}
