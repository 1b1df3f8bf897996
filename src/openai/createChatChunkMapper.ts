import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { WireCompletion } from './openAIWireTypes.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { ToolCallIndexer, choiceZero, envelopeFields, readMessageText, toToolCallChunk } from './wireMappingInternals.js';

/**
 * A mapper from the `chat.completion.chunk`s of one stream to `AIMessageChunk`s. It is stateful
 * because the wire format is: tool-call fragments without `index` are numbered from what came
 * before, and `responseMetadata.refusal` carries the refusal text so far (so that the
 * concatenation, where a later metadata value replaces an earlier one, holds the whole refusal).
 *
 * Returns `undefined` for a chunk that only concerns other choices than choice 0.
 *
 * @example
 * ```ts
 * const map = createChatChunkMapper();
 * const chunk = map(JSON.parse(data)); // an AIMessageChunk, or undefined
 * ```
 */
export function createChatChunkMapper(): (wire: WireCompletion) => AIMessageChunk | undefined {
  const indexer = new ToolCallIndexer();
  let refusal = '';
  return (wire) => {
    const choices = Array.isArray(wire.choices) ? wire.choices : [];
    const choice = choices.length > 0 ? choiceZero(choices) : undefined;
    if (choices.length > 0 && !choice && !isPlainObject(wire.usage) && !isPlainObject(wire.error)) return undefined;
    const fields = envelopeFields(wire, choice);
    const delta = choice?.delta;
    if (isPlainObject(delta)) {
      const { text, reasoning } = readMessageText(delta);
      if (text !== '') fields.content = text;
      if (reasoning !== '') fields.reasoning = reasoning;
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        refusal += delta.refusal;
        fields.responseMetadata.refusal = refusal;
      }
      const calls = delta.tool_calls;
      if (Array.isArray(calls) && calls.length > 0) {
        fields.toolCallChunks = calls.map((call) => toToolCallChunk(call, indexer.indexOf(call)));
      }
      if (delta.annotations !== undefined && delta.annotations !== null) fields.responseMetadata.annotations = delta.annotations;
    }
    return new AIMessageChunk(fields);
  };
}
