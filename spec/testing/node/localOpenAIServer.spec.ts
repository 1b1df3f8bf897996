import { localOpenAIServer, type LocalOpenAIServer } from '../../../src/testing/node/localOpenAIServer.js';
import { concatChunks, type AIMessageChunk } from '../../../src/messages/AIMessageChunk.js';
import { AIMessage, HumanMessage, ToolMessage } from '../../../src/messages/messages.js';
import { ChatOpenAI } from '../../../src/openai/index.js';
import { textAnswer } from '../../../src/testing/node/transcripts/Transcript.js';

const weatherTool = { name: 'get_weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

describe('localOpenAIServer (the offline demo server)', () => {
  let server: LocalOpenAIServer;
  let model: ChatOpenAI;
  beforeEach(async () => {
    server = await localOpenAIServer({ tokenDelayMs: [0, 0] });
    model = new ChatOpenAI({ model: 'demo', apiKey: 'offline-demo', baseURL: server.baseURL, maxRetries: 0 });
  });
  afterEach(() => server.close());

  async function streamed(input: Parameters<ChatOpenAI['stream']>[0], chat = model): Promise<{ chunks: AIMessageChunk[]; message: AIMessageChunk }> {
    const chunks: AIMessageChunk[] = [];
    await new Promise<void>((resolve, reject) => chat.stream(input).subscribe({ next: (c) => chunks.push(c), error: reject, complete: resolve }));
    return { chunks, message: concatChunks(chunks) };
  }

  it('streams the transcript the question asks for, token by token, with a usage chunk', async () => {
    const { chunks, message } = await streamed('What is AI?');
    expect(message.content.startsWith('Artificial intelligence (AI) is the craft of building software')).toBe(true);
    expect(message.content.endsWith('which is exactly why streaming their answers matters.')).toBe(true);
    expect(chunks.length).toBeGreaterThan(100);
    expect(message.finishReason).toBe('stop');
    expect(message.usage).toEqual(expect.objectContaining({ inputTokens: 3, outputTokens: chunks.length - 3 }));
    expect(message.responseMetadata.model).toBe('demo');
  });

  it('matches keywords as whole words, not inside other words', async () => {
    expect((await streamed('Tell me about RxJS')).message.content).toMatch(/^A streamed answer is a sequence of values over time/);
    expect((await streamed('What is the aim of this?')).message.content).toMatch(/^This answer comes from the offline demo server/);
  });

  it('answers from transcripts it is given before its own', async () => {
    const own = await localOpenAIServer({ tokenDelayMs: [0, 0], transcripts: [{ name: 'ai', keywords: ['ai'], chunks: textAnswer(['Mine', ' first']) }] });
    try {
      const mine = new ChatOpenAI({ model: 'demo', apiKey: 'offline-demo', baseURL: own.baseURL, maxRetries: 0 });
      expect((await streamed('What is AI?', mine)).message.content).toBe('Mine first');
      expect((await streamed('Tell me about RxJS', mine)).message.content).toMatch(/^A streamed answer/);
    } finally {
      await own.close();
    }
  });

  it('answers a non-streaming request with the same text', async () => {
    const whole = await model.invoke('What is AI?');
    expect(whole.content).toBe((await streamed('What is AI?')).message.content);
  });

  it('calls get_weather with streamed arguments when the tool is offered, and reports its answer after', async () => {
    const withTool = model.withCallOptions({ tools: [weatherTool] });
    const { chunks, message } = await streamed('What is the weather in Paris?', withTool);
    expect(message.finishReason).toBe('tool_calls');
    expect(message.toolCalls).toEqual([{ id: 'call_demo_weather_1', name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }]);
    expect(chunks.filter((c) => c.toolCallChunks.length > 0).length).toBeGreaterThan(5);
    const report = await streamed([
      new HumanMessage('What is the weather in Paris?'),
      new AIMessage({ content: '', toolCalls: message.toolCalls }),
      new ToolMessage({ content: '18°C and sunny', toolCallId: 'call_demo_weather_1' }),
    ], withTool);
    expect(report.message.content).toBe('Here is the weather you asked for: 18°C and sunny. If you are heading out, check again closer to the time — forecasts move.');
  });

  it('answers the weather question with the fallback when no tool is offered', async () => {
    expect((await streamed('What is the weather in Paris?')).message.content).toMatch(/^This answer comes from the offline demo server/);
  });

  it('answers a non-streaming tool call whole', async () => {
    const message = await model.withCallOptions({ tools: [weatherTool] }).invoke('weather?');
    expect(message.toolCalls).toEqual([{ id: 'call_demo_weather_1', name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }]);
  });

  it('answers 404 elsewhere', async () => {
    const response = await fetch(`${server.baseURL}/models`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error' }) });
  });
});

describe('localOpenAIServer timing', () => {
  it('pauses 15–30 ms before each chunk by default, and close() ends an answer in progress', async () => {
    const server = await localOpenAIServer();
    try {
      const model = new ChatOpenAI({ model: 'demo', apiKey: 'offline-demo', baseURL: server.baseURL, maxRetries: 0 });
      const times: number[] = [];
      const error = await new Promise<unknown>((resolve) => {
        model.stream('What is AI?').subscribe({
          next: () => {
            times.push(Date.now());
            if (times.length === 6) void server.close();
          },
          error: resolve,
          complete: () => resolve(undefined),
        });
      });
      expect(error).toEqual(expect.objectContaining({ name: 'APIConnectionError' }));
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(12);
    } finally {
      await server.close();
    }
  });
});
