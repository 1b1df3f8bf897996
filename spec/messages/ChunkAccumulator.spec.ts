import { AIMessageChunk, type AIMessageChunkFields } from '../../src/messages/AIMessageChunk.js';
import { ChunkAccumulator } from '../../src/messages/ChunkAccumulator.js';

const chunk = (fields: string | AIMessageChunkFields) => new AIMessageChunk(fields);
const view = (sum: ChunkAccumulator) => new AIMessageChunk(sum.fields());

describe('ChunkAccumulator', () => {
  it('starts as the fields of an empty chunk', () => {
    expect(new ChunkAccumulator().fields()).toEqual({ content: '', toolCallChunks: [], responseMetadata: {} });
  });

  it('applies every concatenation rule: text, reasoning, tool calls, usage, first id, last finish reason, metadata', () => {
    const sum = new ChunkAccumulator()
      .add(chunk({ id: 'run-1', content: 'Hel', responseMetadata: { model: 'm1' } }))
      .add(chunk({ id: 'run-2', reasoning: 'hm', toolCallChunks: [{ index: 0, id: 'c1', name: 'f', args: '{"a"' }] }))
      .add(chunk({ content: 'lo', finishReason: 'length', toolCallChunks: [{ index: 0, args: ':1}' }], usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 } }))
      .add(chunk({ finishReason: 'tool_calls', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 }, responseMetadata: { model: 'm2', system_fingerprint: 'fp' } }));
    expect(sum.fields()).toEqual({
      id: 'run-1',
      content: 'Hello',
      reasoning: 'hm',
      toolCallChunks: [{ index: 0, id: 'c1', name: 'f', args: '{"a":1}' }],
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
      finishReason: 'tool_calls',
      responseMetadata: { model: 'm2', system_fingerprint: 'fp' },
    });
  });

  it('leaves out the optional fields no chunk had', () => {
    const fields = new ChunkAccumulator().add(chunk('a')).add(chunk('b')).fields();
    expect(Object.keys(fields).sort()).toEqual(['content', 'responseMetadata', 'toolCallChunks']);
  });

  it('gives views that later chunks do not change, and that share no list or record with it', () => {
    const sum = new ChunkAccumulator().add(chunk({ content: 'a', toolCallChunks: [{ index: 0, id: 'c', name: 'f', args: '{' }], responseMetadata: { model: 'm1' } }));
    const first = view(sum);
    sum.add(chunk({ content: 'b', toolCallChunks: [{ index: 0, args: '}' }, { index: 1, id: 'd', name: 'g' }], responseMetadata: { model: 'm2' } }));
    const second = view(sum);
    expect(first.content).toBe('a');
    expect(first.toolCallChunks).toEqual([{ index: 0, id: 'c', name: 'f', args: '{' }]);
    expect(first.responseMetadata).toEqual({ model: 'm1' });
    expect(second.content).toBe('ab');
    expect(second.toolCallChunks).toEqual([{ index: 0, id: 'c', name: 'f', args: '{}' }, { index: 1, id: 'd', name: 'g' }]);
    second.toolCallChunks.pop();
    second.responseMetadata.model = 'changed';
    expect(sum.fields().toolCallChunks).toHaveLength(2);
    expect(sum.fields().responseMetadata).toEqual({ model: 'm2' });
  });

  it('gives views whose log-probabilities stay as they were when the view was taken', () => {
    const sum = new ChunkAccumulator();
    const lengths: Array<() => number> = [];
    for (const token of ['a', 'b', 'c']) {
      sum.add(new AIMessageChunk({ content: token, responseMetadata: { logprobs: { content: [{ token, logprob: -1 }], refusal: null } } }));
      const view = sum.fields().responseMetadata!.logprobs as { content: unknown[] };
      lengths.push(() => view.content.length);
    }
    expect(lengths.map((length) => length())).toEqual([1, 2, 3]);
    const last = sum.fields().responseMetadata!.logprobs;
    expect(last).toEqual({ content: [{ token: 'a', logprob: -1 }, { token: 'b', logprob: -1 }, { token: 'c', logprob: -1 }], refusal: null });
    expect(JSON.parse(JSON.stringify(last))).toEqual(last);
  });

  it('changes none of the chunks it adds', () => {
    const a = chunk({ content: 'a', toolCallChunks: [{ index: 0, id: 'c', name: 'f', args: '[' }], responseMetadata: { logprobs: { content: [1] } } });
    const b = chunk({ content: 'b', toolCallChunks: [{ index: 0, args: ']' }], responseMetadata: { logprobs: { content: [2] } } });
    const sum = new ChunkAccumulator().add(a).add(b);
    expect(sum.fields().responseMetadata).toEqual({ logprobs: { content: [1, 2] } });
    expect(a.toolCallChunks).toEqual([{ index: 0, id: 'c', name: 'f', args: '[' }]);
    expect(a.responseMetadata).toEqual({ logprobs: { content: [1] } });
    expect(b.toolCallChunks).toEqual([{ index: 0, args: ']' }]);
    expect(b.responseMetadata).toEqual({ logprobs: { content: [2] } });
  });

  it('copies per view only the list of calls, however many chunks came before', () => {
    // One call and a view after each of 20,000 chunks: 20,000 entries copied in all, where a
    // view that re-collected the chunks would copy 20,000²/2.
    const sum = new ChunkAccumulator();
    const copied = { slices: 0 };
    const slice = Array.prototype.slice;
    const spy = jest.spyOn(Array.prototype, 'slice').mockImplementation(function (this: unknown[], ...args: unknown[]) {
      copied.slices += this.length;
      return slice.apply(this, args as [number?, number?]);
    });
    try {
      for (let i = 0; i < 20_000; i++) view(sum.add(chunk({ content: 'token ', ...(i === 0 && { toolCallChunks: [{ index: 0, id: 'c', name: 'f' }] }) })));
    } finally {
      spy.mockRestore();
    }
    expect(copied.slices).toBe(20_000);
    expect(view(sum).content).toHaveLength(6 * 20_000);
  });
});
