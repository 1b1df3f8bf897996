import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import { RxllmError } from '../errors/RxllmError.js';
import { stringifyJson } from '../json/stringifyJson.js';
import type { AIMessage, BaseMessage, ToolMessage } from '../messages/messages.js';

/**
 * Messages in the chat.completions format: system, user, assistant (with its tool calls, and
 * invalid ones that have an id so that their tool answers stay paired) and tool answers.
 * Reasoning is not sent back: servers that stream it (DeepSeek) reject it in the input.
 *
 * @example
 * ```ts
 * toOpenAIMessages([new SystemMessage('Be terse.'), new HumanMessage('Hi')]);
 * // [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hi' }]
 * ```
 */
export function toOpenAIMessages(messages: readonly BaseMessage[]): ChatCompletionMessageParam[] {
  return messages.map(toOpenAIMessage);
}

function toOpenAIMessage(message: BaseMessage): ChatCompletionMessageParam {
  const name = message.name !== undefined ? { name: message.name } : {};
  switch (message.type) {
    case 'system': return { role: 'system', content: message.content, ...name };
    case 'human': return { role: 'user', content: message.content, ...name };
    case 'ai': return assistantMessage(message as AIMessage, name);
    case 'tool': return { role: 'tool', content: message.content, tool_call_id: (message as ToolMessage).toolCallId };
    default: throw new RxllmError(`ChatOpenAI cannot send a message of type "${String((message as { type: unknown }).type)}"`);
  }
}

function assistantMessage(message: AIMessage, name: { name?: string }): ChatCompletionMessageParam {
  const toolCalls: ChatCompletionMessageToolCall[] = (message.toolCalls ?? []).map((call) => ({
    id: call.id, type: 'function', function: { name: call.name, arguments: stringifyJson(call.args) ?? '{}' },
  }));
  for (const call of message.invalidToolCalls ?? []) {
    // Sent even without a name: the tool answer that follows must find its call, or the server rejects it.
    if (call.id) toolCalls.push({ id: call.id, type: 'function', function: { name: call.name ?? '', arguments: call.args } });
  }
  if (toolCalls.length === 0) return { role: 'assistant', content: message.content, ...name };
  return { role: 'assistant', content: message.content === '' ? null : message.content, tool_calls: toolCalls, ...name };
}
