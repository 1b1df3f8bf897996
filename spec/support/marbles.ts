import type { OperatorFunction } from 'rxjs';
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
