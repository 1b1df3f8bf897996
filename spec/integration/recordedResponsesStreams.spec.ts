import { readdirSync } from 'node:fs';
import OpenAI from 'openai';
import type { Response as OpenAIResponse, ResponseOutputItem } from 'openai/resources/responses/responses';
import { ProviderError } from '../../src/errors/errors.js';
import type { Usage } from '../../src/messages/AIMessageChunk.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';
import { describeFixtures, fixturePath } from '../support/fixtures.js';
import { TEST_KEY, replay, type Replay } from '../support/replaySupport.js';

const DIR = 'openai-responses';

/** What the `openai` client itself makes of a recording: its final response, or the error it throws. */
async function clientAccumulation(file: string): Promise<{ response?: OpenAIResponse; error?: unknown }> {
  const server = new SseReplayServer({ file: fixturePath(`${DIR}/${file}`) });
  const baseURL = await server.start();
  try {
    const client = new OpenAI({ apiKey: TEST_KEY, baseURL, maxRetries: 0 });
    const stream = client.responses.stream({ model: 'test-model', input: 'Hi' });
    try {
      return { response: await stream.finalResponse() };
    } catch (error) {
      return { error };
    }
  } finally {
    await server.close();
  }
}

/** The fields of a chunk concatenation that the client's final response determines. */
function expectedFrom(response: OpenAIResponse) {
  const output: ResponseOutputItem[] = response.output;
  const calls = output.flatMap((item) => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) as unknown }] : []));
  const summaries = output.flatMap((item) => (item.type === 'reasoning' ? item.summary.map((part) => part.text) : []));
  const texts = output.flatMap((item) => (item.type === 'message' ? item.content : []));
  const logprobs = texts.flatMap((part) => (part.type === 'output_text' ? part.logprobs ?? [] : []));
  const refusal = texts.flatMap((part) => (part.type === 'refusal' ? [part.refusal] : [])).join('');
  const builtIn = output.filter((item) => item.type !== 'function_call' && item.type.endsWith('_call'));
  const wire = response.usage;
  const usage: Usage | undefined = wire ? {
    inputTokens: wire.input_tokens, outputTokens: wire.output_tokens, totalTokens: wire.total_tokens,
    reasoningTokens: wire.output_tokens_details.reasoning_tokens, cachedInputTokens: wire.input_tokens_details.cached_tokens,
  } : undefined;
  const incomplete = response.incomplete_details?.reason;
  const finishReason = calls.length > 0 ? 'tool_calls' : incomplete === 'max_output_tokens' ? 'length' : incomplete === 'content_filter' ? 'content_filter' : 'stop';
  return { text: response.output_text, reasoning: summaries.length > 0 ? summaries.join('\n\n') : undefined, calls, logprobs, refusal, builtIn, usage, finishReason, id: response.id };
}

function expectAgreement(result: Replay, client: { response?: OpenAIResponse; error?: unknown }): void {
  const { message } = result;
  if (!client.response) {
    // The client fails on the recording too: rxllm ends with a typed error after the chunks before it.
    expect(client.error).toBeInstanceOf(Error);
    expect(result.error).toBeInstanceOf(ProviderError);
    expect((result.error as ProviderError).message).toContain((client.error as Error).message.replace(/^\d+ /, ''));
    expect(message.content).toBe('');
    return;
  }
  expect(result.error).toBeUndefined();
  const expected = expectedFrom(client.response);
  expect(message.content).toBe(expected.text);
  expect(message.reasoning).toBe(expected.reasoning);
  expect(message.toolCalls).toEqual(expected.calls);
  expect(message.invalidToolCalls).toEqual([]);
  expect(message.usage).toEqual(expected.usage);
  expect(message.finishReason).toBe(expected.finishReason);
  expect(message.id).toBe(expected.id);
  expect(message.responseMetadata.refusal).toBe(expected.refusal === '' ? undefined : expected.refusal);
  // The deltas carry full precision; the final response rounds to 6 decimals.
  const logprobs = (message.responseMetadata.logprobs as { content: { token: string; logprob: number; bytes: number[] }[] } | undefined)?.content ?? [];
  expect(logprobs.map(({ token, bytes }) => ({ token, bytes }))).toEqual(expected.logprobs.map(({ token, bytes }) => ({ token, bytes })));
  logprobs.forEach((entry, i) => expect(entry.logprob).toBeCloseTo(expected.logprobs[i].logprob, 5));
  // One built-in call at most per recording: the metadata holds the last one.
  expect(message.responseMetadata.builtInToolCall).toEqual(expected.builtIn.at(-1));
  expect(message.responseMetadata.status).toBe(client.response.status);
}

const RECORDINGS = [
  'background-queued.sse', 'error-insufficient-quota.sse', 'function-call.sse', 'parallel-function-calls.sse',
  'reasoning-summary-text.sse', 'text-logprobs.sse', 'text.sse', 'web-search.sse',
];

describeFixtures('ChatOpenAI (api: responses) on the recorded Responses streams', () => {
  it('covers every recording, and all 8 are there', () => {
    expect(readdirSync(fixturePath(DIR)).filter((file) => file.endsWith('.sse')).sort()).toEqual(RECORDINGS);
  });

  describe.each(RECORDINGS)('%s', (file) => {
    it('reads as the openai client accumulates it when the body arrives whole', async () => {
      const [ours, theirs] = await Promise.all([replay({ file: fixturePath(`${DIR}/${file}`) }, { api: 'responses' }), clientAccumulation(file)]);
      expectAgreement(ours, theirs);
      expect(ours.requests[0]).toEqual(expect.objectContaining({ url: '/v1/responses' }));
    });

    it('gives the same chunks when every byte arrives on its own', async () => {
      const whole = await replay({ file: fixturePath(`${DIR}/${file}`) }, { api: 'responses' });
      const bytewise = await replay({ file: fixturePath(`${DIR}/${file}`) }, { api: 'responses' }, 'Hi', { bytewise: true });
      expectAgreement(bytewise, await clientAccumulation(file));
      expect(bytewise.chunks.map((chunk) => chunk.toJSON())).toEqual(whole.chunks.map((chunk) => chunk.toJSON()));
    }, 60_000);
  });

  it('reads the facts of the recordings as grep shows them', async () => {
    const reasoning = await replay({ file: fixturePath(`${DIR}/reasoning-summary-text.sse`) }, { api: 'responses' });
    expect(reasoning.message.usage).toEqual({ inputTokens: 13, outputTokens: 1680, totalTokens: 1693, reasoningTokens: 1408, cachedInputTokens: 0 });
    const call = await replay({ file: fixturePath(`${DIR}/function-call.sse`) }, { api: 'responses' });
    expect(call.message.toolCalls[0]).toEqual(expect.objectContaining({ id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL', name: 'get_capital' }));
    expect(call.message.finishReason).toBe('tool_calls');
    const queued = await replay({ file: fixturePath(`${DIR}/background-queued.sse`) }, { api: 'responses' });
    expect(queued.chunks[0].responseMetadata).toEqual(expect.objectContaining({ status: 'queued', background: true }));
    const failed = await replay({ file: fixturePath(`${DIR}/error-insufficient-quota.sse`) }, { api: 'responses' });
    expect(failed.error).toEqual(expect.objectContaining({ code: 'insufficient_quota', type: 'insufficient_quota' }));
    expect(failed.chunks.length).toBe(2);
  });
});
