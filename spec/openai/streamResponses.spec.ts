import { take } from 'rxjs';
import { APIConnectionError, ProviderError } from '../../src/errors/errors.js';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { streamResponses } from '../../src/openai/streamResponses.js';

const encoder = new TextEncoder();

/** A body made of the given pieces, optionally failing after the last one. */
function bodyOf(pieces: readonly string[], options: { failWith?: Error } = {}) {
  let next = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) controller.enqueue(encoder.encode(pieces[next++]));
      else if (options.failWith) controller.error(options.failWith);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, wasCancelled: () => cancelled };
}

const frame = (event: Record<string, unknown>) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
const created = frame({ type: 'response.created', response: { id: 'resp_1', model: 'm', status: 'in_progress' } });
const delta = (text: string) => frame({ type: 'response.output_text.delta', delta: text });
const completed = frame({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } } });

/** Runs a stream to its end: the chunks, then the error if it failed. */
function collect(pieces: readonly string[], options: { failWith?: Error } = {}): Promise<{ chunks: AIMessageChunk[]; error?: unknown }> {
  const { stream } = bodyOf(pieces, options);
  const chunks: AIMessageChunk[] = [];
  return new Promise((resolve) => {
    streamResponses(async () => new Response(stream, { headers: { 'content-type': 'text/event-stream' } })).subscribe({
      next: (chunk) => chunks.push(chunk),
      error: (error: unknown) => resolve({ chunks, error }),
      complete: () => resolve({ chunks }),
    });
  });
}

describe('streamResponses', () => {
  it('decodes the events into chunks and completes at response.completed', async () => {
    const { chunks, error } = await collect([created, delta('Hel'), delta('lo'), completed]);
    expect(error).toBeUndefined();
    expect(concatChunks(chunks)).toEqual(expect.objectContaining({ id: 'resp_1', content: 'Hello', finishReason: 'stop' }));
  });

  it('reads frames split anywhere, and a last frame without its blank line', async () => {
    const text = created + delta('Hi') + completed.trimEnd();
    const { chunks, error } = await collect(Array.from(text));
    expect(error).toBeUndefined();
    expect(concatChunks(chunks).content).toBe('Hi');
  });

  it('fails with a typed error after the chunks before an error event', async () => {
    const failure = frame({ type: 'error', error: { type: 'server_error', code: 'server_error', message: 'overloaded' } });
    const { chunks, error } = await collect([created, delta('par'), failure, delta('never')]);
    expect(chunks.map((chunk) => chunk.content)).toEqual(['', 'par']);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toEqual(expect.objectContaining({ code: 'server_error' }));
  });

  it('fails on a data frame that is not JSON', async () => {
    const { error } = await collect([created, 'data: {nope\n\n']);
    expect(error).toEqual(expect.objectContaining({ code: 'malformed_chunk' }));
  });

  it('fails when the body ends before a final event', async () => {
    const { chunks, error } = await collect([created, delta('cut')]);
    expect(chunks).toHaveLength(2);
    expect(error).toEqual(expect.objectContaining({ code: 'incomplete_stream' }));
  });

  it('fails with APIConnectionError when the connection breaks mid-body', async () => {
    const { error } = await collect([created, delta('cut')], { failWith: new TypeError('terminated') });
    expect(error).toBeInstanceOf(APIConnectionError);
  });

  it('aborts the request and cancels the body on unsubscribe', async () => {
    const { stream, wasCancelled } = bodyOf([created, delta('a'), delta('b'), completed]);
    let signal: AbortSignal | undefined;
    const chunks: AIMessageChunk[] = [];
    await new Promise<void>((resolve) => {
      streamResponses(async (given) => {
        signal = given;
        return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
      }).pipe(take(2)).subscribe({ next: (chunk) => chunks.push(chunk), complete: resolve });
    });
    expect(chunks).toHaveLength(2);
    expect(signal?.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(wasCancelled()).toBe(true);
  });

  it('maps a failed request to the error it means', async () => {
    const result = await new Promise<unknown>((resolve) => {
      streamResponses(() => Promise.reject(new TypeError('fetch failed'))).subscribe({ error: resolve });
    });
    expect(result).toBeInstanceOf(RxllmError);
    expect((result as Error).message).toContain('fetch failed');
  });
});
