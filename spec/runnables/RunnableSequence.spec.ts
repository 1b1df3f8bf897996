import { map, Observable, of, take, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  AIMessageChunk, ChatPromptTemplate, HumanMessage, RunnableSequence, StringOutputParser, lambda, passthrough, sequence,
  type StreamEvent,
} from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

const prompt = () => ChatPromptTemplate.fromMessages([['system', 'You are terse.'], ['human', '{input}']]);

/** `[frame, event, name]` for every event, recorded in virtual time. */
function recordFrames(scheduler: TestScheduler, events$: Observable<StreamEvent>): Array<[number, string, string]> {
  const seen: Array<[number, string, string]> = [];
  events$.subscribe((e) => seen.push([scheduler.now(), e.event, e.name]));
  return seen;
}

describe('RunnableSequence', () => {
  describe('in virtual time, end to end', () => {
    it('streams prompt | model | parser at exactly the frames the model emits', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const answer = cold('  -a--b---c|', textChunks({ a: 'Hel', b: 'lo', c: '!' }));
        const chain = prompt().pipe(new ObservableChatModel(() => answer)).pipe(new StringOutputParser());
        expectObservable(chain.stream({ input: 'Hi' })).toBe('-a--b---c|', { a: 'Hel', b: 'lo', c: '!' });
        expectSubscriptions(answer.subscriptions).toBe('^--------!');
      });
    });

    it('streams with a ScriptedChatModel built from marbles', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = ScriptedChatModel.fromMarbles('-a-b-(c|)', { a: 'Hel', b: 'lo', c: { content: '!' } });
        const chain = prompt().pipe(model).pipe(new StringOutputParser());
        expectObservable(chain.stream({ input: 'Hi' })).toBe('-a-b-(c|)', { a: 'Hel', b: 'lo', c: '!' });
      });
    });

    it('stops the model subscription at the frame the chain is unsubscribed', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const answer = cold('  -a--b---c|', textChunks({ a: 'Hel', b: 'lo', c: '!' }));
        const chain = prompt().pipe(new ObservableChatModel(() => answer)).pipe(new StringOutputParser());
        expectObservable(chain.stream({ input: 'Hi' }), '   ---!').toBe('-a--', { a: 'Hel' });
        expectSubscriptions(answer.subscriptions).toBe('^--!');
      });
    });

    it('stops the model subscription when streamEvents is unsubscribed', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const answer = cold('  -a--b---c|', textChunks({ a: 'Hel', b: 'lo', c: '!' }));
        const chain = prompt().pipe(new ObservableChatModel(() => answer)).pipe(new StringOutputParser());
        const texts$ = chain.streamEvents({ input: 'Hi' }, undefined, { includeNames: ['RunnableSequence'] }).pipe(
          map((e) => (e.event === 'on_chain_stream' ? e.data.chunk : e.event)),
        );
        expectObservable(texts$, '^---!').toBe('sa---', { s: 'on_chain_start', a: 'Hel' });
        expectSubscriptions(answer.subscriptions).toBe('^---!');
      });
    });

    it('reports every event at the frame its cause happens, in causal order', () => {
      const scheduler = createTestScheduler();
      let seen: Array<[number, string, string]> = [];
      scheduler.run(({ cold }) => {
        const answer = cold('--a--b|', textChunks({ a: 'Hel', b: 'lo' }));
        const chain = prompt().pipe(new ObservableChatModel(() => answer)).pipe(new StringOutputParser());
        seen = recordFrames(scheduler, chain.streamEvents({ input: 'Hi' }));
      });
      expect(seen).toEqual([
        [0, 'on_chain_start', 'RunnableSequence'],
        [0, 'on_prompt_start', 'ChatPromptTemplate'],
        [0, 'on_prompt_end', 'ChatPromptTemplate'],
        [0, 'on_chat_model_start', 'ObservableChatModel'],
        [2, 'on_chat_model_stream', 'ObservableChatModel'],
        [2, 'on_parser_start', 'StringOutputParser'],
        [2, 'on_parser_stream', 'StringOutputParser'],
        [2, 'on_chain_stream', 'RunnableSequence'],
        [5, 'on_chat_model_stream', 'ObservableChatModel'],
        [5, 'on_parser_stream', 'StringOutputParser'],
        [5, 'on_chain_stream', 'RunnableSequence'],
        [6, 'on_chat_model_end', 'ObservableChatModel'],
        [6, 'on_parser_end', 'StringOutputParser'],
        [6, 'on_chain_end', 'RunnableSequence'],
      ]);
    });

    it('propagates a model error after the chunks before it, with error events', () => {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const answer = cold('-a-#', textChunks({ a: 'Hel' }), new Error('boom'));
        const chain = prompt().pipe(new ObservableChatModel(() => answer)).pipe(new StringOutputParser());
        expectObservable(chain.stream({ input: 'Hi' })).toBe('-a-#', { a: 'Hel' }, new Error('boom'));
      });
    });
  });

  describe('composition', () => {
    it('flattens nested pipes into numbered steps tagged seq:step:N', async () => {
      const model = new ScriptedChatModel({ responses: ['ok'] });
      const chain = prompt().pipe(model).pipe(new StringOutputParser());
      expect(chain).toBeInstanceOf(RunnableSequence);
      expect((chain as RunnableSequence).steps).toHaveLength(3);
      const events: StreamEvent[] = [];
      await new Promise<void>((resolve) => chain.streamEvents({ input: 'Hi' }).subscribe({ next: (e) => events.push(e), complete: resolve }));
      const tagsByName = Object.fromEntries(events.filter((e) => e.event.endsWith('_start')).map((e) => [e.name, e.tags]));
      expect(tagsByName).toEqual({
        RunnableSequence: [],
        ChatPromptTemplate: ['seq:step:1'],
        ScriptedChatModel: ['seq:step:2'],
        StringOutputParser: ['seq:step:3'],
      });
    });

    it('sequence(a, b, c) equals a.pipe(b).pipe(c)', async () => {
      const model = new ScriptedChatModel({ responses: ['Hello world'] });
      const chain = sequence(prompt(), model, new StringOutputParser(), map((text: string) => text.toUpperCase()));
      expect(await chain.invoke({ input: 'Hi' })).toBe('HELLO WORLD');
      expect(model.calls[0].messages.map((m) => m.content)).toEqual(['You are terse.', 'Hi']);
    });

    it('accepts an RxJS operator as a streaming step', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const answer = cold('-a-b|', textChunks({ a: 'ab', b: 'cd' }));
        const chain = new ObservableChatModel(() => answer).pipe(new StringOutputParser()).pipe(map((t: string) => t.length));
        expectObservable(chain.stream('q')).toBe('-a-b|', { a: 2, b: 2 });
      });
    });

    it('accepts a record of runnables as a parallel step', async () => {
      const chain = lambda((x: number) => x + 1).pipe({ double: lambda((y: number) => y * 2), same: passthrough<number>() });
      expect(await chain.invoke(1)).toEqual({ double: 4, same: 2 });
    });

    it('gives a whole-input step the concatenation of the previous streaming step', async () => {
      const seen: string[] = [];
      const chain = new ScriptedChatModel({ responses: ['a b c'] }).pipe(new StringOutputParser()).pipe(lambda((text: string) => {
        seen.push(text);
        return text.length;
      }));
      expect(await chain.invoke('q')).toBe(5);
      expect(seen).toEqual(['a b c']);
    });

    it('rejects fewer than two steps', () => {
      expect(() => sequence(passthrough())).toThrow(TypeError);
    });

    it('is cold: each subscription is a new run of every step', async () => {
      const model = new ScriptedChatModel({ responses: ['one', 'two'] });
      const chain = model.pipe(new StringOutputParser());
      const stream = chain.stream('q');
      const first: string[] = [];
      const second: string[] = [];
      stream.subscribe((t) => first.push(t));
      stream.subscribe((t) => second.push(t));
      expect([first, second, model.calls.length]).toEqual([['one'], ['two'], 2]);
    });
  });

  describe('the RxJS checklist', () => {
    it('stops a synchronous model at the first unsubscribe', () => {
      let produced = 0;
      const model = new ObservableChatModel(() => new Observable<AIMessageChunk>((subscriber) => {
        for (let i = 0; i < 1000 && !subscriber.closed; i++) {
          produced++;
          subscriber.next(new AIMessageChunk(`t${i}`));
        }
        subscriber.complete();
      }));
      const seen: string[] = [];
      model.pipe(new StringOutputParser()).stream('q').pipe(take(3)).subscribe((t) => seen.push(t));
      expect(seen).toEqual(['t0', 't1', 't2']);
      expect(produced).toBe(3);
    });

    it('completes with nothing when the model emits nothing', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const chain = new ObservableChatModel(() => cold<AIMessageChunk>('--|')).pipe(new StringOutputParser());
        expectObservable(chain.stream('q')).toBe('--|');
      });
    });

    it('errors when a step throws, keeping what came before', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const answer = cold('-a-b|', textChunks({ a: 'ok', b: 'bad' }));
        const chain = new ObservableChatModel(() => answer).pipe(new StringOutputParser()).pipe(map((t: string) => {
          if (t === 'bad') throw new Error('rejected');
          return t;
        }));
        expectObservable(chain.stream('q')).toBe('-a-#', { a: 'ok' }, new Error('rejected'));
      });
    });

    it('handles a reentrant subscription from inside a chunk handler', () => {
      const model = new ScriptedChatModel({ responses: ['a b'] });
      const chain = model.pipe(new StringOutputParser());
      const seen: string[] = [];
      chain.stream('q').subscribe((t) => {
        seen.push(`outer${t}`);
        if (t === 'a') chain.stream('inner').subscribe((u) => seen.push(`inner${u}`));
      });
      expect(seen).toEqual(['outera', 'innera', 'inner b', 'outer b']);
    });

    it('passes the message history of the prompt to the model', async () => {
      const model = new ScriptedChatModel({ responses: ['fine'] });
      const chain = ChatPromptTemplate.fromMessages([['placeholder', '{history}'], ['human', '{input}']]).pipe(model);
      await chain.invoke({ history: [new HumanMessage('earlier')], input: 'now' });
      expect(model.calls[0].messages.map((m) => [m.type, m.content])).toEqual([['human', 'earlier'], ['human', 'now']]);
    });

    it('unsubscribes every step of an inner chain through mergeMap', () => {
      createTestScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const answer = cold('   -a-b-c|', textChunks({ a: 'x', b: 'y', c: 'z' }));
        const chain = new ObservableChatModel(() => answer).pipe(new StringOutputParser());
        const trigger = hot('   a------', { a: 'go' });
        const result = trigger.pipe(tap(() => undefined), (s) => new Observable<string>((sub) => s.subscribe((q) => chain.stream(q).subscribe(sub))));
        expectObservable(result, '^--!').toBe('-a-', { a: 'x' });
        expectSubscriptions(answer.subscriptions).toBe('^--!');
      });
    });
  });

  it('of() inputs work as a model input', async () => {
    const model = new ScriptedChatModel({ responses: ['ok'] });
    await lambda(() => of('from an observable')).pipe(model).invoke(undefined);
    expect(model.calls[0].messages[0].content).toBe('from an observable');
  });
});
