import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage, isBaseMessage } from '../../src/index.js';

describe('messages', () => {
  it('each message type has its role and content, from a string or fields', () => {
    expect(new SystemMessage('Be terse.')).toMatchObject({ type: 'system', content: 'Be terse.' });
    expect(new HumanMessage({ content: 'Hi', name: 'ann', id: 'h1' })).toMatchObject({ type: 'human', content: 'Hi', name: 'ann', id: 'h1' });
    expect(new AIMessage('Hello')).toMatchObject({ type: 'ai', content: 'Hello', toolCalls: [], invalidToolCalls: [], responseMetadata: {} });
  });

  it('leaves optional fields out when not given', () => {
    const human = new HumanMessage('Hi');
    expect('name' in human && human.name !== undefined).toBe(false);
    expect(JSON.parse(JSON.stringify(human))).toEqual({ type: 'human', content: 'Hi' });
  });

  it('an AIMessage keeps tool calls, usage, finish reason and reasoning', () => {
    const message = new AIMessage({
      content: '', reasoning: 'r', toolCalls: [{ id: 'c', name: 'f', args: { a: 1 } }], finishReason: 'tool_calls',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    });
    expect(message).toMatchObject({ reasoning: 'r', toolCalls: [{ id: 'c', name: 'f', args: { a: 1 } }], finishReason: 'tool_calls', usage: { totalTokens: 2 } });
  });

  it('a ToolMessage answers a call id, succeeding by default', () => {
    expect(new ToolMessage({ content: '21°C', toolCallId: 'call_1' })).toMatchObject({ type: 'tool', content: '21°C', toolCallId: 'call_1', status: 'success' });
    const failed = new ToolMessage({ content: 'bad input', toolCallId: 'call_2', status: 'error', artifact: { raw: 1 } });
    expect(failed).toMatchObject({ status: 'error', artifact: { raw: 1 } });
  });

  it('isBaseMessage recognises every message and chunk, and nothing else', () => {
    for (const m of [new SystemMessage('s'), new HumanMessage('h'), new AIMessage('a'), new ToolMessage({ content: 't', toolCallId: 'c' }), new AIMessageChunk('c')]) {
      expect(isBaseMessage(m)).toBe(true);
    }
    expect(isBaseMessage({ type: 'human', content: 'plain object' })).toBe(true);
    expect(isBaseMessage({ type: 'user', content: 'x' })).toBe(false);
    expect(isBaseMessage({ type: 'human' })).toBe(false);
    expect(isBaseMessage(['human', 'x'])).toBe(false);
    expect(isBaseMessage(null)).toBe(false);
    expect(isBaseMessage('human')).toBe(false);
  });
});
