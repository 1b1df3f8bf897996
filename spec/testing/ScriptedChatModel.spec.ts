import { concat, lastValueFrom, map, take, toArray, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  AIMessageChunk, HumanMessage, InvalidOptionError, SystemMessage, concatChunks, estimateTokens, type StreamEvent, type ToolDefinition,
} from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';

const collect = (model: ScriptedChatModel, input = 'Hi') => lastValueFrom(model.stream(input).pipe(toArray()));
const contents = (chunks: AIMessageChunk[]) => chunks.map((c) => c.content);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error('expected a failure'); }, (error: unknown) => error);
}

describe('ScriptedChatModel', () => {
  describe('responses', () => {
    it('splits a string by word by default, the last chunk finishing with stop', async () => {
      const chunks = await collect(new ScriptedChatModel({ responses: ['Hello brave world'] }));
      expect(contents(chunks)).toEqual(['Hello', ' brave', ' world']);
      expect(chunks.map((c) => c.finishReason)).toEqual([undefined, undefined, 'stop']);
      expect(chunks.every((c) => c instanceof AIMessageChunk)).toBe(true);
    });

    it("splits by 'char' and by a number of characters", async () => {
      expect(contents(await collect(new ScriptedChatModel({ responses: ['Hi!'], chunkBy: 'char' })))).toEqual(['H', 'i', '!']);
      expect(contents(await collect(new ScriptedChatModel({ responses: ['abcdefg'], chunkBy: 3 })))).toEqual(['abc', 'def', 'g']);
    });

    it('emits explicit chunks as given', async () => {
      const model = new ScriptedChatModel({ responses: [['{"ci', 'ty": "Paris"}']] });
      const chunks = await collect(model);
      expect(contents(chunks)).toEqual(['{"ci', 'ty": "Paris"}']);
      expect((await model.invoke('again')).content).toBe('{"city": "Paris"}');
    });

    it('emits tool-call chunks, finishing with tool_calls', async () => {
      const model = new ScriptedChatModel({
        responses: [[
          { toolCallChunks: [{ index: 0, id: 'call_1', name: 'get_weather', args: '{"city":' }] },
          { toolCallChunks: [{ index: 0, args: '"Paris"}' }] },
        ]],
      });
      const message = await model.invoke('Weather in Paris?');
      expect(message.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }]);
      expect(message.finishReason).toBe('tool_calls');
    });

    it('keeps a finish reason the script gives', async () => {
      const chunks = await collect(new ScriptedChatModel({ responses: [['cut', { content: ' off', finishReason: 'length' }, '']] }));
      expect(chunks.map((c) => c.finishReason)).toEqual([undefined, 'length', undefined]);
      expect(concatChunks(chunks).finishReason).toBe('length');
    });

    it('accepts chunk instances in a script', async () => {
      const given = new AIMessageChunk({ content: 'x', responseMetadata: { model: 'scripted' } });
      const chunks = await collect(new ScriptedChatModel({ responses: [[given, 'y']] }));
      expect(chunks[0]).toBe(given);
      expect(chunks[1]).toMatchObject({ content: 'y', finishReason: 'stop' });
    });

    it('fails the call with an Error response, with no chunk', async () => {
      const boom = new Error('boom');
      const model = new ScriptedChatModel({ responses: [boom] });
      const seen: AIMessageChunk[] = [];
      const error = await new Promise((resolve) => model.stream('Hi').subscribe({ next: (c) => seen.push(c), error: resolve }));
      expect(error).toBe(boom);
      expect(seen).toEqual([]);
      expect(await failure(model.invoke('Hi'))).toBe(boom);
    });

    it('delivers the chunks before an Error in a chunk list, then fails with it', async () => {
      const mid = new Error('mid-stream');
      const model = new ScriptedChatModel({ responses: [['a', 'b', mid, 'c']], usage: true });
      const seen: string[] = [];
      const error = await new Promise((resolve) => model.stream('Hi').subscribe({ next: (c) => seen.push(c.content), error: resolve, complete: () => resolve('completed') }));
      expect(seen).toEqual(['a', 'b']);
      expect(error).toBe(mid);
    });

    it('answers calls in order, the last response repeating', async () => {
      const model = new ScriptedChatModel({ responses: ['one', 'two'] });
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await model.invoke(`q${i}`)).content);
      expect(answers).toEqual(['one', 'two', 'two', 'two']);
    });

    it('answers an empty string with one empty chunk that finishes', async () => {
      const model = new ScriptedChatModel({ responses: [''] });
      const chunks = await collect(model);
      expect(chunks).toHaveLength(1);
      expect(chunks[0]).toMatchObject({ content: '', finishReason: 'stop' });
      const message = await model.invoke('Hi');
      expect(message).toBeInstanceOf(AIMessageChunk);
      expect(message.content).toBe('');
    });

    it('invoke is the concatenation of what stream emits', async () => {
      const script = { responses: [['Let me check.', { toolCallChunks: [{ index: 0, id: 'c', name: 'f', args: '{"a":1}' }] }]], usage: true };
      const streamed = concatChunks(await collect(new ScriptedChatModel(script)));
      const invoked = await new ScriptedChatModel(script).invoke('Hi');
      expect(invoked).toEqual(streamed);
      expect(invoked.toolCalls).toEqual(streamed.toolCalls);
    });
  });

  describe('usage', () => {
    it('adds a final usage chunk counted from the text, carrying the finish reason', async () => {
      const chunks = await collect(new ScriptedChatModel({ responses: ['Hello world'], usage: true }), 'Hi');
      expect(contents(chunks)).toEqual(['Hello', ' world', '']);
      expect(chunks.map((c) => c.finishReason)).toEqual([undefined, undefined, 'stop']);
      // 'Hi' is 2 characters: 1 token; 'Hello world' is 11: 3 tokens.
      expect(chunks[2].usage).toEqual({ inputTokens: 1, outputTokens: 3, totalTokens: 4 });
      expect(chunks.slice(0, 2).every((c) => c.usage === undefined)).toBe(true);
    });

    it('counts every input message and the tool calls of the output', async () => {
      const model = new ScriptedChatModel({ responses: [[{ toolCallChunks: [{ index: 0, id: 'c', name: 'lookup', args: '{"q":"rxjs"}' }] }]], usage: true });
      const message = await model.invoke([new SystemMessage('You are terse.'), new HumanMessage('Find rxjs')]);
      const inputTokens = estimateTokens('You are terse.\nFind rxjs');
      const outputTokens = estimateTokens('lookup{"q":"rxjs"}');
      expect(message.usage).toEqual({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });
      expect(message.finishReason).toBe('tool_calls');
    });

    it('adds no usage chunk to a call that fails', async () => {
      const model = new ScriptedChatModel({ responses: [['a', new Error('x')]], usage: true });
      const seen: AIMessageChunk[] = [];
      await new Promise((resolve) => model.stream('Hi').subscribe({ next: (c) => seen.push(c), error: resolve }));
      expect(seen.some((c) => c.usage)).toBe(false);
    });
  });

  describe('calls', () => {
    it('records the messages and options of each call', async () => {
      const model = new ScriptedChatModel({ responses: ['ok'] });
      await model.invoke('Hi');
      await model.invoke([['system', 'S'], ['human', 'Q']]);
      expect(model.calls).toHaveLength(2);
      expect(model.calls[0].messages.map((m) => [m.type, m.content])).toEqual([['human', 'Hi']]);
      expect(model.calls[1].messages.map((m) => [m.type, m.content])).toEqual([['system', 'S'], ['human', 'Q']]);
      expect(model.calls[0].options).toEqual({});
    });

    it('records the options of a configured copy, in the calls shared with the original', async () => {
      const tool: ToolDefinition = { name: 'f', parameters: { type: 'object', properties: {} } };
      const model = new ScriptedChatModel({ responses: ['first', 'second'] });
      const withTools = model.withCallOptions({ tools: [tool], toolChoice: 'auto' });
      expect((await withTools.invoke('Hi')).content).toBe('first');
      expect((await model.invoke('Hi')).content).toBe('second');
      expect(model.calls.map((c) => c.options)).toEqual([{ tools: [tool], toolChoice: 'auto' }, {}]);
    });

    it('records a call when it is subscribed, not when stream is called', () => {
      const model = new ScriptedChatModel({ responses: ['ok'] });
      const stream = model.stream('Hi');
      expect(model.calls).toHaveLength(0);
      stream.subscribe();
      stream.subscribe();
      expect(model.calls).toHaveLength(2);
    });
  });

  describe('construction', () => {
    it('needs at least one response', () => {
      expect(() => new ScriptedChatModel({ responses: [] })).toThrow('ScriptedChatModel: responses must be a list of at least one response, got an empty array');
    });

    it('rejects an invalid chunkBy at once', () => {
      expect(() => new ScriptedChatModel({ responses: ['abc'], chunkBy: 0 })).toThrow(InvalidOptionError);
      expect(() => new ScriptedChatModel({ responses: [['a']], chunkBy: 'line' as never })).toThrow("ScriptedChatModel: chunkBy must be 'char', 'word' or a positive integer, got 'line'");
    });
  });

  describe('in virtual time', () => {
    const chunk = (content: string, extra: Partial<AIMessageChunk> = {}) => Object.assign(new AIMessageChunk(content), extra);

    it('emits a chunk every intervalMs, the usage chunk and the completion in the last frame', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = new ScriptedChatModel({ responses: ['a b c'], intervalMs: 10, usage: true });
        expectObservable(model.stream('Hi')).toBe('10ms a 9ms b 9ms (cu|)', {
          a: chunk('a'), b: chunk(' b'), c: chunk(' c'),
          u: chunk('', { finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }),
        });
      });
    });

    it('finishes on the last text chunk without usage', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = new ScriptedChatModel({ responses: [['x', 'y']], intervalMs: 5 });
        expectObservable(model.stream('Hi')).toBe('5ms x 4ms (y|)', { x: chunk('x'), y: chunk('y', { finishReason: 'stop' }) });
      });
    });

    it('fails at the frame of a scripted error, after the chunks before it', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const boom = new Error('boom');
        const model = new ScriptedChatModel({ responses: [['x', boom, 'z']], intervalMs: 5 });
        expectObservable(model.stream('Hi')).toBe('5ms x 4ms #', { x: chunk('x') }, boom);
      });
    });

    it('stops producing chunks when unsubscribed early', () => {
      const testScheduler = createTestScheduler();
      let framesRun = 0;
      // The test scheduler, counting the frames of work it runs.
      const counting = {
        now: () => testScheduler.now(),
        schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay?: number, state?: T) {
          return testScheduler.schedule(function (this: SchedulerAction<T>, s?: T) {
            framesRun++;
            work.call(this, s as T);
          }, delay, state);
        },
      } as SchedulerLike;
      testScheduler.run(({ expectObservable }) => {
        const model = new ScriptedChatModel({ responses: ['a b c d'], intervalMs: 10, scheduler: counting });
        expectObservable(model.stream('Hi'), '^ 14ms !').toBe('10ms a', { a: chunk('a') });
      });
      expect(framesRun).toBe(1);
    });

    it('uses the scheduler it is given', () => {
      const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
      const model = new ScriptedChatModel({ responses: ['a b'], intervalMs: 100, scheduler });
      const seen: Array<[number, string]> = [];
      let completedAt = -1;
      model.stream('Hi').subscribe({ next: (c) => seen.push([scheduler.now(), c.content]), complete: () => (completedAt = scheduler.now()) });
      expect(seen).toEqual([]);
      scheduler.flush();
      expect(seen).toEqual([[100, 'a'], [200, ' b']]);
      expect(completedAt).toBe(200);
    });

    it('emits synchronously with intervalMs 0', () => {
      const seen: string[] = [];
      new ScriptedChatModel({ responses: ['a b c'] }).stream('Hi').pipe(take(2)).subscribe((c) => seen.push(c.content));
      expect(seen).toEqual(['a', ' b']);
    });
  });

  describe('fromMarbles', () => {
    it('emits at the frames of the diagram', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = ScriptedChatModel.fromMarbles('-a-b-(c|)', { a: 'Hel', b: 'lo', c: { content: '!' } });
        expectObservable(model.stream('Hi').pipe(map((c) => c.content))).toBe('-a-b-(c|)', { a: 'Hel', b: 'lo', c: '!' });
      });
    });

    it('emits chunks, with fields and tool calls as given', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const t = { toolCallChunks: [{ index: 0, id: 'c1', name: 'f', args: '{}' }], finishReason: 'tool_calls' };
        const model = ScriptedChatModel.fromMarbles('--(t|)', { t });
        expectObservable(model.stream('Hi')).toBe('--(t|)', { t: new AIMessageChunk(t) });
      });
    });

    it('fails at # with the given error', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const boom = new Error('boom');
        const model = ScriptedChatModel.fromMarbles('-a--#', { a: 'x' }, boom);
        expectObservable(model.stream('Hi').pipe(map((c) => c.content))).toBe('-a--#', { a: 'x' }, boom);
      });
    });

    it('fails where an Error value is drawn', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const boom = new Error('boom');
        const model = ScriptedChatModel.fromMarbles('-a-e-b|', { a: 'x', e: boom, b: 'never' });
        expectObservable(model.stream('Hi').pipe(map((c) => c.content))).toBe('-a-#', { a: 'x' }, boom);
      });
    });

    it('replays the diagram on each call, and records each call', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = ScriptedChatModel.fromMarbles('-a-b-(c|)', { a: 'A', b: 'B', c: 'C' });
        const twice = concat(model.stream('first'), model.stream('second')).pipe(map((c) => c.content));
        expectObservable(twice).toBe('-a-b-ca-b-(c|)', { a: 'A', b: 'B', c: 'C' });
      });
    });

    it('works when built outside TestScheduler.run, and records each call', () => {
      const testScheduler = createTestScheduler();
      const model = ScriptedChatModel.fromMarbles('-a|');
      testScheduler.run(({ expectObservable }) => {
        expectObservable(concat(model.stream('1'), model.stream('2')).pipe(map((c) => c.content))).toBe('-a-a|', { a: 'a' });
      });
      expect(model.calls.map((c) => c.messages[0].content)).toEqual(['1', '2']);
    });

    it('stops at an early unsubscribe', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const model = ScriptedChatModel.fromMarbles('-a-b-c|');
        expectObservable(model.stream('Hi').pipe(map((c) => c.content)), '^--!').toBe('-a-', { a: 'a' });
      });
    });
  });

  describe('as a model', () => {
    it('reports chat model events with the messages, each chunk and the whole output', async () => {
      const model = new ScriptedChatModel({ responses: ['Hello world'] });
      const events: StreamEvent[] = await lastValueFrom(model.streamEvents('Hi').pipe(toArray()));
      expect(events.map((e) => e.event)).toEqual(['on_chat_model_start', 'on_chat_model_stream', 'on_chat_model_stream', 'on_chat_model_end']);
      expect(events.every((e) => e.name === 'ScriptedChatModel')).toBe(true);
      expect(events[0].data.input.messages.map((m: HumanMessage) => m.content)).toEqual(['Hi']);
      expect(events[1].data.chunk.content).toBe('Hello');
      expect(events[3].data.output).toBeInstanceOf(AIMessageChunk);
      expect(events[3].data.output.content).toBe('Hello world');
    });

    it('reports a scripted failure as on_chat_model_error after the chunks, then errors', async () => {
      const model = new ScriptedChatModel({ responses: [['a', new Error('sk-abcdefghijklmnopqrst leaked')]] });
      const events: StreamEvent[] = [];
      const error = await new Promise((resolve) => model.streamEvents('Hi').subscribe({ next: (e) => events.push(e), error: resolve }));
      expect(error).toBeInstanceOf(Error);
      expect(events.map((e) => e.event)).toEqual(['on_chat_model_start', 'on_chat_model_stream', 'on_chat_model_error']);
      expect(events[2].data.error).toEqual({ name: 'Error', message: '*** leaked' });
    });
  });
});
