import { map, mergeMap, Observable, of, Subject, take } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { composeStreams } from '../../src/operators/composeStreams.js';
import { createTestScheduler } from '../support/marbles.js';
import { countingSource } from '../support/synchronousSource.js';

const keyed = { a: { key: 0, chunk: 'a' }, b: { key: 0, chunk: 'b' }, x: { key: 1, chunk: 'x' }, y: { key: 1, chunk: 'y' } };

describe('composeStreams', () => {
  describe("mode 'concat' (default)", () => {
    it('plays the streams one after the other, in key order', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const s0 = cold('--a-b|');
        const s1 = cold(     '-x---y-|');
        const expected =  '--a-b-x---y-|';
        expectObservable(composeStreams([s0, s1])).toBe(expected, keyed);
        expectSubscriptions(s0.subscriptions).toBe('^----!');
        expectSubscriptions(s1.subscriptions).toBe('-----^------!');
      });
    });

    it('plays a record in the order of its keys', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const result = composeStreams({ intro: cold('a|', { a: 'Hi' }), body: cold('b|', { b: 'there' }) }, { mode: 'concat' });
        expectObservable(result.pipe(map(({ key, chunk }) => `${key}:${chunk}`))).toBe('ab|', { a: 'intro:Hi', b: 'body:there' });
      });
    });

    it('stops at an error without starting the next stream', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const s0 = cold('-a-#', undefined, new Error('lost'));
        const s1 = cold('-x|');
        expectObservable(composeStreams([s0, s1])).toBe('-a-#', keyed, new Error('lost'));
        expectSubscriptions(s1.subscriptions).toBe([]);
      });
    });
  });

  describe("mode 'merge'", () => {
    it('interleaves the streams, each value tagged with its key', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const s0 = cold('--a-b|');
        const s1 = cold('-x---y-|');
        const expected = '-xa-by-|';
        expectObservable(composeStreams([s0, s1], { mode: 'merge' })).toBe(expected, keyed);
        expectSubscriptions(s0.subscriptions).toBe('^----!');
        expectSubscriptions(s1.subscriptions).toBe('^------!');
      });
    });

    it('errors at the first error, cancelling the others', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const s0 = cold('--a-b|');
        const s1 = cold('-#', undefined, new Error('down'));
        expectObservable(composeStreams([s0, s1], { mode: 'merge' })).toBe('-#', keyed, new Error('down'));
        expectSubscriptions(s0.subscriptions).toBe('^!');
      });
    });
  });

  describe("mode 'race'", () => {
    it('keeps the first stream to emit and cancels the others', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const s0 = cold('--a-b|');
        const s1 = cold('-x---y-|');
        const expected = '-x---y-|';
        expectObservable(composeStreams([s0, s1], { mode: 'race' })).toBe(expected, keyed);
        expectSubscriptions(s0.subscriptions).toBe('^!');
        expectSubscriptions(s1.subscriptions).toBe('^------!');
      });
    });

    it('lets a stream that fails or ends before its first value drop out', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const fastFailure = cold('#', undefined, new Error('429'));
        const empty = cold('-|');
        const slow = cold('---a|');
        expectObservable(composeStreams([fastFailure, empty, slow], { mode: 'race' })).toBe('---a|', { a: { key: 2, chunk: 'a' } });
        expectSubscriptions(slow.subscriptions).toBe('^---!');
      });
    });

    it('ends like the last contender when every one drops out', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const first = cold('-#', undefined, new Error('first'));
        const last = cold('--#', undefined, new Error('last'));
        expectObservable(composeStreams([first, last], { mode: 'race' })).toBe('--#', undefined, new Error('last'));
        expectObservable(composeStreams([first, cold('---|')], { mode: 'race' })).toBe('---|');
        expectObservable(composeStreams([cold('-|'), last], { mode: 'race' })).toBe('--#', undefined, new Error('last'));
      });
    });

    it('passes on an error of the winner', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const winner = cold('-x-#', undefined, new Error('broke mid-answer'));
        const loser = cold('--a|');
        expectObservable(composeStreams([winner, loser], { mode: 'race' })).toBe('-w-#', { w: { key: 0, chunk: 'x' } }, new Error('broke mid-answer'));
        expectSubscriptions(loser.subscriptions).toBe('^!');
      });
    });

    it('does not start the others when the first emits synchronously', () => {
      let started = 0;
      const counted = new Observable<string>((subscriber) => {
        started++;
        subscriber.next('late');
      });
      const values: unknown[] = [];
      composeStreams([of('now'), counted], { mode: 'race' }).subscribe((item) => values.push(item));
      expect(values).toEqual([{ key: 0, chunk: 'now' }]);
      expect(started).toBe(0);
    });

    it('completes at once with no streams', () => {
      createTestScheduler().run(({ expectObservable }) => {
        expectObservable(composeStreams([], { mode: 'race' })).toBe('|');
      });
    });
  });

  it('cancels every stream subscribed when unsubscribed, in every mode', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const s0 = cold('--a-----b|');
      const s1 = cold('---x------y|');
      const unsub =   '----!';
      expectObservable(composeStreams([s0, s1], { mode: 'merge' }), unsub).toBe('--ax-', keyed);
      expectObservable(composeStreams([s0, s1], { mode: 'concat' }), unsub).toBe('--a--', keyed);
      expectObservable(composeStreams([s0, s1], { mode: 'race' }), unsub).toBe('--a--', keyed);
      expectSubscriptions(s0.subscriptions).toBe(['^---!', '^---!', '^---!']);
      expectSubscriptions(s1.subscriptions).toBe(['^---!', '^-!']);
    });
  });

  it('does not break the unsubscription chain', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const s0 = cold('-a---b|');
      const s1 = cold('--x---y|');
      const result = composeStreams([s0, s1], { mode: 'race' }).pipe(mergeMap((item) => of(item.chunk)));
      expectObservable(result, '---!').toBe('-a--');
      expectSubscriptions(s0.subscriptions).toBe('^--!');
      expectSubscriptions(s1.subscriptions).toBe('^!');
    });
  });

  it('stops a synchronous stream when unsubscribed', () => {
    for (const mode of ['concat', 'merge', 'race'] as const) {
      const stream = countingSource((i) => i);
      composeStreams([stream.source], { mode }).pipe(take(2)).subscribe();
      expect(stream.produced).toBe(2);
    }
  });

  it('refuses an unknown mode with an RxllmError', () => {
    expect(() => composeStreams([], { mode: 'zip' as never })).toThrow(RxllmError);
  });

  it('delivers in order when the winner emits again while a value is being delivered', () => {
    const winner = new Subject<string>();
    const loser = new Subject<string>();
    const seen: string[] = [];
    composeStreams([winner, loser], { mode: 'race' }).subscribe(({ chunk }) => {
      seen.push(chunk);
      if (chunk === 'a') winner.next('b');
    });
    winner.next('a');
    loser.next('x');
    winner.next('c');
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(loser.observed).toBe(false);
  });
});
