import { defer } from 'rxjs';
import { ProviderError, RateLimitError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { accumulate } from '../../src/operators/accumulate.js';
import { degradeToInvoke } from '../../src/operators/degradeToInvoke.js';
import { restartOnReset } from '../../src/operators/restartOnReset.js';
import { retryStream, type RetryInfo } from '../../src/operators/retryStream.js';
import { streamTimeout } from '../../src/operators/streamTimeout.js';
import { isStreamReset, type StreamReset } from '../../src/resilience/StreamReset.js';
import { DEFAULT_CONTINUE_PROMPT } from '../../src/runnables/continuationInternals.js';
import type { SseReplayResponse } from '../../src/testing/node/SseReplayServer.js';
import { ANSWER, ANSWER_BODY, PARTS, bytesOfFrames, collect, otherAnswerBody, textWithResets, withServer } from './support/faultSupport.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';

/** Short, exact waits: the specs measure recovery, not backoff. */
const FAST = { initialMs: 5, jitter: 0 };

const DROPPED: SseReplayResponse = { body: ANSWER_BODY, dropAfterBytes: bytesOfFrames(3) };
const STALLED: SseReplayResponse = { body: ANSWER_BODY, stallAfterBytes: bytesOfFrames(3) };
const WHOLE: SseReplayResponse = { body: ANSWER_BODY };
/** What the first attempt delivers before its fault: the role chunk and two parts. */
const PARTIAL = PARTS[0] + PARTS[1];

const COMPLETION = {
  id: 'chatcmpl-own', object: 'chat.completion', created: 1700000000, model: 'own-model',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: ANSWER } }],
};

const resets = (items: ReadonlyArray<unknown>): StreamReset[] => items.filter(isStreamReset);
const lastText = (items: ReadonlyArray<string | StreamReset>): unknown => items[items.length - 1];

// Recovery on the real `openai` client against a loopback server: each fault of faults.spec.ts,
// recovered, with the final text checked for repeated or missing parts.
describe('Recovery against a real server', () => {
  describe('a connection dropped mid-stream', () => {
    it("retryStream({ afterFirstChunk: 'restart' }): the delivered chunks, a StreamReset, then the whole answer", async () => {
      await withServer({ responses: [DROPPED, WHOLE] }, async (server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(retryStream({ afterFirstChunk: 'restart', backoff: FAST })));
        expect(error).toBeUndefined();
        expect(textWithResets(values)).toBe(`${PARTIAL}|R|${ANSWER}`);
        expect(resets(values)).toEqual([expect.objectContaining({ attempt: 2, error: expect.objectContaining({ name: 'APIConnectionError' }) })]);
        expect(server.requests).toHaveLength(2);
      });
    });

    it('restartOnReset(accumulate()) after the retry holds the answer once', async () => {
      await withServer({ responses: [DROPPED, WHOLE] }, async (_server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(
          retryStream({ afterFirstChunk: 'restart', backoff: FAST }),
          restartOnReset(accumulate({ text: true })),
        ));
        expect(error).toBeUndefined();
        const texts = values.map((item) => (isStreamReset(item) ? 'R' : item));
        expect(texts).toEqual([
          PARTS[0], PARTIAL, 'R',
          ...PARTS.map((_, index) => PARTS.slice(0, index + 1).join('')),
        ]);
        expect(lastText(values)).toBe(ANSWER);
      });
    });

    it("model.withRetry({ afterFirstChunk: 'continue' }): the retry sends the partial answer as an assistant message; the chunks add up to the answer once", async () => {
      const rest = otherAnswerBody(PARTS.slice(2));
      await withServer({ responses: [DROPPED, { body: rest }] }, async (server, model) => {
        const { values, error } = await collect(model.withRetry({ afterFirstChunk: 'continue', backoff: FAST }).stream('Why do streams fail?'));
        expect(error).toBeUndefined();
        expect(values.every((value) => !isStreamReset(value))).toBe(true);
        expect(concatChunks(values).content).toBe(ANSWER);
        expect(server.requests).toHaveLength(2);
        expect(server.requests[1].body).toEqual(expect.objectContaining({
          stream: true,
          messages: [
            { role: 'user', content: 'Why do streams fail?' },
            { role: 'assistant', content: PARTIAL },
            { role: 'user', content: DEFAULT_CONTINUE_PROMPT },
          ],
        }));
      });
    });

    it("'continue' drops the start of a continuation that restates the partial answer's last words", async () => {
      const restating = otherAnswerBody(['fail ha', 'lf', ...PARTS.slice(3)]);
      await withServer({ responses: [DROPPED, { body: restating }] }, async (_server, model) => {
        const { values, error } = await collect(model.withRetry({ afterFirstChunk: 'continue', backoff: FAST }).stream('Hi'));
        expect(error).toBeUndefined();
        expect(concatChunks(values).content).toBe(ANSWER);
      });
    });

    it("'continue' after a drop that left only the role chunk (no text yet) sends the original request again", async () => {
      await withServer({ responses: [{ body: ANSWER_BODY, dropAfterBytes: bytesOfFrames(1) }, WHOLE] }, async (server, model) => {
        const { values, error } = await collect(model.withRetry({ afterFirstChunk: 'continue', backoff: FAST }).stream('Hi'));
        expect(error).toBeUndefined();
        expect(concatChunks(values).content).toBe(ANSWER);
        expect(server.requests).toHaveLength(2);
        // An empty assistant message would be rejected by some servers, and there is nothing to continue.
        expect(server.requests[1].body).toEqual(server.requests[0].body);
      });
    });

    it("'continue' twice: a continuation that drops too is continued from everything delivered so far", async () => {
      const firstRest = { body: otherAnswerBody(PARTS.slice(2)), dropAfterBytes: Buffer.byteLength(otherAnswerBody(PARTS.slice(2, 3)).replace('data: [DONE]\n\n', '')) };
      await withServer({ responses: [DROPPED, firstRest, { body: otherAnswerBody(PARTS.slice(3)) }] }, async (server, model) => {
        const { values, error } = await collect(model.withRetry({ afterFirstChunk: 'continue', backoff: FAST }).stream('Hi'));
        expect(error).toBeUndefined();
        expect(concatChunks(values).content).toBe(ANSWER);
        expect(server.requests).toHaveLength(3);
        const assistantTurns = server.requests.map((request) => (request.body as { messages: Array<{ role: string; content: string }> }).messages
          .filter((message) => message.role === 'assistant').map((message) => message.content));
        expect(assistantTurns).toEqual([[], [PARTIAL], [PARTIAL + PARTS[2]]]);
      });
    });

    it("'continue': a continuation refused before its first chunk is sent again as it was", async () => {
      const failing = { status: 500, json: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } };
      await withServer({ responses: [DROPPED, failing, { body: otherAnswerBody(PARTS.slice(2)) }] }, async (server, model) => {
        const { values, error } = await collect(model.withRetry({ afterFirstChunk: 'continue', backoff: FAST }).stream('Hi'));
        expect(error).toBeUndefined();
        expect(concatChunks(values).content).toBe(ANSWER);
        expect(server.requests).toHaveLength(3);
        expect(server.requests[2].body).toEqual(server.requests[1].body);
      });
    });
  });

  describe('a stalled body', () => {
    it("idleTimeoutMs on the model and withRetry({ afterFirstChunk: 'restart' }): the stalled request is aborted, the retry streams the answer", async () => {
      await withServer({ responses: [STALLED, WHOLE] }, async (server, model) => {
        const { values, error } = await collect(model.withRetry({ afterFirstChunk: 'restart', backoff: FAST }).stream('Hi'));
        expect(error).toBeUndefined();
        expect(textWithResets(values as Array<AIMessageChunk | StreamReset>)).toBe(`${PARTIAL}|R|${ANSWER}`);
        expect(resets(values)).toEqual([expect.objectContaining({ attempt: 2, error: expect.objectContaining({ name: 'StreamTimeoutError' }) })]);
        expect((await server.clientClosed(0)).closedByClient).toBe(true);
        expect((await server.responseClosed(1)).closedByClient).toBe(false);
      }, { idleTimeoutMs: 80 });
    });

    it('a request that times out before its first chunk is retried unseen: no StreamReset', async () => {
      await withServer({ responses: [{ body: ANSWER_BODY, stallAfterBytes: 0 }, WHOLE] }, async (server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(retryStream({ afterFirstChunk: 'restart', backoff: FAST })));
        expect(error).toBeUndefined();
        expect(textWithResets(values)).toBe(ANSWER);
        expect((await server.clientClosed(0)).closedByClient).toBe(true);
      }, { firstChunkTimeoutMs: 60 });
    });
  });

  describe('error statuses', () => {
    it('429 with Retry-After: 1, then success: retryStream waits at least retryAfterMs, then streams the answer', async () => {
      const tooMany = { status: 429, headers: { 'retry-after': '1' }, json: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } };
      await withServer({ responses: [tooMany, WHOLE] }, async (server, model) => {
        const requestedAt: number[] = [];
        const retries: RetryInfo[] = [];
        const source$ = defer(() => {
          requestedAt.push(performance.now());
          return model.stream('Hi');
        });
        const { values, error } = await collect(source$.pipe(retryStream({ backoff: FAST, onRetry: (info) => retries.push(info) })), 1900);
        expect(error).toBeUndefined();
        expect(concatChunks(values).content).toBe(ANSWER);
        expect(retries).toHaveLength(1);
        expect(retries[0].error).toBeInstanceOf(RateLimitError);
        expect(retries[0].error).toEqual(expect.objectContaining({ retryAfterMs: 1000 }));
        expect(retries[0].delayMs).toBe(1000);
        expect(requestedAt[1] - requestedAt[0]).toBeGreaterThanOrEqual(1000);
        expect(server.requests).toHaveLength(2);
      });
    });

    it('500, then success: retried', async () => {
      const failing = { status: 500, json: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } };
      await withServer({ responses: [failing, WHOLE] }, async (server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(retryStream({ backoff: FAST })));
        expect(error).toBeUndefined();
        expect(concatChunks(values).content).toBe(ANSWER);
        expect(server.requests).toHaveLength(2);
      });
    });

    it('400: not retried, the error passes on after one request', async () => {
      const invalid = { status: 400, json: { error: { message: "Invalid value for 'temperature'.", type: 'invalid_request_error', code: 'invalid_value' } } };
      await withServer({ responses: [invalid, WHOLE] }, async (server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(retryStream({ backoff: FAST })));
        expect(values).toEqual([]);
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toEqual(expect.objectContaining({ status: 400, code: 'invalid_value' }));
        expect(server.requests).toHaveLength(1);
      });
    });
  });

  describe("withFallbacks(..., { afterFirstChunk: 'switch' })", () => {
    const BACKUP = ['Backup ', 'answer.'];

    it("the primary drops mid-stream: a StreamReset, then the fallback's answer", async () => {
      await withServer({ body: otherAnswerBody(BACKUP) }, async (backupServer, backup) => {
        await withServer(DROPPED, async (_primaryServer, primary) => {
          const model = primary.withFallbacks([backup], { afterFirstChunk: 'switch' });
          const { values, error } = await collect(model.stream('Hi').pipe(restartOnReset(accumulate({ text: true }))));
          expect(error).toBeUndefined();
          expect(values.map((item) => (isStreamReset(item) ? 'R' : item))).toEqual([PARTS[0], PARTIAL, 'R', 'Backup ', 'Backup answer.']);
          expect(backupServer.requests).toHaveLength(1);
        });
      });
    });

    it.each([
      { fault: 'a dropped connection', primaryScript: DROPPED, errorName: 'APIConnectionError', errorText: 'connection closed before the response was complete' },
      {
        fault: 'an error event that echoes the API key',
        primaryScript: { body: sseBody([wireChunk({ role: 'assistant', content: '' }), wireChunk({ content: PARTS[0] }), wireChunk({ content: PARTS[1] })], { done: false })
          + `event: error\ndata: ${JSON.stringify({ error: { message: `Upstream rejected key ${TEST_KEY}`, type: 'server_error' } })}\n\n` },
        errorName: 'ProviderError',
        errorText: 'Upstream rejected key ***',
      },
    ])("streamEvents after $fault: stream_reset, then the 'fallback' event with the masked error, then the fallback's run", async ({ primaryScript, errorName, errorText }) => {
      await withServer({ body: otherAnswerBody(BACKUP) }, async (_backupServer, backup) => {
        await withServer(primaryScript, async (_primaryServer, primary) => {
          const model = primary.withFallbacks([backup], { afterFirstChunk: 'switch' });
          const { values: events, error } = await collect<StreamEvent>(model.streamEvents('Hi'));
          expect(error).toBeUndefined();
          const custom = events.filter((event) => event.event === 'on_custom_event');
          expect(custom.map((event) => event.name)).toEqual(['stream_reset', 'fallback']);
          const fallback = custom[1];
          expect(fallback.data).toEqual({ error: { name: errorName, message: expect.stringContaining(errorText) }, fallback: 'ChatOpenAI', index: 1 });
          expect(JSON.stringify(events)).not.toContain(TEST_KEY);
          const after = events.slice(events.indexOf(fallback) + 1);
          const backupStart = after.find((event) => event.event === 'on_chat_model_start');
          expect(backupStart?.tags).toContain('fallback:1');
          const backupText = after.filter((event) => event.event === 'on_chat_model_stream' && event.run_id === backupStart?.run_id)
            .map((event) => (event.data.chunk as AIMessageChunk).content).join('');
          expect(backupText).toBe(BACKUP.join(''));
          const end = events[events.length - 1];
          expect(end).toEqual(expect.objectContaining({ event: 'on_chain_end', name: 'RunnableWithFallbacks' }));
          expect((end.data.output as AIMessageChunk).content).toBe(BACKUP.join(''));
        });
      });
    });
  });

  describe('degradeToInvoke', () => {
    it.each([
      "Unsupported value: 'stream' does not support true with this model. Only the default (false) value is supported.",
      "Unsupported value: 'stream' does not support true with this model. Supported values are: false.",
      'Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.',
    ])('a 400 "%s" to stream: true is answered by one non-streaming request, as one chunk', async (message) => {
      const refusal = { status: 400, json: { error: { message, type: 'invalid_request_error', param: 'stream', code: 'unsupported_value' } } };
      await withServer({ responses: [refusal, { json: COMPLETION }] }, async (server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(degradeToInvoke(() => model.invoke('Hi'))));
        expect(error).toBeUndefined();
        expect(values).toHaveLength(1);
        expect(values[0]).toEqual(expect.objectContaining({ content: ANSWER, finishReason: 'stop' }));
        expect(server.requests.map((request) => (request.body as { stream?: boolean }).stream)).toEqual([true, false]);
      });
    });

    it("recognises the refusal wrapped by a router: OpenRouter's \"Provider returned error\" with the provider's body in metadata.raw", async () => {
      const upstream = { error: { message: 'Your organization must be verified to stream this model.', type: 'invalid_request_error', param: 'stream', code: 'unsupported_value' } };
      const wrapped = { status: 400, json: { error: { message: 'Provider returned error', code: 400, metadata: { raw: JSON.stringify(upstream), provider_name: 'OpenAI' } } } };
      await withServer({ responses: [wrapped, wrapped, { json: COMPLETION }] }, async (server, model) => {
        const refused = await collect(model.stream('Hi'));
        expect((refused.error as Error).message).toContain('OpenAI: Your organization must be verified to stream this model.');
        const { values, error } = await collect(model.stream('Hi').pipe(degradeToInvoke(() => model.invoke('Hi'))));
        expect(error).toBeUndefined();
        expect(values.map((chunk) => chunk.content)).toEqual([ANSWER]);
        expect(server.requests.map((request) => (request.body as { stream?: boolean }).stream)).toEqual([true, true, false]);
      });
    });

    it('another 400 is not degraded: the error passes on after one request', async () => {
      const invalid = { status: 400, json: { error: { message: "Invalid value for 'temperature'.", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } } };
      await withServer({ responses: [invalid, { json: COMPLETION }] }, async (server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(degradeToInvoke(() => model.invoke('Hi'))));
        expect(values).toEqual([]);
        expect(error).toEqual(expect.objectContaining({ name: 'ProviderError', status: 400 }));
        expect(server.requests).toHaveLength(1);
      });
    });
  });

  describe("model.stream(q).pipe(streamTimeout({ idleMs }), retryStream({ afterFirstChunk: 'restart' }))", () => {
    it.each([
      { faults: 'a dropped connection', script: [DROPPED, WHOLE], errors: ['APIConnectionError'] },
      { faults: 'a stall', script: [STALLED, WHOLE], errors: ['StreamTimeoutError'] },
      { faults: 'a dropped connection, then a stall', script: [DROPPED, STALLED, WHOLE], errors: ['APIConnectionError', 'StreamTimeoutError'] },
    ])('recovers from $faults: the answer once, after one marker per voided attempt', async ({ script, errors }) => {
      await withServer({ responses: script }, async (server, model) => {
        const { values, error } = await collect(model.stream('Hi').pipe(
          streamTimeout({ idleMs: 80 }),
          retryStream({ afterFirstChunk: 'restart', backoff: FAST }),
          restartOnReset(accumulate({ text: true })),
        ));
        expect(error).toBeUndefined();
        expect(resets(values).map((reset) => reset.error.name)).toEqual(errors);
        expect(lastText(values)).toBe(ANSWER);
        expect(values.filter((item) => item === ANSWER)).toHaveLength(1);
        expect(server.requests).toHaveLength(script.length);
        if (script.includes(STALLED)) expect((await server.clientClosed(script.indexOf(STALLED))).closedByClient).toBe(true);
      });
    });
  });
});
