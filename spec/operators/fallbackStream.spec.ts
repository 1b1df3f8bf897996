import { Observable, of, Subject, take } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { AbortError, APIConnectionError, ProviderError } from '../../src/errors/errors.js';
import { fallbackStream } from '../../src/operators/fallbackStream.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { countingSource, expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const lost = new APIConnectionError('The connection closed before the response was complete');
const overloaded = new ProviderError('HTTP 529: overloaded', { status: 529 });

describe('fallbackStream', () => {
  it('switches to the alternative when the source fails before its first chunk', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, lost);
      const alternative = cold('-x-y|');
      const expected =    '---x-y|';
      expectObservable(source.pipe(fallbackStream(alternative))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe('^-!');
      expectSubscriptions(alternative.subscriptions).toBe('--^---!');
    });
  });

  it('tries the alternatives in turn and passes on the last error', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, lost);
      const second = cold('-#', undefined, overloaded);
      const third = cold('--#', undefined, new Error('cache miss'));
      expectObservable(source.pipe(fallbackStream(second, third))).toBe('----#', undefined, new Error('cache miss'));
      expectSubscriptions(second.subscriptions).toBe('-^!');
      expectSubscriptions(third.subscriptions).toBe('--^-!');
    });
  });

  it('subscribes an alternative only when it is needed', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b|');
      const alternative = cold('-x|');
      expectObservable(source.pipe(fallbackStream(alternative))).toBe('-a-b|');
      expectSubscriptions(alternative.subscriptions).toBe([]);
    });
  });

  it('builds an alternative from the error with a function', () => {
    const seen: unknown[] = [];
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, overloaded);
      const result = source.pipe(fallbackStream((error) => {
        seen.push(error);
        return cold('-x|');
      }));
      expectObservable(result).toBe('--x|');
    });
    expect(seen).toEqual([overloaded]);
  });

  it('accepts Promises and arrays as alternatives', async () => {
    const failing = new Observable<string>((subscriber) => subscriber.error(lost));
    const values: string[] = [];
    await new Promise<void>((resolve) => failing.pipe(fallbackStream(Promise.reject(overloaded), ['cached'])).subscribe({
      next: (x) => values.push(x),
      complete: resolve,
    }));
    expect(values).toEqual(['cached']);
  });

  it("passes on a failure after the first chunk by default ('error')", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', undefined, lost);
      const alternative = cold('-x|');
      expectObservable(source.pipe(fallbackStream(alternative))).toBe('-a-#', undefined, lost);
      expectSubscriptions(alternative.subscriptions).toBe([]);
    });
  });

  it("with afterFirstChunk: 'switch', emits a StreamReset then the alternative from its start", () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', undefined, lost);
      const alternative = cold('-x-y|');
      const expected =    '-a-Rx-y|';
      const reset = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: lost.message } });
      expectObservable(source.pipe(fallbackStream(alternative, { afterFirstChunk: 'switch' }))).toBe(expected, { a: 'a', x: 'x', y: 'y', R: reset });
      expectSubscriptions(alternative.subscriptions).toBe('---^---!');
    });
  });

  it("with afterFirstChunk: 'switch', emits no marker when nothing was voided", () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, lost);
      expectObservable(source.pipe(fallbackStream(cold('-x|'), { afterFirstChunk: 'switch' }))).toBe('--x|');
    });
  });

  it('does not switch on an AbortError, nor on what fallbackIf refuses', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const aborted = cold('-#', undefined, new AbortError());
      const alternative = cold('-x|');
      expectObservable(aborted.pipe(fallbackStream(alternative))).toBe('-#', undefined, new AbortError());
      const refused = cold('-#', undefined, lost);
      expectObservable(refused.pipe(fallbackStream(alternative, { fallbackIf: (e) => e instanceof ProviderError }))).toBe('-#', undefined, lost);
      expectSubscriptions(alternative.subscriptions).toBe([]);
    });
  });

  it('passes on an error thrown by an alternative factory or by fallbackIf', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const thrown = new Error('factory failed');
      expectObservable(cold('-#', undefined, lost).pipe(fallbackStream(() => { throw thrown; }))).toBe('-#', undefined, thrown);
      expectObservable(cold('-#', undefined, lost).pipe(fallbackStream(of('x'), { fallbackIf: () => { throw thrown; } }))).toBe('-#', undefined, thrown);
    });
  });

  it('passes the error on when there is no alternative', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', undefined, lost).pipe(fallbackStream())).toBe('-a-#', undefined, lost);
    });
  });

  it('rejects bad arguments where they are given', () => {
    expect(() => fallbackStream(of(1), { afterFirstChunk: 'later' as never })).toThrow("fallbackStream: afterFirstChunk must be 'error' or 'switch'");
    expect(() => fallbackStream(of(1), 42 as never)).toThrow(RxllmError);
    expect(() => fallbackStream(null as never)).toThrow('fallbackStream: alternative 1 is neither a stream nor a function returning one');
  });

  it('completes with an empty source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('|');
      expectObservable(source.pipe(fallbackStream(cold('x|')))).toBe('|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('allows unsubscribing early and explicitly, from the alternative too', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, lost);
      const alternative = cold('-x-y-z|');
      const unsub =       '-----!';
      expectObservable(source.pipe(fallbackStream(alternative)), unsub).toBe('--x-y-');
      expectSubscriptions(alternative.subscriptions).toBe('-^---!');
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(fallbackStream(of('x')), {
      source:        '-a-b-c|',
      unsub:         '---!   ',
      expected:      '-a-    ',
      subscriptions: '^--!   ',
    });
  });

  it('stops a synchronous source, and a synchronous alternative, when unsubscribed', () => {
    const idle = countingSource((i) => `f${i}`);
    expectSynchronousSourceStopped(fallbackStream(idle.source), (i) => `s${i}`, { take: 3, produced: 3, delivers: ['s0', 's1', 's2'] });
    expect(idle.produced).toBe(0);
    const alternative = countingSource((i) => `f${i}`);
    const seen: string[] = [];
    new Observable<string>((subscriber) => subscriber.error(lost)).pipe(fallbackStream(alternative.source), take(2)).subscribe((x) => seen.push(x));
    expect(seen).toEqual(['f0', 'f1']);
    expect(alternative.produced).toBe(2);
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(fallbackStream(of('x'))).subscribe({
      next: (x) => {
        seen.push(x);
        if (x === 'a') source.next('b');
      },
      error: (e: Error) => seen.push(e.name),
    });
    source.next('a');
    source.error(lost);
    expect(seen).toEqual(['a', 'b', 'APIConnectionError']);
  });
});
