import type { Observable } from 'rxjs';
import { ChatOpenAI, type ChatOpenAIFields } from '../../../src/openai/index.js';
import { isStreamReset, type StreamReset } from '../../../src/resilience/StreamReset.js';
import { SseReplayServer, type SseReplayServerOptions } from '../../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, sseBody, wireChunk } from '../../support/replaySupport.js';

/** The text pieces of the answer the fault specs stream, one wire chunk each. */
export const PARTS = ['Streams ', 'fail ', 'half', '-way; ', 'rxllm ', 'recovers.'] as const;

/** The whole answer: what every recovered run must end with, once. */
export const ANSWER = PARTS.join('');

/** The wire chunks of the answer: a role chunk, one chunk per part, a finish chunk. */
export const ANSWER_CHUNKS: readonly Record<string, unknown>[] = [
  wireChunk({ role: 'assistant', content: '' }),
  ...PARTS.map((part) => wireChunk({ content: part })),
  { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
];

/** The answer as one SSE body, ending with `[DONE]`. */
export const ANSWER_BODY = sseBody(ANSWER_CHUNKS);

/** Byte length of the first `frames` frames of `ANSWER_BODY`: a fault placed there cuts between two frames. */
export function bytesOfFrames(frames: number): number {
  return Buffer.byteLength(sseBody(ANSWER_CHUNKS.slice(0, frames), { done: false }));
}

/** The answer of another model (a fallback), as an SSE body. */
export function otherAnswerBody(parts: readonly string[]): string {
  return sseBody([wireChunk({ role: 'assistant', content: '' }, { model: 'backup-model' }), ...parts.map((part) => wireChunk({ content: part }, { model: 'backup-model' }))]);
}

/** What one subscription delivered: the values in order, then the error if it failed. */
export interface Collected<T> {
  values: T[];
  error?: unknown;
  /** Milliseconds from subscription to the end. */
  elapsedMs: number;
}

/**
 * Subscribes to `source$` and resolves with what it delivered once it completes or fails. A run
 * still going after `limitMs` is unsubscribed and rejected, so a hanging stream fails the test fast.
 */
export function collect<T>(source$: Observable<T>, limitMs = 1500): Promise<Collected<T>> {
  return new Promise((resolve, reject) => {
    const values: T[] = [];
    const startedAt = performance.now();
    let guard: NodeJS.Timeout | undefined;
    const end = (error?: unknown) => {
      clearTimeout(guard);
      resolve({ values, ...(error !== undefined && { error }), elapsedMs: performance.now() - startedAt });
    };
    const subscription = source$.subscribe({ next: (value) => values.push(value), error: end, complete: () => end() });
    if (subscription.closed) return;
    guard = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`the stream was still running after ${limitMs} ms (${values.length} values)`));
    }, limitMs);
  });
}

/** The text of chunks, with each `StreamReset` written as `|R|` so a test sees where the answer restarted. */
export function textWithResets(items: ReadonlyArray<{ content: string } | StreamReset>): string {
  return items.map((item) => (isStreamReset(item) ? '|R|' : item.content)).join('');
}

/**
 * Starts an `SseReplayServer` for `options`, runs `test` with it and a `ChatOpenAI` pointed at it
 * (no client retries: the retries under test are rxllm's), and closes the server however it ended.
 */
export async function withServer<R>(
  options: SseReplayServerOptions,
  test: (server: SseReplayServer, model: ChatOpenAI) => Promise<R>,
  fields: Partial<ChatOpenAIFields> = {},
): Promise<R> {
  const server = new SseReplayServer(options);
  const baseURL = await server.start();
  try {
    return await test(server, new ChatOpenAI({ model: 'test-model', apiKey: TEST_KEY, baseURL, maxRetries: 0, ...fields }));
  } finally {
    await server.close();
  }
}
