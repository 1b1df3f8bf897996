import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { RxllmError } from '../errors/RxllmError.js';
import { stringifyJson } from '../json/stringifyJson.js';
import type { AIMessage, BaseMessage, ToolMessage } from '../messages/messages.js';

/**
 * Messages as Responses API input items: system, user and assistant messages, each tool call of an
 * assistant message as a `function_call` item, and each tool answer as the `function_call_output`
 * with its call's `call_id`, so the server pairs them. Reasoning is not sent back.
 *
 * @example
 * ```ts
 * toResponsesInput([new HumanMessage('Hi')]); // [{ type: 'message', role: 'user', content: 'Hi' }]
 * ```
 */
export function toResponsesInput(messages: readonly BaseMessage[]): ResponseInputItem[] {
  return messages.flatMap(toItems);
}

function toItems(message: BaseMessage): ResponseInputItem[] {
  switch (message.type) {
    case 'system': return [{ type: 'message', role: 'system', content: message.content }];
    case 'human': return [{ type: 'message', role: 'user', content: message.content }];
    case 'ai': return assistantItems(message as AIMessage);
    case 'tool': return [{ type: 'function_call_output', call_id: (message as ToolMessage).toolCallId, output: message.content }];
    default: throw new RxllmError(`ChatOpenAI cannot send a message of type "${String((message as { type: unknown }).type)}"`);
  }
}

function assistantItems(message: AIMessage): ResponseInputItem[] {
  const items: ResponseInputItem[] = message.content === '' ? [] : [{ type: 'message', role: 'assistant', content: message.content }];
  for (const call of message.toolCalls ?? []) {
    items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: stringifyJson(call.args) ?? '{}' });
  }
  for (const call of message.invalidToolCalls ?? []) {
    // Sent even without a name: the output that follows must find its call, or the server rejects it.
    if (call.id) items.push({ type: 'function_call', call_id: call.id, name: call.name ?? '', arguments: call.args ?? '' });
  }
  return items;
}
