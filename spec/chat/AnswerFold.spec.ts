import { AnswerFold, type AnswerView } from '../../src/chat/AnswerFold.js';
import type { StoredAnswer } from '../../src/chat/ChatHistory.js';
import { AIMessageChunk, ToolMessage, type StreamEvent } from '../../src/index.js';

const book = (start = 1): StoredAnswer => ({ start, modelRuns: {}, toolRuns: {}, turns: {}, approvals: [], continuing: false, requestTokens: 2 });
const ids = () => {
  let n = 0;
  return () => `x${++n}`;
};
const event = (name: StreamEvent['event'], runId: string, data: unknown, extra: Partial<StreamEvent> = {}): StreamEvent =>
  ({ event: name, name: 'n', run_id: runId, parent_ids: ['root'], tags: [], metadata: {}, data, ...extra });
const start: AnswerView = { messages: [{ id: 'u', role: 'user', text: 'Q' }], pendingApprovals: [] };
const fold = (f: AnswerFold, events: StreamEvent[], view = start) => events.reduce((v, e) => f.apply(v, e), view);

describe('AnswerFold', () => {
  it('gives each model run its own assistant message, and ignores events that change nothing', () => {
    const f = new AnswerFold(book(), ids());
    const started = f.apply(start, event('on_chain_start', 'root', {}, { parent_ids: [] }));
    expect(started).toBe(start);
    const view = fold(f, [
      event('on_chat_model_stream', 'm1', { chunk: new AIMessageChunk('One') }),
      event('on_chat_model_end', 'm1', { output: new AIMessageChunk('One') }),
      event('on_chat_model_stream', 'm2', { chunk: new AIMessageChunk('Two') }),
    ]);
    expect(view.messages.map((m) => [m.id, m.text])).toEqual([['u', 'Q'], ['x1', 'One'], ['x2', 'Two']]);
  });

  it('tells two calls of one tool apart by their arguments, and leaves a tool\'s own model runs out', () => {
    const f = new AnswerFold(book(), ids());
    const calls = new AIMessageChunk({ toolCallChunks: [
      { index: 0, id: 'a', name: 'lookup', args: '{"q":"A"}' }, { index: 1, id: 'b', name: 'lookup', args: '{"q":"B"}' },
    ], finishReason: 'tool_calls' });
    const view = fold(f, [
      event('on_chat_model_stream', 'm1', { chunk: calls }),
      event('on_chat_model_end', 'm1', { output: calls }),
      event('on_tool_start', 't2', { input: { q: 'B' } }, { name: 'lookup' }),
      event('on_tool_start', 't1', { input: { q: 'A' } }, { name: 'lookup' }),
      event('on_chat_model_stream', 'inner', { chunk: new AIMessageChunk('tool thinking') }, { parent_ids: ['root', 't1'] }),
      event('on_tool_stream', 't1', { chunk: 'half way' }),
      event('on_tool_end', 't2', { output: 'B!' }),
      event('on_chain_stream', 'root', { chunk: new ToolMessage({ content: 'B!', toolCallId: 'b' }) }, { parent_ids: [] }),
    ]);
    expect(view.messages).toHaveLength(3);
    const [a, b] = view.messages[1].toolCalls!;
    expect(a).toMatchObject({ id: 'a', state: 'running', progress: 'half way' });
    expect(b).toMatchObject({ id: 'b', state: 'done', result: 'B!' });
    expect(view.messages[2]).toEqual({ id: 'x2', role: 'tool', text: 'B!', toolCallId: 'b' });
  });

  it('a call whose arguments are not a JSON object fails when its model run ends', () => {
    const f = new AnswerFold(book(), ids());
    const bad = new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'a', name: 'lookup', args: '{"q":' }] });
    const view = fold(f, [event('on_chat_model_stream', 'm1', { chunk: bad }), event('on_chat_model_end', 'm1', { output: bad })]);
    expect(view.messages[1].toolCalls![0]).toMatchObject({ state: 'error', result: 'The arguments are not a JSON object' });
  });

  it('goes on from a message received before a reload (the same model run)', () => {
    const saved = book();
    saved.modelRuns.m1 = 'x1';
    saved.turns.m1 = { inputEstimate: 2 };
    const f = new AnswerFold(saved, ids());
    const before: AnswerView = { messages: [...start.messages, { id: 'x1', role: 'assistant', text: 'Hel' }], pendingApprovals: [] };
    const view = f.apply(before, event('on_chat_model_stream', 'm1', { chunk: new AIMessageChunk('lo') }));
    expect(view.messages.map((m) => m.text)).toEqual(['Q', 'Hello']);
    expect(view.messages[0]).toBe(before.messages[0]);
  });

  it('finish: usage from the server where every turn sent it, else estimated', () => {
    const f = new AnswerFold(book(), ids());
    const usage = { inputTokens: 10, outputTokens: 4, totalTokens: 14 };
    let view = fold(f, [event('on_chat_model_stream', 'm1', { chunk: new AIMessageChunk({ content: 'Hi', usage }) })]);
    expect(f.finish(view, 'complete').usage).toEqual({ messageId: 'x1', inputTokens: 10, outputTokens: 4, totalTokens: 14, stopped: false, estimated: false });
    view = fold(f, [event('on_chat_model_stream', 'm2', { chunk: new AIMessageChunk('12345678') })], view);
    expect(f.finish(view, 'stopped').usage).toEqual({ messageId: 'x2', inputTokens: 10 + 3, outputTokens: 4 + 2, totalTokens: 19, stopped: true, estimated: true });
  });
  it('a request sent again with the decision the answer carries changes nothing; a new one still waits', () => {
    const decided = book(3);
    decided.approvals = [{ approvalId: 'a', approved: true }, { approvalId: 'b', approved: false, reason: 'No' }];
    const f = new AnswerFold(decided, ids());
    const call = (id: string, state: 'running' | 'denied') => ({ id, name: 'rm', argsText: '{}', args: {}, state });
    const view: AnswerView = {
      messages: [start.messages[0], { id: 'a1', role: 'assistant', text: '', toolCalls: [call('a', 'running'), call('b', 'denied')] }, { id: 'u2', role: 'user', text: 'later' }],
      pendingApprovals: [],
    };
    const ask = (approvalId: string) => event('on_custom_event', 't', { approvalId, toolCall: { id: approvalId, name: 'rm', args: {} } }, { name: 'tool_approval_request' });
    expect(fold(f, [ask('a'), ask('b')], view)).toBe(view);
    const denied = fold(f, [ask('b'), event('on_chain_stream', 'root', { chunk: new ToolMessage({ content: 'Denied: No', toolCallId: 'b', status: 'error' }) }, { parent_ids: [] })], view);
    expect(denied.messages[1].toolCalls![1]).toMatchObject({ state: 'denied' });
    expect(denied.pendingApprovals).toEqual([]);
    const asked = fold(f, [ask('c')], { ...view, messages: [...view.messages, { id: 'a2', role: 'assistant', text: '', toolCalls: [call('c', 'running')] }] });
    expect(asked.pendingApprovals.map((r) => r.approvalId)).toEqual(['c']);
    expect(asked.messages[3].toolCalls![0].state).toBe('pending-approval');
  });
});
