import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { WireCompletion } from './openAIWireTypes.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { choiceZero, envelopeFields, readMessageText, toToolCallChunk } from './wireMappingInternals.js';

/**
 * A whole (non-streaming) `chat.completion` as one `AIMessageChunk` with the same fields the
 * concatenation of the streamed chunks would have: text, reasoning, tool calls (numbered by their
 * position), usage, finish reason and metadata of choice 0.
 *
 * @example
 * ```ts
 * const message = completionToChunk(await response.json());
 * ```
 */
export function completionToChunk(wire: WireCompletion): AIMessageChunk {
  const choice = Array.isArray(wire.choices) ? choiceZero(wire.choices) : undefined;
  const fields = envelopeFields(wire, choice);
  const message = choice?.message;
  if (isPlainObject(message)) {
    const { text, reasoning } = readMessageText(message);
    if (text !== '') fields.content = text;
    if (reasoning !== '') fields.reasoning = reasoning;
    if (typeof message.refusal === 'string' && message.refusal !== '') fields.responseMetadata.refusal = message.refusal;
    if (Array.isArray(message.tool_calls)) fields.toolCallChunks = message.tool_calls.map((call, position) => toToolCallChunk(call, position));
    if (message.annotations !== undefined && message.annotations !== null) fields.responseMetadata.annotations = message.annotations;
  }
  return new AIMessageChunk(fields);
}
