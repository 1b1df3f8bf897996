import { of, throwError } from 'rxjs';
import { InvalidOptionError } from '../../src/errors/index.js';
import { runBatch } from '../../src/runnables/runBatch.js';
import { createTestScheduler } from '../support/marbles.js';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('runBatch', () => {
  it('resolves with each input’s aggregated output, in input order', async () => {
    await expect(runBatch(3, undefined, (i) => of(i, 10 * i), sum, false)).resolves.toEqual([0, 11, 22]);
  });

  it('runs at most maxConcurrency at once, starting the next as one finishes', () => {
    createTestScheduler().run(({ cold, expectSubscriptions, flush }) => {
      const sources = [cold('--a|', { a: 1 }), cold('-b|', { b: 2 }), cold('c|', { c: 3 })];
      void runBatch(3, 2, (i) => sources[i], sum, false);
      flush();
      expectSubscriptions(sources[0].subscriptions).toBe('^--!');
      expectSubscriptions(sources[1].subscriptions).toBe('^-!');
      expectSubscriptions(sources[2].subscriptions).toBe('--^!');
    });
  });

  it('rejects with the first failure and stops the runs still going', () => {
    createTestScheduler().run(({ cold, expectSubscriptions, flush }) => {
      const slow = cold('----a|');
      const failing = cold('-#', {}, new Error('boom'));
      let rejected: unknown;
      runBatch(2, undefined, (i) => (i === 0 ? slow : failing), () => 0, false).catch((error) => (rejected = error));
      flush();
      expectSubscriptions(slow.subscriptions).toBe('^!');
      return Promise.resolve().then(() => expect(rejected).toEqual(new Error('boom')));
    });
  });

  it('puts the error in place of the output with returnExceptions', async () => {
    const boom = new Error('boom');
    await expect(runBatch(2, 1, (i) => (i ? throwError(() => boom) : of(1)), sum, true)).resolves.toEqual([1, boom]);
  });

  it('finishes thousands of synchronous runs without deep recursion', async () => {
    const results = await runBatch(20_000, 1, (i) => of(i), sum, false);
    expect(results).toHaveLength(20_000);
    expect(results[19_999]).toBe(19_999);
  });

  it('resolves an empty batch at once and rejects a bad maxConcurrency', async () => {
    await expect(runBatch(0, undefined, () => of(1), sum, false)).resolves.toEqual([]);
    await expect(runBatch(1, 0, () => of(1), sum, false)).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
