// How a session turns its messages into a request: which tool calls travel, how the conversation
// is trimmed to a token budget, and the messages a local runnable reads.
import { estimateTokens } from '../messages/estimateTokens.js';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '../messages/messages.js';
import type { ChatMessage } from './ChatMessage.js';
import type { ChatWireMessage } from './ChatTransport.js';

/** The estimated tokens of one message as it is sent. */
export function wireTokens(message: ChatWireMessage): number {
  let text = message.text;
  for (const call of message.toolCalls ?? []) text += call.name + JSON.stringify(call.args);
  return estimateTokens(text);
}

/**
 * The conversation as it is sent. A model refuses an assistant message whose tool calls have no
 * answer, so only answered calls travel (a stopped answer's half-streamed call does not), and a
 * tool message whose call does not travel is left out. With `continuing`, the last assistant
 * message keeps its unanswered calls with whole arguments: the run goes on from them (approvals,
 * results added by the client). An assistant message left with nothing to say is dropped.
 */
export function toWireMessages(messages: readonly ChatMessage[], continuing: boolean): ChatWireMessage[] {
  const answered = new Set(messages.filter((m) => m.role === 'tool' && m.toolCallId !== undefined).map((m) => m.toolCallId!));
  const tail = continuing ? lastAssistantIndex(messages) : -1;
  const sentCalls = new Set<string>();
  const wire: ChatWireMessage[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'user') return void wire.push({ role: 'user', text: message.text });
    if (message.role === 'tool') {
      if (message.toolCallId !== undefined && sentCalls.has(message.toolCallId)) wire.push({ role: 'tool', text: message.text, toolCallId: message.toolCallId });
      return;
    }
    const toolCalls = (message.toolCalls ?? [])
      .filter((call) => call.args !== undefined && call.state !== 'streaming-args' && (answered.has(call.id) || (index === tail && call.state !== 'error')))
      .map((call) => ({ id: call.id, name: call.name, args: call.args! }));
    toolCalls.forEach((call) => sentCalls.add(call.id));
    if (!message.text && !toolCalls.length) return;
    wire.push({ role: 'assistant', text: message.text, ...(toolCalls.length && { toolCalls }) });
  });
  return wire;
}

/**
 * The newest messages whose estimated tokens fit in `maxTokens`. An assistant message with tool
 * calls and the tool messages answering it count as one piece, kept or dropped together, so a call
 * is never sent without its result. The last piece (the question) is kept whatever its size.
 */
export function trimToTokens(messages: readonly ChatWireMessage[], maxTokens: number): ChatWireMessage[] {
  if (maxTokens === Infinity) return [...messages];
  const pieces: ChatWireMessage[][] = [];
  for (const message of messages) {
    const previous = pieces[pieces.length - 1];
    if (message.role === 'tool' && previous) previous.push(message);
    else pieces.push([message]);
  }
  let budget = maxTokens;
  let first = pieces.length;
  while (first > 0) {
    const cost = pieces[first - 1].reduce((sum, m) => sum + wireTokens(m), 0);
    if (cost > budget && first < pieces.length) break;
    budget -= cost;
    first--;
  }
  return pieces.slice(first).flat();
}

/** The messages a local runnable reads. */
export function toBaseMessages(messages: readonly ChatWireMessage[]): BaseMessage[] {
  return messages.map((message) => {
    if (message.role === 'user') return new HumanMessage(message.text);
    if (message.role === 'tool') return new ToolMessage({ content: message.text, toolCallId: message.toolCallId ?? '' });
    return new AIMessage({ content: message.text, toolCalls: (message.toolCalls ?? []).map((call) => ({ ...call })) });
  });
}

/** The index of the last assistant message, when only tool messages follow it; else -1. */
export function lastAssistantIndex(messages: readonly ChatMessage[]): number {
  let index = messages.length - 1;
  while (index >= 0 && messages[index].role === 'tool') index--;
  return index >= 0 && messages[index].role === 'assistant' ? index : -1;
}
