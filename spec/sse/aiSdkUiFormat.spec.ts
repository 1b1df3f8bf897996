import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { concat, of, throwError } from 'rxjs';
import { ProviderError } from '../../src/errors/errors.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { aiSdkUiFormat } from '../../src/sse/aiSdkUiFormat.js';
import { fetchAnswering, sseBody, weatherEvents } from './support/recordedRun.js';

/** What the AI SDK's own client makes of a body: the chunks its transport parses, and the message `readUIMessageStream` builds. */
async function readWithAiSdk(body: string): Promise<{ chunks: UIMessageChunk[]; message: UIMessage | undefined }> {
  const transport = new DefaultChatTransport({ api: 'http://127.0.0.1/chat', fetch: fetchAnswering(body, aiSdkUiFormat.headers) });
  const stream = await transport.sendMessages({ chatId: 'chat-1', messages: [], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
  const [forChunks, forMessage] = stream.tee();
  const chunks: UIMessageChunk[] = [];
  const reading = (async () => {
    for await (const chunk of forChunks as unknown as AsyncIterable<UIMessageChunk>) chunks.push(chunk);
  })();
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({ stream: forMessage })) message = snapshot;
  await reading;
  return { chunks, message };
}

describe("aiSdkUiFormat ('ai-sdk-ui')", () => {
  it('is read by the AI SDK chat transport and readUIMessageStream: reasoning, tool input and output, text, finish', async () => {
    const { chunks, message } = await readWithAiSdk(await sseBody(await weatherEvents(), 'ai-sdk-ui'));
    expect(chunks[0]).toEqual({ type: 'start', messageId: 'run-1' });
    expect(chunks[chunks.length - 1]).toEqual({ type: 'finish', finishReason: 'stop' });
    expect(chunks.filter((chunk) => chunk.type === 'tool-input-delta').map((chunk) => (chunk as { inputTextDelta: string }).inputTextDelta)).toEqual(['{"city":', '"Paris"}']);
    expect(chunks.filter((chunk) => chunk.type === 'start-step')).toHaveLength(2);
    expect(message?.id).toBe('run-1');
    expect(message?.parts.map((part) => part.type)).toEqual(['step-start', 'reasoning', 'tool-get_weather', 'step-start', 'text']);
    const [, reasoning, toolPart, , text] = message!.parts as Array<Record<string, unknown>>;
    expect(reasoning).toMatchObject({ text: 'The user wants the weather.', state: 'done' });
    expect(toolPart).toMatchObject({ toolCallId: 'call_1', state: 'output-available', input: { city: 'Paris' }, output: { city: 'Paris', temperature: 18 } });
    expect(text).toMatchObject({ text: 'It is 18 degrees in Paris.', state: 'done' });
  });

  it('streams bare chunks and strings as one text part, and other values as a data part the SDK replaces', async () => {
    const { message } = await readWithAiSdk(await sseBody([new AIMessageChunk('Hel'), 'lo', { progress: 1 }, { progress: 2 }], 'ai-sdk-ui'));
    expect(message?.parts).toEqual([
      { type: 'step-start' },
      { type: 'text', text: 'Hello', state: 'done' },
      { type: 'data-snapshot', id: 'snapshot', data: { progress: 2 } },
    ]);
  });

  it('sends a failure as an error chunk with the masked message, which the SDK reads as an error', async () => {
    const failing = concat(of(new AIMessageChunk('partial')), throwError(() => new ProviderError('Incorrect API key provided: sk-proj-abcdefghijklmnop', { status: 401 })));
    const body = await sseBody(failing, 'ai-sdk-ui');
    expect(body).not.toContain('abcdefghijklmnop');
    const { chunks } = await readWithAiSdk(body);
    expect(chunks.find((chunk) => chunk.type === 'error')).toMatchObject({ type: 'error', errorText: 'Incorrect API key provided: ***' });
  });

  it('decodes error chunks to the typed error and [DONE] to the end', () => {
    const decoder = aiSdkUiFormat.decoder();
    expect(decoder.decode({ data: '{"type":"text-delta","id":"t","delta":"x"}' })).toEqual([{ kind: 'value', value: { type: 'text-delta', id: 't', delta: 'x' } }]);
    expect(decoder.decode({ data: JSON.stringify({ type: 'error', errorText: 'No', rxllmError: { name: 'ProviderError', message: 'No' } }) }))
      .toEqual([{ kind: 'error', error: { name: 'ProviderError', message: 'No' } }]);
    expect(decoder.decode({ data: '[DONE]' })).toEqual([{ kind: 'end' }]);
  });
});
