import OpenAI from 'openai';
import { tap, type Observable } from 'rxjs';
import { concatChunks, type AIMessageChunk } from '../../../src/messages/AIMessageChunk.js';
import { ChatOpenAI } from '../../../src/openai/index.js';
import { partialToolCalls, type PartialToolCall } from '../../../src/operators/partialToolCalls.js';
import { SseReplayServer, type RecordedRequest, type SseReplayServerOptions } from '../../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, bytewiseFetch } from '../../support/replaySupport.js';

/** What one streamed tool-call answer delivered: its chunks concatenated, and `partialToolCalls()` over the same chunks. */
export interface ToolCallReplay {
  message: AIMessageChunk;
  /** Every emission of `partialToolCalls()`, in order. */
  partials: PartialToolCall[][];
  error?: unknown;
  requests: RecordedRequest[];
}

/**
 * Serves `options` from an `SseReplayServer` and streams one `ChatOpenAI` call through a tap that
 * keeps the chunks and feeds `partialToolCalls()` from the same subscription (one request).
 * `bytewise` hands the body to the decoder one byte per read.
 */
export async function replayToolCalls(options: SseReplayServerOptions, { bytewise = false } = {}): Promise<ToolCallReplay> {
  const server = new SseReplayServer(options);
  const baseURL = await server.start();
  try {
    const client = new OpenAI({ apiKey: TEST_KEY, baseURL, maxRetries: 0, ...(bytewise && { fetch: bytewiseFetch }) });
    const model = new ChatOpenAI({ model: 'test-model', client, streaming: true });
    const chunks: AIMessageChunk[] = [];
    const partials: PartialToolCall[][] = [];
    const error = await collect(model.stream('Call the tools'), chunks, partials);
    return { message: concatChunks(chunks), partials, ...(error !== undefined && { error }), requests: server.requests };
  } finally {
    await server.close();
  }
}

function collect(stream$: Observable<AIMessageChunk>, chunks: AIMessageChunk[], partials: PartialToolCall[][]): Promise<unknown> {
  return new Promise((resolve) => {
    stream$.pipe(tap((chunk) => chunks.push(chunk)), partialToolCalls()).subscribe({
      next: (calls) => partials.push(calls),
      error: resolve,
      complete: () => resolve(undefined),
    });
  });
}

/**
 * Asserts that `next` only grows `prev`: every member of `prev` is still there, strings are
 * prefixes of their later text, arrays keep their elements, numbers, booleans and null never change.
 */
export function expectGrowth(prev: unknown, next: unknown, path = 'args'): void {
  if (typeof prev === 'string') {
    if (typeof next !== 'string' || !next.startsWith(prev)) throw new Error(`${path}: ${JSON.stringify(prev)} became ${JSON.stringify(next)}`);
    return;
  }
  if (Array.isArray(prev)) {
    if (!Array.isArray(next) || next.length < prev.length) throw new Error(`${path}: array ${JSON.stringify(prev)} became ${JSON.stringify(next)}`);
    prev.forEach((item, i) => expectGrowth(item, next[i], `${path}[${i}]`));
    return;
  }
  if (typeof prev === 'object' && prev !== null) {
    if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new Error(`${path}: object became ${JSON.stringify(next)}`);
    for (const key of Object.keys(prev)) {
      if (!(key in next)) throw new Error(`${path}.${key} disappeared`);
      expectGrowth((prev as Record<string, unknown>)[key], (next as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return;
  }
  if (prev !== next) throw new Error(`${path}: ${JSON.stringify(prev)} changed to ${JSON.stringify(next)}`);
}

/**
 * Asserts the whole sequence of `partialToolCalls()` emissions only grows: calls keep their
 * place, index, id and name once known, and their arguments grow (see `expectGrowth`).
 */
export function expectPartialsOnlyGrow(partials: readonly PartialToolCall[][]): void {
  for (let i = 1; i < partials.length; i++) {
    const prev = partials[i - 1];
    const next = partials[i];
    expect(next.length).toBeGreaterThanOrEqual(prev.length);
    prev.forEach((call, at) => {
      const later = next[at];
      expect(later.index).toBe(call.index);
      if (call.id !== undefined) expect(later.id).toBe(call.id);
      if (call.name !== undefined) expect(later.name).toBe(call.name);
      expectGrowth(call.args, later.args, `emission ${i}, call ${at}`);
    });
  }
}

/** The last emission of `partialToolCalls()` as `{ index, id, name, args }`, to compare with the message. */
export function lastPartials(partials: readonly PartialToolCall[][]): PartialToolCall[] {
  expect(partials.length).toBeGreaterThan(0);
  return partials[partials.length - 1];
}
