import { Subject, tap } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { RateLimitError } from '../../src/errors/errors.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { rateLimit } from '../../src/operators/rateLimit.js';
import { RateLimiter, type RateLimitPermit } from '../../src/resilience/RateLimiter.js';
import { createTestScheduler } from '../support/marbles.js';

const usage = (totalTokens: number) => new AIMessageChunk({ usage: { inputTokens: totalTokens, outputTokens: 0, totalTokens } });

describe('RateLimiter', () => {
  it('caps the requests running at once', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ maxConcurrent: 2 });
      const first = cold('---a|');
      const second = cold('-----b|');
      const third = cold('-c|');
      expectObservable(first.pipe(rateLimit(limiter))).toBe('---a|');
      expectObservable(second.pipe(rateLimit(limiter))).toBe('-----b|');
      expectObservable(third.pipe(rateLimit(limiter))).toBe('-----c|');
      expectSubscriptions(third.subscriptions).toBe('----^-!');
    });
  });

  it('admits at most requestsPerMinute in any 60-second window', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ requestsPerMinute: 2 });
      const [a, b, c, d] = ['-a|', '-b|', '-c|', '-d|'].map((m) => cold(m));
      expectObservable(a.pipe(rateLimit(limiter))).toBe('-a|');
      expectObservable(b.pipe(rateLimit(limiter)), '30s ^').toBe('30s -b|');
      expectObservable(c.pipe(rateLimit(limiter)), '40s ^').toBe('60s -c|');
      expectObservable(d.pipe(rateLimit(limiter)), '50s ^').toBe('90s -d|');
      // c takes a's place when a's minute is over, d takes b's.
      expectSubscriptions(c.subscriptions).toBe('60s ^-!');
      expectSubscriptions(d.subscriptions).toBe('90s ^-!');
    });
  });

  it('counts tokens from the reported usage, holding later requests until the window frees', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ tokensPerMinute: 100 });
      const first = cold('-a-(u|)', { a: new AIMessageChunk('Hi'), u: usage(90) });
      const second = cold('-b|', { b: new AIMessageChunk('Yo') });
      expectObservable(first.pipe(rateLimit(limiter, { estimateTokens: 60 })));
      // Admitted on its estimate (60 + 30 ≤ 100) it would start at 5; the usage (90) keeps it waiting.
      expectObservable(second.pipe(rateLimit(limiter, { estimateTokens: 30 })), '-----^');
      expectSubscriptions(second.subscriptions).toBe('1m ^-!');
    });
  });

  it('admits a waiting request as soon as the usage corrects an estimate downwards', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ tokensPerMinute: 100 });
      const first = cold('---u-|', { u: usage(20) });
      const second = cold('-b|');
      expectObservable(first.pipe(rateLimit(limiter, { estimateTokens: 80 })));
      expectObservable(second.pipe(rateLimit(limiter, { estimateTokens: 50 })));
      expectSubscriptions(second.subscriptions).toBe('---^-!');
    });
  });

  it('counts streamed text (about 4 characters a token) before usage arrives', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ tokensPerMinute: 100 });
      const first = cold('-a---|', { a: new AIMessageChunk('x'.repeat(200)) });
      const second = cold('-b|');
      expectObservable(first.pipe(rateLimit(limiter, { estimateTokens: 10 })));
      // 10 + 50 streamed: a request of 50 no longer fits once the text has come.
      expectObservable(second.pipe(rateLimit(limiter, { estimateTokens: 50 })), '--^');
      expectSubscriptions(second.subscriptions).toBe('1m ^-!');
    });
  });

  it('admits a request larger than the whole token budget when the window is empty', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ tokensPerMinute: 100 });
      const large = cold('-a|');
      const next = cold('-b|');
      expectObservable(large.pipe(rateLimit(limiter, { estimateTokens: 500 }))).toBe('-a|');
      expectObservable(next.pipe(rateLimit(limiter, { estimateTokens: 1 })));
      expectSubscriptions(next.subscriptions).toBe('1m ^-!');
    });
  });

  it('admits in arrival order (FIFO)', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const limiter = new RateLimiter({ maxConcurrent: 1 });
      const expected: Record<string, string> = { a: '-a|', b: '---b|', c: '-----c|', d: '-------d|' };
      for (const name of ['a', 'b', 'c', 'd']) {
        expectObservable(cold('-x|', { x: name }).pipe(rateLimit(limiter))).toBe(expected[name], { [name]: name });
      }
    });
  });

  it('does not let a small request overtake a large one waiting at the head', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ tokensPerMinute: 100 });
      const first = cold('-a|');
      const large = cold('-b|');
      const small = cold('-c|');
      expectObservable(first.pipe(rateLimit(limiter, { estimateTokens: 50 })));
      expectObservable(large.pipe(rateLimit(limiter, { estimateTokens: 80 })), '-^');
      // 50 + 10 would fit, but the large request came first: both go when the first one's minute ends.
      expectObservable(small.pipe(rateLimit(limiter, { estimateTokens: 10 })), '--^');
      expectSubscriptions(large.subscriptions).toBe('1m ^-!');
      expectSubscriptions(small.subscriptions).toBe('1m ^-!');
    });
  });

  it('lets a queued stream that is unsubscribed leave the queue', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RateLimiter({ maxConcurrent: 1 });
      const first = cold('---a|');
      const leaving = cold('-b|');
      const third = cold('-c|');
      expectObservable(first.pipe(rateLimit(limiter))).toBe('---a|');
      expectObservable(leaving.pipe(rateLimit(limiter)), '^-!').toBe('---');
      expectObservable(third.pipe(rateLimit(limiter))).toBe('-----c|');
      expectSubscriptions(leaving.subscriptions).toBe([]);
      expectSubscriptions(third.subscriptions).toBe('----^-!');
    });
  });

  it('reports what is queued and running', () => {
    const limiter = new RateLimiter({ maxConcurrent: 1 });
    const permits: RateLimitPermit[] = [];
    const first = limiter.acquire().subscribe((p) => permits.push(p));
    const second = limiter.acquire().subscribe((p) => permits.push(p));
    expect([limiter.active, limiter.queued]).toEqual([1, 1]);
    second.unsubscribe();
    expect([limiter.active, limiter.queued]).toEqual([1, 0]);
    permits[0].release();
    permits[0].release();
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
    first.unsubscribe();
  });

  it('emits one permit and completes when admitted', () => {
    const limiter = new RateLimiter();
    const seen: string[] = [];
    limiter.acquire(10).subscribe({ next: () => seen.push('permit'), complete: () => seen.push('complete') });
    expect(seen).toEqual(['permit', 'complete']);
  });

  describe('maxQueueMs', () => {
    it('fails a request not admitted in time with a RateLimitError, and lets the next one move up', () => {
      const errors: unknown[] = [];
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const limiter = new RateLimiter({ maxConcurrent: 1, maxQueueMs: 5 });
        const long = cold('------a|');
        const waiting = cold('-b|');
        const next = cold('-c|');
        expectObservable(long.pipe(rateLimit(limiter))).toBe('------a|');
        const timedOut = new RateLimitError('Rate limiter: not admitted within 5 ms (maxConcurrent 1 reached)', { code: 'rate_limiter_queue_timeout' });
        expectObservable(waiting.pipe(rateLimit(limiter), tap({ error: (e) => errors.push(e) }))).toBe('-----#', undefined, timedOut);
        // Queued at 2, it moves to the head at 5 and is admitted when the long one ends, at 7.
        expectObservable(next.pipe(rateLimit(limiter)), '--^').toBe('--------c|');
        expectSubscriptions(waiting.subscriptions).toBe([]);
        expectSubscriptions(next.subscriptions).toBe('-------^-!');
      });
      const error = errors[0] as RateLimitError;
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.code).toBe('rate_limiter_queue_timeout');
      expect(error.status).toBe(429);
      expect(error.retryAfterMs).toBeUndefined();
    });

    it('admits the next request at once when the one that timed out was what kept it waiting', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const limiter = new RateLimiter({ tokensPerMinute: 100, maxQueueMs: 5 });
        const small = cold('-c|');
        expectObservable(cold('-a|').pipe(rateLimit(limiter, { estimateTokens: 60 })));
        expectObservable(cold('-b|').pipe(rateLimit(limiter, { estimateTokens: 80 }))).toBe('-----#', undefined,
          new RateLimitError('Rate limiter: not admitted within 5 ms (tokensPerMinute 100 reached)', { code: 'rate_limiter_queue_timeout', retryAfterMs: 59_995 }));
        expectObservable(small.pipe(rateLimit(limiter, { estimateTokens: 30 })), '-^');
        expectSubscriptions(small.subscriptions).toBe('-----^-!');
      });
    });

    it('says when a per-minute window frees up, in retryAfterMs', () => {
      const errors: RateLimitError[] = [];
      createTestScheduler().run(({ cold, expectObservable }) => {
        const limiter = new RateLimiter({ requestsPerMinute: 1, maxQueueMs: 1000 });
        expectObservable(cold('-a|').pipe(rateLimit(limiter)));
        expectObservable(cold('-b|').pipe(rateLimit(limiter), tap({ error: (e: RateLimitError) => errors.push(e) })))
          .toBe('1s #', undefined, new RateLimitError('Rate limiter: not admitted within 1000 ms (requestsPerMinute 1 reached)', { code: 'rate_limiter_queue_timeout', retryAfterMs: 59_000 }));
      });
      expect(errors).toHaveLength(1);
      expect(errors[0].retryAfterMs).toBe(59_000);
      expect(errors[0].message).toBe('Rate limiter: not admitted within 1000 ms (requestsPerMinute 1 reached)');
    });
  });

  describe('timers', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('holds none while nothing waits for a window', () => {
      const limiter = new RateLimiter({ requestsPerMinute: 10, tokensPerMinute: 1000, maxConcurrent: 1, maxQueueMs: 5000 });
      const source = new Subject<AIMessageChunk>();
      source.pipe(rateLimit(limiter)).subscribe();
      expect(jest.getTimerCount()).toBe(0);
      const queued = source.pipe(rateLimit(limiter)).subscribe();
      expect(jest.getTimerCount()).toBe(1); // the queue timeout
      queued.unsubscribe();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('releases the wake-up and queue timers when the waiting stream leaves', () => {
      const limiter = new RateLimiter({ requestsPerMinute: 1, maxQueueMs: 120_000 });
      new Subject<string>().pipe(rateLimit(limiter)).subscribe();
      const queued = new Subject<string>().pipe(rateLimit(limiter)).subscribe();
      expect(jest.getTimerCount()).toBe(2);
      queued.unsubscribe();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('wakes up when the window frees, in real time on the default scheduler', () => {
      const limiter = new RateLimiter({ requestsPerMinute: 1 });
      const seen: string[] = [];
      limiter.acquire().subscribe(() => seen.push('first'));
      limiter.acquire().subscribe(() => seen.push('second'));
      jest.advanceTimersByTime(59_999);
      expect(seen).toEqual(['first']);
      jest.advanceTimersByTime(1);
      expect(seen).toEqual(['first', 'second']);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('clears the queue timer once the request is admitted', () => {
      const limiter = new RateLimiter({ maxConcurrent: 1, maxQueueMs: 5000 });
      const permits: RateLimitPermit[] = [];
      limiter.acquire().subscribe((p) => permits.push(p));
      limiter.acquire().subscribe((p) => permits.push(p));
      expect(jest.getTimerCount()).toBe(1);
      permits[0].release();
      expect(permits).toHaveLength(2);
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  it('rejects bad options where they are given', () => {
    expect(() => new RateLimiter({ requestsPerMinute: 0 })).toThrow('RateLimiter: requestsPerMinute must be a number above 0 or Infinity, got 0');
    expect(() => new RateLimiter({ maxConcurrent: -1 })).toThrow(RxllmError);
    expect(() => new RateLimiter({ maxConcurrent: -1 })).toThrow(InvalidOptionError);
    expect(() => new RateLimiter({ maxQueueMs: Number.NaN })).toThrow('RateLimiter: maxQueueMs must be a number of milliseconds above 0 or Infinity, got NaN');
    expect(() => new RateLimiter().acquire(-5)).toThrow('RateLimiter.acquire: estimatedTokens must be a number ≥ 0, got -5');
  });
});
