import { RemoteRunnable } from 'langchain-core-v0/runnables/remote';
import { AIMessageChunk as LangChainAIMessageChunk } from 'langchain-core-v0/messages';
import { concat, of, throwError } from 'rxjs';
import { ProviderError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { HumanMessage } from '../../src/messages/messages.js';
import { langchainFormat } from '../../src/sse/langchainFormat.js';
import { readServerSentEvents } from '../../src/sse/readServerSentEvents.js';
import { lastValueFrom, toArray } from 'rxjs';
import { fetchAnswering, sseBody, weatherEvents } from './support/recordedRun.js';

/** The events LangChain's RemoteRunnable reads from a body, and the request it made. */
async function readWithRemoteRunnable(body: string): Promise<{ events: Array<Record<string, any>>; request: { url: string; init?: RequestInit } }> {
  const fake = fetchAnswering(body);
  const remote = new RemoteRunnable({ url: 'http://127.0.0.1/chain', fetch: fake });
  const events: Array<Record<string, any>> = [];
  for await (const event of remote.streamEvents({ input: 'Weather in Paris?' }, { version: 'v2' })) events.push(event);
  return { events, request: fake.requests[0] };
}

describe("langchainFormat ('langchain')", () => {
  it('is read by LangChain\'s RemoteRunnable: every event, with its chunks revived as LangChain messages', async () => {
    const recorded = await weatherEvents();
    const { events, request } = await readWithRemoteRunnable(await sseBody(recorded, 'langchain'));
    expect(request.url).toBe('http://127.0.0.1/chain/stream_events');
    expect(events.map((event) => [event.event, event.name, event.run_id])).toEqual(recorded.map((event) => [event.event, event.name, event.run_id]));
    const chunks = events.filter((event) => event.event === 'on_chat_model_stream').map((event) => event.data.chunk);
    expect(chunks.every((chunk) => chunk instanceof LangChainAIMessageChunk)).toBe(true);
    expect(chunks.map((chunk) => chunk.content).join('')).toBe('It is 18 degrees in Paris.');
  });

  it('frames each event as LangChain does (event: data … event: end)', async () => {
    const body = await sseBody([{ event: 'on_custom_event', name: 'n', run_id: 'r', parent_ids: [], tags: [], metadata: {}, data: 1 }], 'langchain');
    expect(body).toBe([
      'retry: 3000\n\n',
      'id: run-1:1\nevent: data\ndata: {"event":"on_custom_event","name":"n","run_id":"r","parent_ids":[],"tags":[],"metadata":{},"data":1}\n\n',
      'id: run-1:2\nevent: end\ndata: \n\n',
    ].join(''));
  });

  it('sends a failure as an error event, which RemoteRunnable throws with the masked message', async () => {
    const failing = concat(of(new AIMessageChunk('partial')), throwError(() => new ProviderError('Bad key sk-proj-abcdefghijklmnop', { status: 401 })));
    const body = await sseBody(failing, 'langchain');
    expect(body).not.toContain('abcdefghijklmnop');
    await expect(readWithRemoteRunnable(body)).rejects.toThrow('Bad key ***');
  });

  it('decodes back to rxllm: messages as rxllm classes, a chat model\'s input flat again, the typed error', async () => {
    const event: StreamEvent = {
      event: 'on_chat_model_start', name: 'm', run_id: 'r', parent_ids: [], tags: [], metadata: {},
      data: { input: { messages: [new HumanMessage('Hi')] } },
    };
    const stream: StreamEvent = { ...event, event: 'on_chat_model_stream', data: { chunk: new AIMessageChunk({ content: 'Hi', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, finishReason: 'stop' }) } };
    const body = await sseBody([event, stream], 'langchain');
    const decoder = langchainFormat.decoder();
    const received = await lastValueFrom(readServerSentEvents(new Response(body).body!).pipe(toArray()));
    const decoded = received.flatMap((item) => (item.kind === 'event' ? decoder.decode(item) : []));
    expect(decoded).toEqual([{ kind: 'value', value: event }, { kind: 'value', value: stream }, { kind: 'end' }]);
    expect(((decoded[1] as { value: StreamEvent }).value.data.chunk)).toBeInstanceOf(AIMessageChunk);
    expect(decoder.decode({ event: 'error', data: JSON.stringify({ status_code: 500, message: 'No', error: { name: 'ProviderError', message: 'No' } }) }))
      .toEqual([{ kind: 'error', error: { name: 'ProviderError', message: 'No' } }]);
  });
});
