import { concat, defer, filter, groupBy, of, pipe, startWith, switchMap, type OperatorFunction } from 'rxjs';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';
import { Attempts } from './streamResetInternals.js';
import { takingTurns } from './turnsInternals.js';

/**
 * Runs `operator` afresh after each `StreamReset`: its state (accumulated text, a parser's
 * position, a buffer) is dropped with the voided chunks, and the marker passes through first.
 *
 * Recovery that replays a stream (`retryStream({ afterFirstChunk: 'restart' })`,
 * `fallbackStream(…, { afterFirstChunk: 'switch' })`) emits a marker before the new chunks.
 * rxllm's own stateful operators (`accumulate`, `smoothText`, `partialJson`, …) start over at a
 * marker by themselves; an operator of your own (`scan`, `toArray`, a third-party one) would mix
 * the voided chunks with the new ones. Wrapped in `restartOnReset`, it sees one clean attempt at a
 * time. The wrapped operator is unsubscribed at a marker (not completed), so it does not flush or
 * validate the voided part. A marker pushed into the source while the operator is emitting (from
 * a subscriber's handler) waits until it is done, so what it emits keeps the source's order.
 *
 * ```
 * source:                                 -a-b-R-a-b-c-|     a: 'Hel', b: 'lo', c: '!'
 * restartOnReset(toArray()):              -----R-------(x|)  x: ['Hel', 'lo', '!']
 * restartOnReset(scan((s, t) => s + t)):  -x-y-R-x-y-z-|     x: 'Hel', y: 'Hello', z: 'Hello!'
 * ```
 *
 * @example
 * ```ts
 * import { scan } from 'rxjs';
 * import { isStreamReset, restartOnReset, retryStream } from 'rxllm';
 * model.stream('Tell me a story').pipe(
 *   retryStream({ afterFirstChunk: 'restart' }),
 *   restartOnReset(scan((chunks: number) => chunks + 1, 0)), // chunks of the current attempt
 * ).subscribe((chunks) => { if (!isStreamReset(chunks)) counter.textContent = String(chunks); });
 * ```
 *
 * @param operator The operator to restart at each marker.
 * @return An operator emitting the markers and, between them, what `operator` emits.
 */
export function restartOnReset<T, R>(operator: OperatorFunction<T, R>): OperatorFunction<T | StreamReset, R | StreamReset> {
  return (source) => defer(() => {
    const attempts = new Attempts(() => undefined);
    const isValue = (item: T | StreamReset | typeof START): item is T => item !== START && !isStreamReset(item);
    return source.pipe(
      // A marker pushed while the operator is emitting (from a subscriber's handler) waits its
      // turn, so that what the operator emits for the value before it is not cut off.
      takingTurns(pipe(
        // The first attempt starts at subscription, as the operator would without the wrapper.
        startWith(START),
        // One group per attempt, led by its marker; switchMap unsubscribes the voided one.
        groupBy((item) => {
          attempts.opensNext(item);
          return attempts.number;
        }),
        switchMap((group) => {
          const values = group.pipe(filter(isValue), operator);
          return group.key === 1 ? values : concat(of(attempts.marker!), values);
        }),
      )),
    );
  });
}

const START: unique symbol = Symbol('start');
