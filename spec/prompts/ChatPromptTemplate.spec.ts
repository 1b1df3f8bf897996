import { lastValueFrom, toArray } from 'rxjs';
import {
  AIMessage, ChatPromptTemplate, ChatPromptValue, HumanMessage, MessagesPlaceholder, PromptInputError, SystemMessage, type BaseMessage,
  type StreamEvent,
} from '../../src/index.js';

const roles = (messages: BaseMessage[]) => messages.map((m) => [m.type, m.content]);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error);
}

describe('ChatPromptTemplate', () => {
  describe('messages', () => {
    it('maps every role and fills the variables', async () => {
      const prompt = ChatPromptTemplate.fromMessages([
        ['system', 'You are {persona}.'],
        ['human', 'Q1: {q}'],
        ['ai', 'A1 to {q}'],
        ['user', 'Q2'],
        ['assistant', 'A2'],
      ]);
      const value = await prompt.invoke({ persona: 'terse', q: 'why' });
      expect(value).toBeInstanceOf(ChatPromptValue);
      expect(roles(value.messages)).toEqual([['system', 'You are terse.'], ['human', 'Q1: why'], ['ai', 'A1 to why'], ['human', 'Q2'], ['ai', 'A2']]);
      expect(value.messages[0]).toBeInstanceOf(SystemMessage);
      expect(value.messages[1]).toBeInstanceOf(HumanMessage);
      expect(value.messages[2]).toBeInstanceOf(AIMessage);
    });

    it('JSON-encodes non-string values and keeps {{ }} literal', () => {
      const prompt = ChatPromptTemplate.fromMessages([['human', 'Data {{raw}}: {data}, n={n}']]);
      expect(roles(prompt.formatMessages({ data: { a: [1] }, n: 3 }))).toEqual([['human', 'Data {raw}: {"a":[1]}, n=3']]);
    });

    it('passes a fixed message through untouched, braces and all', () => {
      const fixed = new SystemMessage('Answer in {json}.');
      const prompt = ChatPromptTemplate.fromMessages([fixed, ['human', '{input}']]);
      const messages = prompt.formatMessages({ input: 'x' });
      expect(messages[0]).toBe(fixed);
      expect(roles(messages)).toEqual([['system', 'Answer in {json}.'], ['human', 'x']]);
    });

    it('lists its input variables once each, placeholders included', () => {
      const prompt = ChatPromptTemplate.fromMessages([
        ['system', '{persona} {persona}'],
        ['placeholder', '{history}'],
        new MessagesPlaceholder('examples'),
        ['human', '{input} {{literal}}'],
      ]);
      expect(prompt.inputVariables).toEqual(['persona', 'history', 'examples', 'input']);
    });
  });

  describe('placeholders', () => {
    const history = [new HumanMessage('earlier'), new AIMessage('reply')];

    it("['placeholder', '{history}'] inserts the messages, and is optional", () => {
      const prompt = ChatPromptTemplate.fromMessages([['system', 'S'], ['placeholder', '{history}'], ['human', '{input}']]);
      expect(roles(prompt.formatMessages({ history, input: 'now' }))).toEqual([['system', 'S'], ['human', 'earlier'], ['ai', 'reply'], ['human', 'now']]);
      expect(roles(prompt.formatMessages({ input: 'now' }))).toEqual([['system', 'S'], ['human', 'now']]);
    });

    it('new MessagesPlaceholder(name) is required', () => {
      const prompt = ChatPromptTemplate.fromMessages([new MessagesPlaceholder('history'), ['human', '{input}']]);
      expect(roles(prompt.formatMessages({ history, input: 'now' }))).toEqual([['human', 'earlier'], ['ai', 'reply'], ['human', 'now']]);
      let error: unknown;
      try {
        prompt.formatMessages({ input: 'now' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PromptInputError);
      expect((error as PromptInputError).variable).toBe('history');
      expect((error as PromptInputError).message).toContain('history');
    });

    it('new MessagesPlaceholder(name, true) is optional', () => {
      const prompt = ChatPromptTemplate.fromMessages([new MessagesPlaceholder('history', true), ['human', 'q']]);
      expect(roles(prompt.formatMessages({}))).toEqual([['human', 'q']]);
    });

    it('takes [role, content] pairs and a string as placeholder values', () => {
      const prompt = ChatPromptTemplate.fromMessages([['placeholder', '{history}']]);
      expect(roles(prompt.formatMessages({ history: [['user', 'u'], ['assistant', 'a'], ['system', 's']] }))).toEqual([['human', 'u'], ['ai', 'a'], ['system', 's']]);
      expect(roles(prompt.formatMessages({ history: 'just text' }))).toEqual([['human', 'just text']]);
    });

    it('a placeholder value that is not messages is a PromptInputError naming the variable', () => {
      const prompt = ChatPromptTemplate.fromMessages([['placeholder', '{history}']]);
      expect(() => prompt.formatMessages({ history: 42 })).toThrow(PromptInputError);
      expect(() => prompt.formatMessages({ history: [['wizard', 'x']] })).toThrow(/history/);
    });

    it("rejects a placeholder not written '{name}'", () => {
      expect(() => ChatPromptTemplate.fromMessages([['placeholder', 'history']])).toThrow(PromptInputError);
    });
  });

  describe('bad input', () => {
    it('a missing variable rejects invoke with a PromptInputError naming it', async () => {
      const prompt = ChatPromptTemplate.fromMessages([['system', 'You are {persona}.'], ['human', '{input}']]);
      const error = await rejection(prompt.invoke({ input: 'hi' }));
      expect(error).toBeInstanceOf(PromptInputError);
      expect((error as PromptInputError).variable).toBe('persona');
      expect((error as PromptInputError).message).toMatch(/"persona"/);
    });

    it('a missing variable errors the stream', async () => {
      const prompt = ChatPromptTemplate.fromMessages([['human', '{input}']]);
      await expect(lastValueFrom(prompt.stream({}))).rejects.toBeInstanceOf(PromptInputError);
    });

    it('input that is not an object is a PromptInputError', async () => {
      const prompt = ChatPromptTemplate.fromMessages([['human', '{input}']]);
      await expect(prompt.invoke(null as never)).rejects.toBeInstanceOf(PromptInputError);
      await expect(prompt.invoke('hi' as never)).rejects.toThrow(/object of variables/);
    });

    it.each([
      ['a malformed template', [['human', 'Hello {name']]],
      ['a stray closing brace', [['system', 'a } b']]],
      ['an unknown role', [['wizard', 'x']]],
    ])('rejects %s when built', (_, messages) => {
      expect(() => ChatPromptTemplate.fromMessages(messages as never)).toThrow(PromptInputError);
    });
  });

  describe('events', () => {
    it('reports on_prompt_start and on_prompt_end only, with input and output', async () => {
      const prompt = ChatPromptTemplate.fromMessages([['human', 'Hi {name}']]);
      const events = await lastValueFrom(prompt.streamEvents({ name: 'Ann' }).pipe(toArray()));
      expect(events.map((e) => [e.event, e.name])).toEqual([['on_prompt_start', 'ChatPromptTemplate'], ['on_prompt_end', 'ChatPromptTemplate']]);
      expect(events[0].data).toEqual({ input: { name: 'Ann' } });
      const output = (events[1] as StreamEvent<{ output: ChatPromptValue }>).data.output;
      expect(output).toBeInstanceOf(ChatPromptValue);
      expect(roles(output.messages)).toEqual([['human', 'Hi Ann']]);
      expect(events[0].run_id).toBe(events[1].run_id);
    });

    it('streams its one value', async () => {
      const prompt = ChatPromptTemplate.fromMessages([['human', 'Hi']]);
      const values = await lastValueFrom(prompt.stream({}).pipe(toArray()));
      expect(values).toHaveLength(1);
      expect(roles(values[0].messages)).toEqual([['human', 'Hi']]);
    });

    it('reports on_prompt_error with a masked message and the input, then errors', async () => {
      const prompt = ChatPromptTemplate.fromMessages([['human', '{input}']]);
      const events: StreamEvent[] = [];
      const secretName = 'sk-abcdefghijklmnopqrstu';
      const error = await new Promise<unknown>((resolve) => prompt.streamEvents({ [secretName]: 1 } as never).subscribe({ next: (e) => events.push(e), error: resolve }));
      expect(error).toBeInstanceOf(PromptInputError);
      expect(events.map((e) => e.event)).toEqual(['on_prompt_start', 'on_prompt_error']);
      expect(events[1].data).toEqual({ error: { name: 'PromptInputError', message: expect.stringContaining('"input"') }, input: { [secretName]: 1 } });
      expect(events[1].data.error.message).not.toContain(secretName);
    });
  });
});
