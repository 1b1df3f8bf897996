import type { IncomingHttpHeaders } from 'node:http';

import { InvalidOptionError } from '../../errors/InvalidOptionError.js';
import { positiveCount } from '../../errors/optionChecks.js';
import type { SseChunking } from './SseChunking.js';

/** Header names whose values are credentials, never kept in a request record. */
const SECRET_HEADERS = new Set(['authorization', 'api-key', 'x-api-key', 'proxy-authorization']);

/** The pieces `body` is written in: cut by `chunking`, truncated to `limit` bytes. */
export function splitBody(body: Uint8Array, chunking: SseChunking, limit: number): Uint8Array[] {
  const end = Math.min(body.length, limit);
  const cuts = cutOffsets(end, chunking);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    if (cut <= start || cut >= end) continue;
    pieces.push(body.subarray(start, cut));
    start = cut;
  }
  if (start < end) pieces.push(body.subarray(start, end));
  return pieces;
}

function cutOffsets(end: number, chunking: SseChunking): Iterable<number> {
  if (chunking === 'whole') return [];
  if (typeof chunking === 'number') {
    return everyNth(positiveCount('SseReplayServer', 'chunking', chunking, 1, { infinity: false }), end);
  }
  for (let i = 1; i < chunking.length; i++) {
    if (chunking[i] <= chunking[i - 1]) throw new InvalidOptionError('SseReplayServer', 'chunking', "'whole', a positive integer of bytes or strictly increasing byte offsets", chunking);
  }
  return chunking;
}

function* everyNth(step: number, end: number): Generator<number> {
  for (let offset = step; offset < end; offset += step) yield offset;
}

/** Request headers as a plain record, with credentials replaced by `[redacted]`. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    record[name] = SECRET_HEADERS.has(name) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}

/** A request body as JSON when it parses, as text otherwise, `undefined` when empty. */
export function parseRequestBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Timers that can all be cancelled at once, so a closed server leaves nothing scheduled.
 * `wait(0)` yields one turn of the event loop (so each write reaches the socket on its own).
 */
export class CancellableTimers {
  private readonly pending = new Set<() => void>();

  wait(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const cancel = () => {
        if (ms > 0) clearTimeout(handle as NodeJS.Timeout);
        else clearImmediate(handle as NodeJS.Immediate);
        this.pending.delete(cancel);
        resolve(false);
      };
      const fire = () => {
        this.pending.delete(cancel);
        resolve(true);
      };
      const handle = ms > 0 ? setTimeout(fire, ms) : setImmediate(fire);
      this.pending.add(cancel);
    });
  }

  cancelAll(): void {
    for (const cancel of [...this.pending]) cancel();
  }
}
