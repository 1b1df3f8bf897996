import { dispatchCustomEvent, lambda, RxllmError, type CallbackHandler, type StreamEvent } from '../../src/index.js';

describe('dispatchCustomEvent', () => {
  const collect = (run$: { subscribe(o: object): unknown }) => new Promise<StreamEvent[]>((resolve) => {
    const events: StreamEvent[] = [];
    run$.subscribe({ next: (e: StreamEvent) => events.push(e), complete: () => resolve(events) });
  });

  it('emits on_custom_event for the current run when called synchronously', async () => {
    const step = lambda((x: number) => {
      dispatchCustomEvent('checkpoint', { x });
      return x;
    }, { name: 'step' });
    const events = await collect(step.streamEvents(5));
    const custom = events.find((e) => e.event === 'on_custom_event')!;
    expect(custom).toMatchObject({ name: 'checkpoint', data: { x: 5 }, run_id: events[0].run_id, parent_ids: [] });
  });

  it('finds the run through the config after an await', async () => {
    const step = lambda(async (x: number, config) => {
      await Promise.resolve();
      dispatchCustomEvent('late', x, config);
      return x;
    });
    const events = await collect(step.streamEvents(1));
    expect(events.filter((e) => e.event === 'on_custom_event').map((e) => e.data)).toEqual([1]);
  });

  it('reaches handleCustomEvent callbacks', async () => {
    const seen: unknown[] = [];
    const handler: CallbackHandler = { handleCustomEvent: (name, data) => void seen.push([name, data]) };
    await lambda((x: string) => {
      dispatchCustomEvent('note', x);
      return x;
    }).invoke('hi', { callbacks: [handler] });
    expect(seen).toEqual([['note', 'hi']]);
  });

  it('is silent when nobody listens, and throws a typed error outside any run', async () => {
    await expect(lambda((x: string) => {
      dispatchCustomEvent('unheard', x);
      return x;
    }).invoke('ok')).resolves.toBe('ok');
    expect(() => dispatchCustomEvent('lost', null)).toThrow(RxllmError);
  });
});
