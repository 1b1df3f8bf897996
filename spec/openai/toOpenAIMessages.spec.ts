import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '../../src/messages/messages.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { toOpenAIMessages } from '../../src/openai/toOpenAIMessages.js';

describe('toOpenAIMessages', () => {
  it('maps system, human and plain assistant messages, with names', () => {
    expect(toOpenAIMessages([
      new SystemMessage('Be terse.'),
      new HumanMessage({ content: 'Hi', name: 'ada' }),
      new AIMessage('Hello'),
    ])).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Hi', name: 'ada' },
      { role: 'assistant', content: 'Hello' },
    ]);
  });

  it('sends an assistant message’s tool calls with JSON arguments, and null content when it has no text', () => {
    const ai = new AIMessage({ content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }] });
    expect(toOpenAIMessages([ai])).toEqual([{
      role: 'assistant', content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    }]);
  });

  it('sends invalid tool calls that have an id, even without a name, so their answers stay paired', () => {
    const ai = new AIMessage({
      content: 'Trying',
      invalidToolCalls: [
        { id: 'call_2', name: 'f', args: '{"broken', error: 'bad JSON' },
        { id: 'call_3', args: '{}', error: 'no name' },
        { args: 'no id', error: 'x' },
      ],
    });
    expect(toOpenAIMessages([ai])).toEqual([{
      role: 'assistant', content: 'Trying',
      tool_calls: [
        { id: 'call_2', type: 'function', function: { name: 'f', arguments: '{"broken' } },
        { id: 'call_3', type: 'function', function: { name: '', arguments: '{}' } },
      ],
    }]);
  });

  it('pairs a streamed invalid call without an id with its tool answer', () => {
    const chunk = new AIMessageChunk({ toolCallChunks: [{ index: 4, name: 'f', args: '{"cut' }] });
    expect(chunk.toMessage().invalidToolCalls[0].id).toBe('call_4');
    expect(toOpenAIMessages([chunk.toMessage()])[0]).toMatchObject({ tool_calls: [{ id: 'call_4', function: { name: 'f', arguments: '{"cut' } }] });
  });

  it('maps tool answers to role tool with their call id, and leaves reasoning out', () => {
    expect(toOpenAIMessages([
      new AIMessage({ content: 'Sunny', reasoning: 'private thoughts' }),
      new ToolMessage({ content: '18°C', toolCallId: 'call_1' }),
    ])).toEqual([
      { role: 'assistant', content: 'Sunny' },
      { role: 'tool', content: '18°C', tool_call_id: 'call_1' },
    ]);
  });
});
