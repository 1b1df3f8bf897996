import { lambda, RunnableBinding, type CallbackHandler, type StreamEvent } from '../../src/index.js';

describe('withConfig', () => {
  it('keeps the bound runnable behaviour and reports its name', async () => {
    const bound = lambda((n: number) => n * 2, { name: 'double' }).withConfig({ runName: 'twice' });
    expect(bound).toBeInstanceOf(RunnableBinding);
    expect(bound.getName()).toBe('twice');
    expect(await bound.invoke(4)).toBe(8);
  });

  it('combines successive configs', async () => {
    const bound = lambda((n: number) => n).withConfig({ tags: ['a'], metadata: { x: 1 } }).withConfig({ tags: ['b'], metadata: { y: 2 } });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => bound.streamEvents(1).subscribe({ next: (e) => events.push(e), complete: resolve }));
    expect(events[0].tags).toEqual(['a', 'b']);
    expect(events[0].metadata).toEqual({ x: 1, y: 2 });
  });

  it('feeds its callbacks the bound run and its children', async () => {
    const seen: string[] = [];
    const handler: CallbackHandler = { handleChainStart: (_input, run) => void seen.push(run.name) };
    const inner = lambda((n: number) => n, { name: 'inner' });
    const outer = lambda((n: number, config) => inner.invoke(n, config), { name: 'outer' }).withConfig({ callbacks: [handler] });
    await outer.invoke(1);
    expect(seen).toEqual(['outer', 'inner']);
  });
});
