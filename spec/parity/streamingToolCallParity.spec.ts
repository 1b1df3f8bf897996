import { AIMessageChunk as LcAIMessageChunk } from '@langchain/core/messages';
import { AIMessageChunk, concatChunks } from '../../src/messages/AIMessageChunk.js';

// A tool call still streaming is not invalid (API.md §6): the message lists it with its
// arguments so far, as LangChain's AIMessageChunk does.

const fragments = ['{"ci', 'ty": "Pa', 'ris", "unit": "celsius"}'];

describe('a tool call still streaming', () => {
  it.each(fragments.map((_, n) => [n + 1]))('after %i fragment(s): listed in toolCalls like LangChain, not invalid', (count) => {
    const pieces = fragments.slice(0, count);
    const ours = concatChunks(pieces.map((args, i) => new AIMessageChunk({ toolCallChunks: [{ index: 0, ...(i === 0 && { id: 'call_1', name: 'get_weather' }), args }] })));
    const theirs = pieces
      .map((args, i) => new LcAIMessageChunk({ content: '', tool_call_chunks: [{ index: 0, ...(i === 0 && { id: 'call_1', name: 'get_weather' }), args, type: 'tool_call_chunk' }] }))
      .reduce((a, b) => a.concat(b));
    expect(ours.invalidToolCalls).toEqual([]);
    expect(theirs.invalid_tool_calls).toEqual([]);
    expect(ours.toolCalls).toEqual(theirs.tool_calls!.map(({ id, name, args }) => ({ id, name, args })));
  });

  it('is judged once the message is complete: a cut-off text is then an invalid call', () => {
    const cut = concatChunks([
      new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'call_1', name: 'get_weather', args: '{"city": "Par' }] }),
      new AIMessageChunk({ finishReason: 'length' }),
    ]);
    expect(cut.toolCalls).toEqual([]);
    expect(cut.invalidToolCalls).toEqual([expect.objectContaining({ id: 'call_1', args: '{"city": "Par' })]);
  });
});
