import { Observable, Subject, lastValueFrom, mergeMap, take, toArray } from 'rxjs';
import { AIMessage, AIMessageChunk, HumanMessage, OutputParserError, StringOutputParser, type StreamEvent } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

describe('StringOutputParser', () => {
  describe('marbles, through a chain', () => {
    it('emits the text of each chunk at the frame the model emits it', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = ScriptedChatModel.fromMarbles('-a--b-(c|)', { a: 'Hel', b: 'lo', c: { content: '!' } });
        const chain = model.pipe(new StringOutputParser());
        expectObservable(chain.stream('Hi')).toBe('-a--b-(c|)', { a: 'Hel', b: 'lo', c: '!' });
      });
    });

    it('emits nothing for chunks without text (tool calls, usage)', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = ScriptedChatModel.fromMarbles('-a-t-u|', {
          a: 'Hi',
          t: { toolCallChunks: [{ index: 0, id: 'c', name: 'f', args: '{}' }] },
          u: { usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, finishReason: 'stop' },
        });
        expectObservable(model.pipe(new StringOutputParser()).stream('Hi')).toBe('-a----|', { a: 'Hi' });
      });
    });

    it('passes on an error from the model, after the text before it', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const boom = new Error('boom');
        const model = ScriptedChatModel.fromMarbles('-a--#', { a: 'partial' }, boom);
        expectObservable(model.pipe(new StringOutputParser()).stream('Hi')).toBe('-a--#', { a: 'partial' }, boom);
      });
    });

    it('errors with an OutputParserError on input it cannot read, unsubscribing the source', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const answer = cold('-a-b-c|', { a: new AIMessageChunk('ok'), b: { weird: true } as never, c: new AIMessageChunk('never') });
        const chain = new ObservableChatModel(() => answer).pipe(new StringOutputParser());
        expectObservable(chain.stream('Hi')).toBe('-a-#', { a: 'ok' }, expect.any(OutputParserError));
        expectSubscriptions(answer.subscriptions).toBe('^--!');
      });
    });

    it('completes with nothing for an empty source', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const answer = cold<AIMessageChunk>('---|');
        expectObservable(new ObservableChatModel(() => answer).pipe(new StringOutputParser()).stream('Hi')).toBe('---|');
        expectSubscriptions(answer.subscriptions).toBe('^--!');
      });
    });

    it('unsubscribes the model when unsubscribed early', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const answer = cold('-a--b---c|', textChunks({ a: 'A', b: 'B', c: 'C' }));
        const chain = new ObservableChatModel(() => answer).pipe(new StringOutputParser());
        expectObservable(chain.stream('Hi'), '^----!').toBe('-a--b-', { a: 'A', b: 'B' });
        expectSubscriptions(answer.subscriptions).toBe('^----!');
      });
    });

    it('keeps the unsubscription chain through mergeMap', () => {
      createTestScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const answer = cold('    -a--b---c|', textChunks({ a: 'A', b: 'B', c: 'C' }));
        const trigger = hot('  -x--------------|');
        const unsub = '        ------!';
        const chain = new ObservableChatModel(() => answer).pipe(new StringOutputParser());
        const result = trigger.pipe(mergeMap(() => chain.stream('Hi')));
        expectObservable(result, unsub).toBe('--a--b', { a: 'A', b: 'B' });
        expectSubscriptions(answer.subscriptions).toBe('-^----!');
      });
    });
  });

  it('stops a synchronous source at once when unsubscribed', () => {
    let emitted = 0;
    const endless = new Observable<AIMessageChunk>((subscriber) => {
      for (let i = 0; i < 1_000 && !subscriber.closed; i++) {
        emitted++;
        subscriber.next(new AIMessageChunk(`t${i}`));
      }
      subscriber.complete();
    });
    const seen: string[] = [];
    new ObservableChatModel(() => endless).pipe(new StringOutputParser()).stream('Hi').pipe(take(3)).subscribe((t) => seen.push(t));
    expect(seen).toEqual(['t0', 't1', 't2']);
    expect(emitted).toBe(3);
  });

  it('handles a reentrant source: a chunk pushed while one is delivered comes next, in order', () => {
    const source = new Subject<AIMessageChunk>();
    const seen: string[] = [];
    new ObservableChatModel(() => source).pipe(new StringOutputParser()).stream('Hi').subscribe({
      next: (text) => {
        seen.push(text);
        if (text === 'a') source.next(new AIMessageChunk('b'));
      },
      complete: () => seen.push('|'),
    });
    source.next(new AIMessageChunk('a'));
    source.next(new AIMessageChunk('c'));
    source.complete();
    expect(seen).toEqual(['a', 'b', 'c', '|']);
  });

  describe('on its own', () => {
    it('streams the text of a chunk, a message or a string', async () => {
      const parser = new StringOutputParser();
      expect(await lastValueFrom(parser.stream(new AIMessageChunk('chunk')).pipe(toArray()))).toEqual(['chunk']);
      expect(await parser.invoke(new AIMessage('message'))).toBe('message');
      expect(await parser.invoke(new HumanMessage('human'))).toBe('human');
      expect(await parser.invoke('plain')).toBe('plain');
    });

    it('rejects input that is not text with an OutputParserError', async () => {
      await expect(new StringOutputParser().invoke(42 as never)).rejects.toBeInstanceOf(OutputParserError);
      await expect(new StringOutputParser().invoke({ content: 1 } as never)).rejects.toThrow(/StringOutputParser/);
    });

    it('invoke in a chain joins the texts', async () => {
      const chain = new ScriptedChatModel({ responses: ['Hello brave world'], usage: true }).pipe(new StringOutputParser());
      expect(await chain.invoke('Hi')).toBe('Hello brave world');
    });
  });

  it('reports parser events chunk by chunk, each after the model chunk that caused it', async () => {
    const chain = new ScriptedChatModel({ responses: ['a b'] }).pipe(new StringOutputParser());
    const events: StreamEvent[] = await lastValueFrom(chain.streamEvents('Hi', undefined, { excludeTypes: ['chain'] }).pipe(toArray()));
    expect(events.map((e) => [e.event, e.event.endsWith('_stream') ? (e.data.chunk.content ?? e.data.chunk) : undefined])).toEqual([
      ['on_chat_model_start', undefined],
      ['on_chat_model_stream', 'a'],
      ['on_parser_start', undefined],
      ['on_parser_stream', 'a'],
      ['on_chat_model_stream', ' b'],
      ['on_parser_stream', ' b'],
      ['on_chat_model_end', undefined],
      ['on_parser_end', undefined],
    ]);
    const end = events.find((e) => e.event === 'on_parser_end')!;
    expect(end.name).toBe('StringOutputParser');
    expect(end.data.output).toBe('a b');
  });
});
