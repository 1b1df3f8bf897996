import { concat, lastValueFrom, map, of, throwError, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  AbortError, AIMessage, AIMessageChunk, APIConnectionError, ChatPromptTemplate, HumanMessage, ProviderError, RxllmError, StringOutputParser, concatChunks, lambda,
  type StreamEvent,
} from '../../src/index.js';
import { isStreamReset, StreamReset } from '../../src/resilience/StreamReset.js';
import { RunnableRetry } from '../../src/runnables/RunnableRetry.js';
import { DEFAULT_CONTINUE_PROMPT } from '../../src/runnables/continuationInternals.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { ObservableChatModel, textChunks } from '../support/ObservableChatModel.js';

const lost = new APIConnectionError('The connection closed before the response was complete');
const now = { initialMs: 0 };
const exact = { initialMs: 2, factor: 2, jitter: 0 };
const chunks = textChunks({ a: 'Hel', b: 'lo', c: '!' });

/** A model whose n-th call streams the n-th answer (the last repeats). */
function modelAnswering(...answers: Observable<AIMessageChunk>[]): ObservableChatModel {
  let call = 0;
  return new ObservableChatModel(() => answers[Math.min(call++, answers.length - 1)]);
}

/** `[frame, event, name, tags]` of every event, recorded in virtual time. */
function record(scheduler: TestScheduler, events$: Observable<StreamEvent>): StreamEvent[] & { frames: number[] } {
  const seen = Object.assign([] as StreamEvent[], { frames: [] as number[] });
  events$.subscribe({ next: (e) => {
    seen.push(e);
    seen.frames.push(scheduler.now());
  }, error: () => undefined });
  return seen;
}

describe('withRetry', () => {
  it('wraps the runnable in a RunnableRetry run', () => {
    const retrying = new ScriptedChatModel({ responses: ['Hi'] }).withRetry();
    expect(retrying).toBeInstanceOf(RunnableRetry);
    expect(retrying.getName()).toBe('RunnableRetry');
    expect(retrying.runType).toBe('chain');
  });

  describe('invoke', () => {
    it('retries a failed call', async () => {
      const model = new ScriptedChatModel({ responses: [lost, 'Hello world'] });
      const message = await model.withRetry({ backoff: now }).invoke('Hi');
      expect(message.content).toBe('Hello world');
      expect(model.calls).toHaveLength(2);
    });

    it('retries a failure after the first chunk, and resolves with the successful attempt alone', async () => {
      const model = new ScriptedChatModel({ responses: [['Hel', lost], 'Hello world'] });
      const message = await model.withRetry({ backoff: now }).invoke('Hi');
      expect(message.content).toBe('Hello world');
    });

    it('rejects with the last error after maxAttempts', async () => {
      const last = new APIConnectionError('still down');
      const model = new ScriptedChatModel({ responses: [lost, lost, last, 'never'] });
      await expect(model.withRetry({ maxAttempts: 3, backoff: now }).invoke('Hi')).rejects.toBe(last);
      expect(model.calls).toHaveLength(3);
    });

    it('does not retry a 400', async () => {
      const badRequest = new ProviderError('HTTP 400: bad request', { status: 400 });
      const model = new ScriptedChatModel({ responses: [badRequest, 'never'] });
      await expect(model.withRetry({ backoff: now }).invoke('Hi')).rejects.toBe(badRequest);
      expect(model.calls).toHaveLength(1);
    });

    it('tells onRetry about each retry', async () => {
      const onRetry = jest.fn();
      const model = new ScriptedChatModel({ responses: [lost, 'ok'] });
      await model.withRetry({ backoff: { initialMs: 0 }, onRetry }).invoke('Hi');
      expect(onRetry).toHaveBeenCalledWith({ attempt: 1, error: lost, delayMs: 0 });
    });
  });

  describe('stream', () => {
    it('retries before the first chunk at the frames of the backoff, unseen', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold<AIMessageChunk>('--#', undefined, lost);
        const second = cold<AIMessageChunk>('-#', undefined, lost);
        const third = cold('-a-b|', chunks);
        const model = modelAnswering(first, second, third);
        const text$ = model.withRetry({ backoff: exact }).stream('Hi').pipe(map((c) => c.content));
        expectObservable(text$).toBe('----------a-b|', { a: 'Hel', b: 'lo' });
        expectSubscriptions(first.subscriptions).toBe('^-!');
        expectSubscriptions(second.subscriptions).toBe('----^!');
        expectSubscriptions(third.subscriptions).toBe('---------^---!');
      });
    });

    it("passes on a failure after the first chunk by default ('error')", () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('-a-#', chunks, lost);
        const second = cold('-a-b|', chunks);
        const model = modelAnswering(first, second);
        expectObservable(model.withRetry({ backoff: exact }).stream('Hi').pipe(map((c) => c.content))).toBe('-a-#', { a: 'Hel' }, lost);
        expectSubscriptions(second.subscriptions).toBe([]);
      });
    });

    it("with 'restart', emits a StreamReset then the new attempt", () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const model = modelAnswering(cold('-a-#', chunks, lost), cold('-a-b|', chunks));
        const items$ = model.withRetry({ backoff: exact, afterFirstChunk: 'restart' }).stream('Hi')
          .pipe(map((item) => (isStreamReset(item) ? item : item.content)));
        const reset = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: lost.message } });
        expectObservable(items$).toBe('-a---Ra-b|', { a: 'Hel', b: 'lo', R: reset });
      });
    });

    it('cancels the wait when unsubscribed during backoff', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const second = cold('-a|', chunks);
        const model = modelAnswering(cold<AIMessageChunk>('-#', undefined, lost), second);
        expectObservable(model.withRetry({ backoff: { ...exact, initialMs: 5 } }).stream('Hi'), '---!').toBe('---');
        expectSubscriptions(second.subscriptions).toBe([]);
      });
    });

    it('stops waiting when config.signal aborts, releasing the timer', async () => {
      jest.useFakeTimers();
      try {
        const model = new ScriptedChatModel({ responses: [lost, 'never'] });
        const controller = new AbortController();
        const done = lastValueFrom(model.withRetry({ backoff: { initialMs: 1000 } }).stream('Hi', { signal: controller.signal }));
        expect(jest.getTimerCount()).toBe(1);
        controller.abort();
        await expect(done).rejects.toBeInstanceOf(AbortError);
        expect(jest.getTimerCount()).toBe(0);
        expect(model.calls).toHaveLength(1);
      } finally {
        jest.useRealTimers();
      }
    });

    it('works inside a chain', async () => {
      const model = new ScriptedChatModel({ responses: [lost, 'Hello world'] });
      const chain = ChatPromptTemplate.fromMessages([['human', '{input}']]).pipe(model.withRetry({ backoff: now })).pipe(new StringOutputParser());
      expect(await lastValueFrom(chain.stream({ input: 'Hi' }).pipe(toArray()))).toEqual(['Hello', ' world']);
    });
  });

  describe('streamEvents', () => {
    it('reports each attempt as a child run, the reset as a stream_reset custom event, and the last attempt as the output', () => {
      const scheduler = createTestScheduler();
      let events!: ReturnType<typeof record>;
      scheduler.run(({ cold }) => {
        const model = modelAnswering(cold('-a-#', chunks, lost), cold('-b-c|', chunks));
        events = record(scheduler, model.withRetry({ backoff: exact, afterFirstChunk: 'restart' }).streamEvents('Hi'));
      });
      const summary = events.map((e, i) => [events.frames[i], e.event, e.name, e.tags]);
      expect(summary).toEqual([
        [0, 'on_chain_start', 'RunnableRetry', []],
        [0, 'on_chat_model_start', 'ObservableChatModel', []],
        [1, 'on_chat_model_stream', 'ObservableChatModel', []],
        [1, 'on_chain_stream', 'RunnableRetry', []],
        [3, 'on_chat_model_error', 'ObservableChatModel', []],
        [5, 'on_custom_event', 'stream_reset', []],
        [5, 'on_chat_model_start', 'ObservableChatModel', ['retry:attempt:2']],
        [6, 'on_chat_model_stream', 'ObservableChatModel', ['retry:attempt:2']],
        [6, 'on_chain_stream', 'RunnableRetry', []],
        [8, 'on_chat_model_stream', 'ObservableChatModel', ['retry:attempt:2']],
        [8, 'on_chain_stream', 'RunnableRetry', []],
        [9, 'on_chat_model_end', 'ObservableChatModel', ['retry:attempt:2']],
        [9, 'on_chain_end', 'RunnableRetry', []],
      ]);
      const retryRun = events[0].run_id;
      expect(events[5]).toMatchObject({ run_id: retryRun, data: { attempt: 2, error: { name: 'APIConnectionError', message: lost.message } } });
      expect(events[1].parent_ids).toEqual([retryRun]);
      expect(events[6].parent_ids).toEqual([retryRun]);
      expect(events[6].run_id).not.toBe(events[1].run_id);
      expect(events[12].data.output.content).toBe('lo!');
    });

    it('reports the error when it gives up', () => {
      const scheduler = createTestScheduler();
      let events!: ReturnType<typeof record>;
      scheduler.run(({ cold }) => {
        const model = modelAnswering(cold('-a-#', chunks, lost));
        events = record(scheduler, model.withRetry({ backoff: exact }).streamEvents('Hi'));
      });
      expect(events.map((e) => e.event).slice(-2)).toEqual(['on_chat_model_error', 'on_chain_error']);
      expect(events[events.length - 1].data.error).toEqual({ name: 'APIConnectionError', message: lost.message });
    });
  });

  describe("'continue' on a chat model", () => {
    it('asks for the rest with the partial answer, and streams only the new text', async () => {
      const model = new ScriptedChatModel({ responses: [['Hello ', 'wor', lost], ['ld, how ', 'are you?']] });
      const streamed = await lastValueFrom(model.withRetry({ backoff: now, afterFirstChunk: 'continue' }).stream('Hi').pipe(toArray()));
      expect(streamed.map((c) => c.content).join('')).toBe('Hello world, how are you?');
      expect(model.calls[1].messages).toEqual([new HumanMessage('Hi'), new AIMessage('Hello wor'), new HumanMessage(DEFAULT_CONTINUE_PROMPT)]);
      expect(concatChunks(streamed).content).toBe('Hello world, how are you?');
    });

    it('drops a repeat of the end of the partial answer', async () => {
      const model = new ScriptedChatModel({ responses: [['Hello ', 'wor', lost], ['wor', 'ld, how ', 'are you?']] });
      const streamed = await lastValueFrom(model.withRetry({ backoff: now, afterFirstChunk: 'continue' }).stream('Hi').pipe(toArray()));
      expect(streamed.map((c) => c.content).join('')).toBe('Hello world, how are you?');
    });

    it('never drops text the continuation really says: only whole restated words go', async () => {
      const model = new ScriptedChatModel({ responses: [['The price ', 'is 10', lost], ['0 dollars.']] });
      const streamed = await lastValueFrom(model.withRetry({ backoff: now, afterFirstChunk: 'continue' }).stream('Price?').pipe(toArray()));
      expect(concatChunks(streamed).content).toBe('The price is 100 dollars.');
    });

    it('continues again from everything emitted when the continuation fails', async () => {
      const model = new ScriptedChatModel({ responses: [['One ', lost], ['two ', lost], ['three.']] });
      const streamed = await lastValueFrom(model.withRetry({ backoff: now, afterFirstChunk: 'continue' }).stream('Count').pipe(toArray()));
      expect(streamed.map((c) => c.content).join('')).toBe('One two three.');
      expect(model.calls[2].messages[1]).toEqual(new AIMessage('One two '));
    });

    it('sends the partial answer last when continuePrompt is null', async () => {
      const model = new ScriptedChatModel({ responses: [['Hel', lost], ['lo']] });
      await lastValueFrom(model.withRetry({ backoff: now, afterFirstChunk: 'continue', continuePrompt: null }).stream('Hi').pipe(toArray()));
      expect(model.calls[1].messages).toEqual([new HumanMessage('Hi'), new AIMessage('Hel')]);
    });

    it('replays the call when it failed before the first chunk', async () => {
      const model = new ScriptedChatModel({ responses: [lost, 'Hello'] });
      await lastValueFrom(model.withRetry({ backoff: now, afterFirstChunk: 'continue' }).stream('Hi').pipe(toArray()));
      expect(model.calls[1].messages).toEqual([new HumanMessage('Hi')]);
    });

    it('passes the error on when the partial answer has tool calls', async () => {
      const model = new ScriptedChatModel({ responses: [[{ toolCallChunks: [{ index: 0, id: 'call_1', name: 'search', args: '{"q":' }] }, lost], 'never'] });
      await expect(lastValueFrom(model.withRetry({ backoff: now, afterFirstChunk: 'continue' }).stream('Hi'))).rejects.toBe(lost);
      expect(model.calls).toHaveLength(1);
    });

    it('continues any runnable through continueInput', async () => {
      const calls: number[] = [];
      const counter = lambda((from: number) => {
        calls.push(from);
        return from === 0 ? concat(of(1, 2), throwError(() => lost)) : of(from + 1);
      }, { name: 'counter' });
      const retried = counter.withRetry({ backoff: now, afterFirstChunk: 'continue', continueInput: (_input: number, soFar: readonly number[]) => soFar.length });
      expect(await lastValueFrom(retried.stream(0).pipe(toArray()))).toEqual([1, 2, 3]);
      expect(calls).toEqual([0, 2]);
    });
  });

  it('rejects bad options where they are given', () => {
    const model = new ScriptedChatModel({ responses: ['x'] });
    expect(() => model.withRetry({ maxAttempts: 0 })).toThrow(RxllmError);
    expect(() => model.withRetry({ afterFirstChunk: 'later' as never })).toThrow("withRetry: afterFirstChunk must be 'error', 'restart' or 'continue'");
    expect(() => lambda((x: string) => x, { name: 'echo' }).withRetry({ afterFirstChunk: 'continue' }))
      .toThrow("withRetry: continueInput must be a function giving the input that continues the answer (afterFirstChunk 'continue' needs it for echo, which is not a chat model), got undefined");
  });
});
