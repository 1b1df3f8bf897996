import { Subject, lastValueFrom, toArray } from 'rxjs';
import { AIMessageChunk, StringOutputParser, ofEventType, type StreamEvent, type StreamEventName } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

function ev(event: StreamEventName, name = 'm'): StreamEvent {
  return { event, name, run_id: name, parent_ids: [], tags: [], metadata: {}, data: {} };
}

const values = {
  s: ev('on_chat_model_start'),
  t: ev('on_chat_model_stream'),
  e: ev('on_chat_model_end'),
  c: ev('on_custom_event', 'progress'),
  x: ev('on_tool_start', 'search'),
};

describe('ofEventType', () => {
  it('keeps only the events of the given name', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--s--t--t--e--|', values);
      const subs = '       ^-------------!';
      expectObservable(source.pipe(ofEventType('on_chat_model_stream'))).toBe('-----t--t-----|', values);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('keeps the events of any of several names', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('--s--t--c--x--e--|', values);
      expectObservable(source.pipe(ofEventType('on_custom_event', 'on_tool_start', 'on_chat_model_end'))).toBe('--------c--x--e--|', values);
    });
  });

  it('keeps nothing when given no name', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('--s--t--|', values).pipe(ofEventType())).toBe('--------|');
    });
  });

  it('passes on an error from the source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--t--s--#', values);
      expectObservable(source.pipe(ofEventType('on_chat_model_stream'))).toBe('--t-----#', values);
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('errors, unsubscribing the source, on a value that is not an event', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--t--n--t--|', { ...values, n: null as unknown as StreamEvent });
      expectObservable(source.pipe(ofEventType('on_chat_model_stream'))).toBe('--t--#', values, expect.any(TypeError));
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('completes with nothing on an empty source', () => {
    expectTerminalPassThrough(ofEventType('on_chat_model_stream'), '|');
  });

  it('unsubscribes the source on an early unsubscribe', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--t--t--t--|', values);
      const unsub = '      ------!     ';
      expectObservable(source.pipe(ofEventType('on_chat_model_stream')), unsub).toBe('--t--t-', values);
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('keeps the unsubscription chain through mergeMap', () => {
    expectUnsubscriptionChain(ofEventType('on_chat_model_stream'), {
      source:        '--t--t--t--|',
      unsub:         '-------!    ',
      expected:      '--t--t--    ',
      subscriptions: '^------!    ',
    }, values, values);
  });

  it('stops a synchronous source at once when unsubscribed', () => {
    expectSynchronousSourceStopped(ofEventType('on_chat_model_stream'), () => values.t, { take: 3, produced: 3 });
  });

  it('handles a reentrant source in order', () => {
    const source = new Subject<StreamEvent>();
    const seen: string[] = [];
    source.pipe(ofEventType('on_chat_model_stream', 'on_chat_model_end')).subscribe((e) => {
      seen.push(e.event);
      if (e.event === 'on_chat_model_stream') source.next(values.e);
    });
    source.next(values.s);
    source.next(values.t);
    expect(seen).toEqual(['on_chat_model_stream', 'on_chat_model_end']);
  });

  it('narrows the event type, so data reads without a cast', async () => {
    const chain = new ScriptedChatModel({ responses: ['Hello world'] }).pipe(new StringOutputParser());
    const streamed = await lastValueFrom(chain.streamEvents('Hi').pipe(ofEventType('on_chat_model_stream'), toArray()));
    const narrowed: Array<StreamEvent & { event: 'on_chat_model_stream' }> = streamed;
    expect(narrowed.map((e) => (e.data.chunk as AIMessageChunk).content)).toEqual(['Hello', ' world']);
  });
});
