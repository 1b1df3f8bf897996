import { map, mergeMap, of, Subject, take } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import type { KeyedChunk } from '../../src/operators/KeyedChunk.js';
import { mergeStreams } from '../../src/operators/mergeStreams.js';
import { createTestScheduler } from '../support/marbles.js';
import { countingSource } from '../support/synchronousSource.js';

describe('mergeStreams', () => {
  it('interleaves the values of an array of streams, keyed by index', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first =  cold('-a---b-|');
      const second = cold('--x-y---|');
      const firstSubs =   '^------!';
      const secondSubs =  '^-------!';
      const expected =    '-ax-yb--|';
      expectObservable(mergeStreams([first, second])).toBe(expected, {
        a: { key: 0, chunk: 'a' }, b: { key: 0, chunk: 'b' }, x: { key: 1, chunk: 'x' }, y: { key: 1, chunk: 'y' },
      });
      expectSubscriptions(first.subscriptions).toBe(firstSubs);
      expectSubscriptions(second.subscriptions).toBe(secondSubs);
    });
  });

  it('keys the values of a record of streams by name, typed per stream', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const streams = { title: cold('-t|', { t: 'Title' }), words: cold('--n|', { n: 3 }) };
      const merged = mergeStreams(streams);
      // The item type is a union discriminated by key.
      const described = merged.pipe(map((item) => (item.key === 'title' ? item.chunk.toUpperCase() : item.chunk + 1)));
      expectObservable(described).toBe('-ab|', { a: 'TITLE', b: 4 });
    });
  });

  it('runs at most `concurrency` streams at a time, the next when one completes', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const s0 = cold('-a----|');
      const s1 = cold('-b----|');
      const s2 = cold(      '-c|');
      const expected = '-(ab)--c|';
      expectObservable(mergeStreams([s0, s1, s2], { concurrency: 2 })).toBe(expected, {
        a: { key: 0, chunk: 'a' }, b: { key: 1, chunk: 'b' }, c: { key: 2, chunk: 'c' },
      });
      expectSubscriptions(s2.subscriptions).toBe('------^-!');
    });
  });

  it('errors when a stream errors, cancelling the others', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const ok =     cold('-a---b-|');
      const broken = cold('--#', undefined, new Error('provider down'));
      const okSubs =      '^-!';
      const expected =    '-a#';
      expectObservable(mergeStreams([ok, broken])).toBe(expected, { a: { key: 0, chunk: 'a' } }, new Error('provider down'));
      expectSubscriptions(ok.subscriptions).toBe(okSubs);
    });
  });

  it('completes at once with no streams, and when every stream is empty', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(mergeStreams([])).toBe('|');
      expectObservable(mergeStreams({ a: cold('|'), b: cold('--|') })).toBe('--|');
    });
  });

  it('cancels every stream in flight when unsubscribed', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const s0 = cold('-a-----b|');
      const s1 = cold('---x-----y|');
      const s2 = cold('--z|');
      const unsub =   '----!';
      const expected = '-a-x-';
      expectObservable(mergeStreams([s0, s1, s2], { concurrency: 2 }), unsub).toBe(expected, { a: { key: 0, chunk: 'a' }, x: { key: 1, chunk: 'x' } });
      expectSubscriptions(s0.subscriptions).toBe('^---!');
      expectSubscriptions(s1.subscriptions).toBe('^---!');
      expectSubscriptions(s2.subscriptions).toBe([]);
    });
  });

  it('does not break the unsubscription chain', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const s0 = cold('-a---b|');
      const s1 = cold('--x---y|');
      const unsub =   '---!';
      const result = mergeStreams([s0, s1]).pipe(mergeMap((item) => of(item.chunk)));
      expectObservable(result, unsub).toBe('-ax-');
      expectSubscriptions(s0.subscriptions).toBe('^--!');
      expectSubscriptions(s1.subscriptions).toBe('^--!');
    });
  });

  it('stops synchronous streams when unsubscribed', () => {
    const first = countingSource((i) => i);
    const second = countingSource((i) => i);
    const seen: KeyedChunk<number, number>[] = [];
    mergeStreams([first.source, second.source]).pipe(take(3)).subscribe((item) => seen.push(item));
    expect(seen).toEqual([{ key: 0, chunk: 0 }, { key: 0, chunk: 1 }, { key: 0, chunk: 2 }]);
    expect(first.produced).toBe(3);
    expect(second.produced).toBe(0);
  });

  it('refuses a bad concurrency with an RxllmError', () => {
    expect(() => mergeStreams([], { concurrency: 0 })).toThrow(RxllmError);
    expect(() => mergeStreams([], { concurrency: 1.5 })).toThrow(/concurrency must be a positive integer or Infinity/);
  });

  it('delivers in order when a stream emits again while a value is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    mergeStreams({ only: source }).subscribe(({ chunk }) => {
      seen.push(chunk);
      if (chunk === 'a') source.next('b');
    });
    source.next('a');
    source.next('c');
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});
