import { lastValueFrom, map, toArray } from 'rxjs';
import { z } from 'zod';
import { agent } from '../../src/agents/Agent.js';
import { PIIDetectedError } from '../../src/errors/errors.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '../../src/messages/messages.js';
import { toOpenAIMessages } from '../../src/openai/toOpenAIMessages.js';
import { redactInput } from '../../src/security/redactInput.js';
import { ScriptedChatModel } from '../../src/testing/ScriptedChatModel.js';
import { tool } from '../../src/tools/StructuredTool.js';
import { createTestScheduler } from '../support/marbles.js';

const CARD = '4111 1111 1111 1111';
const HASHED_EMAIL = /^Mail \[EMAIL:[0-9a-f]{8}\] today$/;

/** A conversation with an entity in every place a request carries text. */
function conversation(): BaseMessage[] {
  return [
    new SystemMessage('Support desk. Escalate to lead@desk.example.'),
    new HumanMessage({ content: `Refund card ${CARD} for ada@example.com`, name: 'ada' }),
    new AIMessage({
      content: 'Looking it up.',
      reasoning: 'The customer is ada@example.com.',
      toolCalls: [{ id: 'c1', name: 'refund', args: { email: 'ada@example.com', card: 4111111111111111, items: [{ note: 'call +44 20 7946 0958' }], amount: 12.5 } }],
      invalidToolCalls: [{ id: 'c2', name: 'refund', args: '{"email": "ada@example.com", "n', error: 'not JSON' }],
    }),
    new ToolMessage({ toolCallId: 'c1', content: 'Refunded; receipt sent to ada@example.com from 10.0.0.12', artifact: { ip: '10.0.0.12' } }),
  ];
}

describe('redactInput', () => {
  it('sends the model redacted text, reasoning, tool-call arguments and tool results', async () => {
    const model = new ScriptedChatModel({ responses: ['Done.'] });
    await model.withMiddleware(redactInput()).invoke(conversation());
    const [system, human, ai, toolAnswer] = model.calls[0].messages;
    expect(system.content).toBe('Support desk. Escalate to [EMAIL].');
    expect(human).toBeInstanceOf(HumanMessage);
    expect(human).toMatchObject({ content: 'Refund card [CARD] for [EMAIL]', name: 'ada' });
    expect(ai).toBeInstanceOf(AIMessage);
    expect(ai).toMatchObject({
      content: 'Looking it up.',
      reasoning: 'The customer is [EMAIL].',
      toolCalls: [{ id: 'c1', name: 'refund', args: { email: '[EMAIL]', card: '[CARD]', items: [{ note: 'call [PHONE]' }], amount: 12.5 } }],
      invalidToolCalls: [{ id: 'c2', name: 'refund', args: '{"email": "[EMAIL]", "n', error: 'not JSON' }],
    });
    expect(toolAnswer).toBeInstanceOf(ToolMessage);
    expect(toolAnswer).toMatchObject({ toolCallId: 'c1', status: 'success', content: 'Refunded; receipt sent to [EMAIL] from [IP]' });
    // What the OpenAI adapter would put on the wire: the arguments are still JSON, and no entity is left.
    const wire = JSON.stringify(toOpenAIMessages(model.calls[0].messages));
    const sent = toOpenAIMessages(model.calls[0].messages)[2] as { tool_calls: Array<{ function: { arguments: string } }> };
    expect(JSON.parse(sent.tool_calls[0].function.arguments)).toEqual({ email: '[EMAIL]', card: '[CARD]', items: [{ note: 'call [PHONE]' }], amount: 12.5 });
    expect(wire).not.toMatch(/example\.com|4111|7946|10\.0\.0\.12/);
  });

  it('leaves the caller\'s messages as they were', async () => {
    const messages = conversation();
    const before = JSON.stringify(messages);
    const model = new ScriptedChatModel({ responses: ['Done.'] });
    await model.withMiddleware(redactInput()).invoke(messages);
    expect(JSON.stringify(messages)).toBe(before);
    expect(model.calls[0].messages[1]).not.toBe(messages[1]);
    expect((messages[3] as ToolMessage).artifact).toEqual({ ip: '10.0.0.12' });
  });

  it('sends a message without an entity as it is, and a clean request unchanged', async () => {
    const layer = redactInput();
    const request = { messages: [new HumanMessage('Order 2024-11-03, version 2.14.1, total 19.99')], options: {} };
    expect(layer.transformRequest!(request)).toBe(request);
    const mixed = { messages: [new HumanMessage('Hi'), new HumanMessage('I am ada@example.com')], options: {} };
    const sent = layer.transformRequest!(mixed).messages;
    expect(sent[0]).toBe(mixed.messages[0]);
    expect(sent[1].content).toBe('I am [EMAIL]');
  });

  it('shows the redacted request in the model\'s start event', async () => {
    const model = new ScriptedChatModel({ responses: ['Done.'] }).withMiddleware(redactInput());
    const events = await lastValueFrom(model.streamEvents('Mail ada@example.com').pipe(toArray()));
    const start = events.find((event) => event.event === 'on_chat_model_start') as StreamEvent;
    expect(start.data.input.messages.map((m: BaseMessage) => m.content)).toEqual(['Mail [EMAIL]']);
    expect(JSON.stringify(events)).not.toContain('ada@example.com');
  });

  it('hashes one entity to one token across calls of one middleware, and to another under another', async () => {
    const model = new ScriptedChatModel({ responses: ['ok'] });
    const layer = redactInput({ mode: 'hash' });
    const hashed = model.withMiddleware(layer);
    await hashed.invoke('Mail ada@example.com today');
    await hashed.invoke([new HumanMessage('Mail ada@example.com today'), new HumanMessage('Mail bob@example.com today')]);
    await model.withMiddleware(redactInput({ mode: 'hash' })).invoke('Mail ada@example.com today');
    const [first, second, other] = model.calls.map((call) => call.messages.map((m) => m.content));
    expect(first[0]).toMatch(HASHED_EMAIL);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toMatch(HASHED_EMAIL);
    expect(second[1]).not.toBe(first[0]);
    expect(other[0]).toMatch(HASHED_EMAIL);
    expect(other[0]).not.toBe(first[0]);
  });

  it('keeps tool results from the provider in an agent, with the same hash on every turn', async () => {
    const lookup = tool(({ id }) => `Customer ${id}: ada@example.com, +44 20 7946 0958`, {
      name: 'lookup', description: 'Find a customer', schema: z.object({ id: z.string() }),
    });
    const model = new ScriptedChatModel({
      responses: [[{ toolCallChunks: [{ index: 0, id: 'c1', name: 'lookup', args: '{"id":"42"}' }] }], 'Found them.'],
    });
    const result = await agent({ model: model.withMiddleware(redactInput({ mode: 'hash' })), tools: [lookup] }).invoke('Who is customer 42? Reply to ada@example.com');
    expect(model.calls).toHaveLength(2);
    const [firstTurn, secondTurn] = model.calls.map((call) => call.messages);
    expect(secondTurn[2]).toBeInstanceOf(ToolMessage);
    expect(secondTurn[2].content).toMatch(/^Customer 42: \[EMAIL:([0-9a-f]{8})\], \[PHONE:[0-9a-f]{8}\]$/);
    const token = /\[EMAIL:[0-9a-f]{8}\]/;
    expect(firstTurn[0].content.match(token)![0]).toBe(secondTurn[0].content.match(token)![0]);
    expect(secondTurn[2].content.match(token)![0]).toBe(firstTurn[0].content.match(token)![0]);
    // The run's own history keeps what the tool returned; only the provider never saw it.
    expect(result.messages[1].content).toBe('Customer 42: ada@example.com, +44 20 7946 0958');
  });

  it('mode "remove" drops entities, a replacement writes its own text, and custom detectors run', async () => {
    const model = new ScriptedChatModel({ responses: ['ok'] });
    await model.withMiddleware(redactInput({ mode: 'remove' })).invoke('Mail ada@example.com now');
    await model.withMiddleware(redactInput({ replacement: (entity) => `<${entity.kind}>` })).invoke('Mail ada@example.com now');
    const order = { kind: 'order', pattern: /\bORD-\d{6}\b/, maxLength: 10 };
    await model.withMiddleware(redactInput({ detectors: [order] })).invoke('ORD-123456 for ada@example.com');
    expect(model.calls.map((call) => call.messages[0].content)).toEqual(['Mail  now', 'Mail <email> now', '[ORDER] for ada@example.com']);
  });

  it('searches only the message types asked for', async () => {
    const model = new ScriptedChatModel({ responses: ['ok'] });
    await model.withMiddleware(redactInput({ messageTypes: ['human', 'tool'] })).invoke(conversation());
    const [system, human, ai] = model.calls[0].messages;
    expect(system.content).toBe('Support desk. Escalate to lead@desk.example.');
    expect(human.content).toBe('Refund card [CARD] for [EMAIL]');
    expect((ai as AIMessage).reasoning).toBe('The customer is ada@example.com.');
  });

  it('mode "error" sends nothing: the call fails with PIIDetectedError naming only the kind', async () => {
    const model = new ScriptedChatModel({ responses: ['ok'] });
    const failure = await model.withMiddleware(redactInput({ mode: 'error' })).invoke(`Card ${CARD}`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PIIDetectedError);
    expect(failure).toMatchObject({ kind: 'creditCard', message: 'Personal data or a secret was found in the request (creditCard); nothing was sent' });
    expect(String((failure as Error).stack)).not.toContain('4111');
    expect(model.calls).toHaveLength(0);
    await model.withMiddleware(redactInput({ mode: 'error' })).invoke('Nothing personal here');
    expect(model.calls).toHaveLength(1);
  });

  it('keeps a wrapped model streaming in virtual time, each call redacted', () => {
    const model = ScriptedChatModel.fromMarbles('-a-b-|', { a: 'Hel', b: 'lo' });
    createTestScheduler().run(({ expectObservable }) => {
      const text = model.withMiddleware(redactInput()).stream('Mail ada@example.com').pipe(map((chunk) => chunk.content));
      expectObservable(text).toBe('-a-b-|', { a: 'Hel', b: 'lo' });
    });
    expect(model.calls.map((call) => call.messages[0].content)).toEqual(['Mail [EMAIL]']);
  });

  it('refuses options it cannot use with an InvalidOptionError where it is created', () => {
    expect(() => redactInput({ mode: 'blur' as never })).toThrow(InvalidOptionError);
    expect(() => redactInput({ mode: 'blur' as never })).toThrow("redactInput: mode must be 'mask', 'hash', 'remove' or 'error', got 'blur'");
    expect(() => redactInput({ detectors: ['passport' as never] })).toThrow(/redactInput: detectors\[0\] must be a built-in detector \(privateKey, secret, email/);
    expect(() => redactInput({ detectors: [{ kind: 'x', pattern: /x/, maxLength: Infinity }] })).toThrow('redactInput: detectors[0].maxLength must be a finite number above 0, got Infinity');
    expect(() => redactInput({ detectors: [{ kind: 'x', pattern: 'x' as never, maxLength: 3 }] })).toThrow(InvalidOptionError);
    expect(() => redactInput({ detectors: 'email' as never })).toThrow(InvalidOptionError);
    expect(() => redactInput({ replacement: '[X]' as never })).toThrow(InvalidOptionError);
    expect(() => redactInput({ messageTypes: ['user' as never] })).toThrow(InvalidOptionError);
  });
});
