import { ProviderError } from '../errors/errors.js';
import { isPlainObject } from '../messages/valueKinds.js';
import type { AIMessageChunkFields, ToolCallChunk, Usage } from '../messages/AIMessageChunk.js';
import type { WireChoice, WireCompletion, WireContentPart, WireError, WireMessage, WireToolCall, WireUsage } from './openAIWireTypes.js';

/** Envelope fields that are mapped to chunk fields, or are per-chunk noise (`obfuscation` padding). */
const ENVELOPE_MAPPED = new Set(['id', 'object', 'choices', 'usage', 'error', 'obfuscation']);
/** Choice fields that are mapped, or repeat per-token data that has no meaning once merged. */
const CHOICE_MAPPED = new Set(['index', 'delta', 'message', 'finish_reason', 'logprobs', 'text', 'token_ids']);

/**
 * The fields of one chunk (streamed) or of the whole message (non-streaming) that both paths share:
 * id, usage, finish reason, logprobs and the server's extra fields. `choice` is choice 0, if any.
 */
export function envelopeFields(wire: WireCompletion, choice: WireChoice | undefined): AIMessageChunkFields & { responseMetadata: Record<string, unknown> } {
  const responseMetadata: Record<string, unknown> = {};
  copyExtras(wire, ENVELOPE_MAPPED, responseMetadata);
  const fields: AIMessageChunkFields & { responseMetadata: Record<string, unknown> } = { responseMetadata };
  if (typeof wire.id === 'string' && wire.id !== '') fields.id = wire.id;
  if (isPlainObject(wire.usage)) {
    fields.usage = toUsage(wire.usage);
    responseMetadata.usage = wire.usage;
  }
  if (choice) {
    copyExtras(choice, CHOICE_MAPPED, responseMetadata);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') fields.finishReason = choice.finish_reason;
    if (isPlainObject(choice.logprobs)) responseMetadata.logprobs = choice.logprobs;
  }
  return fields;
}

/** Choice 0: the answer rxllm follows when a server sends several (`n > 1`). */
export function choiceZero(choices: readonly WireChoice[]): WireChoice | undefined {
  const first = choices[0];
  if (first && (first.index === undefined || first.index === 0)) return first;
  return choices.find((choice) => choice.index === 0);
}

/** The text and the reasoning of a message or delta. */
export function readMessageText(message: WireMessage): { text: string; reasoning: string } {
  let text = '';
  // DeepSeek, xAI, llama.cpp and Z.ai say `reasoning_content`; Groq and OpenRouter say `reasoning`.
  let reasoning = nonEmpty(message.reasoning_content) ?? nonEmpty(message.reasoning) ?? '';
  const content = message.content;
  if (typeof content === 'string') {
    text = content;
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (part?.type === 'thinking') reasoning += partText(part.thinking);
      else if (part?.type === 'text' && typeof part.text === 'string') text += part.text;
    }
  }
  return { text, reasoning };
}

function partText(thinking: string | WireContentPart[] | undefined): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  let text = '';
  for (const part of thinking) if (typeof part?.text === 'string') text += part.text;
  return text;
}

/** A wire tool call (or fragment) as a `ToolCallChunk` at `index`. */
export function toToolCallChunk(call: WireToolCall, index: number): ToolCallChunk {
  const chunk: ToolCallChunk = { index };
  if (typeof call.id === 'string' && call.id !== '') chunk.id = call.id;
  const fn = call.function;
  if (fn) {
    if (typeof fn.name === 'string' && fn.name !== '') chunk.name = fn.name;
    if (typeof fn.arguments === 'string') chunk.args = fn.arguments;
    else if (isPlainObject(fn.arguments)) chunk.args = JSON.stringify(fn.arguments);
  }
  return chunk;
}

/**
 * Gives every streamed tool-call fragment an index. A wire `index` is kept as sent (it may start
 * at 1); without one (Mistral), a known id keeps its index, a new id takes the next free index and
 * a fragment without id continues the last call.
 *
 * This only fills the `index` every `ToolCallChunk` must have, from what this wire dialect sends;
 * joining fragments into calls stays the concatenation's job (`toolCallChunkMerge`).
 */
export class ToolCallIndexer {
  private readonly indexById = new Map<string, number>();
  private last = -1;
  private next = 0;

  indexOf(call: WireToolCall): number {
    const id = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
    let index: number;
    if (typeof call.index === 'number') index = call.index;
    else if (id !== undefined && this.indexById.has(id)) index = this.indexById.get(id)!;
    else if (id !== undefined || this.last < 0) index = this.next;
    else index = this.last;
    if (id !== undefined && !this.indexById.has(id)) this.indexById.set(id, index);
    this.last = index;
    if (index >= this.next) this.next = index + 1;
    return index;
  }
}

/** Wire token counts as `Usage` (DeepSeek and Together report cache hits under their own names). */
export function toUsage(usage: WireUsage): Usage {
  const inputTokens = numberOr(usage.prompt_tokens, 0);
  const outputTokens = numberOr(usage.completion_tokens, 0);
  const mapped: Usage = { inputTokens, outputTokens, totalTokens: numberOr(usage.total_tokens, inputTokens + outputTokens) };
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') mapped.reasoningTokens = reasoning;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? usage.cached_tokens;
  if (typeof cached === 'number') mapped.cachedInputTokens = cached;
  return mapped;
}

/**
 * A `ProviderError` from an error object the server sent with a 200 response: an `event: error`
 * frame (Groq), a chunk's `error` field (OpenRouter) or a JSON body with `error`.
 */
export function providerErrorFromWire(error: WireError, context: string): ProviderError {
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error.message ?? error);
  const numericCode = typeof error.code === 'number' ? error.code : undefined;
  const status = typeof error.status_code === 'number' ? error.status_code
    : numericCode !== undefined && numericCode >= 100 && numericCode < 600 ? numericCode : undefined;
  const code = typeof error.code === 'string' ? error.code : numericCode !== undefined && status !== numericCode ? String(numericCode) : undefined;
  return new ProviderError(`${context}: ${message}`, {
    ...(status !== undefined && { status }),
    ...(code !== undefined && { code }),
    ...(typeof error.type === 'string' && { type: error.type }),
    ...(typeof error.param === 'string' && { param: error.param }),
  });
}

function copyExtras(source: Record<string, unknown>, mapped: ReadonlySet<string>, target: Record<string, unknown>): void {
  for (const key in source) {
    if (mapped.has(key)) continue;
    const value = source[key];
    if (value !== undefined && value !== null) target[key] = value;
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberOr(value: number | null | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/**
 * Where a chunk or completion breaks the wire shape in a way the mapping cannot read past: an
 * entry of `choices` or of `tool_calls` that is not an object (a `null` a proxy left behind).
 * Undefined when the shape is readable.
 */
export function malformedEntry(wire: Record<string, unknown>): string | undefined {
  if (wire.choices === undefined || wire.choices === null) return undefined;
  if (!Array.isArray(wire.choices)) return 'choices is not an array';
  for (let i = 0; i < wire.choices.length; i++) {
    const choice: unknown = wire.choices[i];
    if (!isPlainObject(choice)) return `choices[${i}] is ${choice === null ? 'null' : typeof choice}`;
    const body = isPlainObject(choice.delta) ? choice.delta : isPlainObject(choice.message) ? choice.message : undefined;
    const calls = body?.tool_calls;
    if (calls === undefined || calls === null) continue;
    if (!Array.isArray(calls)) return `choices[${i}] tool_calls is not an array`;
    const bad = calls.findIndex((call) => !isPlainObject(call));
    if (bad >= 0) return `choices[${i}] tool_calls[${bad}] is ${calls[bad] === null ? 'null' : typeof calls[bad]}`;
  }
  return undefined;
}
