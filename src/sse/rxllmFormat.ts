import { parseRxllmJson, stringifyRxllmJson } from './rxllmJson.js';
import type { SseFormat } from './SseFormat.js';
import { isWireError } from './fromWireError.js';
import type { WireError } from './WireError.js';

/**
 * The `'rxllm'` format: every value is one `data:` event holding its JSON, rxllm's classes tagged
 * so that events, `AIMessageChunk`s, messages and errors arrive as the same classes. A failure is
 * an `event: error` frame with the masked, typed error; completion is an `event: end` frame, so a
 * client can tell a finished stream from a broken connection.
 *
 * ```
 * id: run_1:1
 * data: {"event":"on_chat_model_stream",…,"data":{"chunk":{"$rxllm":"AIMessageChunk","content":"Hel",…}}}
 *
 * id: run_1:2
 * event: end
 * data: {}
 * ```
 */
export const rxllmFormat: SseFormat = {
  name: 'rxllm',
  headers: {},
  encoder: () => ({
    start: () => [],
    next: (value) => [{ data: stringifyRxllmJson(value) }],
    complete: () => [{ event: 'end', data: '{}' }],
    error: (error: WireError) => [{ event: 'error', data: JSON.stringify(error) }],
  }),
  decoder: () => ({
    decode(message) {
      if (message.event === 'end') return [{ kind: 'end' }];
      if (message.event === 'error') {
        const error = parseJsonOrText(message.data);
        return [{ kind: 'error', error: isWireError(error) ? error : { name: 'RxllmError', message: String(message.data ?? '') } }];
      }
      if (message.data === undefined || (message.event !== undefined && message.event !== 'message')) return [];
      return [{ kind: 'value', value: parseRxllmJson(message.data) }];
    },
  }),
};

function parseJsonOrText(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return text;
  }
}
