import { AIMessage, ChatPromptValue, HumanMessage, SystemMessage, isChatPromptValue } from '../../src/index.js';

describe('ChatPromptValue', () => {
  const value = new ChatPromptValue([new SystemMessage('Be terse.'), new HumanMessage('Hi'), new AIMessage('Hello')]);

  it('holds the messages', () => {
    expect(value.messages.map((m) => [m.type, m.content])).toEqual([['system', 'Be terse.'], ['human', 'Hi'], ['ai', 'Hello']]);
  });

  it('reads as one role: content line per message', () => {
    expect(value.toString()).toBe('system: Be terse.\nhuman: Hi\nai: Hello');
  });

  it('is recognised by isChatPromptValue, also as a plain copy', () => {
    expect(isChatPromptValue(value)).toBe(true);
    expect(isChatPromptValue({ type: 'chat_prompt_value', messages: [] })).toBe(true);
    expect(isChatPromptValue({ type: 'chat_prompt_value' })).toBe(false);
    expect(isChatPromptValue([new HumanMessage('x')])).toBe(false);
    expect(isChatPromptValue(null)).toBe(false);
  });
});
