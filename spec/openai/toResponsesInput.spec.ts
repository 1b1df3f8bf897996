import { RxllmError } from '../../src/errors/RxllmError.js';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '../../src/messages/messages.js';
import { toResponsesInput } from '../../src/openai/toResponsesInput.js';

describe('toResponsesInput', () => {
  it('maps system, user and assistant messages to message items', () => {
    expect(toResponsesInput([new SystemMessage('Be terse.'), new HumanMessage('Hi'), new AIMessage('Hello')])).toEqual([
      { type: 'message', role: 'system', content: 'Be terse.' },
      { type: 'message', role: 'user', content: 'Hi' },
      { type: 'message', role: 'assistant', content: 'Hello' },
    ]);
  });

  it('sends tool calls as function_call items and answers as function_call_output with the same call_id', () => {
    const ai = new AIMessage({ content: 'Checking.', toolCalls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }] });
    expect(toResponsesInput([ai, new ToolMessage({ content: '18°C', toolCallId: 'call_1' })])).toEqual([
      { type: 'message', role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '18°C' },
    ]);
  });

  it('leaves out an empty assistant text, and sends an invalid call with an id so its output stays paired', () => {
    const ai = new AIMessage({ content: '', invalidToolCalls: [{ id: 'call_2', name: 'broken', args: '{"a":', error: 'bad JSON' }, { args: 'x', error: 'no id' }] });
    expect(toResponsesInput([ai])).toEqual([{ type: 'function_call', call_id: 'call_2', name: 'broken', arguments: '{"a":' }]);
  });

  it('rejects a message type it cannot send', () => {
    expect(() => toResponsesInput([{ type: 'other', content: '' } as unknown as BaseMessage])).toThrow(RxllmError);
  });
});
