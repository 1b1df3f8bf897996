import OpenAI from 'openai';
import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { ChatOpenAI, type ChatOpenAIFields } from '../../src/openai/index.js';
import type { RunnableConfig } from '../../src/runnables/RunnableConfig.js';
import { SseReplayServer, type RecordedRequest, type SseReplayServerOptions } from '../../src/testing/node/SseReplayServer.js';

/** A key-shaped secret: any test that leaks it into a message fails loudly. */
export const TEST_KEY = 'sk-proj-TESTKEY0123456789abcdefXYZ';

/** What one replayed call delivered. */
export interface Replay {
  chunks: AIMessageChunk[];
  /** The concatenation of the delivered chunks. */
  message: AIMessageChunk;
  error?: unknown;
  requests: RecordedRequest[];
}

/**
 * Serves `options` from an `SseReplayServer`, streams one call of a `ChatOpenAI` pointed at it,
 * and returns what was delivered (chunks, then the error if the stream failed).
 */
export async function replay(
  options: SseReplayServerOptions, fields: Partial<ChatOpenAIFields> = {}, input = 'Hi', config?: RunnableConfig & { bytewise?: boolean },
): Promise<Replay> {
  const server = new SseReplayServer(options);
  const baseURL = await server.start();
  try {
    const { bytewise, ...runConfig } = config ?? {};
    const client = bytewise ? new OpenAI({ apiKey: TEST_KEY, baseURL, fetch: bytewiseFetch }) : undefined;
    const model = new ChatOpenAI({ model: 'test-model', apiKey: TEST_KEY, baseURL, maxRetries: 0, ...(client && { client }), ...fields });
    const chunks: AIMessageChunk[] = [];
    const error = await new Promise<unknown>((resolve) => {
      model.stream(input, runConfig).subscribe({ next: (chunk) => chunks.push(chunk), error: resolve, complete: () => resolve(undefined) });
    });
    return { chunks, message: concatChunks(chunks), ...(error !== undefined && { error }), requests: server.requests };
  } finally {
    await server.close();
  }
}

/**
 * A `fetch` for the `openai` client that hands the response body on one byte per read, whatever
 * the network delivered: the decoder meets every possible split of every frame. (Writing single
 * bytes over loopback costs milliseconds per byte under `--detectOpenHandles`, so recordings of
 * hundreds of kilobytes are split here; `SseReplayServer`'s own byte chunking is tested on
 * project-owned streams.)
 */
export const bytewiseFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!response.body) return response;
  const source = response.body.getReader();
  let pending = new Uint8Array();
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (offset >= pending.length) {
        const { done, value } = await source.read();
        if (done) {
          controller.close();
          return;
        }
        pending = value;
        offset = 0;
      }
      controller.enqueue(pending.slice(offset, offset + 1));
      offset++;
    },
    cancel: (reason) => source.cancel(reason),
  }, { highWaterMark: 0 });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};

/** An SSE body from chunk objects: one `data:` frame each, then `[DONE]`. */
export function sseBody(chunks: readonly unknown[], { done = true }: { done?: boolean } = {}): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

/** A chat.completion.chunk envelope around one delta of choice 0. */
export function wireChunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'chatcmpl-own', object: 'chat.completion.chunk', created: 1700000000, model: 'own-model',
    choices: [{ index: 0, delta, finish_reason: null }], ...extra,
  };
}
