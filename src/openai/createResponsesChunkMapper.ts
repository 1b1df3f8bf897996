import { ProviderError } from '../errors/errors.js';
import { AIMessageChunk, type AIMessageChunkFields, type Usage } from '../messages/AIMessageChunk.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { providerErrorFromWire } from './wireMappingInternals.js';

/** What one Responses stream event becomes: a chunk, an error that ends the stream, or neither. */
export interface ResponsesStep {
  chunk?: AIMessageChunk;
  error?: ProviderError;
}

const MID_STREAM = 'The server reported an error mid-stream';
/** What separates two reasoning summary parts in `reasoning`. */
export const PART_BREAK = '\n\n';

/**
 * A mapper from the events of one Responses API stream (`response.*`, `error`) to
 * `AIMessageChunk`s, the same chunks chat.completions gives: text deltas in `content`, reasoning
 * summaries in `reasoning`, function calls as tool-call chunks, usage and a finish reason in
 * chat.completions words on the last chunk.
 *
 * It is stateful because the wire format is: argument deltas name their call by item id, which
 * only the `output_item.added` event ties to an index, a name and a `call_id` (the tool call's
 * id); and the finish reason `tool_calls` depends on whether any function call came.
 *
 * `response.failed`, `response.incomplete` for another reason than length or filtering, and
 * `error` events give a `ProviderError` to end the stream with, after the chunks before them.
 *
 * @example
 * ```ts
 * const map = createResponsesChunkMapper();
 * const { chunk, error } = map(JSON.parse(data));
 * ```
 */
export function createResponsesChunkMapper(): (event: Record<string, unknown>) => ResponsesStep {
  // Item id → tool-call index, in the order the calls were added.
  const callIndexes = new Map<string, number>();
  let refusal = '';
  let failed = false;
  let reasoningSeen = false;
  return (event) => {
    if (failed) return {};
    switch (event.type) {
      case 'response.created':
      case 'response.queued':
      case 'response.in_progress':
        return { chunk: envelopeChunk(event.response) };
      case 'response.output_text.delta':
        return { chunk: textDelta(event) };
      case 'response.reasoning_summary_part.added':
        // Summary parts are paragraphs: a blank line between them keeps them apart in `reasoning`.
        return reasoningSeen ? { chunk: new AIMessageChunk({ reasoning: PART_BREAK }) } : {};
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (typeof event.delta !== 'string' || event.delta === '') return {};
        reasoningSeen = true;
        return { chunk: new AIMessageChunk({ reasoning: event.delta }) };
      case 'response.refusal.delta':
        if (typeof event.delta !== 'string' || event.delta === '') return {};
        // The text so far: metadata concatenation keeps the latest value, so it holds the whole refusal.
        refusal += event.delta;
        return { chunk: new AIMessageChunk({ responseMetadata: { refusal } }) };
      case 'response.output_item.added':
        return itemAdded(event.item, callIndexes);
      case 'response.function_call_arguments.delta': {
        const index = typeof event.item_id === 'string' ? callIndexes.get(event.item_id) : undefined;
        if (index === undefined || typeof event.delta !== 'string' || event.delta === '') return {};
        return { chunk: new AIMessageChunk({ toolCallChunks: [{ index, args: event.delta }] }) };
      }
      case 'response.output_item.done':
        return builtInToolDone(event.item);
      case 'response.completed':
      case 'response.incomplete':
        return finalStep(event.response, callIndexes.size > 0);
      case 'response.failed':
        failed = true;
        return { error: failureOf(event.response) };
      case 'error':
        failed = true;
        return { error: providerErrorFromWire(isPlainObject(event.error) ? event.error : event, MID_STREAM) };
      default:
        return {};
    }
  };
}

/** The response's id, model and status (`queued` in background mode) as a chunk with no text. */
function envelopeChunk(response: unknown): AIMessageChunk | undefined {
  if (!isPlainObject(response)) return undefined;
  const fields: AIMessageChunkFields = { responseMetadata: {} };
  if (typeof response.id === 'string') fields.id = response.id;
  const metadata = fields.responseMetadata!;
  if (typeof response.model === 'string') metadata.model_name = response.model;
  if (typeof response.status === 'string') metadata.status = response.status;
  if (typeof response.background === 'boolean') metadata.background = response.background;
  return new AIMessageChunk(fields);
}

function textDelta(event: Record<string, unknown>): AIMessageChunk | undefined {
  const fields: AIMessageChunkFields = {};
  if (typeof event.delta === 'string' && event.delta !== '') fields.content = event.delta;
  // In chat.completions' shape, so that the per-token arrays append across chunks.
  if (Array.isArray(event.logprobs) && event.logprobs.length > 0) fields.responseMetadata = { logprobs: { content: event.logprobs } };
  return fields.content === undefined && fields.responseMetadata === undefined ? undefined : new AIMessageChunk(fields);
}

function itemAdded(item: unknown, callIndexes: Map<string, number>): ResponsesStep {
  if (!isPlainObject(item) || typeof item.type !== 'string') return {};
  if (item.type === 'function_call' && typeof item.id === 'string') {
    const index = callIndexes.size;
    callIndexes.set(item.id, index);
    const call = { index, ...(typeof item.call_id === 'string' && { id: item.call_id }), ...(typeof item.name === 'string' && { name: item.name }) };
    const args = typeof item.arguments === 'string' && item.arguments !== '' ? { args: item.arguments } : {};
    return { chunk: new AIMessageChunk({ toolCallChunks: [{ ...call, ...args }] }) };
  }
  return {};
}

/**
 * A built-in tool's call (web search, file search, …) ran on the server: it is no tool call for
 * the caller to run, so it travels as metadata, the whole item once it is done.
 */
function builtInToolDone(item: unknown): ResponsesStep {
  if (!isPlainObject(item) || typeof item.type !== 'string' || !item.type.endsWith('_call') || item.type === 'function_call') return {};
  return { chunk: new AIMessageChunk({ responseMetadata: { builtInToolCall: item } }) };
}

function finalStep(response: unknown, calledFunctions: boolean): ResponsesStep {
  if (!isPlainObject(response)) return {};
  const fields: AIMessageChunkFields = { responseMetadata: {} };
  if (typeof response.status === 'string') fields.responseMetadata!.status = response.status;
  const usage = usageOf(response.usage);
  if (usage) fields.usage = usage;
  if (response.status === 'incomplete') {
    const reason = isPlainObject(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    if (reason === 'max_output_tokens') fields.finishReason = 'length';
    else if (reason === 'content_filter') fields.finishReason = 'content_filter';
    else return { chunk: new AIMessageChunk(fields), error: new ProviderError(`The response is incomplete: ${String(reason)}`, { code: 'incomplete' }) };
  } else {
    fields.finishReason = calledFunctions ? 'tool_calls' : 'stop';
  }
  return { chunk: new AIMessageChunk(fields) };
}

function failureOf(response: unknown): ProviderError {
  const error = isPlainObject(response) && isPlainObject(response.error) ? response.error : { message: 'the response failed' };
  return providerErrorFromWire(error, MID_STREAM);
}

function usageOf(wire: unknown): Usage | undefined {
  if (!isPlainObject(wire)) return undefined;
  const inputTokens = numberOr0(wire.input_tokens);
  const outputTokens = numberOr0(wire.output_tokens);
  const usage: Usage = { inputTokens, outputTokens, totalTokens: typeof wire.total_tokens === 'number' ? wire.total_tokens : inputTokens + outputTokens };
  const reasoning = isPlainObject(wire.output_tokens_details) ? wire.output_tokens_details.reasoning_tokens : undefined;
  if (typeof reasoning === 'number') usage.reasoningTokens = reasoning;
  const cached = isPlainObject(wire.input_tokens_details) ? wire.input_tokens_details.cached_tokens : undefined;
  if (typeof cached === 'number') usage.cachedInputTokens = cached;
  return usage;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
