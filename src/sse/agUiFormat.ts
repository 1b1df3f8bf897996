import { jsonPatchDiff } from '../json/jsonPatchDiff.js';
import type { JsonValue } from '../json/jsonTypes.js';
import type { SseEncoder, SseEncoderContext, SseFormat } from './SseFormat.js';
import type { SseMessage } from './SseFrame.js';
import { isWireError } from './fromWireError.js';
import type { WireError } from './WireError.js';
import { WirePartReader, type WirePart } from './WirePartReader.js';
import { encodeParts } from './encodeParts.js';

/** AG-UI's event types; a value that is already an AG-UI event passes through. */
const AG_UI_TYPES = new Set([
  'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'TEXT_MESSAGE_CHUNK',
  'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_CHUNK', 'TOOL_CALL_RESULT',
  'STATE_SNAPSHOT', 'STATE_DELTA', 'MESSAGES_SNAPSHOT', 'ACTIVITY_SNAPSHOT', 'ACTIVITY_DELTA',
  'RAW', 'CUSTOM', 'STEP_STARTED', 'STEP_FINISHED',
  'REASONING_START', 'REASONING_MESSAGE_START', 'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_END',
  'REASONING_MESSAGE_CHUNK', 'REASONING_END', 'REASONING_ENCRYPTED_VALUE',
]);

/**
 * The `'ag-ui'` format: AG-UI protocol events, as `@ag-ui/client`'s `HttpAgent` reads them. A run
 * opens with `RUN_STARTED` and closes with `RUN_FINISHED` (or `RUN_ERROR`, whose `code` is the
 * error's class and `rawEvent` the typed, masked error). Each model turn is one assistant message:
 * `TEXT_MESSAGE_*` for its text, `REASONING_*` for its reasoning, `TOOL_CALL_*` for its tool calls;
 * tool answers are `TOOL_CALL_RESULT`, custom events `CUSTOM`, and any other value (a partial
 * structured object) the run's state: `STATE_SNAPSHOT` first, then `STATE_DELTA` patches.
 */
export const agUiFormat: SseFormat = {
  name: 'ag-ui',
  headers: {},
  encoder: (context) => new AgUiEncoder(context),
  decoder: () => ({
    decode(message) {
      if (message.data === undefined || message.data === '') return [];
      const event = JSON.parse(message.data) as { type?: string; message?: string; code?: string; rawEvent?: unknown };
      if (event.type === 'RUN_ERROR') {
        const error = isWireError(event.rawEvent) ? event.rawEvent : { name: event.code ?? 'RxllmError', message: event.message ?? 'Unknown error' };
        return [{ kind: 'error', error }];
      }
      return event.type === 'RUN_FINISHED' ? [{ kind: 'value', value: event }, { kind: 'end' }] : [{ kind: 'value', value: event }];
    },
  }),
};

class AgUiEncoder implements SseEncoder {
  private readonly reader = new WirePartReader();
  private readonly threadId: string;
  private messageId: string | undefined;
  private textOpen = false;
  private reasoningId: string | undefined;
  private readonly openCalls: string[] = [];
  private messages = 0;
  private state: JsonValue | undefined;

  constructor(private readonly context: SseEncoderContext) {
    this.threadId = context.threadId ?? context.runId;
  }

  start(): SseMessage[] {
    return [event({ type: 'RUN_STARTED', threadId: this.threadId, runId: this.context.runId })];
  }

  next(value: unknown): SseMessage[] {
    if (isAgUiEvent(value)) return [event(value)];
    return encodeParts(this.reader.read(value), (part) => this.encode(part));
  }

  complete(): SseMessage[] {
    const end = encodeParts(this.reader.finish(), (part) => this.encode(part));
    return [...end, ...this.closeMessage(), event({ type: 'RUN_FINISHED', threadId: this.threadId, runId: this.context.runId })];
  }

  error(error: WireError): SseMessage[] {
    return [event({ type: 'RUN_ERROR', message: error.message, code: error.name, rawEvent: error })];
  }

  private encode(part: WirePart): SseMessage[] {
    switch (part.type) {
      case 'turn-start':
        return this.closeMessage();
      case 'text': {
        const out = this.closeReasoning();
        if (!this.textOpen) {
          this.textOpen = true;
          out.push(event({ type: 'TEXT_MESSAGE_START', messageId: this.currentMessage(), role: 'assistant' }));
        }
        out.push(event({ type: 'TEXT_MESSAGE_CONTENT', messageId: this.currentMessage(), delta: part.delta }));
        return out;
      }
      case 'reasoning': {
        const out: SseMessage[] = [];
        if (!this.reasoningId) {
          this.reasoningId = `${this.currentMessage()}-reasoning`;
          out.push(event({ type: 'REASONING_START', messageId: this.reasoningId }));
          out.push(event({ type: 'REASONING_MESSAGE_START', messageId: this.reasoningId, role: 'reasoning' }));
        }
        out.push(event({ type: 'REASONING_MESSAGE_CONTENT', messageId: this.reasoningId, delta: part.delta }));
        return out;
      }
      case 'tool-call-start':
        this.openCalls.push(part.toolCallId);
        return [event({ type: 'TOOL_CALL_START', toolCallId: part.toolCallId, toolCallName: part.toolName, parentMessageId: this.currentMessage() })];
      case 'tool-call-delta':
        return [event({ type: 'TOOL_CALL_ARGS', toolCallId: part.toolCallId, delta: part.delta })];
      case 'turn-end':
        return this.closeMessage();
      case 'tool-result': {
        const { message } = part;
        return [event({ type: 'TOOL_CALL_RESULT', messageId: `${message.toolCallId}-result`, toolCallId: message.toolCallId, content: message.content, role: 'tool' })];
      }
      case 'custom':
        return [event({ type: 'CUSTOM', name: part.name, value: part.data })];
      case 'snapshot': {
        const next = part.value as JsonValue;
        const previous = this.state;
        this.state = next;
        return previous === undefined || typeof previous !== 'object' || previous === null || typeof next !== 'object' || next === null
          ? [event({ type: 'STATE_SNAPSHOT', snapshot: next })]
          : [event({ type: 'STATE_DELTA', delta: jsonPatchDiff(previous, next) })];
      }
    }
  }

  /** The id of the assistant message of the current turn, made on first use. */
  private currentMessage(): string {
    return (this.messageId ??= `${this.context.runId}-message-${++this.messages}`);
  }

  private closeReasoning(): SseMessage[] {
    if (!this.reasoningId) return [];
    const messageId = this.reasoningId;
    this.reasoningId = undefined;
    return [event({ type: 'REASONING_MESSAGE_END', messageId }), event({ type: 'REASONING_END', messageId })];
  }

  /** Ends the current turn's message: its reasoning, text and tool calls, each opened one closed. */
  private closeMessage(): SseMessage[] {
    const out = this.closeReasoning();
    if (this.textOpen) out.push(event({ type: 'TEXT_MESSAGE_END', messageId: this.messageId }));
    for (const toolCallId of this.openCalls) out.push(event({ type: 'TOOL_CALL_END', toolCallId }));
    this.openCalls.length = 0;
    this.textOpen = false;
    this.messageId = undefined;
    return out;
  }
}

function event(value: object): SseMessage {
  return { data: JSON.stringify(value) };
}

function isAgUiEvent(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && AG_UI_TYPES.has((value as { type?: string }).type as string);
}
