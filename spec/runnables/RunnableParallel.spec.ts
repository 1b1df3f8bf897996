import { parallel, lambda, passthrough, StringOutputParser, RunnableParallel, type StreamEvent } from '../../src/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

describe('parallel', () => {
  it('streams keyed chunks as each branch produces them', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const a = cold('-x---y|', textChunks({ x: 'a1', y: 'a2' }));
      const b = cold('--z|', textChunks({ z: 'b1' }));
      const both = parallel({
        a: new ObservableChatModel(() => a).pipe(new StringOutputParser()),
        b: new ObservableChatModel(() => b).pipe(new StringOutputParser()),
      });
      expectObservable(both.stream('q')).toBe('-xz--y|', { x: { a: 'a1' }, z: { b: 'b1' }, y: { a: 'a2' } });
    });
  });

  it('invoke gives the whole object', async () => {
    const both = parallel({ upper: lambda((s: string) => s.toUpperCase()), same: passthrough<string>(), len: (s: string) => s.length });
    expect(await both.invoke('abc')).toEqual({ upper: 'ABC', same: 'abc', len: 3 });
  });

  it('cancels every branch on unsubscribe', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-x---y|', textChunks({ x: 'a1', y: 'a2' }));
      const b = cold('---z--|', textChunks({ z: 'b1' }));
      const both = parallel({ a: new ObservableChatModel(() => a).pipe(new StringOutputParser()), b: new ObservableChatModel(() => b) });
      expectObservable(both.stream('q'), '^-!').toBe('-x-', { x: { a: 'a1' } });
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe('^-!');
    });
  });

  it('errors when a branch errors, after the chunks before it, and cancels the others', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-x-#', textChunks({ x: 'a1' }), new Error('branch a failed'));
      const b = cold('-----z|', textChunks({ z: 'b1' }));
      const both = parallel({ a: new ObservableChatModel(() => a).pipe(new StringOutputParser()), b: new ObservableChatModel(() => b) });
      expectObservable(both.stream('q')).toBe('-x-#', { x: { a: 'a1' } }, new Error('branch a failed'));
      expectSubscriptions(b.subscriptions).toBe('^--!');
    });
  });

  it('gives every branch the same input, even a synchronous stream of chunks', async () => {
    const seen: string[] = [];
    const chain = new StringOutputParser().pipe(parallel({
      a: lambda((s: string) => void seen.push(`a:${s}`)),
      b: lambda((s: string) => void seen.push(`b:${s}`)),
    }));
    await chain.invoke('whole');
    expect(seen.sort()).toEqual(['a:whole', 'b:whole']);
  });

  it('is named after its keys and nests branch runs under it', async () => {
    const both = new RunnableParallel({ x: lambda(() => 1, { name: 'X' }) });
    expect(both.getName()).toBe('RunnableParallel<x>');
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => both.streamEvents('q').subscribe({ next: (e) => events.push(e), complete: resolve }));
    expect(events.find((e) => e.name === 'X')!.parent_ids).toEqual([events[0].run_id]);
  });
});
