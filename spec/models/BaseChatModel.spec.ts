import { map, of, type Observable } from 'rxjs';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';
import { AIMessageChunk, BaseChatModel, RateLimiter, type BaseMessage, type ChatModelCallOptions, type StreamEvent } from '../../src/index.js';

class EchoModel extends BaseChatModel {
  readonly seen: Array<{ messages: BaseMessage[]; options: ChatModelCallOptions; streaming: boolean }> = [];
  protected override _streamChunks(messages: BaseMessage[], options: ChatModelCallOptions, run: { streaming: boolean }): Observable<AIMessageChunk> {
    this.seen.push({ messages, options, streaming: run.streaming });
    return of(new AIMessageChunk(messages.map((m) => m.content).join('|')));
  }
}

describe('BaseChatModel', () => {
  it('normalizes the input and reports it as { messages }', async () => {
    const model = new EchoModel();
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve) => model.streamEvents([['system', 's'], ['human', 'h']]).subscribe({ next: (e) => events.push(e), complete: resolve }));
    expect(events.map((e) => e.event)).toEqual(['on_chat_model_start', 'on_chat_model_stream', 'on_chat_model_end']);
    expect(events[0].data.input.messages.map((m: BaseMessage) => m.content)).toEqual(['s', 'h']);
    expect(events[2].data.output.content).toBe('s|h');
  });

  it('tells the model whether the root call streams', async () => {
    const model = new EchoModel();
    await model.invoke('a');
    await new Promise<void>((resolve) => model.stream('b').subscribe({ complete: resolve }));
    expect(model.seen.map((s) => s.streaming)).toEqual([false, true]);
  });

  it('withCallOptions returns a copy that sends the options, leaving the original alone', async () => {
    const model = new EchoModel();
    const strict = model.withCallOptions({ stop: ['\n'], toolChoice: 'required' });
    await strict.invoke('x');
    await model.invoke('y');
    expect(strict).toBeInstanceOf(EchoModel);
    expect(model.seen.map((s) => s.options)).toEqual([{ stop: ['\n'], toolChoice: 'required' }, {}]);
  });

  it('is named after its class', () => {
    expect(new EchoModel().getName()).toBe('EchoModel');
  });
});

describe('BaseChatModel without chunks', () => {
  it('invoke resolves an empty message when the model sends nothing', async () => {
    class SilentModel extends BaseChatModel {
      protected override _streamChunks(): Observable<AIMessageChunk> {
        return of();
      }
    }
    const message = await new SilentModel().invoke('q');
    expect(message).toBeInstanceOf(AIMessageChunk);
    expect(message.content).toBe('');
  });
});

describe('BaseChatModel rateLimiter', () => {
  it('sends nothing until the limiter admits the call, and shares the limit across copies', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const limiter = new RateLimiter({ maxConcurrent: 1 });
      const model = new ScriptedChatModel({ responses: ['a b'], intervalMs: 2, rateLimiter: limiter });
      const copy = model.withCallOptions({ stop: ['x'] });
      expectObservable(model.stream('one').pipe(map((c) => c.content))).toBe('--a-(b|)', { a: 'a', b: ' b' });
      expectObservable(copy.stream('two').pipe(map((c) => c.content))).toBe('------a-(b|)', { a: 'a', b: ' b' });
    });
  });
});

describe('BaseChatModel rateLimiter and tokensPerMinute', () => {
  // Each answer is 200 tokens (800 characters) and reports its usage at the end.
  const answer = 'x'.repeat(800);

  function burst(fields: { expectedOutputTokens?: number }): { startedAtOnce: number; tokensInFirstMinute: number } {
    let startedAtOnce = 0;
    let tokensInFirstMinute = 0;
    const scheduler = createTestScheduler();
    scheduler.run(() => {
      const limiter = new RateLimiter({ tokensPerMinute: 1000, scheduler });
      const model = new ScriptedChatModel({ responses: [answer], chunkBy: 100, intervalMs: 10, usage: true, rateLimiter: limiter, scheduler, ...fields });
      for (let i = 0; i < 8; i++) {
        model.stream('Hi').subscribe((chunk) => {
          if (chunk.usage && scheduler.now() < 60_000) tokensInFirstMinute += chunk.usage.totalTokens;
        });
      }
      scheduler.schedule(() => (startedAtOnce = model.calls.length), 1);
    });
    return { startedAtOnce, tokensInFirstMinute };
  }

  it('reserves the expected output before admitting a request, so a burst never passes the limit', () => {
    const { startedAtOnce, tokensInFirstMinute } = burst({ expectedOutputTokens: 300 });
    expect(startedAtOnce).toBe(3); // 3 × (1 + 300) fit in 1000; a fourth would not
    expect(tokensInFirstMinute).toBeGreaterThan(0);
    expect(tokensInFirstMinute).toBeLessThanOrEqual(1000);
  });

  it('corrects the reservation from the reported usage, admitting more as soon as room is known', () => {
    // 3 admitted at once reserve 903; their usage (201 each) frees room for a fourth before a minute passes.
    const { tokensInFirstMinute } = burst({ expectedOutputTokens: 300 });
    expect(tokensInFirstMinute).toBeGreaterThan(3 * 201);
  });

  it('without a reservation the same burst would spend far more than the limit', () => {
    expect(burst({ expectedOutputTokens: 0 }).tokensInFirstMinute).toBeGreaterThan(1000);
  });

  it('rejects a negative or fractional expectedOutputTokens', () => {
    expect(() => new ScriptedChatModel({ responses: ['a'], expectedOutputTokens: -1 })).toThrow(/expectedOutputTokens/);
    expect(() => new ScriptedChatModel({ responses: ['a'], expectedOutputTokens: 1.5 })).toThrow(/expectedOutputTokens/);
  });
});
