import { Subject, take } from 'rxjs';
import { chunkMarbles } from '../../src/testing/chunkMarbles.js';
import { createTestScheduler } from '../../src/testing/createTestScheduler.js';
import { recordSubscriptions } from '../../src/testing/recordSubscriptions.js';

describe('recordSubscriptions', () => {
  it('records the frames of subscribe and release, as cold() does', () => {
    createTestScheduler().run(({ expectObservable, expectSubscriptions }) => {
      const recorded = recordSubscriptions(chunkMarbles('-a-b-c|', { a: 'a', b: 'b', c: 'c' }));
      expectObservable(recorded.observable.pipe(take(2))).toBe('-a-(b|)', { a: expect.anything(), b: expect.anything() });
      expectSubscriptions(recorded.subscriptions).toBe('^--!');
    });
  });

  it('records a source that completes by itself, and every subscription', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const recorded = recordSubscriptions(cold('--x|'));
      expectObservable(recorded.observable).toBe('--x|');
      expectObservable(recorded.observable, '-^-!').toBe('---');
      expectSubscriptions(recorded.subscriptions).toBe(['^--!', '-^-!']);
    });
  });

  it('leaves an open subscription at Infinity', () => {
    const recorded = recordSubscriptions(new Subject<number>());
    const subscription = recorded.observable.subscribe();
    expect(recorded.subscriptions).toEqual([{ subscribedFrame: expect.any(Number), unsubscribedFrame: Infinity }]);
    subscription.unsubscribe();
    expect(recorded.subscriptions[0].unsubscribedFrame).not.toBe(Infinity);
  });
});
