import type { ChatMessage } from '../../src/chat/ChatMessage.js';
import { toBaseMessages, toWireMessages, trimToTokens, wireTokens } from '../../src/chat/chatMessagesInternals.js';
import { AIMessage, HumanMessage, ToolMessage } from '../../src/index.js';

const call = (id: string, state: 'done' | 'running' | 'error' | 'streaming-args' = 'done') => ({ id, name: 'lookup', argsText: '{"q":1}', args: { q: 1 }, state });

describe('toWireMessages', () => {
  const messages: ChatMessage[] = [
    { id: '1', role: 'user', text: 'Q' },
    { id: '2', role: 'assistant', text: '', toolCalls: [call('a'), call('b', 'error')] },
    { id: '3', role: 'tool', text: 'A', toolCallId: 'a' },
    { id: '4', role: 'assistant', text: 'Part', stopped: true, toolCalls: [call('c', 'streaming-args')] },
    { id: '5', role: 'user', text: 'Q2' },
    { id: '6', role: 'assistant', text: '', toolCalls: [call('d', 'running')] },
  ];

  it('sends only answered calls, leaves out empty assistant messages and orphan tool answers', () => {
    expect(toWireMessages(messages, false)).toEqual([
      { role: 'user', text: 'Q' },
      { role: 'assistant', text: '', toolCalls: [{ id: 'a', name: 'lookup', args: { q: 1 } }] },
      { role: 'tool', text: 'A', toolCallId: 'a' },
      { role: 'assistant', text: 'Part' },
      { role: 'user', text: 'Q2' },
    ]);
  });

  it('keeps the last answer\'s open calls when the run goes on from them', () => {
    expect(toWireMessages(messages, true).slice(-1)).toEqual([{ role: 'assistant', text: '', toolCalls: [{ id: 'd', name: 'lookup', args: { q: 1 } }] }]);
  });
});

describe('trimToTokens', () => {
  const big = 'x'.repeat(40); // 10 tokens
  const wire = [
    { role: 'user' as const, text: big },
    { role: 'assistant' as const, text: '', toolCalls: [{ id: 'a', name: 'n', args: {} }] },
    { role: 'tool' as const, text: big, toolCallId: 'a' },
    { role: 'user' as const, text: big },
  ];

  it('drops the oldest messages first, a call together with its answer', () => {
    expect(wireTokens(wire[1])).toBe(1);
    expect(trimToTokens(wire, 1000)).toEqual(wire);
    expect(trimToTokens(wire, 21)).toEqual(wire.slice(1));
    expect(trimToTokens(wire, 20)).toEqual(wire.slice(3));
    // The question itself is always sent.
    expect(trimToTokens(wire, 1)).toEqual(wire.slice(3));
  });
});

describe('toBaseMessages', () => {
  it('gives a runnable messages of the classes models read', () => {
    const base = toBaseMessages([
      { role: 'user', text: 'Q' }, { role: 'assistant', text: '', toolCalls: [{ id: 'a', name: 'n', args: { q: 1 } }] }, { role: 'tool', text: 'A', toolCallId: 'a' },
    ]);
    expect(base[0]).toEqual(new HumanMessage('Q'));
    expect(base[1]).toEqual(new AIMessage({ content: '', toolCalls: [{ id: 'a', name: 'n', args: { q: 1 } }] }));
    expect(base[2]).toEqual(new ToolMessage({ content: 'A', toolCallId: 'a' }));
  });
});
