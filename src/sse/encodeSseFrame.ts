import type { SseMessage } from './SseFrame.js';

/** The fields of one frame; each is written only when given. */
export interface SseFrameFields extends SseMessage {
  readonly id?: string;
  /** Milliseconds a client waits before reconnecting (`retry:`). */
  readonly retry?: number;
  /** A comment line (`: …`), ignored by readers: what heartbeats are made of. */
  readonly comment?: string;
}

/**
 * The text of one frame. A data text with line breaks becomes one `data:` line per line, as the
 * Server-Sent Events grammar requires (readers join them with `\n` again). Lines end with `\n`
 * only: every reader accepts it, and some (AG-UI's) split frames on `\n\n` alone.
 *
 * @example
 * ```ts
 * import { encodeSseFrame } from 'rxllm/sse';
 * encodeSseFrame({ id: 'run:1', data: '{"a":1}' }); // 'id: run:1\ndata: {"a":1}\n\n'
 * ```
 */
export function encodeSseFrame(fields: SseFrameFields): string {
  let text = '';
  if (fields.comment !== undefined) text += `: ${singleLine(fields.comment)}\n`;
  if (fields.retry !== undefined) text += `retry: ${fields.retry}\n`;
  if (fields.id !== undefined) text += `id: ${singleLine(fields.id)}\n`;
  if (fields.event !== undefined) text += `event: ${singleLine(fields.event)}\n`;
  if (fields.data !== undefined) {
    // JSON.stringify never emits a raw line break, so the common case is one line.
    text += fields.data.includes('\n') || fields.data.includes('\r')
      ? fields.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`).join('')
      : `data: ${fields.data}\n`;
  }
  return `${text}\n`;
}

/** A field value that cannot break out of its line (ids and event names are single-line by grammar). */
function singleLine(value: string): string {
  // The check first: ids and names almost never hold a line break, and `replace` would copy them.
  return value.includes('\n') || value.includes('\r') ? value.replace(/[\r\n]/g, ' ') : value;
}
