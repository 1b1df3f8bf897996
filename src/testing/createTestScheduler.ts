import { TestScheduler } from 'rxjs/testing';

/** Compares what a marble assertion saw with what it expected, and throws when they differ. */
export type DeepEqualAssertion = (actual: unknown, expected: unknown) => void;

interface ExpectLike {
  (actual: unknown): { toEqual(expected: unknown): void };
}

/**
 * A fresh `TestScheduler` whose assertions use the test runner's deep equality: jest's or
 * vitest's global `expect(actual).toEqual(expected)` when there is one, otherwise `assertDeepEqual`
 * (required then, e.g. `assert.deepStrictEqual` from `node:assert` under `node --test`).
 *
 * Create one per test: a scheduler keeps its virtual clock, so one shared by two tests shifts the
 * second test's frames.
 *
 * @example
 * ```ts
 * import { createTestScheduler } from 'rxllm/testing';
 * it('doubles', () => {
 *   createTestScheduler().run(({ cold, expectObservable }) => {
 *     expectObservable(cold('-a|', { a: 1 }).pipe(map((x) => x * 2))).toBe('-a|', { a: 2 });
 *   });
 * });
 * ```
 */
export function createTestScheduler(assertDeepEqual?: DeepEqualAssertion): TestScheduler {
  const expect = (globalThis as { expect?: unknown }).expect;
  const assertion = assertDeepEqual ?? (typeof expect === 'function'
    ? (actual: unknown, expected: unknown) => (expect as ExpectLike)(actual).toEqual(expected)
    : undefined);
  if (!assertion) {
    throw new TypeError('createTestScheduler: no global expect() found; pass an assertion, e.g. createTestScheduler(assert.deepStrictEqual)');
  }
  return new TestScheduler(assertion);
}
