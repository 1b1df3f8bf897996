import { ProviderError } from '../../src/errors/errors.js';
import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { createResponsesChunkMapper, type ResponsesStep } from '../../src/openai/createResponsesChunkMapper.js';

/** Maps a whole stream of events with one mapper. */
function mapAll(events: readonly Record<string, unknown>[]): { chunks: AIMessageChunk[]; errors: ProviderError[] } {
  const map = createResponsesChunkMapper();
  const steps: ResponsesStep[] = events.map((event) => map(event));
  return {
    chunks: steps.flatMap((step) => (step.chunk ? [step.chunk] : [])),
    errors: steps.flatMap((step) => (step.error ? [step.error] : [])),
  };
}

const response = (fields: Record<string, unknown>) => ({ id: 'resp_1', model: 'gpt-5-nano', status: 'in_progress', ...fields });
const completed = (usage: Record<string, unknown> | null = null) => ({ type: 'response.completed', response: response({ status: 'completed', usage }) });

describe('createResponsesChunkMapper', () => {
  it('maps text deltas under the response id, with stop and usage on the last chunk', () => {
    const { chunks } = mapAll([
      { type: 'response.created', response: response({}) },
      { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'Hel' },
      { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'lo' },
      { type: 'response.output_text.done', item_id: 'msg_1', text: 'Hello' },
      completed({ input_tokens: 5, input_tokens_details: { cached_tokens: 2 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 4 }, total_tokens: 14 }),
    ]);
    const whole = concatChunks(chunks);
    expect(whole).toEqual(expect.objectContaining({ id: 'resp_1', content: 'Hello', finishReason: 'stop' }));
    expect(whole.usage).toEqual({ inputTokens: 5, outputTokens: 9, totalTokens: 14, reasoningTokens: 4, cachedInputTokens: 2 });
    expect(whole.responseMetadata).toEqual(expect.objectContaining({ model_name: 'gpt-5-nano', status: 'completed' }));
  });

  it('puts reasoning summaries into reasoning', () => {
    const { chunks } = mapAll([
      { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', delta: 'Think' },
      { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', delta: 'ing' },
      { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'Yes' },
    ]);
    expect(concatChunks(chunks)).toEqual(expect.objectContaining({ reasoning: 'Thinking', content: 'Yes' }));
  });

  it('keeps summary parts apart with a blank line', () => {
    const { chunks } = mapAll([
      { type: 'response.reasoning_summary_part.added', summary_index: 0 },
      { type: 'response.reasoning_summary_text.delta', delta: 'One.' },
      { type: 'response.reasoning_summary_part.added', summary_index: 1 },
      { type: 'response.reasoning_summary_text.delta', delta: 'Two.' },
    ]);
    expect(concatChunks(chunks).reasoning).toBe('One.\n\nTwo.');
  });

  it('keys function calls by item id, with the call_id as the tool call id, and finishes with tool_calls', () => {
    const { chunks } = mapAll([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_a', call_id: 'call_a', name: 'weather', arguments: '' } },
      { type: 'response.output_item.added', output_index: 1, item: { type: 'function_call', id: 'fc_b', call_id: 'call_b', name: 'time', arguments: '' } },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_b', delta: '{"zone":' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_a', delta: '{"city":"Oslo"}' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_b', delta: '"UTC"}' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_unknown', delta: 'x' },
      completed(),
    ]);
    const whole = concatChunks(chunks);
    expect(whole.finishReason).toBe('tool_calls');
    expect(whole.toolCalls).toEqual([
      { id: 'call_a', name: 'weather', args: { city: 'Oslo' } },
      { id: 'call_b', name: 'time', args: { zone: 'UTC' } },
    ]);
  });

  it('carries the refusal so far in responseMetadata.refusal', () => {
    const { chunks } = mapAll([
      { type: 'response.refusal.delta', delta: "I'm" },
      { type: 'response.refusal.delta', delta: ' sorry' },
    ]);
    expect(chunks.map((c) => c.responseMetadata.refusal)).toEqual(["I'm", "I'm sorry"]);
  });

  it('puts logprobs into metadata in chat.completions shape, appending across chunks', () => {
    const token = (t: string) => ({ token: t, logprob: -0.1, bytes: [], top_logprobs: [] });
    const { chunks } = mapAll([
      { type: 'response.output_text.delta', delta: 'A', logprobs: [token('A')] },
      { type: 'response.output_text.delta', delta: 'B', logprobs: [token('B')] },
    ]);
    expect(concatChunks(chunks).responseMetadata.logprobs).toEqual({ content: [token('A'), token('B')] });
  });

  it('reports background mode: the status queued', () => {
    const { chunks } = mapAll([{ type: 'response.queued', response: response({ status: 'queued', background: true }) }]);
    expect(chunks[0].responseMetadata).toEqual(expect.objectContaining({ status: 'queued', background: true }));
  });

  it('passes a built-in tool call as metadata, not as a tool call', () => {
    const search = { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'news' } };
    const { chunks } = mapAll([
      { type: 'response.output_item.added', item: { ...search, status: 'in_progress' } },
      { type: 'response.output_item.done', item: search },
      completed(),
    ]);
    const whole = concatChunks(chunks);
    expect(whole.toolCallChunks).toEqual([]);
    expect(whole.finishReason).toBe('stop');
    expect(whole.responseMetadata.builtInToolCall).toEqual(search);
  });

  it('maps incomplete for length to the finish reason length', () => {
    const { chunks, errors } = mapAll([{ type: 'response.incomplete', response: response({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }) }]);
    expect(chunks[0].finishReason).toBe('length');
    expect(errors).toEqual([]);
  });

  it('turns an error event into a typed error and ignores what follows it', () => {
    const { chunks, errors } = mapAll([
      { type: 'response.output_text.delta', delta: 'partial' },
      { type: 'error', error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota', param: null } },
      { type: 'response.failed', response: response({ status: 'failed', error: { code: 'insufficient_quota', message: 'again' } }) },
    ]);
    expect(chunks.map((c) => c.content)).toEqual(['partial']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ProviderError);
    expect(errors[0]).toEqual(expect.objectContaining({ code: 'insufficient_quota', type: 'insufficient_quota' }));
    expect(errors[0].message).toContain('You exceeded your current quota');
  });

  it('turns response.failed into a typed error with the response error code', () => {
    const { errors } = mapAll([{ type: 'response.failed', response: response({ status: 'failed', error: { code: 'server_error', message: 'boom' } }) }]);
    expect(errors[0]).toEqual(expect.objectContaining({ code: 'server_error' }));
  });

  it('skips events it has nothing to say about', () => {
    const { chunks, errors } = mapAll([
      { type: 'response.content_part.added', part: { type: 'output_text', text: '' } },
      { type: 'response.output_text.delta', delta: '' },
      { type: 'response.web_search_call.searching', item_id: 'ws_1' },
    ]);
    expect(chunks).toEqual([]);
    expect(errors).toEqual([]);
  });
});
