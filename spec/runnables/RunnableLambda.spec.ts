import { Observable, of, interval, map, take } from 'rxjs';
import { lambda, passthrough, RunnableLambda, type StreamEvent } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';

describe('lambda', () => {
  it('runs a function on the whole input', async () => {
    expect(await lambda((n: number) => n + 1).invoke(1)).toBe(2);
  });

  it('awaits a returned Promise', async () => {
    expect(await lambda(async (s: string) => `${s}!`).invoke('hi')).toBe('hi!');
  });

  it('streams a returned Observable in virtual time', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-a-b|', { a: 'x', b: 'y' });
      expectObservable(lambda(() => inner).stream(null)).toBe('-a-b|', { a: 'x', b: 'y' });
      expectSubscriptions(inner.subscriptions).toBe('^---!');
    });
  });

  it('unsubscribes a returned Observable early', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-a-b|', { a: 'x', b: 'y' });
      expectObservable(lambda(() => inner).stream(null), '^-!').toBe('-a-', { a: 'x' });
      expectSubscriptions(inner.subscriptions).toBe('^-!');
    });
  });

  it('streams a returned async iterable', async () => {
    async function* words() {
      yield 'a';
      yield 'b';
    }
    const seen: string[] = [];
    for await (const w of lambda(() => words()).stream(null)) seen.push(w);
    expect(seen).toEqual(['a', 'b']);
  });

  it('emits a returned array as one value', async () => {
    const seen: unknown[] = [];
    await new Promise<void>((resolve) => lambda(() => [1, 2]).stream(null).subscribe({ next: (v) => seen.push(v), complete: resolve }));
    expect(seen).toEqual([[1, 2]]);
  });

  it('runs a returned runnable on the same input, as a child run', async () => {
    const route = lambda((q: string) => (q.startsWith('math') ? lambda(() => 'calculator', { name: 'math' }) : passthrough<string>()));
    expect(await route.invoke('math: 1+1')).toBe('calculator');
    expect(await route.invoke('hello')).toBe('hello');
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => route.streamEvents('math').subscribe({ next: (e) => events.push(e), complete: resolve }));
    expect(events.find((e) => e.name === 'math')!.parent_ids).toEqual([events[0].run_id]);
  });

  it('turns a synchronous throw into the stream error', async () => {
    await expect(lambda(() => { throw new Error('bad input'); }).invoke(null)).rejects.toThrow('bad input');
  });

  it('is named after its function, or the name given', () => {
    function shout(s: string) { return s.toUpperCase(); }
    expect(lambda(shout).getName()).toBe('shout');
    expect(lambda((s: string) => s, { name: 'custom' }).getName()).toBe('custom');
    expect(new RunnableLambda((s: string) => s).getName()).toBe('RunnableLambda');
  });

  it('passes a config that nests calls under the lambda run', async () => {
    const model = new ScriptedChatModel({ responses: ['inner'] });
    const outer = lambda((q: string, config) => model.invoke(q, config), { name: 'outer' });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => outer.streamEvents('q', { tags: ['root'] }).subscribe({ next: (e) => events.push(e), complete: resolve }));
    const modelStart = events.find((e) => e.event === 'on_chat_model_start')!;
    expect(modelStart.parent_ids).toEqual([events[0].run_id]);
    expect(modelStart.tags).toEqual(['root']);
  });

  it('stops a synchronous returned Observable on unsubscribe', () => {
    let produced = 0;
    const seen: number[] = [];
    lambda(() => new Observable<number>((s) => {
      for (let i = 0; i < 100 && !s.closed; i++) {
        produced++;
        s.next(i);
      }
    })).stream(null).pipe(take(2)).subscribe((v) => seen.push(v));
    expect([seen, produced]).toEqual([[0, 1], 2]);
  });

  it('works with interval in virtual time', () => {
    createTestScheduler().run(({ expectObservable }) => {
      expectObservable(lambda(() => interval(2).pipe(take(2), map(String))).stream(null)).toBe('--a-(b|)', { a: '0', b: '1' });
      expectObservable(lambda(() => of('x')).stream(null)).toBe('(a|)', { a: 'x' });
    });
  });
});
