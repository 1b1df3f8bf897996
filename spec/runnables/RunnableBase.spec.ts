import { Observable, map, take } from 'rxjs';
import {
  AIMessageChunk, AbortError, ChatPromptTemplate, InvalidOptionError, StringOutputParser, dispatchCustomEvent, lambda, parallel, passthrough,
  type CallbackHandler, type StreamEvent,
} from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { ObservableChatModel } from '../support/ObservableChatModel.js';

const prompt = () => ChatPromptTemplate.fromMessages([['system', 'You are terse.'], ['human', '{input}']]);

function collect<T>(source: Observable<T>): Promise<{ values: T[]; error?: unknown }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    source.subscribe({ next: (v) => values.push(v), error: (error) => resolve({ values, error }), complete: () => resolve({ values }) });
  });
}

/** A model that emits one chunk per `setTimeout` tick until unsubscribed, counting its active subscriptions. */
function tickingModel() {
  const state = { active: 0, emitted: 0 };
  const model = new ObservableChatModel(() => new Observable<AIMessageChunk>((subscriber) => {
    state.active++;
    const timer = setInterval(() => {
      state.emitted++;
      subscriber.next(new AIMessageChunk(`t${state.emitted}`));
    }, 1);
    return () => {
      clearInterval(timer);
      state.active--;
    };
  }));
  return { model, state };
}

describe('Runnable', () => {
  describe('invoke', () => {
    it('is the concatenation of every chunk stream emits', async () => {
      const model = new ScriptedChatModel({ responses: ['Hello big world'], usage: true });
      const streamed = await collect(model.stream('q'));
      const invoked = await model.invoke('q');
      expect(invoked).toBeInstanceOf(AIMessageChunk);
      expect(invoked.content).toBe(streamed.values.map((c) => c.content).join(''));
      expect(invoked.usage).toEqual(streamed.values[streamed.values.length - 1].usage);
      expect(invoked.finishReason).toBe('stop');
    });

    it('rejects with the error of the run', async () => {
      const model = new ScriptedChatModel({ responses: [new Error('provider down')] });
      await expect(model.invoke('q')).rejects.toThrow('provider down');
    });

    it('joins string chunks and merges keyed chunks', async () => {
      expect(await new ScriptedChatModel({ responses: ['a b c'] }).pipe(new StringOutputParser()).invoke('q')).toBe('a b c');
      const both = parallel({
        x: new ScriptedChatModel({ responses: ['one two'] }).pipe(new StringOutputParser()),
        y: lambda(() => 42),
      });
      expect(await both.invoke('q')).toEqual({ x: 'one two', y: 42 });
    });
  });

  describe('stream as an async iterable', () => {
    it('yields every chunk in order', async () => {
      const texts: string[] = [];
      for await (const chunk of new ScriptedChatModel({ responses: ['a b c'] }).stream('q')) texts.push(chunk.content);
      expect(texts).toEqual(['a', ' b', ' c']);
    });

    it('cancels the run when the loop breaks', async () => {
      const { model, state } = tickingModel();
      const seen: string[] = [];
      for await (const chunk of model.stream('q')) {
        seen.push(chunk.content);
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(['t1', 't2']);
      expect(state.active).toBe(0);
    });

    it('throws the run error after the chunks before it', async () => {
      const model = new ScriptedChatModel({ responses: [['a', 'b', new Error('cut')]] });
      const seen: string[] = [];
      await expect((async () => {
        for await (const chunk of model.stream('q')) seen.push(chunk.content);
      })()).rejects.toThrow('cut');
      expect(seen).toEqual(['a', 'b']);
    });
  });

  describe('config.signal', () => {
    it('cancels a running stream and errors with AbortError', async () => {
      const { model, state } = tickingModel();
      const controller = new AbortController();
      const result = collect(model.stream('q', { signal: controller.signal }));
      await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
      const { values, error } = await result;
      expect(error).toBeInstanceOf(AbortError);
      expect(values.length).toBeGreaterThan(0);
      expect(state.active).toBe(0);
    });

    it('never starts when the signal is already aborted', async () => {
      const model = new ScriptedChatModel({ responses: ['never'] });
      const controller = new AbortController();
      controller.abort();
      await expect(model.invoke('q', { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
      expect(model.calls).toHaveLength(0);
    });

    it('removes its abort listener when the run ends', async () => {
      const controller = new AbortController();
      const added = jest.spyOn(controller.signal, 'addEventListener');
      const removed = jest.spyOn(controller.signal, 'removeEventListener');
      for (let i = 0; i < 20; i++) await new ScriptedChatModel({ responses: ['x'] }).invoke('q', { signal: controller.signal });
      expect(added).toHaveBeenCalledTimes(20);
      expect(removed).toHaveBeenCalledTimes(20);
    });
  });

  describe('batch', () => {
    it('returns outputs in input order', async () => {
      const upper = lambda(async (s: string) => {
        await new Promise((resolve) => setTimeout(resolve, s.length));
        return s.toUpperCase();
      });
      expect(await upper.batch(['ccc', 'a', 'bb'])).toEqual(['CCC', 'A', 'BB']);
    });

    it('runs at most maxConcurrency inputs at once', async () => {
      let running = 0;
      let peak = 0;
      const slow = lambda(async (n: number) => {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
        return n * 2;
      });
      expect(await slow.batch([1, 2, 3, 4, 5, 6], { maxConcurrency: 2 })).toEqual([2, 4, 6, 8, 10, 12]);
      expect(peak).toBe(2);
    });

    it.each([[0], [-1], [1.5], [Number.NaN]])('rejects maxConcurrency %p, starting no run', async (maxConcurrency) => {
      let runs = 0;
      const counted = lambda((n: number) => { runs++; return n; });
      await expect(counted.batch([1, 2], { maxConcurrency })).rejects.toThrow(InvalidOptionError);
      await expect(counted.batch([1, 2], { maxConcurrency })).rejects.toThrow(`batch: maxConcurrency must be a positive integer or Infinity, got ${maxConcurrency}`);
      expect(runs).toBe(0);
    });

    it('rejects on the first error, or returns it in place with returnExceptions', async () => {
      const picky = lambda((n: number) => {
        if (n === 2) throw new Error('two');
        return n;
      });
      await expect(picky.batch([1, 2, 3])).rejects.toThrow('two');
      const results = await picky.batch([1, 2, 3], {}, { returnExceptions: true });
      expect(results[0]).toBe(1);
      expect(results[1]).toBeInstanceOf(Error);
      expect(results[2]).toBe(3);
    });

    it('resolves an empty batch', async () => {
      expect(await passthrough().batch([])).toEqual([]);
    });
  });

  describe('streamEvents', () => {
    async function events(run$: Observable<StreamEvent>) {
      const { values, error } = await collect(run$);
      return { events: values, error };
    }

    it('gives parent_ids from the root down to the parent', async () => {
      const chain = prompt().pipe(new ScriptedChatModel({ responses: ['ok'] })).pipe(new StringOutputParser());
      const { events: all } = await events(chain.streamEvents({ input: 'Hi' }));
      const root = all.find((e) => e.event === 'on_chain_start')!;
      expect(root.parent_ids).toEqual([]);
      for (const e of all.filter((x) => x.name !== 'RunnableSequence')) expect(e.parent_ids).toEqual([root.run_id]);
      const runIds = new Set(all.map((e) => e.run_id));
      expect(runIds.size).toBe(4);
    });

    it('nests parent_ids through a nested chain inside a lambda', async () => {
      const inner = new ScriptedChatModel({ responses: ['deep'] }).pipe(new StringOutputParser());
      const outer = lambda((input: string, config) => inner.invoke(input, config), { name: 'outer' });
      const { events: all } = await events(outer.streamEvents('q'));
      const outerStart = all.find((e) => e.name === 'outer' && e.event === 'on_chain_start')!;
      const innerStart = all.find((e) => e.name === 'RunnableSequence' && e.event === 'on_chain_start')!;
      const modelStart = all.find((e) => e.event === 'on_chat_model_start')!;
      expect(innerStart.parent_ids).toEqual([outerStart.run_id]);
      expect(modelStart.parent_ids).toEqual([outerStart.run_id, innerStart.run_id]);
    });

    it('gives every child the root tags and metadata, and runName to the root', async () => {
      const chain = prompt().pipe(new ScriptedChatModel({ responses: ['ok'] }));
      const { events: all } = await events(chain.streamEvents({ input: 'Hi' }, { tags: ['root-tag'], metadata: { user: 'u1' }, runName: 'my-chain' }));
      expect(all[0].name).toBe('my-chain');
      for (const e of all) {
        expect(e.tags).toContain('root-tag');
        expect(e.metadata).toEqual({ user: 'u1' });
      }
      expect(all.find((e) => e.event === 'on_chat_model_start')!.tags).toEqual(['root-tag', 'seq:step:2']);
    });

    it('uses config.runId for the root run', async () => {
      const { events: all } = await events(passthrough().streamEvents('x', { runId: 'run-1' }));
      expect(all.map((e) => e.run_id)).toEqual(['run-1', 'run-1', 'run-1']);
    });

    it('applies withConfig tags, metadata and runName to that runnable and its children only', async () => {
      const model = new ScriptedChatModel({ responses: ['ok'] });
      const tagged = model.pipe(new StringOutputParser()).withConfig({ tags: ['inner'], metadata: { part: 'answer' }, runName: 'answerer' });
      const chain = lambda((x: string) => x, { name: 'first' }).pipe(tagged);
      const { events: all } = await events(chain.streamEvents('q'));
      const byName = (name: string) => all.find((e) => e.name === name && e.event.endsWith('_start'))!;
      expect(byName('first').tags).toEqual(['seq:step:1']);
      expect(byName('answerer').tags).toEqual(['inner', 'seq:step:2']);
      expect(byName('answerer').metadata).toEqual({ part: 'answer' });
      expect(byName('ScriptedChatModel').tags).toEqual(['inner', 'seq:step:1']);
      expect(byName('ScriptedChatModel').metadata).toEqual({ part: 'answer' });
      expect(byName('first').metadata).toEqual({});
    });

    it('tags the branches of parallel with map:key:K', async () => {
      const both = parallel({ a: lambda(() => 1, { name: 'A' }), b: lambda(() => 2, { name: 'B' }) });
      const { events: all } = await events(both.streamEvents('q'));
      expect(all.find((e) => e.name === 'A')!.tags).toEqual(['map:key:a']);
      expect(all.find((e) => e.name === 'B')!.tags).toEqual(['map:key:b']);
    });

    it('reports the error as on_*_error events from the failing run up, then errors', async () => {
      const chain = prompt().pipe(new ScriptedChatModel({ responses: [['partial', new Error('boom sk-proj-abcdefghijklmnop')]] })).pipe(new StringOutputParser());
      const { events: all, error } = await events(chain.streamEvents({ input: 'Hi' }));
      expect((error as Error).message).toContain('boom');
      const errors = all.filter((e) => e.event.endsWith('_error'));
      expect(errors.map((e) => [e.event, e.name])).toEqual([
        ['on_chat_model_error', 'ScriptedChatModel'],
        ['on_parser_error', 'StringOutputParser'],
        ['on_chain_error', 'RunnableSequence'],
      ]);
      expect(errors[0].data.error).toEqual({ name: 'Error', message: 'boom ***' });
      expect(errors[0].data.input.messages.map((m: { content: string }) => m.content)).toEqual(['You are terse.', 'Hi']);
      expect(all.filter((e) => e.event === 'on_parser_stream').map((e) => e.data.chunk)).toEqual(['partial']);
    });

    it('ends each run with its aggregated output and input', async () => {
      const chain = prompt().pipe(new ScriptedChatModel({ responses: ['a b'] })).pipe(new StringOutputParser());
      const { events: all } = await events(chain.streamEvents({ input: 'Hi' }));
      const end = (name: string) => all.find((e) => e.name === name && e.event.endsWith('_end'))!.data;
      expect(end('RunnableSequence')).toEqual({ output: 'a b', input: { input: 'Hi' } });
      expect(end('StringOutputParser').output).toBe('a b');
      expect((end('StringOutputParser').input as AIMessageChunk).content).toBe('a b');
      expect((end('ScriptedChatModel').output as AIMessageChunk).content).toBe('a b');
    });

    it('delivers custom events from inside a run, with the run as their parent', async () => {
      const step = lambda((x: string, config) => {
        dispatchCustomEvent('progress', { stage: 1 });
        return Promise.resolve().then(() => {
          dispatchCustomEvent('progress', { stage: 2 }, config);
          return x;
        });
      }, { name: 'worker' });
      const { events: all } = await events(passthrough().pipe(step).streamEvents('q', { tags: ['t'] }));
      const worker = all.find((e) => e.name === 'worker')!;
      const custom = all.filter((e) => e.event === 'on_custom_event');
      expect(custom.map((e) => [e.name, e.data, e.run_id])).toEqual([['progress', { stage: 1 }, worker.run_id], ['progress', { stage: 2 }, worker.run_id]]);
      expect(custom[0].tags).toEqual(['t', 'seq:step:2']);
    });

    it('refuses dispatchCustomEvent outside a run', () => {
      expect(() => dispatchCustomEvent('x', {})).toThrow(/outside a run/);
    });

    describe('filters (LangChain semantics)', () => {
      const chain = () => prompt().pipe(new ScriptedChatModel({ responses: ['ok'] })).withConfig({ tags: ['answer'] }).pipe(new StringOutputParser());
      const kinds = async (filter: Parameters<ReturnType<typeof chain>['streamEvents']>[2]) =>
        [...new Set((await events(chain().streamEvents({ input: 'Hi' }, undefined, filter))).events.map((e) => e.name))].sort();

      it('keeps everything without filters', async () => {
        expect(await kinds({})).toEqual(['ChatPromptTemplate', 'RunnableSequence', 'ScriptedChatModel', 'StringOutputParser']);
      });

      it('ORs the include filters', async () => {
        expect(await kinds({ includeTypes: ['parser'], includeNames: ['ChatPromptTemplate'] })).toEqual(['ChatPromptTemplate', 'StringOutputParser']);
        expect(await kinds({ includeTags: ['answer'] })).toEqual(['ChatPromptTemplate', 'RunnableSequence', 'ScriptedChatModel']);
      });

      it('applies every exclude filter after the includes', async () => {
        expect(await kinds({ includeTags: ['answer'], excludeTypes: ['prompt'] })).toEqual(['RunnableSequence', 'ScriptedChatModel']);
        // The bound inner sequence is step 1 of the outer one; inside it the model is step 2, like the parser outside.
        expect(await kinds({ excludeNames: ['RunnableSequence'], excludeTags: ['seq:step:2'] })).toEqual(['ChatPromptTemplate']);
      });
    });

    it('stops a synchronous model when the consumer takes a few events', () => {
      let produced = 0;
      const model = new ObservableChatModel(() => new Observable<AIMessageChunk>((subscriber) => {
        for (let i = 0; i < 1000 && !subscriber.closed; i++) {
          produced++;
          subscriber.next(new AIMessageChunk('x'));
        }
        subscriber.complete();
      }));
      const seen: string[] = [];
      model.streamEvents('q').pipe(map((e) => e.event), take(4)).subscribe((e) => seen.push(e));
      expect(seen).toEqual(['on_chat_model_start', 'on_chat_model_stream', 'on_chat_model_stream', 'on_chat_model_stream']);
      expect(produced).toBe(3);
    });
  });

  describe('callbacks', () => {
    it('feeds config callbacks every run and constructor callbacks only their own', async () => {
      const everything: string[] = [];
      const modelOnly: string[] = [];
      const record = (into: string[]): CallbackHandler => ({ handleEvent: (e) => void into.push(`${e.event}:${e.name}`) });
      const model = new ScriptedChatModel({ responses: ['a b'], callbacks: [record(modelOnly)] });
      await prompt().pipe(model).pipe(new StringOutputParser()).invoke({ input: 'Hi' }, { callbacks: [record(everything)] });
      expect(modelOnly).toEqual(['on_chat_model_start:ScriptedChatModel', 'on_chat_model_stream:ScriptedChatModel',
        'on_chat_model_stream:ScriptedChatModel', 'on_chat_model_end:ScriptedChatModel']);
      expect(everything).toContain('on_chain_start:RunnableSequence');
      expect(everything).toContain('on_parser_end:StringOutputParser');
      expect(everything.filter((e) => e.startsWith('on_chat_model'))).toEqual(modelOnly);
    });

    it('keeps streaming when a handler throws or rejects', async () => {
      const tokens: string[] = [];
      const handlers: CallbackHandler[] = [
        { handleLLMNewToken: () => { throw new Error('bad handler'); } },
        { handleLLMNewToken: () => Promise.reject(new Error('bad async handler')) },
        { handleLLMNewToken: (token) => void tokens.push(token) },
      ];
      const output = await new ScriptedChatModel({ responses: ['a b c'] }).invoke('q', { callbacks: handlers });
      expect(output.content).toBe('a b c');
      expect(tokens).toEqual(['a', ' b', ' c']);
    });
  });
});

describe('Runnable.batch at scale', () => {
  it('runs thousands of synchronous inputs one at a time without growing the stack', async () => {
    const inputs = Array.from({ length: 20_000 }, (_, i) => i);
    const results = await lambda((n: number) => n * 2).batch(inputs, { maxConcurrency: 1 });
    expect(results).toHaveLength(20_000);
    expect(results[19_999]).toBe(39_998);
  });

  it('starts nothing more after the first failure', async () => {
    const started: number[] = [];
    const failing = lambda((n: number) => {
      started.push(n);
      if (n === 1) throw new Error('one');
      return n;
    });
    await expect(failing.batch([0, 1, 2, 3], { maxConcurrency: 1 })).rejects.toThrow('one');
    expect(started).toEqual([0, 1]);
  });
});
