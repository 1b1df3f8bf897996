import { concatChunks, type AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { createChatChunkMapper } from '../../src/openai/createChatChunkMapper.js';
import type { WireCompletion } from '../../src/openai/openAIWireTypes.js';
import { wireChunk } from '../support/replaySupport.js';

/** Maps a whole stream of wire chunks with one mapper, dropping the ones it skips. */
function mapAll(wires: readonly Record<string, unknown>[]): AIMessageChunk[] {
  const map = createChatChunkMapper();
  return wires.map((wire) => map(wire as WireCompletion)).filter((chunk): chunk is AIMessageChunk => chunk !== undefined);
}

const delta = (d: Record<string, unknown>, extra: Record<string, unknown> = {}) => wireChunk(d, extra);

describe('createChatChunkMapper', () => {
  it('maps text deltas, keeping the wire id', () => {
    const [first, second] = mapAll([delta({ role: 'assistant', content: 'Hel' }), delta({ content: 'lo' })]);
    expect(first).toEqual(expect.objectContaining({ id: 'chatcmpl-own', content: 'Hel' }));
    expect(second.content).toBe('lo');
    expect(first.reasoning).toBeUndefined();
  });

  it('reads reasoning from reasoning_content, from reasoning, and from thinking parts of a content array', () => {
    const chunks = mapAll([
      delta({ reasoning_content: 'a', content: null }),
      delta({ reasoning: 'b', channel: 'analysis' }),
      delta({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'c' }, { type: 'text', text: 'd' }] }] }),
      delta({ content: [{ type: 'thinking', thinking: 'e' }, { type: 'text', text: 'answer' }] }),
      delta({ reasoning_content: '', reasoning: 'f' }),
    ]);
    expect(chunks.map((c) => c.reasoning)).toEqual(['a', 'b', 'cd', 'e', 'f']);
    expect(concatChunks(chunks)).toEqual(expect.objectContaining({ content: 'answer', reasoning: 'abcdef' }));
  });

  it('ignores content parts it does not know, and null fields', () => {
    const [chunk] = mapAll([delta({ content: [{ type: 'image_url', image_url: {} }, null], reasoning_content: null, refusal: null, tool_calls: null })]);
    expect(chunk).toEqual(expect.objectContaining({ content: '', toolCallChunks: [] }));
    expect(chunk.reasoning).toBeUndefined();
    expect(chunk.responseMetadata.refusal).toBeUndefined();
  });

  it('carries the refusal so far in responseMetadata.refusal, so the concatenation holds all of it', () => {
    const chunks = mapAll([delta({ refusal: "I'm" }), delta({ refusal: ' sorry' }), delta({}, {})]);
    expect(chunks.map((c) => c.responseMetadata.refusal)).toEqual(["I'm", "I'm sorry", undefined]);
    expect(concatChunks(chunks).responseMetadata.refusal).toBe("I'm sorry");
  });

  it('keeps wire tool-call indexes as sent, even when the first is 1', () => {
    const chunks = mapAll([
      delta({ tool_calls: [{ index: 1, id: 'toolu_1', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '{"pa' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: 'th":"a"}' } }] }),
    ]);
    expect(chunks.flatMap((c) => c.toolCallChunks)).toEqual([
      { index: 1, id: 'toolu_1', name: 'read_file', args: '' },
      { index: 1, args: '{"pa' },
      { index: 1, args: 'th":"a"}' },
    ]);
    expect(concatChunks(chunks).toolCalls).toEqual([{ id: 'toolu_1', name: 'read_file', args: { path: 'a' } }]);
  });

  it('numbers tool calls without index: a new id takes the next index, a known id keeps its own, no id continues the last', () => {
    const chunks = mapAll([
      delta({ tool_calls: [{ id: 'A', function: { name: 'add', arguments: '{"a":' } }] }),
      delta({ tool_calls: [{ function: { arguments: '1}' } }] }),
      delta({ tool_calls: [{ id: 'B', function: { name: 'mul', arguments: '{"b":' } }] }),
      delta({ tool_calls: [{ id: 'A', function: { arguments: '' } }] }),
      delta({ tool_calls: [{ id: 'B', function: { arguments: '2}' } }] }),
    ]);
    expect(chunks.flatMap((c) => c.toolCallChunks.map((t) => t.index))).toEqual([0, 0, 1, 0, 1]);
    expect(concatChunks(chunks).toolCalls).toEqual([
      { id: 'A', name: 'add', args: { a: 1 } },
      { id: 'B', name: 'mul', args: { b: 2 } },
    ]);
  });

  it('starts at index 0 for a first fragment without id or index', () => {
    const [chunk] = mapAll([delta({ tool_calls: [{ function: { name: 'f', arguments: '{}' } }] })]);
    expect(chunk.toolCallChunks).toEqual([{ index: 0, name: 'f', args: '{}' }]);
  });

  it('continues numbering after wire indexes when later fragments lack one', () => {
    const chunks = mapAll([
      delta({ tool_calls: [{ index: 0, id: 'A', function: { name: 'f', arguments: '{}' } }] }),
      delta({ tool_calls: [{ id: 'B', function: { name: 'g', arguments: '{}' } }] }),
    ]);
    expect(chunks.flatMap((c) => c.toolCallChunks.map((t) => t.index))).toEqual([0, 1]);
  });

  it('serializes arguments a server sent as an object', () => {
    const [chunk] = mapAll([delta({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: { city: 'Paris' } } }] })]);
    expect(chunk.toolCallChunks[0].args).toBe('{"city":"Paris"}');
  });

  it('maps usage, with reasoning and cached tokens under each server’s name', () => {
    const usageOf = (usage: Record<string, unknown>) => mapAll([{ id: 'u', choices: [], usage }])[0].usage;
    expect(usageOf({
      prompt_tokens: 10, completion_tokens: 5, total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 3 },
    })).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15, reasoningTokens: 3, cachedInputTokens: 4 });
    expect(usageOf({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_cache_hit_tokens: 6 })).toEqual(
      { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 6 });
    expect(usageOf({ prompt_tokens: 10, completion_tokens: 5, cached_tokens: 2 })).toEqual(
      { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 2 });
  });

  it('keeps the raw usage object in responseMetadata (provider extras such as cost)', () => {
    const [chunk] = mapAll([{ id: 'u', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost: 0.5 } }]);
    expect(chunk.responseMetadata.usage).toEqual({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost: 0.5 });
  });

  it('ignores usage: null', () => {
    const [chunk] = mapAll([delta({ content: 'x' }, { usage: null })]);
    expect(chunk.usage).toBeUndefined();
    expect(chunk.responseMetadata).not.toHaveProperty('usage');
  });

  it('maps the finish reason, and logprobs whose arrays the concatenation appends', () => {
    const token = (t: string) => ({ token: t, logprob: -0.1, bytes: [], top_logprobs: [] });
    const chunks = mapAll([
      { ...delta({ content: 'A' }), choices: [{ index: 0, delta: { content: 'A' }, logprobs: { content: [token('A')], refusal: null }, finish_reason: null }] },
      { ...delta({ content: 'B' }), choices: [{ index: 0, delta: { content: 'B' }, logprobs: { content: [token('B')], refusal: null }, finish_reason: 'stop' }] },
    ]);
    expect(chunks.map((c) => c.finishReason)).toEqual([undefined, 'stop']);
    expect(concatChunks(chunks).responseMetadata.logprobs).toEqual({ content: [token('A'), token('B')], refusal: null });
  });

  it('puts the server’s extra fields in responseMetadata, without per-chunk padding or per-token arrays', () => {
    const [chunk] = mapAll([{
      id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', system_fingerprint: 'fp_1', service_tier: 'default',
      obfuscation: 'Zk3', x_groq: { id: 'req_1' }, citations: ['https://a'], prompt_filter_results: [{ prompt_index: 0 }],
      choices: [{ index: 0, delta: { content: 'hi', token_id: 5 }, finish_reason: null, token_ids: [5], text: 'hi', native_finish_reason: null, content_filter_results: { hate: { filtered: false } } }],
    }]);
    expect(chunk.responseMetadata).toEqual({
      created: 1, model: 'm', system_fingerprint: 'fp_1', service_tier: 'default', x_groq: { id: 'req_1' },
      citations: ['https://a'], prompt_filter_results: [{ prompt_index: 0 }], content_filter_results: { hate: { filtered: false } },
    });
  });

  it('keeps annotations of a delta', () => {
    const [chunk] = mapAll([delta({ content: 'see', annotations: [{ type: 'url_citation' }] })]);
    expect(chunk.responseMetadata.annotations).toEqual([{ type: 'url_citation' }]);
  });

  it('follows choice 0 only when a server sends several choices', () => {
    const choice = (index: number, content: string, finish: string | null = null) => ({ index, delta: { content }, finish_reason: finish });
    const chunks = mapAll([
      { id: 'n', choices: [choice(0, 'zero')] },
      { id: 'n', choices: [choice(1, 'one')] },
      { id: 'n', choices: [choice(2, 'two', 'stop'), choice(0, '!', 'stop')] },
      { id: 'n', choices: [choice(1, '', 'length')] },
      { id: 'n', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
    ]);
    expect(chunks.map((c) => c.content)).toEqual(['zero', '!', '']);
    expect(concatChunks(chunks)).toEqual(expect.objectContaining({ content: 'zero!', finishReason: 'stop' }));
  });

  it('treats a choice without index as choice 0', () => {
    const [chunk] = mapAll([{ id: 'p', choices: [{ delta: { content: 'no index' } }] }]);
    expect(chunk.content).toBe('no index');
  });

  it('keeps a first chunk without choices for its metadata, dropping an empty id', () => {
    const [chunk] = mapAll([{ id: '', object: '', model: '', created: 0, choices: [], prompt_filter_results: [{ prompt_index: 0 }] }]);
    expect(chunk.id).toBeUndefined();
    expect(chunk.responseMetadata.prompt_filter_results).toEqual([{ prompt_index: 0 }]);
  });

  it('numbers tool calls per stream: a new mapper starts again', () => {
    const call = delta({ tool_calls: [{ id: 'A', function: { name: 'f', arguments: '{}' } }] });
    expect(mapAll([call])[0].toolCallChunks[0].index).toBe(0);
    expect(mapAll([call])[0].toolCallChunks[0].index).toBe(0);
  });
});
