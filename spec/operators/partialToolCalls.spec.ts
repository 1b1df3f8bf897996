import { of } from 'rxjs';
import { AIMessageChunk, partialToolCalls, type ToolCallChunk } from '../../src/index.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const tc = (...pieces: ToolCallChunk[]) => new AIMessageChunk({ toolCallChunks: pieces });
const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });

describe('partialToolCalls', () => {
  it('emits the calls so far with arguments growing as they stream', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d|', {
        a: tc({ index: 0, id: 'c1', name: 'get_weather', args: '{"ci' }),
        b: tc({ index: 0, args: 'ty":"Par' }),
        c: new AIMessageChunk('text only'),
        d: tc({ index: 0, args: 'is","days":3}' }),
      });
      expectObservable(source.pipe(partialToolCalls())).toBe('-a-b---d|', {
        a: [{ index: 0, id: 'c1', name: 'get_weather', args: {} }],
        b: [{ index: 0, id: 'c1', name: 'get_weather', args: { city: 'Par' } }],
        d: [{ index: 0, id: 'c1', name: 'get_weather', args: { city: 'Paris', days: 3 } }],
      });
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('keeps parallel calls apart, interleaved, by index and by id', () => {
    const seen: unknown[] = [];
    of(
      tc({ index: 0, id: 'a', name: 'f', args: '{"x":' }, { index: 1, id: 'b', name: 'g', args: '{"y":"' }),
      tc({ index: 1, args: 'yy"}' }, { index: 0, args: '1}' }),
      tc({ index: 0, id: 'c', name: 'h', args: '{}' }),
    ).pipe(partialToolCalls()).subscribe((calls) => seen.push(calls.map((c) => [c.id, c.name, c.args])));
    expect(seen).toEqual([
      [['a', 'f', {}], ['b', 'g', { y: '' }]],
      [['a', 'f', { x: 1 }], ['b', 'g', { y: 'yy' }]],
      [['a', 'f', { x: 1 }], ['b', 'g', { y: 'yy' }], ['c', 'h', {}]],
    ]);
  });

  it('merges by id when a server sends no usable index', () => {
    const seen: unknown[] = [];
    of(tc({ index: 1, id: 'x', name: 'f', args: '{"a"' }), tc({ index: 1, id: 'x', args: ':true}' }))
      .pipe(partialToolCalls()).subscribe((calls) => seen.push(calls));
    expect(seen[1]).toEqual([{ index: 1, id: 'x', name: 'f', args: { a: true } }]);
  });

  it('marks a call whose arguments are not JSON, without breaking the stream', () => {
    const seen: Array<Array<{ args: unknown; error?: string }>> = [];
    let completed = false;
    of(tc({ index: 0, id: 'a', name: 'f', args: '{"k": "v",' }), tc({ index: 0, args: ' oops' }), tc({ index: 0, args: '}' }))
      .pipe(partialToolCalls()).subscribe({ next: (c) => seen.push(c), complete: () => (completed = true) });
    expect(seen[0][0]).toEqual({ index: 0, id: 'a', name: 'f', args: { k: 'v' } });
    expect(seen[1][0].args).toEqual({ k: 'v' });
    expect(seen[1][0].error).toMatch(/offset 11/);
    expect(seen[2][0].error).toBe(seen[1][0].error);
    expect(completed).toBe(true);
  });

  it('never changes an emitted value', () => {
    const seen: Array<Array<{ args: Record<string, unknown> }>> = [];
    of(tc({ index: 0, id: 'a', name: 'f', args: '{"s":"ab' }), tc({ index: 0, args: 'cd"}' }))
      .pipe(partialToolCalls()).subscribe((c) => seen.push(c));
    expect(seen[0][0].args).toEqual({ s: 'ab' });
    expect(seen[1][0].args).toEqual({ s: 'abcd' });
  });

  it('passes errors through after what was emitted, and completes empty', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const broken = cold('-a-#', { a: tc({ index: 0, id: 'a', name: 'f', args: '{}' }) }, new Error('net'));
      expectObservable(broken.pipe(partialToolCalls())).toBe('-a-#', { a: [{ index: 0, id: 'a', name: 'f', args: {} }] }, new Error('net'));
      expectObservable(cold<AIMessageChunk>('--|').pipe(partialToolCalls())).toBe('--|');
    });
  });

  it('stops a synchronous source on unsubscribe, and through mergeMap', () => {
    expectSynchronousSourceStopped(partialToolCalls(), (i) => tc({ index: i, id: `c${i}`, name: 'f', args: '{}' }), { take: 2, produced: 2 });
    expectUnsubscriptionChain(partialToolCalls(), {
      source:        '-a-a-a|',
      unsub:         '---!   ',
      expected:      '-a-    ',
      subscriptions: '^--!   ',
    }, { a: tc({ index: 0, args: '' }) }, { a: [{ index: 0, args: {} }] });
  });

  describe('after a StreamReset', () => {
    it('starts the calls over, the marker passing on in its frame', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-R-c-d-|', {
          a: tc({ index: 0, id: 'c1', name: 'get_weather', args: '{"city":"Pa' }),
          b: tc({ index: 1, id: 'c2', name: 'get_time', args: '{}' }),
          R,
          c: new AIMessageChunk('text only'),
          d: tc({ index: 0, id: 'c3', name: 'get_weather', args: '{"city":"Rome"}' }),
        });
        const subs =        '^----------!';
        const expected =    '-x-y-R---z-|';
        expectObservable(source.pipe(partialToolCalls())).toBe(expected, {
          x: [{ index: 0, id: 'c1', name: 'get_weather', args: { city: 'Pa' } }],
          y: [{ index: 0, id: 'c1', name: 'get_weather', args: { city: 'Pa' } }, { index: 1, id: 'c2', name: 'get_time', args: {} }],
          R,
          z: [{ index: 0, id: 'c3', name: 'get_weather', args: { city: 'Rome' } }],
        });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('judges only the last attempt\'s calls at completion', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const cutOff = tc({ index: 0, id: 'c1', name: 'f', args: '{"a": [' });
        const whole = cold('-a-R-b-|', { a: cutOff, R, b: tc({ index: 0, id: 'c2', name: 'f', args: '{}' }) });
        expectObservable(whole.pipe(partialToolCalls())).toBe('-x-R-y-|', {
          x: [{ index: 0, id: 'c1', name: 'f', args: { a: [] } }],
          R,
          y: [{ index: 0, id: 'c2', name: 'f', args: {} }],
        });
        const unfinished = cold('-a-R-b-|', { a: tc({ index: 0, id: 'c1', name: 'f', args: '{}' }), R, b: cutOff });
        expectObservable(unfinished.pipe(partialToolCalls())).toBe('-x-R-y-(z|)', {
          x: [{ index: 0, id: 'c1', name: 'f', args: {} }],
          R,
          y: [{ index: 0, id: 'c1', name: 'f', args: { a: [] } }],
          z: [{ index: 0, id: 'c1', name: 'f', args: { a: [] }, error: expect.stringMatching(/end of JSON input/) }],
        });
      });
    });

    it('propagates a source error, and allows unsubscribing early, after a marker', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const call = tc({ index: 0, id: 'a', name: 'f', args: '{}' });
        const calls = [{ index: 0, id: 'a', name: 'f', args: {} }];
        const broken = cold('-a-R-a-#', { a: call, R }, new Error('net'));
        expectObservable(broken.pipe(partialToolCalls())).toBe('-x-R-x-#', { x: calls, R }, new Error('net'));
        const source = cold('-a-R-a-a-|', { a: call, R });
        expectObservable(source.pipe(partialToolCalls()), '------!').toBe('-x-R-x-', { x: calls, R });
        expectSubscriptions(source.subscriptions).toBe('^-----!');
      });
    });

    it('keeps the order when the subscriber pushes a marker while the calls are delivered', () => {
      const seen = expectOrderKeptUnderReentrancy(partialToolCalls(), [tc({ index: 0, id: 'a', name: 'f', args: '{}' }), tc({ index: 0, id: 'b', name: 'g', args: '{}' })], (calls, source) => {
        if (Array.isArray(calls) && calls[0]?.id === 'a') source.next(R);
      });
      expect(valuesOf(seen)).toEqual([[{ index: 0, id: 'a', name: 'f', args: {} }], R, [{ index: 0, id: 'b', name: 'g', args: {} }]]);
    });
  });

  it('is reentrant: a subscriber may subscribe again while handling a value', () => {
    const source = of(tc({ index: 0, id: 'a', name: 'f', args: '{}' }));
    const seen: number[] = [];
    source.pipe(partialToolCalls()).subscribe(() => {
      seen.push(1);
      source.pipe(partialToolCalls()).subscribe(() => seen.push(2));
    });
    expect(seen).toEqual([1, 2]);
  });
});
