import { asyncScheduler, interval, last, Observable, of, Subject, take, type SchedulerLike } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { StreamTimeoutError } from '../../src/errors/errors.js';
import { streamTimeout } from '../../src/operators/streamTimeout.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

describe('streamTimeout', () => {
  it('mirrors a source that stays within every limit', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('---a-b---c-|');
      const subs =        '^----------!';
      const expected =    '---a-b---c-|';
      expectObservable(source.pipe(streamTimeout({ firstChunkMs: 4, idleMs: 5, totalMs: 12 }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("fails with kind 'first-chunk' when the first chunk is late, and unsubscribes the source", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-----a-|');
      const subs =        '^-!     ';
      const expected =    '--#     ';
      expectObservable(source.pipe(streamTimeout({ firstChunkMs: 2, idleMs: 10 }))).toBe(expected, undefined, new StreamTimeoutError('first-chunk', 2));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("fails with kind 'idle' when a gap between chunks is too long, after the chunks before it", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('---a-b---------c-|');
      const subs =        '^--------!        ';
      const expected =    '---a-b---#        ';
      expectObservable(source.pipe(streamTimeout({ firstChunkMs: 5, idleMs: 4 }))).toBe(expected, undefined, new StreamTimeoutError('idle', 4));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("lets idleMs bound the wait for the first chunk when firstChunkMs is not given (kind 'idle')", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('------a-|');
      const subs =        '^---!    ';
      const expected =    '----#    ';
      expectObservable(source.pipe(streamTimeout({ idleMs: 4 }))).toBe(expected, undefined, new StreamTimeoutError('idle', 4));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('applies idleMs after the first chunk when the first chunk has no limit', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('----------a-b------c|');
      const subs =        '^--------------!     ';
      const expected =    '----------a-b--#     ';
      expectObservable(source.pipe(streamTimeout({ firstChunkMs: Infinity, idleMs: 3 }))).toBe(expected, undefined, new StreamTimeoutError('idle', 3));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("fails with kind 'total' when the stream does not complete in time, however lively", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f-|');
      const subs =        '^-------!      ';
      const expected =    '-a-b-c-d#      ';
      expectObservable(source.pipe(streamTimeout({ idleMs: 3, totalMs: 8 }))).toBe(expected, undefined, new StreamTimeoutError('total', 8));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('reports the total limit when it falls due with another one', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a----b|');
      expectObservable(source.pipe(streamTimeout({ idleMs: 4, totalMs: 5 }))).toBe('-a---#', undefined, new StreamTimeoutError('total', 5));
    });
  });

  it('gives a typed error that says which limit fired', () => {
    const errors: unknown[] = [];
    createTestScheduler().run(({ cold }) => {
      cold('------a|').pipe(streamTimeout({ firstChunkMs: 2 })).subscribe({ error: (e) => errors.push(e) });
    });
    expect(errors).toHaveLength(1);
    const error = errors[0] as StreamTimeoutError;
    expect(error).toBeInstanceOf(StreamTimeoutError);
    expect(error.kind).toBe('first-chunk');
    expect(error.timeoutMs).toBe(2);
    expect(error.message).toBe('Stream timed out: no first chunk within 2 ms (first-chunk limit)');
  });

  it('propagates a source error after the chunks before it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-#', undefined, new Error('connection lost'));
      const subs =        '^----!';
      const expected =    '-a-b-#';
      expectObservable(source.pipe(streamTimeout({ idleMs: 3, totalMs: 20 }))).toBe(expected, undefined, new Error('connection lost'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('completes with an empty source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--|');
      expectObservable(source.pipe(streamTimeout({ idleMs: 5 }))).toBe('--|');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(streamTimeout({ idleMs: 5 }), '#');
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-|');
      const unsub =       '----!     ';
      const subs =        '^---!     ';
      const expected =    '-a-b-     ';
      expectObservable(source.pipe(streamTimeout({ idleMs: 2 })), unsub).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(streamTimeout({ idleMs: 2 }), {
      source:        '-a-b-c-d-|',
      unsub:         '----!     ',
      expected:      '-a-b-     ',
      subscriptions: '^---!     ',
    });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(streamTimeout({ idleMs: 1000 }), (i) => i, { take: 3, produced: 3, delivers: [0, 1, 2] });
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const seen: string[] = [];
    createTestScheduler().run(() => {
      const source = new Subject<string>();
      source.pipe(streamTimeout({ idleMs: 3 })).subscribe({
        next: (x) => {
          seen.push(x);
          if (x === 'a') source.next('b');
        },
        error: (e: StreamTimeoutError) => seen.push(`timeout:${e.kind}`),
      });
      source.next('a');
      expect(seen).toEqual(['a', 'b']);
    });
    expect(seen).toEqual(['a', 'b', 'timeout:idle']);
  });

  it('keeps one timer while chunks flow, instead of one per chunk', () => {
    let scheduled = 0;
    createTestScheduler().run(({ expectObservable }) => {
      const counting: SchedulerLike = {
        now: () => asyncScheduler.now(),
        schedule: (...args: Parameters<SchedulerLike['schedule']>) => {
          scheduled++;
          return asyncScheduler.schedule(...args);
        },
      };
      const chunks = interval(1).pipe(take(100));
      expectObservable(chunks.pipe(streamTimeout({ idleMs: 50, scheduler: counting }), last())).toBe('100ms (x|)', { x: 99 });
    });
    // 100 chunks over 100 ms with a 50 ms idle limit: a handful of timers, not 100.
    expect(scheduled).toBeGreaterThan(0);
    expect(scheduled).toBeLessThanOrEqual(4);
  });

  describe('timers', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('are released when the source completes', () => {
      const source = new Subject<string>();
      source.pipe(streamTimeout({ firstChunkMs: 1000, idleMs: 500, totalMs: 5000 })).subscribe();
      expect(jest.getTimerCount()).toBe(1);
      source.next('a');
      source.complete();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('are released when the source errors', () => {
      const source = new Subject<string>();
      source.pipe(streamTimeout({ idleMs: 500, totalMs: 5000 })).subscribe({ error: () => undefined });
      source.error(new Error('boom'));
      expect(jest.getTimerCount()).toBe(0);
    });

    it('are released on unsubscribe', () => {
      const subscription = new Subject<string>().pipe(streamTimeout({ idleMs: 500 })).subscribe();
      expect(jest.getTimerCount()).toBe(1);
      subscription.unsubscribe();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('are released after a timeout, with the source unsubscribed', () => {
      let sourceClosed = false;
      const source = new Observable<string>(() => () => (sourceClosed = true));
      const errors: unknown[] = [];
      source.pipe(streamTimeout({ idleMs: 500, totalMs: 5000 })).subscribe({ error: (e) => errors.push(e) });
      jest.advanceTimersByTime(500);
      expect(errors).toEqual([new StreamTimeoutError('idle', 500)]);
      expect(sourceClosed).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('run in real time on the default scheduler', () => {
      const source = new Subject<string>();
      const seen: string[] = [];
      source.pipe(streamTimeout({ idleMs: 100 })).subscribe({ next: (x) => seen.push(x), error: (e: StreamTimeoutError) => seen.push(e.kind) });
      jest.advanceTimersByTime(60);
      source.next('a');
      jest.advanceTimersByTime(60);
      source.next('b');
      jest.advanceTimersByTime(99);
      expect(seen).toEqual(['a', 'b']);
      jest.advanceTimersByTime(1);
      expect(seen).toEqual(['a', 'b', 'idle']);
    });
  });

  it('is the source itself when no limit is given', () => {
    const source = of(1);
    expect(streamTimeout({})(source)).toBe(source);
    expect(streamTimeout({ idleMs: Infinity })(source)).toBe(source);
  });

  it('rejects bad limits where they are given', () => {
    expect(() => streamTimeout({ idleMs: -1 })).toThrow(RxllmError);
    expect(() => streamTimeout({ totalMs: Number.NaN })).toThrow('streamTimeout: totalMs must be a number of milliseconds');
    expect(() => streamTimeout({ firstChunkMs: 0 })).toThrow('streamTimeout: firstChunkMs must be a number of milliseconds above 0 or Infinity, got 0');
    expect(() => streamTimeout(undefined as never)).toThrow(RxllmError);
  });
});
