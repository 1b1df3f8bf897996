import { lastValueFrom, toArray } from 'rxjs';
import { ProviderError, RateLimitError, StreamGoneError, StreamTimeoutError, ToolInputError } from '../../src/errors/errors.js';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { ChatPromptValue } from '../../src/messages/ChatPromptValue.js';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '../../src/messages/messages.js';
import { readServerSentEvents } from '../../src/sse/readServerSentEvents.js';
import { rxllmFormat } from '../../src/sse/rxllmFormat.js';
import { parseRxllmJson, stringifyRxllmJson } from '../../src/sse/rxllmJson.js';
import { sseBody, weatherEvents } from './support/recordedRun.js';

/** What a client decodes from a body in the 'rxllm' format. */
async function decodeBody(body: string) {
  const decoder = rxllmFormat.decoder();
  const received = await lastValueFrom(readServerSentEvents(new Response(body).body!).pipe(toArray()));
  return received.flatMap((item) => (item.kind === 'event' ? decoder.decode(item) : []));
}

const roundTrip = <T>(value: T): T => parseRxllmJson(stringifyRxllmJson(value)) as T;

describe("rxllmFormat ('rxllm')", () => {
  it('round-trips the events of a run exactly, chunks and messages as their classes', async () => {
    const events = await weatherEvents();
    const decoded = await decodeBody(await sseBody(events, 'rxllm'));
    expect(decoded).toEqual([...events.map((value) => ({ kind: 'value', value })), { kind: 'end' }]);
    const values = decoded.flatMap((item) => (item.kind === 'value' ? [item.value as (typeof events)[number]] : []));
    const chunk = values.find((event) => event.event === 'on_chat_model_stream')!.data.chunk;
    expect(chunk).toBeInstanceOf(AIMessageChunk);
    const tool = values.find((event) => event.event === 'on_chain_stream' && event.name === 'ToolExecutor')!.data.chunk;
    expect(tool).toBeInstanceOf(ToolMessage);
    expect(values.find((event) => event.event === 'on_chat_model_start')!.data.input.messages[0]).toBeInstanceOf(HumanMessage);
  });

  it('restores every message class, prompt values and errors nested anywhere', () => {
    const value = {
      messages: [new SystemMessage('Be brief'), new HumanMessage({ content: 'Hi', name: 'ann', id: 'm1' }), new AIMessage({ content: 'Hello', toolCalls: [{ id: 'c', name: 't', args: { a: 1 } }] })],
      prompt: new ChatPromptValue([new HumanMessage('x')]),
      chunk: new AIMessageChunk({ content: 'a', reasoning: 'b', toolCallChunks: [{ index: 0, id: 'c', name: 't', args: '{}' }], usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, finishReason: 'stop' }),
      error: new RateLimitError('Slow down', { retryAfterMs: 2000 }),
    };
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect(back.messages.map((message) => message.constructor)).toEqual([SystemMessage, HumanMessage, AIMessage]);
    expect(back.prompt).toBeInstanceOf(ChatPromptValue);
    expect(back.chunk.toolCalls).toEqual([{ id: 'c', name: 't', args: {} }]);
    expect(back.error).toBeInstanceOf(RateLimitError);
    expect(back.error).toMatchObject({ name: 'RateLimitError', message: 'Slow down', status: 429, retryAfterMs: 2000 });
  });

  it('keeps plain objects that happen to use the tag key as they are', () => {
    const tricky = { $rxllm: 'AIMessageChunk', content: 'not a chunk', nested: { $rxllm: 1 } };
    const back = roundTrip(tricky);
    expect(back).toEqual(tricky);
    expect(back).not.toBeInstanceOf(AIMessageChunk);
  });

  it('leaves plain JSON as it is, without copying objects that hold no class instance', () => {
    const value = { a: [1, 'two', null, { b: true }] };
    expect(stringifyRxllmJson(value)).toBe(JSON.stringify(value));
    expect(roundTrip('text')).toBe('text');
  });

  it('sends errors as an error event that decodes to the typed error data', async () => {
    const errors = [
      new StreamTimeoutError('idle', 500),
      new ProviderError('Nope', { status: 500, code: 'server_error' }),
      new ToolInputError('search', [{ path: ['query'], message: 'Required' }]),
      new StreamGoneError('run-9', 'run-9:4'),
    ];
    for (const error of errors) {
      const [frame] = rxllmFormat.encoder({ runId: 'r' }).error({ name: error.name, message: error.message, fields: Object.fromEntries(Object.entries(error).filter(([key]) => key !== 'name')) as never });
      const [decoded] = rxllmFormat.decoder().decode(frame);
      expect(decoded).toMatchObject({ kind: 'error', error: { name: error.name, message: error.message } });
    }
    expect(rxllmFormat.decoder().decode({ event: 'error', data: 'not json' })).toEqual([{ kind: 'error', error: { name: 'RxllmError', message: 'not json' } }]);
    expect(new RxllmError('x')).toBeInstanceOf(Error);
  });
});
