import { lastValueFrom, map, mergeMap, Observable, of, Subject, take, toArray } from 'rxjs';
import type { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { parallelStreams, type ParallelStreamItem, type StreamingRunnable } from '../../src/operators/parallelStreams.js';
import { ScriptedChatModel } from '../../src/testing/ScriptedChatModel.js';
import { createTestScheduler } from '../support/marbles.js';
import { countingSource } from '../support/synchronousSource.js';

/** A runnable streaming a fixed Observable per input. */
function runnableOf<O>(streams: Record<string, Observable<O>>): StreamingRunnable<string, O> {
  return { stream: (input) => streams[input] };
}

const chunk = (index: number, input: string, value: string): ParallelStreamItem<string, string> => ({ type: 'chunk', index, input, chunk: value });
const done = (index: number, input: string): ParallelStreamItem<string, string> => ({ type: 'done', index, input });

describe('parallelStreams', () => {
  it('interleaves the chunks of every input, then says how each ended', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const p = cold('-a-b|');
      const q = cold('--x-#', undefined, new Error('rate limited'));
      const expected = '-axb(DE|)';
      expectObservable(parallelStreams(['p', 'q'], runnableOf({ p, q }))).toBe(expected, {
        a: chunk(0, 'p', 'a'), x: chunk(1, 'q', 'x'), b: chunk(0, 'p', 'b'),
        D: done(0, 'p'),
        E: { type: 'error', index: 1, input: 'q', error: new Error('rate limited') },
      });
      expectSubscriptions(p.subscriptions).toBe('^---!');
      expectSubscriptions(q.subscriptions).toBe('^---!');
    });
  });

  it('keeps the others running after a failure', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const failing = cold('#', undefined, new Error('bad input'));
      const slow = cold('----a|');
      const result = parallelStreams(['bad', 'slow'], runnableOf({ bad: failing, slow })).pipe(map((item) => item.type));
      expectObservable(result).toBe('e---c(d|)', { e: 'error', c: 'chunk', d: 'done' });
    });
  });

  it('with failFast, errors at the first failure and cancels the others', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const p = cold('-a-----b|');
      const q = cold('--#', undefined, new Error('rate limited'));
      const expected = '-a#';
      expectObservable(parallelStreams(['p', 'q'], runnableOf({ p, q }), { failFast: true })).toBe(expected, { a: chunk(0, 'p', 'a') }, new Error('rate limited'));
      expectSubscriptions(p.subscriptions).toBe('^-!');
    });
  });

  it('starts at most `concurrency` streams at a time, in input order', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const p = cold('-a|');
      const q = cold('-----b|');
      const r = cold(  '-c|');
      const kinds = parallelStreams(['p', 'q', 'r'], runnableOf({ p, q, r }), { concurrency: 2 })
        .pipe(map((item) => (item.type === 'chunk' ? item.chunk : `${item.type}:${item.input}`)));
      expectObservable(kinds).toBe('-axcyb(z|)', { a: 'a', x: 'done:p', c: 'c', y: 'done:r', b: 'b', z: 'done:q' });
      expectSubscriptions(r.subscriptions).toBe('--^-!');
    });
  });

  it('calls stream() only when the input\'s turn comes, passing the config', () => {
    const testScheduler = createTestScheduler();
    testScheduler.run(({ cold, expectObservable, flush }) => {
      const streams: Record<string, Observable<string>> = { p: cold('--a|'), q: cold('-b|') };
      const calls: string[] = [];
      const runnable: StreamingRunnable<string, string, { tag: string }> = {
        stream(input, config) {
          calls.push(`${input}@${testScheduler.now()} ${config?.tag}`);
          return streams[input];
        },
      };
      const result = parallelStreams(['p', 'q'], runnable, { concurrency: 1, config: { tag: 'batch' } });
      expect(calls).toEqual([]);
      expectObservable(result.pipe(map((item) => item.type))).toBe('--adb(d|)', { a: 'chunk', b: 'chunk', d: 'done' });
      flush();
      expect(calls).toEqual(['p@0 batch', 'q@3 batch']);
    });
  });

  it('reports a stream() that throws as that input\'s error', () => {
    const runnable: StreamingRunnable<string, string> = {
      stream(input) {
        if (input === 'bad') throw new RxllmError('cannot start');
        return of(input.toUpperCase());
      },
    };
    let items: ParallelStreamItem<string, string>[] = [];
    parallelStreams(['ok', 'bad'], runnable).pipe(toArray()).subscribe((all) => (items = all));
    expect(items).toEqual([chunk(0, 'ok', 'OK'), done(0, 'ok'), { type: 'error', index: 1, input: 'bad', error: new RxllmError('cannot start') }]);
  });

  it('completes at once without inputs', () => {
    createTestScheduler().run(({ expectObservable }) => {
      expectObservable(parallelStreams([], runnableOf<string>({}))).toBe('|');
    });
  });

  it('cancels every stream in flight when unsubscribed', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const streams = { p: cold('-a-----b|'), q: cold('--x-----y|'), r: cold('-z|') };
      const unsub =    '---!';
      const expected = '-ax-';
      const result = parallelStreams(['p', 'q', 'r'], runnableOf(streams), { concurrency: 2 }).pipe(mergeMap((item) => (item.type === 'chunk' ? of(item.chunk) : [])));
      expectObservable(result, unsub).toBe(expected);
      expectSubscriptions(streams.p.subscriptions).toBe('^--!');
      expectSubscriptions(streams.q.subscriptions).toBe('^--!');
      expectSubscriptions(streams.r.subscriptions).toBe([]);
    });
  });

  it('stops synchronous streams when unsubscribed', () => {
    const streams = { a: countingSource((i) => i), b: countingSource((i) => i) };
    const runnable: StreamingRunnable<string, number> = { stream: (input) => streams[input as keyof typeof streams].source };
    const seen: number[] = [];
    parallelStreams(['a', 'b'], runnable).pipe(take(2)).subscribe((item) => item.type === 'chunk' && seen.push(item.chunk));
    expect(seen).toEqual([0, 1]);
    expect(streams.a.produced).toBe(2);
    expect(streams.b.produced).toBe(0);
  });

  it('streams a chat model over many inputs', async () => {
    const model = new ScriptedChatModel({ responses: ['Paris is the capital', 'Rome it is'], chunkBy: 'word' });
    const items = await lastValueFrom(parallelStreams(['France?', 'Italy?'], model, { concurrency: 1 }).pipe(toArray()));
    const texts = ['', ''];
    for (const item of items) if (item.type === 'chunk') texts[item.index] += (item.chunk as AIMessageChunk).content;
    expect(texts).toEqual(['Paris is the capital', 'Rome it is']);
    expect(items.filter((item) => item.type === 'done').map((item) => item.input)).toEqual(['France?', 'Italy?']);
  });

  it('refuses a bad concurrency with an RxllmError', () => {
    expect(() => parallelStreams([], runnableOf({}), { concurrency: -1 })).toThrow(RxllmError);
  });

  it('delivers in order when a stream emits again while an item is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    parallelStreams(['x'], runnableOf({ x: source })).subscribe((item) => {
      seen.push(item.type === 'chunk' ? item.chunk : item.type);
      if (item.type === 'chunk' && item.chunk === 'a') source.next('b');
    });
    source.next('a');
    source.complete();
    expect(seen).toEqual(['a', 'b', 'done']);
  });
});
