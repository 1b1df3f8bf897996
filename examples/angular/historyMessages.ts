import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '../../src/index.js';

/** A message as the page's session sends it in the body of `POST /api/chat`. */
export interface WireChatMessage {
  role: 'user' | 'assistant' | 'tool';
  text: string;
  toolCallId?: string;
  toolCalls?: ReadonlyArray<{ id: string; name: string; args?: Record<string, unknown> }>;
}

/** The conversation as the agent reads it. */
export function historyMessages(messages: readonly WireChatMessage[]): BaseMessage[] {
  return messages.map((message) => {
    if (message.role === 'user') return new HumanMessage(message.text);
    if (message.role === 'tool') return new ToolMessage({ content: message.text, toolCallId: message.toolCallId ?? '' });
    return new AIMessage({
      content: message.text,
      toolCalls: (message.toolCalls ?? []).map((call) => ({ id: call.id, name: call.name, args: call.args ?? {} })),
    });
  });
}
