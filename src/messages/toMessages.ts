import { RxllmError } from '../errors/RxllmError.js';
import type { AIMessageChunk } from './AIMessageChunk.js';
import { AIMessage, HumanMessage, SystemMessage, isBaseMessage, type BaseMessage } from './messages.js';
import { isChatPromptValue, type ChatPromptValue } from './ChatPromptValue.js';
import { describeKind } from './valueKinds.js';

/** A message given as a `[role, content]` pair. */
export type MessageTuple = ['system' | 'human' | 'user' | 'ai' | 'assistant', string];

/** What a chat model accepts: a string (one human message), messages, or a prompt value. */
export type ChatModelInput = string | ReadonlyArray<BaseMessage | AIMessageChunk | MessageTuple> | ChatPromptValue;

/** The messages a chat model input stands for. */
export function toMessages(input: ChatModelInput): BaseMessage[] {
  if (typeof input === 'string') return [new HumanMessage(input)];
  if (isChatPromptValue(input)) return input.messages;
  if (Array.isArray(input)) return input.map(toMessage);
  throw new RxllmError(`A chat model takes a string, an array of messages or a prompt value, not ${describeKind(input)}`);
}

function toMessage(item: BaseMessage | AIMessageChunk | MessageTuple): BaseMessage {
  if (Array.isArray(item)) {
    const [role, content] = item;
    switch (role) {
      case 'system': return new SystemMessage(content);
      case 'human': case 'user': return new HumanMessage(content);
      case 'ai': case 'assistant': return new AIMessage(content);
      default: throw new RxllmError(`Unknown message role "${String(role)}"`);
    }
  }
  if ((item as AIMessageChunk).type === 'ai' && 'toolCallChunks' in item) return (item as AIMessageChunk).toMessage();
  if (isBaseMessage(item)) return item;
  throw new RxllmError(`Not a message: ${describeKind(item)}`);
}
