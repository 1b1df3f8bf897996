import { AIMessage, AIMessageChunk, ChatPromptValue, HumanMessage, SystemMessage, RxllmError, toMessages } from '../../src/index.js';

describe('toMessages', () => {
  it('turns a string into one human message', () => {
    const [message] = toMessages('hi');
    expect(message).toBeInstanceOf(HumanMessage);
    expect(message.content).toBe('hi');
  });

  it('takes messages, role tuples and chunks', () => {
    const messages = toMessages([new SystemMessage('s'), ['user', 'u'], ['assistant', 'a'], new AIMessageChunk({ content: 'c' })]);
    expect(messages.map((m) => [m.type, m.content])).toEqual([['system', 's'], ['human', 'u'], ['ai', 'a'], ['ai', 'c']]);
    expect(messages[3]).toBeInstanceOf(AIMessage);
  });

  it('unwraps a prompt value', () => {
    const value = new ChatPromptValue([new HumanMessage('x')]);
    expect(toMessages(value)).toBe(value.messages);
  });

  it('rejects anything else with a typed error', () => {
    expect(() => toMessages(42 as never)).toThrow(RxllmError);
    expect(() => toMessages([['robot', 'x']] as never)).toThrow(/Unknown message role "robot"/);
    expect(() => toMessages([{ nope: true }] as never)).toThrow(/Not a message/);
  });
});
