import { mergeMap, of, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

/** A TestScheduler whose assertions are jest's deep equality. */
export function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/**
 * The checklist's two terminal cases for an operator: an error-only source (`#`) errors the result
 * at once, an empty source (`|`) completes it, and either way the source is subscribed and
 * released in frame 0.
 */
export function expectTerminalPassThrough(operator: OperatorFunction<any, unknown>, marble: '#' | '|'): void {
  createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const source = cold(marble);
    expectObservable(source.pipe(operator)).toBe(marble);
    expectSubscriptions(source.subscriptions).toBe('(^!)');
  });
}

/** The marbles of one unsubscription chain case; write them right-aligned in the spec. */
export interface UnsubscriptionChainMarbles {
  /** The cold source. */
  source: string;
  /** Where the result is unsubscribed (`!`). */
  unsub: string;
  /** What the result delivers until then. */
  expected: string;
  /** The source's one subscription, which must end in the frame of `unsub`. */
  subscriptions: string;
}

/**
 * The checklist's unsubscription chain: `operator` sits between two `mergeMap`s, so the result's
 * unsubscription reaches the source only if the operator passes it on (`mergeMap` never completes
 * on its own behalf). The source must be released in the frame the result is.
 */
export function expectUnsubscriptionChain(
  operator: OperatorFunction<any, unknown>,
  marbles: UnsubscriptionChainMarbles,
  values?: Record<string, unknown>,
  expectedValues?: Record<string, unknown>,
): void {
  createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const source = cold(marbles.source, values);
    const result = source.pipe(mergeMap((value) => of(value)), operator, mergeMap((value) => of(value)));
    expectObservable(result, marbles.unsub).toBe(marbles.expected, expectedValues);
    expectSubscriptions(source.subscriptions).toBe(marbles.subscriptions);
  });
}
