import type { StreamEvent } from '../events/StreamEvent.js';
import type { SseFormat } from './SseFormat.js';
import { isWireError } from './fromWireError.js';
import { fromLangChainValue, toLangChainValue } from './langchainMessages.js';
import type { WireError } from './WireError.js';
import { isStreamEvent } from './WirePartReader.js';

/**
 * The `'langchain'` format: LangChain.js's `streamEvents(…, { encoding: 'text/event-stream' })`
 * encoding, which LangServe speaks and `RemoteRunnable` reads: an `event: data` frame per event
 * with its JSON, then `event: end`. Messages travel as LangChain's dicts (`type`, `content`,
 * `additional_kwargs`, `tool_call_chunks`, `usage_metadata`, …) and a chat model's input
 * messages nested one level (`[[…]]`), as LangChain sends them. A failure is an `event: error`
 * frame whose data has the masked message (what `RemoteRunnable` throws) and the typed error.
 */
export const langchainFormat: SseFormat = {
  name: 'langchain',
  headers: {},
  encoder: () => ({
    start: () => [],
    next: (value) => [{ event: 'data', data: JSON.stringify(toLangChainValue(isStreamEvent(value) ? nestMessages(value) : value)) }],
    complete: () => [{ event: 'end', data: '' }],
    error: (error: WireError) => [{ event: 'error', data: JSON.stringify({ status_code: 500, message: error.message, error }) }],
  }),
  decoder: () => ({
    decode(message) {
      if (message.event === 'end') return [{ kind: 'end' }];
      if (message.event === 'error') {
        const body = parseOrNull(message.data) as { message?: string; error?: unknown } | null;
        return [{ kind: 'error', error: isWireError(body?.error) ? body.error : { name: 'RxllmError', message: body?.message ?? String(message.data ?? '') } }];
      }
      if (!message.data) return [];
      const value = fromLangChainValue(JSON.parse(message.data));
      return [{ kind: 'value', value: isStreamEvent(value) ? flattenMessages(value) : value }];
    },
  }),
};

/** A chat model event's `input.messages` nested one level, LangChain's shape for a batch of one. */
function nestMessages(event: StreamEvent): StreamEvent {
  const messages = chatModelMessages(event);
  return messages && !Array.isArray(messages[0]) ? withMessages(event, [messages]) : event;
}

/** The inverse of {@link nestMessages}. */
function flattenMessages(event: StreamEvent): StreamEvent {
  const messages = chatModelMessages(event);
  return messages && messages.length === 1 && Array.isArray(messages[0]) ? withMessages(event, messages[0] as unknown[]) : event;
}

function chatModelMessages(event: StreamEvent): unknown[] | undefined {
  if (!event.event.startsWith('on_chat_model_')) return undefined;
  const messages = (event.data as { input?: { messages?: unknown } } | undefined)?.input?.messages;
  return Array.isArray(messages) ? messages : undefined;
}

function withMessages(event: StreamEvent, messages: unknown[]): StreamEvent {
  return { ...event, data: { ...event.data, input: { ...event.data.input, messages } } };
}

function parseOrNull(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return null;
  }
}
