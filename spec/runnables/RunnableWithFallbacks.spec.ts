import { lastValueFrom, map, of, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  AbortError, AIMessageChunk, APIConnectionError, ProviderError, RxllmError, lambda, type Runnable, type StreamEvent,
} from '../../src/index.js';
import { isStreamReset, StreamReset } from '../../src/resilience/StreamReset.js';
import { RunnableWithFallbacks } from '../../src/runnables/RunnableWithFallbacks.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

const lost = new APIConnectionError('The connection closed before the response was complete');
const chunks = textChunks({ a: 'Hel', b: 'lo', x: 'Hi', y: ' there' });

function record(scheduler: TestScheduler, events$: Observable<StreamEvent>): Array<[number, StreamEvent]> {
  const seen: Array<[number, StreamEvent]> = [];
  events$.subscribe({ next: (e) => seen.push([scheduler.now(), e]), error: () => undefined });
  return seen;
}

describe('withFallbacks', () => {
  it('wraps the runnable in a RunnableWithFallbacks run', () => {
    const model = new ScriptedChatModel({ responses: ['x'] });
    const withFallbacks = model.withFallbacks([new ScriptedChatModel({ responses: ['y'] })]);
    expect(withFallbacks).toBeInstanceOf(RunnableWithFallbacks);
    expect(withFallbacks.getName()).toBe('RunnableWithFallbacks');
  });

  describe('invoke', () => {
    it('answers with the first fallback that succeeds', async () => {
      const primary = new ScriptedChatModel({ responses: [lost] });
      const second = new ScriptedChatModel({ responses: [new ProviderError('HTTP 503', { status: 503 })] });
      const third = new ScriptedChatModel({ responses: ['From the third'] });
      const message = await primary.withFallbacks([second, third]).invoke('Hi');
      expect(message.content).toBe('From the third');
      expect([primary.calls.length, second.calls.length, third.calls.length]).toEqual([1, 1, 1]);
    });

    it('falls back after the first chunk too, resolving with the fallback alone', async () => {
      const primary = new ScriptedChatModel({ responses: [['Hel', lost]] });
      const fallback = new ScriptedChatModel({ responses: ['Hi there'] });
      expect((await primary.withFallbacks([fallback]).invoke('Hi')).content).toBe('Hi there');
    });

    it('rejects with the last error when every runnable fails', async () => {
      const last = new Error('no cache');
      const failing = new ScriptedChatModel({ responses: [lost] });
      await expect(failing.withFallbacks([lambda(() => Promise.reject(last))]).invoke('Hi')).rejects.toBe(last);
    });

    it('never asks a fallback when the primary succeeds', async () => {
      const fallback = new ScriptedChatModel({ responses: ['never'] });
      await new ScriptedChatModel({ responses: ['ok'] }).withFallbacks([fallback]).invoke('Hi');
      expect(fallback.calls).toHaveLength(0);
    });
  });

  describe('stream', () => {
    it('switches before the first chunk, at the frame of the failure', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const failing = cold<AIMessageChunk>('--#', undefined, lost);
        const answer = cold('-x-y|', chunks);
        const model = new ObservableChatModel(() => failing).withFallbacks([new ObservableChatModel(() => answer)]);
        expectObservable(model.stream('Hi').pipe(map((c) => c.content))).toBe('---x-y|', { x: 'Hi', y: ' there' });
        expectSubscriptions(answer.subscriptions).toBe('--^---!');
      });
    });

    it("passes on a failure after the first chunk by default ('error')", () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const answer = cold('-x|', chunks);
        const model = new ObservableChatModel(() => cold('-a-#', chunks, lost)).withFallbacks([new ObservableChatModel(() => answer)]);
        expectObservable(model.stream('Hi').pipe(map((c) => c.content))).toBe('-a-#', { a: 'Hel' }, lost);
        expectSubscriptions(answer.subscriptions).toBe([]);
      });
    });

    it("with afterFirstChunk 'switch', emits a StreamReset then the fallback from its start", () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const model = new ObservableChatModel(() => cold('-a-#', chunks, lost))
          .withFallbacks([new ObservableChatModel(() => cold('-x-y|', chunks))], { afterFirstChunk: 'switch' });
        const reset = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: lost.message } });
        expectObservable(model.stream('Hi').pipe(map((item) => (isStreamReset(item) ? item : item.content))))
          .toBe('-a-Rx-y|', { a: 'Hel', x: 'Hi', y: ' there', R: reset });
      });
    });

    it('does not fall back on an AbortError, nor on what fallbackIf refuses', async () => {
      const fallback = new ScriptedChatModel({ responses: ['never'] });
      await expect(new ScriptedChatModel({ responses: [new AbortError()] }).withFallbacks([fallback]).invoke('Hi')).rejects.toBeInstanceOf(AbortError);
      const refusing = new ScriptedChatModel({ responses: [lost] }).withFallbacks([fallback], { fallbackIf: (e: unknown) => e instanceof ProviderError });
      await expect(lastValueFrom(refusing.stream('Hi'))).rejects.toBe(lost);
      expect(fallback.calls).toHaveLength(0);
    });
  });

  describe('streamEvents', () => {
    it("reports the switch as a 'fallback' custom event with the masked error, then the fallback's own run", () => {
      const scheduler = createTestScheduler();
      let events!: Array<[number, StreamEvent]>;
      const leaky = new ProviderError('HTTP 401: Incorrect API key provided: sk-proj-abcdefghijklmnop', { status: 401 });
      scheduler.run(({ cold }) => {
        const primary = new ObservableChatModel(() => cold<AIMessageChunk>('-#', undefined, leaky));
        const fallback = lambda((input: string) => of(`echo: ${input}`), { name: 'echo' });
        events = record(scheduler, (primary as Runnable<string, unknown>).withFallbacks([fallback]).streamEvents('Hi'));
      });
      expect(events.map(([frame, e]) => [frame, e.event, e.name, e.tags])).toEqual([
        [0, 'on_chain_start', 'RunnableWithFallbacks', []],
        [0, 'on_chat_model_start', 'ObservableChatModel', []],
        [1, 'on_chat_model_error', 'ObservableChatModel', []],
        [1, 'on_custom_event', 'fallback', []],
        [1, 'on_chain_start', 'echo', ['fallback:1']],
        [1, 'on_chain_stream', 'echo', ['fallback:1']],
        [1, 'on_chain_stream', 'RunnableWithFallbacks', []],
        [1, 'on_chain_end', 'echo', ['fallback:1']],
        [1, 'on_chain_end', 'RunnableWithFallbacks', []],
      ]);
      const wrapperRun = events[0][1].run_id;
      expect(events[3][1]).toMatchObject({
        run_id: wrapperRun,
        data: { error: { name: 'ProviderError', message: 'HTTP 401: Incorrect API key provided: ***' }, fallback: 'echo', index: 1 },
      });
      expect(JSON.stringify(events)).not.toContain('abcdefghijklmnop');
      expect(events[4][1].parent_ids).toEqual([wrapperRun]);
      expect(events[8][1].data.output).toBe('echo: Hi');
    });

    it("reports a 'switch' after the first chunk as stream_reset, keeping only the fallback's output", async () => {
      const primary = new ScriptedChatModel({ responses: [['Hel', lost]] });
      const fallback = new ScriptedChatModel({ responses: ['Hi there'] });
      const events = await lastValueFrom(primary.withFallbacks([fallback], { afterFirstChunk: 'switch' }).streamEvents('Hi').pipe(toArray()));
      const wrapper = events.filter((e) => e.name === 'RunnableWithFallbacks' || e.event === 'on_custom_event');
      expect(wrapper.map((e) => (e.event === 'on_custom_event' ? e.name : e.event))).toEqual([
        'on_chain_start', 'on_chain_stream', 'stream_reset', 'fallback', 'on_chain_stream', 'on_chain_stream', 'on_chain_end',
      ]);
      expect(wrapper[wrapper.length - 1].data.output.content).toBe('Hi there');
    });
  });

  describe('exceptionKey', () => {
    it('gives the fallback the input with the error under the key', async () => {
      const seen: unknown[] = [];
      const primary = lambda((_input: { question: string; error?: unknown }): string => {
        throw lost;
      });
      const fallback = lambda((input: { question: string; error?: unknown }) => {
        seen.push(input);
        return `sorry: ${(input.error as Error).message}`;
      });
      const answer = await primary.withFallbacks([fallback], { exceptionKey: 'error' }).invoke({ question: 'Why?' });
      expect(answer).toBe(`sorry: ${lost.message}`);
      expect(seen).toEqual([{ question: 'Why?', error: lost }]);
    });

    it('fails with a typed error when the input is not an object', async () => {
      const primary = lambda((x: string) => x);
      await expect(primary.withFallbacks([primary], { exceptionKey: 'error' }).invoke('text'))
        .rejects.toThrow(new RxllmError('withFallbacks: with exceptionKey "error" the input must be an object, not string'));
    });
  });

  it('rejects bad arguments where they are given', () => {
    const model = new ScriptedChatModel({ responses: ['x'] });
    expect(() => model.withFallbacks('model' as never)).toThrow('withFallbacks: pass an array of runnables');
    expect(() => model.withFallbacks([{} as never])).toThrow(RxllmError);
    expect(() => model.withFallbacks([model], { afterFirstChunk: 'later' as never })).toThrow("withFallbacks: afterFirstChunk must be 'error' or 'switch'");
  });
});
