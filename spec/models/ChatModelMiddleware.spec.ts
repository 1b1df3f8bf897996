import { catchError, map, of, tap, type Observable } from 'rxjs';
import { AIMessageChunk, HumanMessage, SystemMessage, type ChatModelMiddleware, type StreamEvent } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

/** A layer that appends `mark` to the last message and wraps each chunk's text in `open`…`close`. */
function marking(mark: string, open: string, close: string, log: string[] = []): ChatModelMiddleware {
  return {
    transformRequest: (request) => {
      log.push(`transform ${mark}`);
      const messages = request.messages.map((m, i) => (i === request.messages.length - 1 ? new HumanMessage(`${m.content}${mark}`) : m));
      return { ...request, messages };
    },
    wrapStream: (next) => {
      log.push(`wrap ${mark}`);
      return next().pipe(map((chunk) => new AIMessageChunk({ ...chunk, content: `${open}${chunk.content}${close}` })));
    },
  };
}

const text = (chunk: AIMessageChunk) => chunk.content;

describe('withMiddleware', () => {
  it('transforms the request with the first layer first and wraps the stream with it last', async () => {
    const log: string[] = [];
    const model = new ScriptedChatModel({ responses: ['Hi there'] });
    const wrapped = model.withMiddleware(marking('1', '[', ']', log), marking('2', '<', '>', log));
    const chunks = await collect(wrapped.stream('q'));
    expect(model.calls[0].messages[0].content).toBe('q12');
    expect(chunks.map(text)).toEqual(['[<Hi>]', '[< there>]']);
    expect(log).toEqual(['transform 1', 'transform 2', 'wrap 1', 'wrap 2']);
  });

  it('puts a layer added later outside the earlier ones, and keeps the layers through bindTools', async () => {
    const model = new ScriptedChatModel({ responses: ['x'] });
    const wrapped = model.withMiddleware(marking('inner', '(', ')')).withMiddleware(marking('outer', '[', ']')).bindTools([{ name: 'noop', parameters: { type: 'object' } }]);
    expect((await collect(wrapped.stream('q'))).map(text)).toEqual(['[(x)]']);
    expect(model.calls[0].messages[0].content).toBe('qouterinner');
    expect(model.calls[0].options.tools?.map((t) => t.name)).toEqual(['noop']);
    expect((await collect(model.stream('plain'))).map(text)).toEqual(['x']);
  });

  it('hands transformRequest the options, and sends the options it returns', async () => {
    const model = new ScriptedChatModel({ responses: ['x'] });
    const seen: unknown[] = [];
    const wrapped = model.bindTools([{ name: 'a', parameters: {} }, { name: 'b', parameters: {} }]).withMiddleware({
      transformRequest: (request) => {
        seen.push(request.options.tools?.map((t) => t.name));
        return { ...request, options: { ...request.options, tools: request.options.tools?.filter((t) => t.name === 'b'), stop: ['END'] } };
      },
    });
    await wrapped.invoke('q');
    expect(seen).toEqual([['a', 'b']]);
    expect(model.calls[0].options).toMatchObject({ tools: [{ name: 'b' }], stop: ['END'] });
  });

  it('shows the transformed messages and the wrapped chunks in the model\'s events, each transform run once', async () => {
    const log: string[] = [];
    const model = new ScriptedChatModel({ responses: ['Hi'] });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => model.withMiddleware(marking('!', '[', ']', log)).streamEvents([new SystemMessage('s'), new HumanMessage('q')]).subscribe({ next: (e) => events.push(e), complete: resolve }));
    const start = events.find((e) => e.event === 'on_chat_model_start')!;
    expect(start.data.input.messages.map((m: { content: string }) => m.content)).toEqual(['s', 'q!']);
    expect(events.filter((e) => e.event === 'on_chat_model_stream').map((e) => e.data.chunk.content)).toEqual(['[Hi]']);
    expect(events.find((e) => e.event === 'on_chat_model_end')!.data.output.content).toBe('[Hi]');
    expect(log).toEqual(['transform !', 'wrap !']);
  });

  it('passes chunks on at the frames the model emits them, in stream and in events', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('-a--b-|', textChunks({ a: 'Hel', b: 'lo' }));
      const model = new ObservableChatModel(() => answer).withMiddleware(marking('', '', '.'));
      expectObservable(model.stream('q').pipe(map(text))).toBe('-a--b-|', { a: 'Hel.', b: 'lo.' });
      // start at 0, each stream event in its chunk's frame, the end event when the model completes.
      const events = model.streamEvents('q').pipe(map((e) => (e.event === 'on_chat_model_stream' ? e.data.chunk.content : e.event)));
      expectObservable(events).toBe('sa--b-(e|)', { s: 'on_chat_model_start', a: 'Hel.', b: 'lo.', e: 'on_chat_model_end' });
      expectSubscriptions(answer.subscriptions).toBe(['^-----!', '^-----!']);
    });
  });

  it('lets wrapStream answer without calling the model: a cache keyed by the request it is sent', async () => {
    const model = new ScriptedChatModel({ responses: ['fresh answer'] });
    const cache = new Map<string, AIMessageChunk[]>();
    const caching: ChatModelMiddleware = {
      wrapStream: (next, request) => {
        const key = JSON.stringify(request.messages.map((m) => m.content));
        const hit = cache.get(key);
        if (hit) return of(...hit);
        const chunks: AIMessageChunk[] = [];
        return next().pipe(tap({ next: (chunk) => chunks.push(chunk), complete: () => cache.set(key, chunks) }));
      },
    };
    const cached = model.withMiddleware(marking('+', '', ''), caching);
    expect((await cached.invoke('q')).content).toBe('fresh answer');
    expect((await cached.invoke('q')).content).toBe('fresh answer');
    expect(model.calls).toHaveLength(1);
    expect([...cache.keys()]).toEqual(['["q+"]']);
  });

  it('fails the stream when a layer throws, and lets a layer recover from the model\'s error', async () => {
    const model = new ScriptedChatModel({ responses: [new Error('down')] });
    const badTransform = model.withMiddleware({ transformRequest: () => { throw new Error('no request'); } });
    const badWrap = model.withMiddleware({ wrapStream: () => { throw new Error('no stream'); } });
    const recovering = model.withMiddleware({ wrapStream: (next) => next().pipe(catchError(() => of(new AIMessageChunk('fallback')))) });
    await expect(badTransform.invoke('q')).rejects.toThrow('no request');
    await expect(collect(badTransform.streamEvents('q'))).rejects.toThrow('no request');
    await expect(badWrap.invoke('q')).rejects.toThrow('no stream');
    expect((await recovering.invoke('q')).content).toBe('fallback');
    await expect(model.withMiddleware(marking('', '', '')).invoke('q')).rejects.toThrow('down');
  });

  it('unsubscribing reaches the model through every layer', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('-a--b--|', textChunks({ a: 'Hel', b: 'lo' }));
      const model = new ObservableChatModel(() => answer).withMiddleware(marking('1', '', ''), marking('2', '', ''));
      expectObservable(model.stream('q').pipe(map(text)), '^---!').toBe('-a--', { a: 'Hel' });
      expectSubscriptions(answer.subscriptions).toBe('^---!');
    });
  });
});

function collect<T>(source: Observable<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const values: T[] = [];
    source.subscribe({ next: (v) => values.push(v), error: reject, complete: () => resolve(values) });
  });
}
