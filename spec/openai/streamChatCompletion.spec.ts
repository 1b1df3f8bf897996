import { take } from 'rxjs';
import { APIConnectionError, ProviderError } from '../../src/errors/errors.js';
import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { streamChatCompletion } from '../../src/openai/streamChatCompletion.js';
import { sseBody, wireChunk } from '../support/replaySupport.js';

const encoder = new TextEncoder();

/** A body made of the given pieces (strings or bytes), optionally failing after the last one. */
function bodyOf(pieces: ReadonlyArray<string | Uint8Array>, options: { failWith?: Error } = {}) {
  let next = 0;
  let cancelled: unknown = 'not cancelled';
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) {
        const piece = pieces[next++];
        controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      } else if (options.failWith) {
        controller.error(options.failWith);
      } else {
        controller.close();
      }
    },
    cancel(reason) {
      cancelled = reason;
    },
  }, { highWaterMark: 0 });
  return { stream, wasCancelled: () => cancelled !== 'not cancelled', wasRead: () => next === pieces.length };
}

function sse(stream: ReadableStream<Uint8Array> | null, contentType = 'text/event-stream'): Response {
  return new Response(stream, { headers: { 'content-type': contentType } });
}

/** Every byte of `text` as its own piece. */
function bytes(text: string): Uint8Array[] {
  return Array.from(encoder.encode(text), (byte) => Uint8Array.of(byte));
}

async function collect(response: Response | Promise<Response>): Promise<{ chunks: AIMessageChunk[]; error?: unknown }> {
  const chunks: AIMessageChunk[] = [];
  const error = await new Promise<unknown>((resolve) => {
    streamChatCompletion(async () => response).subscribe({ next: (c) => chunks.push(c), error: resolve, complete: () => resolve(undefined) });
  });
  return error === undefined ? { chunks } : { chunks, error };
}

const hello = sseBody([wireChunk({ role: 'assistant', content: '' }), wireChunk({ content: 'Hel' }), wireChunk({ content: 'lo' })]);

describe('streamChatCompletion', () => {
  it('emits one chunk per data frame and completes at [DONE]', async () => {
    const { chunks, error } = await collect(sse(bodyOf([hello]).stream));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content)).toEqual(['', 'Hel', 'lo']);
    expect(chunks.every((c) => c.id === 'chatcmpl-own')).toBe(true);
  });

  it('decodes the same chunks when every byte is a separate read, including a split UTF-8 character', async () => {
    const body = sseBody([wireChunk({ content: 'Olá ' }), wireChunk({ content: '🌍' })]);
    const { chunks } = await collect(sse(bodyOf(bytes(body)).stream));
    expect(chunks.map((c) => c.content)).toEqual(['Olá ', '🌍']);
  });

  it('skips comment lines and unknown fields, and reads CRLF line endings', async () => {
    const body = ': OPENROUTER PROCESSING\r\n\r\nretry: 10\r\nid: 7\r\n' + `data: ${JSON.stringify(wireChunk({ content: 'A' }))}\r\n\r\n` + 'data: [DONE]\r\n\r\n';
    const { chunks, error } = await collect(sse(bodyOf(bytes(body)).stream));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content)).toEqual(['A']);
  });

  it('dispatches a last frame that lacks its blank line, or even its newline', async () => {
    const frame = `data: ${JSON.stringify(wireChunk({ content: 'end' }))}`;
    for (const tail of ['\n', '']) {
      const { chunks, error } = await collect(sse(bodyOf([`data: ${JSON.stringify(wireChunk({ content: 'x' }))}\n\n`, frame + tail]).stream));
      expect(error).toBeUndefined();
      expect(chunks.map((c) => c.content)).toEqual(['x', 'end']);
    }
  });

  it('completes at [DONE], emits nothing after it, and reads the body to its end so the connection can be reused', async () => {
    const body = bodyOf([hello, `data: ${JSON.stringify(wireChunk({ content: 'after done' }))}\n\n`, ': more\n\n']);
    const { chunks } = await collect(sse(body.stream));
    expect(concatChunks(chunks).content).toBe('Hello');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(body.wasCancelled()).toBe(false);
    expect(body.wasRead()).toBe(true);
  });

  it('cancels a body that does not end within drainMs after [DONE]', async () => {
    let cancelled = false;
    const open = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(hello));
      },
      cancel() {
        cancelled = true;
      },
    });
    const completed = await new Promise<boolean>((resolve) => {
      streamChatCompletion(async () => sse(open), { drainMs: 30 }).subscribe({ error: () => resolve(false), complete: () => resolve(true) });
    });
    expect(completed).toBe(true);
    expect(cancelled).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cancelled).toBe(true);
  });

  it('completes when the connection is lost after the finish reason and usage, before [DONE]', async () => {
    const whole = sseBody([wireChunk({ content: 'Hi' }), { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, {
      id: 'chatcmpl-own', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }], { done: false });
    const lost = new TypeError('terminated');
    const result = await new Promise<{ chunks: AIMessageChunk[]; error?: unknown }>((resolve) => {
      const chunks: AIMessageChunk[] = [];
      streamChatCompletion(async () => sse(bodyOf([whole], { failWith: lost }).stream), { usageRequested: true })
        .subscribe({ next: (c) => chunks.push(c), error: (error) => resolve({ chunks, error }), complete: () => resolve({ chunks }) });
    });
    expect(result.error).toBeUndefined();
    expect(concatChunks(result.chunks)).toMatchObject({ content: 'Hi', finishReason: 'stop', usage: { totalTokens: 2 } });
    // Without the usage chunk that was asked for, the answer is not known to be whole.
    const noUsage = sseBody([wireChunk({ content: 'Hi' }), { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }], { done: false });
    const cut = await new Promise<unknown>((resolve) => {
      streamChatCompletion(async () => sse(bodyOf([noUsage], { failWith: lost }).stream), { usageRequested: true }).subscribe({ error: resolve, complete: () => resolve(undefined) });
    });
    expect(cut).toBeInstanceOf(APIConnectionError);
  });

  it('completes at the end of a body without [DONE]', async () => {
    const { chunks, error } = await collect(sse(bodyOf([sseBody([wireChunk({ content: 'no done' })], { done: false })]).stream));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content)).toEqual(['no done']);
  });

  it('fails with a ProviderError on an `event: error` frame, after the chunks before it', async () => {
    const error = { error: { message: 'Tool call validation failed', type: 'invalid_request_error', code: 'tool_use_failed', status_code: 400 } };
    const body = sseBody([wireChunk({ reasoning: 'think' })], { done: false }) + `event: error\ndata: ${JSON.stringify(error)}\n\n`;
    const result = await collect(sse(bodyOf(bytes(body)).stream));
    expect(result.chunks.map((c) => c.reasoning)).toEqual(['think']);
    expect(result.error).toBeInstanceOf(ProviderError);
    expect(result.error).toEqual(expect.objectContaining({ status: 400, code: 'tool_use_failed', type: 'invalid_request_error' }));
    expect((result.error as Error).message).toBe('The server reported an error mid-stream: Tool call validation failed');
  });

  it('fails with the text of an `event: error` frame that is not JSON', async () => {
    const result = await collect(sse(bodyOf(['event: error\ndata: upstream overloaded\n\n']).stream));
    expect(result.error).toBeInstanceOf(ProviderError);
    expect((result.error as Error).message).toBe('The server reported an error mid-stream: upstream overloaded');
  });

  it('delivers a chunk that carries a top-level error (with its usage), then fails with a ProviderError', async () => {
    const errorChunk = wireChunk({ content: '' }, {
      error: { code: 400, message: 'Token limit reached' },
      usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
    });
    const body = `: OPENROUTER PROCESSING\n\n${sseBody([wireChunk({ content: 'partial' }), errorChunk])}`;
    const result = await collect(sse(bodyOf([body]).stream));
    expect(result.chunks.map((c) => c.content)).toEqual(['partial', '']);
    expect(result.chunks[1].usage).toEqual({ inputTokens: 4, outputTokens: 2, totalTokens: 6 });
    expect(result.error).toBeInstanceOf(ProviderError);
    expect(result.error).toEqual(expect.objectContaining({ status: 400, code: undefined, message: 'The server reported an error mid-stream: Token limit reached' }));
  });

  it('keeps a numeric error code that is not an HTTP status as the code', async () => {
    const body = sseBody([wireChunk({}, { error: { code: 42, message: 'odd' } })]);
    const result = await collect(sse(bodyOf([body]).stream));
    expect(result.error).toEqual(expect.objectContaining({ status: undefined, code: '42' }));
  });

  it('fails with a ProviderError (code malformed_chunk) on a data frame that is not a JSON object', async () => {
    for (const bad of ['{"id": "broken', '42', 'null']) {
      const body = sseBody([wireChunk({ content: 'ok' })], { done: false }) + `data: ${bad}\n\n` + sseBody([wireChunk({ content: 'never' })]);
      const result = await collect(sse(bodyOf([body]).stream));
      expect(result.chunks.map((c) => c.content)).toEqual(['ok']);
      expect(result.error).toBeInstanceOf(ProviderError);
      expect(result.error).toEqual(expect.objectContaining({ code: 'malformed_chunk' }));
      expect((result.error as Error).message).toContain(bad);
    }
  });

  it('ignores empty data frames', async () => {
    const { chunks, error } = await collect(sse(bodyOf([`data:\n\n${hello}`]).stream));
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(3);
  });

  it('fails with an APIConnectionError when the body breaks, after the chunks that arrived', async () => {
    const broken = bodyOf([sseBody([wireChunk({ content: 'so far' })], { done: false })], { failWith: new TypeError('terminated') });
    const result = await collect(sse(broken.stream));
    expect(result.chunks.map((c) => c.content)).toEqual(['so far']);
    expect(result.error).toBeInstanceOf(APIConnectionError);
    expect((result.error as Error).message).toBe('The connection closed before the response was complete: terminated');
  });

  it('reads a JSON body (a server that did not stream) as one chunk', async () => {
    const completion = {
      id: 'chatcmpl-whole', object: 'chat.completion', model: 'own-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Whole answer' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    const { chunks, error } = await collect(sse(bodyOf([JSON.stringify(completion)]).stream, 'application/json; charset=utf-8'));
    expect(error).toBeUndefined();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toEqual(expect.objectContaining({ id: 'chatcmpl-whole', content: 'Whole answer', finishReason: 'stop' }));
  });

  it('fails with a ProviderError on a JSON error body sent with status 200', async () => {
    const result = await collect(sse(bodyOf([JSON.stringify({ error: { message: 'model overloaded', code: 'overloaded' } })]).stream, 'application/json'));
    expect(result.error).toBeInstanceOf(ProviderError);
    expect(result.error).toEqual(expect.objectContaining({ code: 'overloaded', message: 'The server answered with an error: model overloaded' }));
  });

  it('fails with a ProviderError on a JSON body that is not an object', async () => {
    const result = await collect(sse(bodyOf(['<html>oops']).stream, 'application/json'));
    expect(result.error).toEqual(expect.objectContaining({ code: 'malformed_chunk' }));
  });

  it('completes without chunks when there is no body', async () => {
    expect(await collect(sse(null))).toEqual({ chunks: [] });
  });

  it('maps a failed request to an rxllm error', async () => {
    const result = await collect(Promise.reject(new TypeError('fetch failed')));
    expect(result.error).toEqual(expect.objectContaining({ name: 'RxllmError', message: 'The request failed: fetch failed' }));
  });

  it('aborts the request and cancels the body when unsubscribed, taking no more chunks', async () => {
    const body = bodyOf([sseBody([wireChunk({ content: 'a' })], { done: false }), sseBody([wireChunk({ content: 'b' })], { done: false }), hello]);
    let signal: AbortSignal | undefined;
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      streamChatCompletion(async (s) => {
        signal = s;
        return sse(body.stream);
      }).pipe(take(1)).subscribe({ next: (c) => seen.push(c.content), complete: resolve });
    });
    expect(seen).toEqual(['a']);
    expect(signal?.aborted).toBe(true);
    expect(body.wasCancelled()).toBe(true);
  });

  it('stops synchronously inside a read that holds several frames once the subscriber is done', async () => {
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      streamChatCompletion(async () => sse(bodyOf([hello]).stream)).pipe(take(2)).subscribe({ next: (c) => seen.push(c.content), complete: resolve });
    });
    expect(seen).toEqual(['', 'Hel']);
  });

  it('does not send the request before subscription, and sends one per subscription', async () => {
    let opened = 0;
    const chunks$ = streamChatCompletion(async () => {
      opened++;
      return sse(bodyOf([hello]).stream);
    });
    expect(opened).toBe(0);
    await new Promise<void>((resolve) => chunks$.subscribe({ complete: resolve }));
    expect(opened).toBe(1);
  });
});
