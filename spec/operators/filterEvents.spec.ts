import { Subject, lastValueFrom, toArray } from 'rxjs';
import { ChatPromptTemplate, StringOutputParser, filterEvents, type EventFilter, type StreamEvent, type StreamEventName } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

function ev(event: StreamEventName, name: string, tags: string[] = []): StreamEvent {
  return { event, name, run_id: name, parent_ids: [], tags, metadata: {}, data: {} };
}

const values = {
  a: ev('on_chain_start', 'a', ['x']),
  b: ev('on_chain_start', 'b', ['y']),
  c: ev('on_chain_start', 'c', ['x', 'y']),
  m: ev('on_chat_model_stream', 'model'),
  t: ev('on_tool_end', 'search', ['internal']),
  p: ev('on_custom_event', 'progress'),
};

describe('filterEvents', () => {
  it('includes by tag, then excludes by tag', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--c--|', values);
      expectObservable(source.pipe(filterEvents({ includeTags: ['x'], excludeTags: ['y'] }))).toBe('--a--------|', values);
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('ORs the include filters', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-m-t-p-|', values);
      expectObservable(source.pipe(filterEvents({ includeNames: ['b'], includeTypes: ['chat_model'], includeTags: ['internal'] })))
        .toBe('---b-m-t---|', values);
    });
  });

  it('keeps everything with no include filter, minus the excludes', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-m-t-p-|', values);
      expectObservable(source.pipe(filterEvents({}))).toBe('-a-b-m-t-p-|', values);
      expectObservable(source.pipe(filterEvents({ excludeTypes: ['chain'], excludeNames: ['search'] }))).toBe('-----m---p-|', values);
    });
  });

  it('selects custom events by the custom type', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-p-m-|', values);
      expectObservable(source.pipe(filterEvents({ includeTypes: ['custom'] }))).toBe('---p---|', values);
    });
  });

  it('passes on an error from the source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--#', values);
      expectObservable(source.pipe(filterEvents({ includeTags: ['x'] }))).toBe('--a-----#', values);
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('errors, unsubscribing the source, on a value that is not an event', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--n--a--|', { ...values, n: {} as StreamEvent });
      expectObservable(source.pipe(filterEvents({ includeTypes: ['chain'] }))).toBe('--a--#', values, expect.any(TypeError));
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('completes with nothing on an empty source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<StreamEvent>('---|');
      expectObservable(source.pipe(filterEvents({ includeTags: ['x'] }))).toBe('---|');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('unsubscribes the source on an early unsubscribe', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--a--a--|', values);
      const unsub = '      -----!      ';
      expectObservable(source.pipe(filterEvents({ includeTags: ['x'] })), unsub).toBe('--a---', values);
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('keeps the unsubscription chain through mergeMap', () => {
    expectUnsubscriptionChain(filterEvents({ includeTags: ['x'] }), {
      source:        '--a--a--a--|',
      unsub:         '------!     ',
      expected:      '--a--a-     ',
      subscriptions: '^-----!     ',
    }, values, values);
  });

  it('stops a synchronous source at once when unsubscribed', () => {
    // b, a, b, a: the two events kept are the 2nd and the 4th produced.
    expectSynchronousSourceStopped(filterEvents({ includeTags: ['x'] }), (i) => (i % 2 ? values.a : values.b), { take: 2, produced: 4, delivers: [values.a, values.a] });
  });

  it('handles a reentrant source in order', () => {
    const source = new Subject<StreamEvent>();
    const seen: string[] = [];
    source.pipe(filterEvents({ includeTags: ['x'] })).subscribe((e) => {
      seen.push(e.name);
      if (e.name === 'a') source.next(values.c);
    });
    source.next(values.a);
    source.next(values.b);
    source.next(values.a);
    expect(seen).toEqual(['a', 'c', 'a', 'c']);
  });

  it('selects the same events from a real run as the streamEvents filter does', async () => {
    const chain = ChatPromptTemplate.fromMessages([['human', '{input}']])
      .pipe(new ScriptedChatModel({ responses: ['a b'] }))
      .pipe(new StringOutputParser());
    const filter: EventFilter = { includeTypes: ['chat_model', 'parser'], excludeTags: ['seq:step:3'] };
    const piped = await lastValueFrom(chain.streamEvents({ input: 'Hi' }).pipe(filterEvents(filter), toArray()));
    const given = await lastValueFrom(chain.streamEvents({ input: 'Hi' }, undefined, filter).pipe(toArray()));
    const shape = (events: StreamEvent[]) => events.map((e) => [e.event, e.name]);
    expect(shape(piped)).toEqual([['on_chat_model_start', 'ScriptedChatModel'], ['on_chat_model_stream', 'ScriptedChatModel'], ['on_chat_model_stream', 'ScriptedChatModel'], ['on_chat_model_end', 'ScriptedChatModel']]);
    expect(shape(given)).toEqual(shape(piped));
  });
});
