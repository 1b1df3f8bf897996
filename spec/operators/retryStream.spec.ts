import { defer, mergeMap, Observable, of, Subject, throwError, type ObservableInput } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { AbortError, APIConnectionError, ProviderError, RateLimitError, StreamTimeoutError } from '../../src/errors/errors.js';
import { retryStream, type RetryInfo } from '../../src/operators/retryStream.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

/** A cold source whose n-th subscription is the n-th attempt (the last one repeats). */
function attempts<T>(...each: Observable<T>[]): Observable<T> {
  let n = 0;
  return defer(() => each[Math.min(n++, each.length - 1)]);
}

const exact = { initialMs: 2, factor: 2, maxMs: 100, jitter: 0 };
const lost = new APIConnectionError('The connection closed before the response was complete');
const lostAgain = new APIConnectionError('Could not reach the server');
const reset = (attempt: number, error: Error = lost) => new StreamReset({ attempt, error: { name: error.name, message: error.message } });

describe('retryStream', () => {
  describe('before the first chunk', () => {
    it('subscribes again after each failure, waiting initialMs · factor^(n-1)', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('--#', undefined, lost);
        const second = cold('-#', undefined, lost);
        const third = cold('-a-b|');
        const expected =    '----------a-b|';
        expectObservable(attempts(first, second, third).pipe(retryStream({ backoff: exact }))).toBe(expected);
        expectSubscriptions(first.subscriptions).toBe('^-!');
        expectSubscriptions(second.subscriptions).toBe('----^!');
        expectSubscriptions(third.subscriptions).toBe('---------^---!');
      });
    });

    it('gives up after maxAttempts with the last error', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('-#', undefined, lost);
        const second = cold('-#', undefined, lostAgain);
        const third = cold('-a|');
        const expected =    '----#';
        expectObservable(attempts(first, second, third).pipe(retryStream({ maxAttempts: 2, backoff: exact }))).toBe(expected, undefined, lostAgain);
        expectSubscriptions(first.subscriptions).toBe('^!');
        expectSubscriptions(second.subscriptions).toBe('---^!');
        expectSubscriptions(third.subscriptions).toBe([]);
      });
    });

    it('does not retry a 400', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const badRequest = new ProviderError('HTTP 400 from the chat completions endpoint: bad', { status: 400 });
        const source = cold('-#', undefined, badRequest);
        expectObservable(source.pipe(retryStream({ backoff: exact }))).toBe('-#', undefined, badRequest);
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('does not retry an AbortError', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-#', undefined, new AbortError());
        expectObservable(source.pipe(retryStream({ backoff: exact }))).toBe('-#', undefined, new AbortError());
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('retries timeouts and server errors by default', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = attempts(
          cold('-#', undefined, new StreamTimeoutError('idle', 5)),
          cold('-#', undefined, new ProviderError('HTTP 503', { status: 503 })),
          cold('-a|'),
        );
        expectObservable(source.pipe(retryStream({ backoff: exact }))).toBe('---------a|');
      });
    });

    it('waits at least the Retry-After of a RateLimitError', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const limited = new RateLimitError('HTTP 429', { retryAfterMs: 7 });
        const first = cold('-#', undefined, limited);
        const second = cold('-a|');
        expectObservable(attempts(first, second).pipe(retryStream({ backoff: exact }))).toBe('---------a|');
        expectSubscriptions(second.subscriptions).toBe('--------^-!');
      });
    });

    it('keeps the backoff when it is longer than Retry-After', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const first = cold('-#', undefined, new RateLimitError('HTTP 429', { retryAfterMs: 1 }));
        expectObservable(attempts(first, cold('-a|')).pipe(retryStream({ backoff: { ...exact, initialMs: 5 } }))).toBe('-------a|');
      });
    });

    it('passes on a RateLimitError asking to wait longer than maxRetryAfterMs', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const limited = new RateLimitError('HTTP 429', { retryAfterMs: 120_000 });
        const source = cold('-#', undefined, limited);
        expectObservable(source.pipe(retryStream({ backoff: exact }))).toBe('-#', undefined, limited);
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('caps the wait at backoff.maxMs', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const failing = cold('#', undefined, lost);
        const source = attempts(failing, failing, failing, cold('(a|)'));
        // Waits 2, 4, then 8 capped to 5.
        expectObservable(source.pipe(retryStream({ maxAttempts: 4, backoff: { ...exact, maxMs: 5 } }))).toBe('-----------(a|)');
      });
    });

    it('shortens each wait by up to `jitter` of it, at random', () => {
      const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
      try {
        createTestScheduler().run(({ cold, expectObservable }) => {
          const source = attempts(cold('#', undefined, lost), cold('(a|)'));
          // 8 · (1 − 0.5 · 0.5) = 6
          expectObservable(source.pipe(retryStream({ backoff: { initialMs: 8, jitter: 0.5 } }))).toBe('------(a|)');
        });
      } finally {
        random.mockRestore();
      }
    });

    it('asks retryIf with the error and the failed attempt, and tells onRetry', () => {
      const asked: Array<[string, number]> = [];
      const told: RetryInfo[] = [];
      const flaky = new Error('flaky');
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = attempts(cold('-#', undefined, flaky), cold('-#', undefined, flaky), cold('-a|'));
        const result = source.pipe(retryStream({
          backoff: exact,
          retryIf: (error, attempt) => {
            asked.push([(error as Error).message, attempt]);
            return true;
          },
          onRetry: (info) => told.push(info),
        }));
        expectObservable(result).toBe('---------a|');
      });
      expect(asked).toEqual([['flaky', 1], ['flaky', 2]]);
      expect(told).toEqual([{ attempt: 1, error: flaky, delayMs: 2 }, { attempt: 2, error: flaky, delayMs: 4 }]);
    });

    it('retries a synchronous failure at once when the wait is 0', () => {
      let subscriptions = 0;
      const source = defer(() => (++subscriptions < 3 ? throwError(() => lost) : of('done')));
      const seen: string[] = [];
      source.pipe(retryStream({ backoff: { initialMs: 0 } })).subscribe((x) => seen.push(x));
      expect(seen).toEqual(['done']);
      expect(subscriptions).toBe(3);
    });

    it('retries without limit with maxAttempts: Infinity', () => {
      let subscriptions = 0;
      const source = defer(() => (++subscriptions < 50 ? throwError(() => lost) : of('done')));
      const seen: string[] = [];
      source.pipe(retryStream({ maxAttempts: Infinity, backoff: { initialMs: 0 } })).subscribe((x) => seen.push(x));
      expect(seen).toEqual(['done']);
    });
  });

  describe("after the first chunk: 'error' (default)", () => {
    it('passes the error on after the chunks, without another attempt', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('-a-#', undefined, lost);
        const second = cold('-b|');
        expectObservable(attempts(first, second).pipe(retryStream({ backoff: exact }))).toBe('-a-#', undefined, lost);
        expectSubscriptions(second.subscriptions).toBe([]);
      });
    });

    it('still retries failures before the first chunk', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = attempts(cold('-#', undefined, lost), cold('-a-#', undefined, lostAgain), cold('-b|'));
        expectObservable(source.pipe(retryStream({ backoff: exact }))).toBe('----a-#', undefined, lostAgain);
      });
    });
  });

  describe("after the first chunk: 'restart'", () => {
    it('emits a StreamReset when the new attempt starts, then replays', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('-a-#', undefined, lost);
        const second = cold('-a-b|');
        const expected =    '-a---Ra-b|';
        expectObservable(attempts(first, second).pipe(retryStream({ backoff: exact, afterFirstChunk: 'restart' }))).toBe(expected, { a: 'a', b: 'b', R: reset(2) });
        expectSubscriptions(second.subscriptions).toBe('-----^---!');
      });
    });

    it('emits one marker for the voided chunks, even when the next attempt fails before its first chunk', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = attempts(cold('-a-#', undefined, lost), cold('--#', undefined, lostAgain), cold('-a-b|'));
        // attempt 1 fails at 3, waits 2; attempt 2 fails at 7, waits 4; attempt 3 starts at 11.
        const expected = '-a---R------a-b|';
        expectObservable(source.pipe(retryStream({ backoff: exact, afterFirstChunk: 'restart' }))).toBe(expected, { a: 'a', b: 'b', R: reset(2) });
      });
    });

    it('emits a marker for each voided attempt', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = attempts(cold('a#', undefined, lost), cold('b#', undefined, lostAgain), cold('(c|)'));
        const expected = 'a-----(Rb)--(Sc|)';
        expectObservable(source.pipe(retryStream({ backoff: { initialMs: 5, factor: 1, jitter: 0 }, afterFirstChunk: 'restart' })))
          .toBe(expected, { a: 'a', b: 'b', c: 'c', R: reset(2), S: reset(3, lostAgain) });
      });
    });

    it('passes the last error on when the new attempts fail too', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = attempts(cold('-a-#', undefined, lost), cold('--#', undefined, lostAgain));
        expectObservable(source.pipe(retryStream({ maxAttempts: 2, backoff: exact, afterFirstChunk: 'restart' }))).toBe('-a---R-#', { a: 'a', R: reset(2) }, lostAgain);
      });
    });
  });

  describe("after the first chunk: 'continue'", () => {
    it('streams what continueWith gives for everything emitted so far', () => {
      const asked: Array<[string[], unknown]> = [];
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-#', undefined, lost);
        const rest = [cold('-c-#', undefined, lostAgain), cold('-d|')];
        const continueWith = (soFar: readonly string[], error: unknown): ObservableInput<string> => {
          asked.push([[...soFar], error]);
          return rest[asked.length - 1];
        };
        // a b fail at 5, wait 2; c at 8, fails at 10, wait 4; d at 15.
        expectObservable(source.pipe(retryStream({ backoff: exact, afterFirstChunk: 'continue', continueWith }))).toBe('-a-b----c------d|');
      });
      expect(asked).toEqual([[['a', 'b'], lost], [['a', 'b', 'c'], lostAgain]]);
    });

    it('replays the source when the failure came before the first chunk', () => {
      const continueWith = jest.fn(() => of('never'));
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = attempts(cold<string>('-#', undefined, lost), cold('-a|'));
        expectObservable(source.pipe(retryStream({ backoff: exact, afterFirstChunk: 'continue', continueWith }))).toBe('----a|');
      });
      expect(continueWith).not.toHaveBeenCalled();
    });

    it('passes on an error that continueWith chooses not to handle', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-#', undefined, lost);
        const result = source.pipe(retryStream({ backoff: exact, afterFirstChunk: 'continue', continueWith: (_soFar, error) => throwError(() => error) }));
        // The refusal fails the attempt with the same (retryable) error: retried until maxAttempts.
        expectObservable(result).toBe('-a-------#', undefined, lost);
      });
    });
  });

  describe('errors from the options', () => {
    it('passes on an error thrown by retryIf', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const thrown = new Error('retryIf failed');
        const result = cold('-#', undefined, lost).pipe(retryStream({ retryIf: () => { throw thrown; } }));
        expectObservable(result).toBe('-#', undefined, thrown);
      });
    });

    it('passes on an error thrown by onRetry', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const thrown = new Error('onRetry failed');
        const result = cold('-#', undefined, lost).pipe(retryStream({ onRetry: () => { throw thrown; } }));
        expectObservable(result).toBe('-#', undefined, thrown);
      });
    });

    it('treats an error thrown by continueWith as a failed attempt', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const thrown = new Error('cannot continue');
        const result = cold('-a-#', undefined, lost).pipe(retryStream({ backoff: exact, afterFirstChunk: 'continue', continueWith: () => { throw thrown; } }));
        expectObservable(result).toBe('-a---#', undefined, thrown);
      });
    });

    it('rejects bad options where they are given', () => {
      expect(() => retryStream({ maxAttempts: 0 })).toThrow(RxllmError);
      expect(() => retryStream({ backoff: { factor: 0.5 } })).toThrow('retryStream: backoff.factor must be a number ≥ 1, got 0.5');
      expect(() => retryStream({ backoff: { jitter: 2 } })).toThrow('retryStream: backoff.jitter must be a number between 0 and 1, got 2');
      expect(() => retryStream({ backoff: { initialMs: -1 } })).toThrow(RxllmError);
      expect(() => retryStream({ afterFirstChunk: 'later' as never })).toThrow("retryStream: afterFirstChunk must be 'error', 'restart' or 'continue', got 'later'");
      expect(() => retryStream({ afterFirstChunk: 'continue' })).toThrow("retryStream: continueWith must be a function giving the stream of the rest of the answer (afterFirstChunk 'continue' needs it), got undefined");
    });
  });

  it('mirrors a source that does not fail', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|');
      expectObservable(source.pipe(retryStream())).toBe('-a-b-c-|');
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  it('completes with an empty source', () => {
    expectTerminalPassThrough(retryStream(), '|');
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|');
      const unsub =       '---!    ';
      expectObservable(source.pipe(retryStream()), unsub).toBe('-a-     ');
      expectSubscriptions(source.subscriptions).toBe('^--!    ');
    });
  });

  it('cancels the wait when unsubscribed during backoff', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-#', undefined, lost);
      const second = cold('-a|');
      const unsub =       '---!';
      expectObservable(attempts(first, second).pipe(retryStream({ backoff: { ...exact, initialMs: 5 } })), unsub).toBe('----');
      expectSubscriptions(first.subscriptions).toBe('^!');
      expectSubscriptions(second.subscriptions).toBe([]);
    });
  });

  it('releases the backoff timer when unsubscribed during the wait', () => {
    jest.useFakeTimers();
    try {
      const subscription = throwError(() => lost).pipe(retryStream({ backoff: { initialMs: 1000 } })).subscribe({ error: () => undefined });
      expect(jest.getTimerCount()).toBe(1);
      subscription.unsubscribe();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not break the unsubscription chain', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-#', undefined, lost);
      const second = cold('-a-b-c|');
      const unsub =       '------!';
      const result = attempts(first, second).pipe(mergeMap((x) => of(x)), retryStream({ backoff: exact }), mergeMap((x) => of(x)));
      expectObservable(result, unsub).toBe('----a-');
      expectSubscriptions(second.subscriptions).toBe('---^--!');
    });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(retryStream(), (i) => i, { take: 3, produced: 3, delivers: [0, 1, 2] });
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(retryStream()).subscribe((x) => {
      seen.push(x);
      if (x === 'a') source.next('b');
    });
    source.next('a');
    source.next('c');
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('keeps separate attempts and markers per subscription', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      let subscriptions = 0;
      const source = defer(() => (subscriptions++ % 2 === 0 ? cold('a#', undefined, lost) : cold('(a|)')));
      const retried = source.pipe(retryStream({ backoff: exact, afterFirstChunk: 'restart' }));
      expectObservable(retried).toBe('a--(Ra|)', { a: 'a', R: reset(2) });
      expectObservable(retried, '----------^').toBe('----------a--(Ra|)', { a: 'a', R: reset(2) });
    });
  });
});
