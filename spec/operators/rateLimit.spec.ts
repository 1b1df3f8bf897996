import { defer, of, Subject, throwError } from 'rxjs';
import { APIConnectionError } from '../../src/errors/errors.js';
import { rateLimit } from '../../src/operators/rateLimit.js';
import { retryStream } from '../../src/operators/retryStream.js';
import { RateLimiter } from '../../src/resilience/RateLimiter.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

describe('rateLimit', () => {
  it('mirrors an admitted source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|');
      expectObservable(source.pipe(rateLimit(new RateLimiter({ maxConcurrent: 1 })))).toBe('-a-b-|');
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('propagates a source error and frees the place', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ maxConcurrent: 1 });
      const failing = cold('-a-#', undefined, new Error('lost'));
      const next = cold('-b|');
      expectObservable(failing.pipe(rateLimit(limiter))).toBe('-a-#', undefined, new Error('lost'));
      expectObservable(next.pipe(rateLimit(limiter))).toBe('----b|');
      expectSubscriptions(next.subscriptions).toBe('---^-!');
    });
  });

  it('completes with an empty source and frees the place', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const limiter = new RateLimiter({ maxConcurrent: 1 });
      expectObservable(cold('--|').pipe(rateLimit(limiter))).toBe('--|');
      expectObservable(cold('-b|').pipe(rateLimit(limiter))).toBe('---b|');
    });
  });

  it('allows unsubscribing early, freeing the place', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ maxConcurrent: 1 });
      const source = cold('-a-b-c-|');
      const unsub =       '---!';
      const next = cold('-x|');
      expectObservable(source.pipe(rateLimit(limiter)), unsub).toBe('-a-');
      expectObservable(next.pipe(rateLimit(limiter))).toBe('----x|');
      expectSubscriptions(source.subscriptions).toBe('^--!');
      expectSubscriptions(next.subscriptions).toBe('---^-!');
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(rateLimit(new RateLimiter()), {
      source:        '-a-b-c-|',
      unsub:         '---!    ',
      expected:      '-a-     ',
      subscriptions: '^--!    ',
    });
  });

  it('stops a synchronous source when unsubscribed', () => {
    const limiter = new RateLimiter({ maxConcurrent: 1 });
    expectSynchronousSourceStopped(rateLimit(limiter), (i) => i, { take: 3, produced: 3 });
    expect(limiter.active).toBe(0);
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(rateLimit(new RateLimiter({ maxConcurrent: 1 }))).subscribe((x) => {
      seen.push(x);
      if (x === 'a') source.next('b');
    });
    source.next('a');
    source.next('c');
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('estimates tokens at each subscription', () => {
    const estimate = jest.fn(() => 10);
    const limiter = new RateLimiter({ tokensPerMinute: 1000 });
    const limited = of('x').pipe(rateLimit(limiter, { estimateTokens: estimate }));
    limited.subscribe();
    limited.subscribe();
    expect(estimate).toHaveBeenCalledTimes(2);
  });

  it('queues again for each retry', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const limiter = new RateLimiter({ requestsPerMinute: 1 });
      let attempt = 0;
      const source = defer(() => (attempt++ === 0 ? throwError(() => new APIConnectionError('lost')) : cold('-a|')));
      // The retry waits 1 ms of backoff, then for the next minute of the limiter.
      expectObservable(source.pipe(rateLimit(limiter), retryStream({ backoff: { initialMs: 1, jitter: 0 } }))).toBe('1m -a|');
    });
  });
});
