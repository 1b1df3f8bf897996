import { AIMessage, AIMessageChunk, ChatPromptValue, HumanMessage, SystemMessage, RxllmError, MessageInputError, toMessages } from '../../src/index.js';

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
    expect(() => toMessages([['robot', 'x']] as never)).toThrow(/unknown role "robot"/);
    expect(() => toMessages([{ nope: true }] as never)).toThrow(/is not a message/);
  });

  it.each([
    ['a null entry', [null], /Message 0 is not a message: null/],
    ['an undefined entry after a good one', ['x' as never, undefined].slice(1), /Message 0 is not a message: undefined/],
    ['a pair with null content', [['human', 'ok'], ['human', null]], /Message 1: the content .* must be text, not null/],
    ['a pair with an object as content', [['human', { text: 'hi' }]], /must be text, not Object/],
    ['a message-like object with numeric content', [{ type: 'human', content: 5 }], /Message 0 is not a message/],
  ])('rejects %s with a MessageInputError naming the entry', (_label, input, message) => {
    let thrown: unknown;
    try {
      toMessages(input as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MessageInputError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as MessageInputError).index).toBe(Number(/Message (\d+)/.exec((thrown as Error).message)![1]));
  });
});
