import { concat, defer, filter, groupBy, of, startWith, switchMap, type OperatorFunction } from 'rxjs';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';

/**
 * Runs `operator` afresh after each `StreamReset`: its state (accumulated text, a parser's
 * position, a buffer) is dropped with the voided chunks, and the marker passes through first.
 *
 * Recovery that replays a stream (`retryStream({ afterFirstChunk: 'restart' })`,
 * `fallbackStream(…, { afterFirstChunk: 'switch' })`) emits a marker before the new chunks.
 * Stateful operators downstream would mix the voided chunks with the new ones; wrapped in
 * `restartOnReset`, they see one clean attempt at a time. The wrapped operator is unsubscribed
 * at a marker (not completed), so it does not flush or validate the voided part.
 *
 * ```
 * source:                                -a-b-R-a-b-c-|     a: 'Hel', b: 'lo', c: '!'
 * restartOnReset(accumulate({ text: true })):
 *                                        -x-y-R-x-y-z-|     x: 'Hel', y: 'Hello', z: 'Hello!'
 * ```
 *
 * @example
 * ```ts
 * import { accumulate, isStreamReset, restartOnReset, retryStream } from 'rxllm';
 * model.stream('Tell me a story').pipe(
 *   retryStream({ afterFirstChunk: 'restart' }),
 *   restartOnReset(accumulate({ text: true })),
 * ).subscribe((text) => { if (!isStreamReset(text)) element.textContent = text; });
 * ```
 *
 * @param operator The operator to restart at each marker.
 * @return An operator emitting the markers and, between them, what `operator` emits.
 */
export function restartOnReset<T, R>(operator: OperatorFunction<T, R>): OperatorFunction<T | StreamReset, R | StreamReset> {
  return (source) => defer(() => {
    let attempt = 0;
    let marker: StreamReset | undefined;
    const lead = (item: T | StreamReset | typeof START): number => {
      if (!isStreamReset(item)) return attempt;
      marker = item;
      return ++attempt;
    };
    const isValue = (item: T | StreamReset | typeof START): item is T => item !== START && !isStreamReset(item);
    return source.pipe(
      // The first attempt starts at subscription, as the operator would without the wrapper.
      startWith(START),
      // One group per attempt, led by its marker; switchMap unsubscribes the voided one.
      groupBy(lead),
      switchMap((group) => {
        const restarted = group.pipe(filter(isValue), operator);
        return group.key === 0 ? restarted : concat(of(marker!), restarted);
      }),
    );
  });
}

const START: unique symbol = Symbol('start');
