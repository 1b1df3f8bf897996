import { APIConnectionError, ProviderError, RateLimitError, StreamTimeoutError } from '../../src/errors/errors.js';
import { concatChunks } from '../../src/messages/AIMessageChunk.js';
import { streamTimeout } from '../../src/operators/streamTimeout.js';
import { isRetryableError } from '../../src/resilience/isRetryableError.js';
import { ANSWER_BODY, PARTS, bytesOfFrames, collect, withServer } from './support/faultSupport.js';
import { sseBody, wireChunk } from '../support/replaySupport.js';

const errorJson = (message: string, type: string, code?: string) => ({ error: { message, type, ...(code && { code }), param: null } });

// What each fault of a real connection becomes, on the real `openai` client, without recovery:
// the typed error, after exactly the chunks that arrived before it.
describe('ChatOpenAI under network and server faults', () => {
  it('a connection dropped mid-stream fails with APIConnectionError after the delivered chunks', async () => {
    await withServer({ body: ANSWER_BODY, dropAfterBytes: bytesOfFrames(3) }, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(values.map((chunk) => chunk.content)).toEqual(['', PARTS[0], PARTS[1]]);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/connection closed before the response was complete/);
      expect(isRetryableError(error)).toBe(true);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('a connection dropped right after the headers fails with APIConnectionError and no chunk', async () => {
    await withServer({ body: ANSWER_BODY, dropAfterBytes: 0 }, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(values).toEqual([]);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('a connection dropped inside a frame delivers no part of that frame', async () => {
    const cut = bytesOfFrames(3) + 25;
    await withServer({ body: ANSWER_BODY, dropAfterBytes: cut, chunking: 9 }, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(concatChunks(values).content).toBe(PARTS[0] + PARTS[1]);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((await server.responseClosed(0)).bytesWritten).toBe(cut);
    });
  });

  it('a stalled body piped through streamTimeout fails with StreamTimeoutError("idle"), and the socket is closed', async () => {
    await withServer({ body: ANSWER_BODY, stallAfterBytes: bytesOfFrames(4) }, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi').pipe(streamTimeout({ idleMs: 80 })));
      expect(values.map((chunk) => chunk.content)).toEqual(['', PARTS[0], PARTS[1], PARTS[2]]);
      expect(error).toBeInstanceOf(StreamTimeoutError);
      expect(error).toEqual(expect.objectContaining({ kind: 'idle', timeoutMs: 80 }));
      expect((await server.clientClosed(0)).bytesWritten).toBe(bytesOfFrames(4));
    });
  });

  it('429 with Retry-After fails with RateLimitError carrying retryAfterMs (the client retries nothing with maxRetries: 0)', async () => {
    const tooMany = { status: 429, headers: { 'retry-after': '1' }, json: errorJson('Rate limit reached for requests', 'requests', 'rate_limit_exceeded') };
    await withServer(tooMany, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(values).toEqual([]);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toEqual(expect.objectContaining({ status: 429, retryAfterMs: 1000, code: 'rate_limit_exceeded' }));
      expect(isRetryableError(error)).toBe(true);
      expect(server.requests).toHaveLength(1);
    });
  });

  it.each([
    { status: 500, json: errorJson('The server had an error while processing your request.', 'server_error'), retryable: true },
    { status: 503, json: errorJson('The engine is currently overloaded, please try again later', 'server_error'), retryable: true },
    { status: 400, json: errorJson("Invalid value for 'temperature': must be between 0 and 2.", 'invalid_request_error', 'invalid_value'), retryable: false },
  ])('HTTP $status fails with ProviderError carrying the status (retryable by default: $retryable)', async ({ status, json, retryable }) => {
    await withServer({ status, json }, async (server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(values).toEqual([]);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).not.toBeInstanceOf(RateLimitError);
      expect(error).toEqual(expect.objectContaining({ status, type: json.error.type }));
      expect((error as Error).message).toContain(json.error.message);
      expect(isRetryableError(error)).toBe(retryable);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('a malformed data line fails with ProviderError "malformed_chunk" after the chunks before it, and nothing after', async () => {
    const body = sseBody([wireChunk({ role: 'assistant', content: '' }), wireChunk({ content: PARTS[0] }), wireChunk({ content: PARTS[1] })], { done: false })
      + 'data: {"id":"chatcmpl-own","choices":[{"index":0,"delta":{"content":"half\n\n'
      + sseBody([wireChunk({ content: 'never delivered' })]);
    await withServer({ body }, async (_server, model) => {
      const { values, error } = await collect(model.stream('Hi'));
      expect(values.map((chunk) => chunk.content)).toEqual(['', PARTS[0], PARTS[1]]);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toEqual(expect.objectContaining({ code: 'malformed_chunk' }));
      expect((error as Error).message).toContain('not a JSON object');
      expect(isRetryableError(error)).toBe(false);
    });
  });

  it('writes of one byte each decode into the same chunks and final message as whole writes', async () => {
    const whole = await withServer({ body: COMPACT_BODY }, async (_server, model) => collect(model.stream('Hi')));
    // ~1 KB in one-byte writes is a thousand loopback rounds: the hang guard allows for a loaded machine.
    const bytewise = await withServer({ body: COMPACT_BODY, chunking: 1 }, async (_server, model) => collect(model.stream('Hi'), 15_000));
    expect(whole.error).toBeUndefined();
    expect(bytewise.error).toBeUndefined();
    expect(bytewise.values).toHaveLength(6);
    expect(bytewise.values).toEqual(whole.values);
    const message = concatChunks(bytewise.values);
    expect(message).toEqual(concatChunks(whole.values));
    expect(message).toEqual(expect.objectContaining({ content: 'Ça marche 🌍', finishReason: 'tool_calls', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } }));
    expect(message.toolCalls).toEqual([{ id: 'c1', name: 'f', args: { a: 1 } }]);
  });
});

/** A short stream (one byte per write costs a loopback round of the event loop each): multi-byte text, a split tool call, usage. */
const COMPACT_BODY = sseBody([
  { choices: [{ index: 0, delta: { role: 'assistant', content: 'Ça ' } }] },
  { choices: [{ index: 0, delta: { content: 'marche 🌍' } }] },
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{"a":' } }] } }] },
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
  { choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
]);
