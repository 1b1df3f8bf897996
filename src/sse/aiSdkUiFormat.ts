import type { SseEncoder, SseEncoderContext, SseFormat } from './SseFormat.js';
import type { SseMessage } from './SseFrame.js';
import type { WireError } from './WireError.js';
import { WirePartReader, type WirePart } from './WirePartReader.js';
import { encodeParts } from './encodeParts.js';

/** The chunk types of the AI SDK's UI message stream (v1); a value already of one passes through. */
const UI_CHUNK_TYPES = new Set([
  'start', 'finish', 'abort', 'error', 'start-step', 'finish-step', 'message-metadata',
  'text-start', 'text-delta', 'text-end', 'reasoning-start', 'reasoning-delta', 'reasoning-end',
  'tool-input-start', 'tool-input-delta', 'tool-input-available', 'tool-input-error',
  'tool-output-available', 'tool-output-error', 'tool-output-denied', 'tool-approval-request',
  'source-url', 'source-document', 'file',
]);

/** rxllm's finish reasons in the AI SDK's words. */
const FINISH_REASONS: Readonly<Record<string, string>> = {
  stop: 'stop', length: 'length', tool_calls: 'tool-calls', content_filter: 'content-filter',
};

/**
 * The `'ai-sdk-ui'` format: the AI SDK's UI message stream, version 1 (the
 * `x-vercel-ai-ui-message-stream: v1` protocol that `useChat`, `DefaultChatTransport` and
 * `readUIMessageStream` read). Each model turn is a step; text, reasoning and tool-input deltas
 * stream as parts, the parsed tool input and each tool's output follow, custom events become
 * `data-<name>` parts, and any other value (a partial structured object) a `data-snapshot` part
 * that replaces the previous one. The stream ends with `finish` and `[DONE]`; a failure is an
 * `error` chunk whose `errorText` is the masked message (and `rxllmError` the typed error).
 */
export const aiSdkUiFormat: SseFormat = {
  name: 'ai-sdk-ui',
  headers: { 'x-vercel-ai-ui-message-stream': 'v1' },
  encoder: (context) => new AiSdkUiEncoder(context),
  decoder: () => ({
    decode(message) {
      if (message.data === undefined || message.data === '') return [];
      if (message.data === '[DONE]') return [{ kind: 'end' }];
      const chunk = JSON.parse(message.data) as { type?: string; errorText?: string; rxllmError?: WireError };
      if (chunk.type === 'error') return [{ kind: 'error', error: chunk.rxllmError ?? { name: 'RxllmError', message: chunk.errorText ?? 'Unknown error' } }];
      return [{ kind: 'value', value: chunk }];
    },
  }),
};

class AiSdkUiEncoder implements SseEncoder {
  private readonly reader = new WirePartReader();
  private openText: string | undefined;
  private openReasoning: string | undefined;
  private inStep = false;
  private parts = 0;
  private finishReason: string | undefined;

  constructor(private readonly context: SseEncoderContext) {}

  start(): SseMessage[] {
    return [chunk({ type: 'start', messageId: this.context.runId })];
  }

  next(value: unknown): SseMessage[] {
    if (isUiChunk(value)) return [chunk(value)];
    return encodeParts(this.reader.read(value), (part) => this.encode(part));
  }

  complete(): SseMessage[] {
    const end = encodeParts(this.reader.finish(), (part) => this.encode(part));
    const finishReason = this.finishReason === undefined ? undefined : FINISH_REASONS[this.finishReason] ?? 'other';
    return [...end, ...this.closeStep(), chunk({ type: 'finish', ...(finishReason && { finishReason }) }), { data: '[DONE]' }];
  }

  error(error: WireError): SseMessage[] {
    return [...this.closeParts(), chunk({ type: 'error', errorText: error.message, rxllmError: error }), { data: '[DONE]' }];
  }

  private encode(part: WirePart): SseMessage[] {
    switch (part.type) {
      case 'turn-start':
        return [...this.closeStep(), ...this.openStep()];
      case 'text': {
        const out = this.openStep();
        if (this.openReasoning) out.push(...this.closeReasoning());
        if (!this.openText) out.push(chunk({ type: 'text-start', id: (this.openText = this.nextId('text')) }));
        out.push(chunk({ type: 'text-delta', id: this.openText, delta: part.delta }));
        return out;
      }
      case 'reasoning': {
        const out = this.openStep();
        if (!this.openReasoning) out.push(chunk({ type: 'reasoning-start', id: (this.openReasoning = this.nextId('reasoning')) }));
        out.push(chunk({ type: 'reasoning-delta', id: this.openReasoning, delta: part.delta }));
        return out;
      }
      case 'tool-call-start':
        return [...this.openStep(), chunk({ type: 'tool-input-start', toolCallId: part.toolCallId, toolName: part.toolName })];
      case 'tool-call-delta':
        return [chunk({ type: 'tool-input-delta', toolCallId: part.toolCallId, inputTextDelta: part.delta })];
      case 'turn-end': {
        if (part.finishReason !== undefined) this.finishReason = part.finishReason;
        return [
          ...this.closeParts(),
          ...part.toolCalls.map((call) => chunk({ type: 'tool-input-available', toolCallId: call.id, toolName: call.name, input: call.args })),
          ...part.invalidToolCalls.map((call) => chunk({
            type: 'tool-input-error', toolCallId: call.id ?? '', toolName: call.name ?? '', input: call.args, errorText: call.error,
          })),
          ...this.closeStep(),
        ];
      }
      case 'tool-result': {
        const { message } = part;
        return [chunk(message.status === 'error'
          ? { type: 'tool-output-error', toolCallId: message.toolCallId, errorText: message.content }
          : { type: 'tool-output-available', toolCallId: message.toolCallId, output: message.artifact ?? message.content })];
      }
      case 'custom':
        return [chunk({ type: `data-${part.name}`, data: part.data })];
      case 'snapshot':
        // One id for every snapshot: the AI SDK replaces a data part that has the id of an earlier one.
        return [chunk({ type: 'data-snapshot', id: 'snapshot', data: part.value })];
    }
  }

  private openStep(): SseMessage[] {
    if (this.inStep) return [];
    this.inStep = true;
    return [chunk({ type: 'start-step' })];
  }

  private closeStep(): SseMessage[] {
    if (!this.inStep) return [];
    const out = this.closeParts();
    this.inStep = false;
    out.push(chunk({ type: 'finish-step' }));
    return out;
  }

  private closeParts(): SseMessage[] {
    const out = this.closeReasoning();
    if (this.openText) out.push(chunk({ type: 'text-end', id: this.openText }));
    this.openText = undefined;
    return out;
  }

  private closeReasoning(): SseMessage[] {
    if (!this.openReasoning) return [];
    const id = this.openReasoning;
    this.openReasoning = undefined;
    return [chunk({ type: 'reasoning-end', id })];
  }

  private nextId(kind: string): string {
    return `${kind}-${++this.parts}`;
  }
}

function chunk(value: object): SseMessage {
  return { data: JSON.stringify(value) };
}

function isUiChunk(value: unknown): value is { type: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && (UI_CHUNK_TYPES.has(type) || type.startsWith('data-'));
}
