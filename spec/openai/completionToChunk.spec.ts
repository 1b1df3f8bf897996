import { concatChunks } from '../../src/messages/AIMessageChunk.js';
import { completionToChunk } from '../../src/openai/completionToChunk.js';
import { createChatChunkMapper } from '../../src/openai/createChatChunkMapper.js';
import type { WireCompletion } from '../../src/openai/openAIWireTypes.js';

const usage = { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29, completion_tokens_details: { reasoning_tokens: 4 } };
const logprobs = { content: [{ token: 'Hi', logprob: -0.5, bytes: [72, 105], top_logprobs: [] }], refusal: null };

const completion: WireCompletion = {
  id: 'chatcmpl-1', object: 'chat.completion', created: 5, model: 'own-model', system_fingerprint: 'fp_9',
  choices: [{
    index: 0, finish_reason: 'tool_calls', logprobs,
    message: {
      role: 'assistant', content: 'Hi', reasoning_content: 'thinking',
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'add', arguments: '{"a":1}' } },
        { id: 'call_b', type: 'function', function: { name: 'mul', arguments: '{"b":2}' } },
      ],
    },
  }],
  usage,
};

/** The same answer, streamed the way OpenAI streams it. */
const streamed: WireCompletion[] = [
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'think' }, finish_reason: null }] },
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [{ index: 0, delta: { reasoning_content: 'ing' }, finish_reason: null }] },
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [{ index: 0, delta: { content: 'Hi' }, logprobs, finish_reason: null }] },
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'add', arguments: '{"a"' } }] }, finish_reason: null }] },
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: null }] },
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'mul', arguments: '{"b":2}' } }] }, finish_reason: null }] },
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
  { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 5, model: 'own-model', system_fingerprint: 'fp_9', choices: [], usage },
];

describe('completionToChunk', () => {
  it('maps a whole completion: text, reasoning, tool calls by position, usage, finish reason, metadata', () => {
    const chunk = completionToChunk(completion);
    expect(chunk).toEqual(expect.objectContaining({
      id: 'chatcmpl-1', content: 'Hi', reasoning: 'thinking', finishReason: 'tool_calls',
      usage: { inputTokens: 20, outputTokens: 9, totalTokens: 29, reasoningTokens: 4 },
    }));
    expect(chunk.toolCallChunks.map((c) => c.index)).toEqual([0, 1]);
    expect(chunk.toolCalls).toEqual([{ id: 'call_a', name: 'add', args: { a: 1 } }, { id: 'call_b', name: 'mul', args: { b: 2 } }]);
    expect(chunk.responseMetadata).toEqual({ created: 5, model: 'own-model', system_fingerprint: 'fp_9', logprobs, usage });
  });

  it('has the same fields as the concatenation of the same answer streamed', () => {
    const map = createChatChunkMapper();
    const whole = concatChunks(streamed.map((wire) => map(wire)!));
    expect(completionToChunk(completion).toJSON()).toEqual(whole.toJSON());
  });

  it('puts a refusal in responseMetadata.refusal, like the streamed concatenation', () => {
    const refusal: WireCompletion = { id: 'r', choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop' }] };
    const map = createChatChunkMapper();
    const streamedRefusal = concatChunks([
      map({ id: 'r', choices: [{ index: 0, delta: { role: 'assistant', content: null, refusal: 'No' }, finish_reason: null }] })!,
      map({ id: 'r', choices: [{ index: 0, delta: { refusal: '.' }, finish_reason: 'stop' }] })!,
    ]);
    expect(completionToChunk(refusal).toJSON()).toEqual(streamedRefusal.toJSON());
    expect(completionToChunk(refusal).responseMetadata.refusal).toBe('No.');
  });

  it('splits a content array into text and thinking', () => {
    const chunk = completionToChunk({ id: 'm', choices: [{ index: 0, message: { content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'hmm' }] }, { type: 'text', text: 'Yes' }] } }] });
    expect(chunk).toEqual(expect.objectContaining({ content: 'Yes', reasoning: 'hmm' }));
  });

  it('reads choice 0 of several', () => {
    const chunk = completionToChunk({ id: 'n', choices: [{ index: 1, message: { content: 'one' } }, { index: 0, message: { content: 'zero' } }] });
    expect(chunk.content).toBe('zero');
  });

  it('gives an empty message for a completion without choices', () => {
    expect(completionToChunk({ id: 'e', choices: [] })).toEqual(expect.objectContaining({ id: 'e', content: '', toolCallChunks: [] }));
  });
});
