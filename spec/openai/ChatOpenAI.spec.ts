import OpenAI from 'openai';
import { isObservable, type Observable } from 'rxjs';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { APIConnectionError, ProviderError, RateLimitError } from '../../src/errors/errors.js';
import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { AIMessage, HumanMessage, ToolMessage } from '../../src/messages/messages.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { SseReplayServer, type SseReplayServerOptions } from '../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, replay, sseBody, wireChunk } from '../support/replaySupport.js';

const usage = { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 5 } };

/** A stream written for this spec: comment, role chunk, reasoning, multi-byte text, two tool calls, finish, usage. */
const OWN_STREAM = ': keep-alive\n\n' + sseBody([
  wireChunk({ role: 'assistant', content: '' }, { system_fingerprint: 'fp_own' }),
  wireChunk({ reasoning_content: 'Let me' }),
  wireChunk({ reasoning_content: ' think.' }),
  wireChunk({ content: 'Checking é🌍' }),
  wireChunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  wireChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  wireChunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  wireChunk({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
  { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
  { id: 'chatcmpl-own', object: 'chat.completion.chunk', created: 1700000000, model: 'own-model', choices: [], usage },
]);

/** The same answer as one non-streaming completion. */
const OWN_COMPLETION = {
  id: 'chatcmpl-own', object: 'chat.completion', created: 1700000000, model: 'own-model', system_fingerprint: 'fp_own',
  choices: [{
    index: 0, finish_reason: 'tool_calls',
    message: {
      role: 'assistant', content: 'Checking é🌍', reasoning_content: 'Let me think.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    },
  }],
  usage,
};

function expectOwnAnswer(message: AIMessageChunk): void {
  expect(message).toEqual(expect.objectContaining({
    id: 'chatcmpl-own', content: 'Checking é🌍', reasoning: 'Let me think.', finishReason: 'tool_calls',
    usage: { inputTokens: 12, outputTokens: 20, totalTokens: 32, reasoningTokens: 5, cachedInputTokens: 8 },
  }));
  expect(message.toolCalls).toEqual([
    { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } },
    { id: 'call_2', name: 'get_time', args: {} },
  ]);
  expect(message.responseMetadata).toEqual(expect.objectContaining({ model: 'own-model', system_fingerprint: 'fp_own' }));
}

const errorBody = (message: string, code?: string, type?: string) => ({ json: { error: { message, ...(code && { code }), ...(type && { type }) } } });

describe('ChatOpenAI', () => {
  describe('streaming', () => {
    it('returns a cold Observable: nothing is sent before subscription', async () => {
      const server = new SseReplayServer({ body: OWN_STREAM });
      const baseURL = await server.start();
      try {
        const stream = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).stream('hi');
        expect(isObservable(stream)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(server.requests).toHaveLength(0);
      } finally {
        await server.close();
      }
    });

    it.each([
      ['whole', 'whole' as const],
      ['one byte per write', 1],
      ['seven bytes per write', 7],
    ])('decodes a stream written %s into the same answer', async (_label, chunking) => {
      const result = await replay({ body: OWN_STREAM, chunking });
      expect(result.error).toBeUndefined();
      expect(result.chunks).toHaveLength(10);
      expectOwnAnswer(result.message);
    });

    it('sends a streaming request with usage requested, the settings and the call options', async () => {
      const { requests } = await replay({ body: OWN_STREAM }, { temperature: 0.2, maxTokens: 99, timeout: 5000 });
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request).toEqual(expect.objectContaining({ method: 'POST', url: '/v1/chat/completions' }));
      expect(request.body).toEqual({
        model: 'test-model', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, max_tokens: 99,
        stream: true, stream_options: { include_usage: true },
      });
      expect(request.headers.authorization).toBe('[redacted]');
      // The client's own header for the timeout it applies, in seconds.
      expect(request.headers['x-stainless-timeout']).toBe('5');
    });

    it('leaves stream_options out when streamUsage is false', async () => {
      const { requests } = await replay({ body: OWN_STREAM }, { streamUsage: false });
      expect(requests[0].body).not.toHaveProperty('stream_options');
    });

    it('sends tools, tool choice and the rest of the call options set with withCallOptions', async () => {
      const server = new SseReplayServer({ body: OWN_STREAM });
      const baseURL = await server.start();
      try {
        const model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).withCallOptions({
          tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
          toolChoice: 'required', parallelToolCalls: true, stop: ['END'],
        });
        const history = [
          new HumanMessage('Weather?'),
          new AIMessage({ content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }] }),
          new ToolMessage({ content: '18°C', toolCallId: 'call_1' }),
        ];
        expectOwnAnswer(concatChunks(await collectAll(model.stream(history))));
        expect(server.requests[0].body).toEqual(expect.objectContaining({
          messages: [
            { role: 'user', content: 'Weather?' },
            { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
            { role: 'tool', content: '18°C', tool_call_id: 'call_1' },
          ],
          tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
          tool_choice: 'required', parallel_tool_calls: true, stop: ['END'],
        }));
      } finally {
        await server.close();
      }
    });

    it('normalizes tool calls of a server that sends no index (Mistral-style) end to end', async () => {
      const body = sseBody([
        wireChunk({ tool_calls: [{ id: 'A', function: { name: 'add', arguments: '{"a":1}' } }, { id: 'B', function: { name: 'mul', arguments: '{"b":2}' } }] }),
        { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      ]);
      const { message } = await replay({ body, chunking: 5 });
      expect(message.toolCallChunks.map((c) => c.index)).toEqual([0, 1]);
      expect(message.toolCalls).toEqual([{ id: 'A', name: 'add', args: { a: 1 } }, { id: 'B', name: 'mul', args: { b: 2 } }]);
    });
  });

  describe('invoke and batch', () => {
    it('invoke makes one non-streaming request and answers with the same message the stream concatenates to', async () => {
      const server = new SseReplayServer({ json: OWN_COMPLETION });
      const baseURL = await server.start();
      try {
        const message = await new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).invoke('Hi');
        expect(server.requests[0].body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: false });
        expectOwnAnswer(message);
        const streamed = await replay({ body: OWN_STREAM });
        expect(message.toJSON()).toEqual(streamed.message.toJSON());
      } finally {
        await server.close();
      }
    });

    it('invoke streams when streaming is true', async () => {
      const server = new SseReplayServer({ body: OWN_STREAM });
      const baseURL = await server.start();
      try {
        const message = await new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL, streaming: true }).invoke('Hi');
        expect(server.requests[0].body).toEqual(expect.objectContaining({ stream: true, stream_options: { include_usage: true } }));
        expectOwnAnswer(message);
      } finally {
        await server.close();
      }
    });

    it('batch answers each input with its own non-streaming request', async () => {
      const answer = (text: string) => ({ json: { id: text, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] } });
      const server = new SseReplayServer({ responses: [answer('one'), answer('two')] });
      const baseURL = await server.start();
      try {
        const results = await new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).batch(['a', 'b'], { maxConcurrency: 1 });
        expect(results.map((r) => (r as AIMessageChunk).content)).toEqual(['one', 'two']);
        expect(server.requests.map((r) => (r.body as { stream: boolean }).stream)).toEqual([false, false]);
      } finally {
        await server.close();
      }
    });
  });

  describe('errors', () => {
    it.each([-1, 1.5, Number.NaN])('refuses maxRetries %p when the model is created (the client would retry without end)', (maxRetries) => {
      expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, maxRetries })).toThrow(InvalidOptionError);
      expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, maxRetries })).toThrow(`ChatOpenAI: maxRetries must be an integer ≥ 0, got ${maxRetries}`);
      expect(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, maxRetries: 0 }).maxRetries).toBe(0);
    });

    it.each<[string, SseReplayServerOptions, number, string | undefined]>([
      ['401', { status: 401, ...errorBody('Incorrect API key provided', 'invalid_api_key', 'invalid_request_error') }, 401, 'invalid_api_key'],
      ['403', { status: 403, ...errorBody('Project does not have access', 'unsupported_country_region_territory') }, 403, 'unsupported_country_region_territory'],
      ['404', { status: 404, ...errorBody('The model `nope` does not exist', 'model_not_found') }, 404, 'model_not_found'],
      ['500', { status: 500, ...errorBody('The server had an error') }, 500, undefined],
      ['503 with a text body', { status: 503, body: 'upstream unavailable', headers: { 'content-type': 'text/plain' } }, 503, undefined],
    ])('turns HTTP %s into a ProviderError with status and code', async (_label, options, status, code) => {
      const { error, chunks } = await replay(options);
      expect(chunks).toEqual([]);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).not.toBeInstanceOf(RateLimitError);
      expect(error).toEqual(expect.objectContaining({ status, code }));
      expect((error as Error).message).toMatch(new RegExp(`^HTTP ${status} from the chat completions endpoint: `));
    });

    it.each([
      ['Retry-After in seconds', { 'retry-after': '3' }, 3000],
      ['retry-after-ms', { 'retry-after-ms': '1500' }, 1500],
    ])('turns HTTP 429 into a RateLimitError with retryAfterMs from %s', async (_label, headers, retryAfterMs) => {
      const { error } = await replay({ status: 429, headers, ...errorBody('Rate limit reached', 'rate_limit_exceeded') });
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toEqual(expect.objectContaining({ status: 429, retryAfterMs, code: 'rate_limit_exceeded' }));
    });

    it('reads a Retry-After HTTP date', async () => {
      const at = new Date(Date.now() + 120_000).toUTCString();
      const { error } = await replay({ status: 429, headers: { 'retry-after': at }, ...errorBody('Slow down') });
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(100_000);
      expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(120_000);
    });

    it('retries a 429 through the client and streams the answer that follows', async () => {
      const { error, message, requests } = await replay(
        { responses: [{ status: 429, headers: { 'retry-after-ms': '10' }, ...errorBody('Rate limit reached') }, { body: OWN_STREAM }] },
        { maxRetries: 1 },
      );
      expect(error).toBeUndefined();
      expectOwnAnswer(message);
      expect(requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    });

    it('fails with an APIConnectionError when nothing listens', async () => {
      const server = new SseReplayServer({ body: '' });
      const baseURL = await server.start();
      await server.close();
      const model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL, maxRetries: 0 });
      const error = await model.invoke('Hi').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/^Could not reach the server: .*ECONNREFUSED/);
    });

    it('fails with an APIConnectionError after the delivered chunks when the connection drops mid-body', async () => {
      const cut = OWN_STREAM.indexOf('get_weather');
      const { error, chunks } = await replay({ body: OWN_STREAM, dropAfterBytes: cut, chunking: 64 });
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/^The connection closed before the response was complete/);
      expect(concatChunks(chunks)).toEqual(expect.objectContaining({ content: 'Checking é🌍', reasoning: 'Let me think.' }));
    });

    it('fails with a ProviderError after the chunks before an error event', async () => {
      const body = sseBody([wireChunk({ content: 'Part' })], { done: false })
        + `event: error\ndata: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error', status_code: 503 } })}\n\n`;
      const { error, chunks } = await replay({ body, chunking: 3 });
      expect(chunks.map((c) => c.content)).toEqual(['Part']);
      expect(error).toEqual(expect.objectContaining({ name: 'ProviderError', status: 503, type: 'server_error' }));
    });
  });

  describe('API key', () => {
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    afterEach(() => {
      restoreEnv('OPENAI_API_KEY', saved.key);
      restoreEnv('OPENAI_BASE_URL', saved.url);
    });

    it('without a key or client, is created, and fails each call with ProviderError missing_api_key', async () => {
      delete process.env.OPENAI_API_KEY;
      const model = new ChatOpenAI({ model: 'm', baseURL: 'http://127.0.0.1:9/v1' });
      expect(model.client).toBeUndefined();
      const error = await model.invoke('Hi').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toEqual(expect.objectContaining({ code: 'missing_api_key', message: expect.stringContaining('OPENAI_API_KEY') }));
    });

    it('reads OPENAI_API_KEY and OPENAI_BASE_URL by default', async () => {
      const server = new SseReplayServer({ body: OWN_STREAM });
      process.env.OPENAI_BASE_URL = await server.start();
      process.env.OPENAI_API_KEY = TEST_KEY;
      try {
        const chunks = await collectAll(new ChatOpenAI({ model: 'm' }).stream('Hi'));
        expectOwnAnswer(concatChunks(chunks));
        expect(server.requests).toHaveLength(1);
      } finally {
        await server.close();
      }
    });

    it('uses a given client', async () => {
      const server = new SseReplayServer({ body: OWN_STREAM });
      const baseURL = await server.start();
      try {
        const client = new OpenAI({ apiKey: 'sk-client-0123456789abcdef', baseURL, defaultHeaders: { 'x-from-client': 'yes' } });
        expectOwnAnswer(concatChunks(await collectAll(new ChatOpenAI({ model: 'm', client }).stream('Hi'))));
        expect(server.requests[0].headers['x-from-client']).toBe('yes');
      } finally {
        await server.close();
      }
    });

    it('never lets a key the server echoes reach an error, an event or the console', async () => {
      const logged: unknown[][] = [];
      const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args)));
      const echo = { 'x-echo-key': TEST_KEY, 'www-authenticate': `Bearer ${TEST_KEY}` };
      try {
        const failures: unknown[] = [];
        const events: StreamEvent[] = [];
        const scripts: SseReplayServerOptions[] = [
          { status: 401, headers: echo, json: { error: { message: `Incorrect API key provided: ${TEST_KEY}`, code: 'invalid_api_key' } } },
          { status: 429, headers: { ...echo, 'retry-after': '1' }, json: { error: { message: `Quota of ${TEST_KEY} exceeded` } } },
          { headers: echo, body: `event: error\ndata: ${JSON.stringify({ error: { message: `bad key ${TEST_KEY}` } })}\n\n` },
          { headers: echo, body: `data: {"not json ${TEST_KEY}\n\n` },
        ];
        for (const script of scripts) {
          const server = new SseReplayServer(script);
          const baseURL = await server.start();
          try {
            const model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL, maxRetries: 0 });
            failures.push(await model.invoke('Hi').catch((e: unknown) => e));
            failures.push(await collectAll(model.streamEvents('Hi'), events).catch((e: unknown) => e));
          } finally {
            await server.close();
          }
        }
        expect(failures).toHaveLength(8);
        for (const failure of failures) {
          expect(failure).toBeInstanceOf(ProviderError);
          expect(everythingIn(failure)).not.toContain(TEST_KEY);
        }
        expect(events.filter((e) => e.event === 'on_chat_model_error')).toHaveLength(4);
        expect(JSON.stringify(events)).not.toContain(TEST_KEY);
        expect(JSON.stringify(logged)).not.toContain(TEST_KEY);
      } finally {
        spies.forEach((spy) => spy.mockRestore());
      }
    });
  });
});

/** Every value of `stream$`, or its error. */
function collectAll<T>(stream$: Observable<T>, into: T[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => {
    stream$.subscribe({ next: (value) => into.push(value), error: reject, complete: () => resolve(into) });
  });
}

/** An error as text in every way a program might print it: message, stack, fields, causes. */
function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as Error;
    parts.push(String(e), e.stack ?? '', JSON.stringify(e), JSON.stringify(Object.entries(e)));
    current = e.cause;
  }
  return parts.join('\n');
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
