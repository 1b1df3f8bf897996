import type { BaseMessage } from './messages.js';

/**
 * The output of a chat prompt: the formatted messages, ready for a chat model.
 */
export class ChatPromptValue {
  readonly type = 'chat_prompt_value' as const;

  constructor(readonly messages: BaseMessage[]) {}

  /** The messages as plain text, one `role: content` line each. */
  toString(): string {
    return this.messages.map((m) => `${m.type}: ${m.content}`).join('\n');
  }
}

/** True for a `ChatPromptValue` (also across package copies). */
export function isChatPromptValue(value: unknown): value is ChatPromptValue {
  return typeof value === 'object' && value !== null && (value as ChatPromptValue).type === 'chat_prompt_value'
    && Array.isArray((value as ChatPromptValue).messages);
}
