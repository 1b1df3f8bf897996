import { MessageInputError } from '../errors/errors.js';
import type { AIMessageChunk } from './AIMessageChunk.js';
import { AIMessage, HumanMessage, SystemMessage, isBaseMessage, type BaseMessage } from './messages.js';
import { isChatPromptValue, type ChatPromptValue } from './ChatPromptValue.js';
import { describeKind } from './valueKinds.js';

/** A message given as a `[role, content]` pair. */
export type MessageTuple = ['system' | 'human' | 'user' | 'ai' | 'assistant', string];

/** What a chat model accepts: a string (one human message), messages, or a prompt value. */
export type ChatModelInput = string | ReadonlyArray<BaseMessage | AIMessageChunk | MessageTuple> | ChatPromptValue;

/** The messages a chat model input stands for; a `MessageInputError` names the first entry that is not one. */
export function toMessages(input: ChatModelInput): BaseMessage[] {
  if (typeof input === 'string') return [new HumanMessage(input)];
  if (isChatPromptValue(input)) return input.messages;
  if (Array.isArray(input)) return input.map(toMessage);
  throw new MessageInputError(`A chat model takes a string, an array of messages or a prompt value, not ${describeKind(input)}`);
}

function toMessage(item: BaseMessage | AIMessageChunk | MessageTuple, index: number): BaseMessage {
  if (Array.isArray(item)) {
    const [role, content] = item as unknown[];
    if (typeof content !== 'string') {
      throw new MessageInputError(`Message ${index}: the content of a [role, content] pair must be text, not ${describeKind(content)}`, index);
    }
    switch (role) {
      case 'system': return new SystemMessage(content);
      case 'human': case 'user': return new HumanMessage(content);
      case 'ai': case 'assistant': return new AIMessage(content);
      default: throw new MessageInputError(`Message ${index}: unknown role "${String(role)}" (use system, human, user, ai or assistant)`, index);
    }
  }
  if (item !== null && typeof item === 'object' && (item as AIMessageChunk).type === 'ai' && 'toolCallChunks' in item && typeof (item as AIMessageChunk).toMessage === 'function') {
    return (item as AIMessageChunk).toMessage();
  }
  if (isBaseMessage(item)) return item;
  throw new MessageInputError(`Message ${index} is not a message: ${describeKind(item)} (give a message, a [role, text] pair or an AIMessageChunk)`, index);
}
