import { Subject } from 'rxjs';
import { tapEvents, type StreamEvent, type StreamEventName } from '../../src/index.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

function ev(event: StreamEventName, name = 'search'): StreamEvent {
  return { event, name, run_id: name, parent_ids: [], tags: [], metadata: {}, data: { n: name } };
}

const values = {
  s: ev('on_tool_start'),
  t: ev('on_tool_stream'),
  e: ev('on_tool_end'),
  m: ev('on_chat_model_stream', 'model'),
};

describe('tapEvents', () => {
  it('mirrors the source and calls each handler at the frame of its event', () => {
    const calls: Array<[number, string]> = [];
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--s--m--t--e--|', values);
      const result = source.pipe(tapEvents({
        on_tool_start: (e) => calls.push([scheduler.now(), e.event]),
        on_tool_end: (e) => calls.push([scheduler.now(), e.event]),
      }));
      expectObservable(result).toBe('--s--m--t--e--|', values);
      expectSubscriptions(source.subscriptions).toBe('^-------------!');
    });
    expect(calls).toEqual([[2, 'on_tool_start'], [11, 'on_tool_end']]);
  });

  it('passes each handler the very event, typed by its name', () => {
    const seen: StreamEvent[] = [];
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-m-|', values).pipe(tapEvents({ on_chat_model_stream: (e) => seen.push(e) }))).toBe('-m-|', values);
    });
    expect(seen).toEqual([values.m]);
    expect(seen[0]).toBe(values.m);
  });

  it('is a plain mirror with no handlers', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-s-t-e-|', values).pipe(tapEvents({}))).toBe('-s-t-e-|', values);
    });
  });

  it('errors, unsubscribing the source, when a handler throws', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const boom = new Error('handler failed');
      const source = cold('--m--s--e--|', values);
      const result = source.pipe(tapEvents({ on_tool_start: () => { throw boom; } }));
      expectObservable(result).toBe('--m--#', values, boom);
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('passes on an error from the source', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const handler = jest.fn();
      expectObservable(cold('--s--#', values).pipe(tapEvents({ on_tool_start: handler }))).toBe('--s--#', values);
    });
  });

  it('completes with nothing on an empty source, calling no handler', () => {
    const handler = jest.fn();
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<StreamEvent>('--|');
      expectObservable(source.pipe(tapEvents({ on_tool_start: handler }))).toBe('--|');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('unsubscribes the source on an early unsubscribe, calling no handler after it', () => {
    const handler = jest.fn();
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--s--s--s--|', values);
      const unsub = '      ----!       ';
      expectObservable(source.pipe(tapEvents({ on_tool_start: handler })), unsub).toBe('--s--', values);
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('keeps the unsubscription chain through mergeMap', () => {
    expectUnsubscriptionChain(tapEvents({}), {
      source:        '--s--t--e--|',
      unsub:         '-------!    ',
      expected:      '--s--t--    ',
      subscriptions: '^------!    ',
    }, values, values);
  });

  it('stops a synchronous source at once when unsubscribed', () => {
    const handler = jest.fn();
    expectSynchronousSourceStopped(tapEvents({ on_tool_start: handler }), () => values.s, { take: 3, produced: 3 });
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('handles a reentrant source: a handler may push into the source', () => {
    const source = new Subject<StreamEvent>();
    const order: string[] = [];
    source.pipe(tapEvents({ on_tool_start: () => source.next(values.e) })).subscribe((e) => order.push(e.event));
    source.next(values.s);
    expect(order).toEqual(['on_tool_end', 'on_tool_start']);
  });
});
