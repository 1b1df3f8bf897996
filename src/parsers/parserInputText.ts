import { OutputParserError } from '../errors/errors.js';
import { isAIMessageChunk, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { isBaseMessage, type BaseMessage } from '../messages/messages.js';

/** What the text parsers take: model chunks, whole messages, or text. */
export type ParserInput = AIMessageChunk | BaseMessage | string;

/** The text of a parser's input chunk; anything else is a wiring mistake in the chain, said as such. */
export function parserInputText(value: ParserInput, parser: string): string {
  if (typeof value === 'string') return value;
  if (isAIMessageChunk(value) || isBaseMessage(value)) return value.content;
  const unknownValue: unknown = value;
  const kind = unknownValue === null ? 'null' : Array.isArray(unknownValue) ? 'an array' : typeof unknownValue;
  throw new OutputParserError(`${parser} takes strings, messages or message chunks, not ${kind}`);
}
