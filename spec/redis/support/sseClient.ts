import { request as httpRequest, type ClientRequest } from 'node:http';

/** One frame as a client received it. */
export interface ReceivedFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
}

/** How a stream ended: its end frame, an error frame (`name` of the error), or the connection closing. */
export type StreamEnd = { kind: 'end' } | { kind: 'error'; name: string; message: string } | { kind: 'closed' };

/** An open event stream: the frames so far, how it ended, and a way to cut it. */
export interface OpenStream {
  readonly frames: ReceivedFrame[];
  readonly runId: Promise<string>;
  readonly ended: Promise<StreamEnd>;
  /** Resolves once `count` frames with an id have arrived. */
  framesWithId(count: number): Promise<void>;
  /** Cuts the connection at the socket, as a network failure would. */
  drop(): void;
}

/**
 * Opens `url` with `node:http` and parses its Server-Sent Events as they arrive (a spec's view
 * of the wire, independent of the library's own client). `onFrame` sees each frame first, in
 * the same turn, so a spec can cut the stream at an exact frame.
 */
export function openStream(url: string, options: { method?: string; body?: unknown; lastEventId?: string; onFrame?: (frame: ReceivedFrame, stream: OpenStream) => void } = {}): OpenStream {
  const frames: ReceivedFrame[] = [];
  const waiters = new Set<() => void>();
  let resolveRunId!: (runId: string) => void;
  let resolveEnded!: (end: StreamEnd) => void;
  const runId = new Promise<string>((resolve) => (resolveRunId = resolve));
  const ended = new Promise<StreamEnd>((resolve) => (resolveEnded = resolve));
  let request: ClientRequest;
  let finished = false;
  const finish = (end: StreamEnd) => {
    if (finished) return;
    finished = true;
    resolveEnded(end);
    for (const waiter of [...waiters]) waiter();
  };
  const stream: OpenStream = {
    frames,
    runId,
    ended,
    framesWithId: (count) => new Promise<void>((resolve, reject) => {
      const check = () => {
        if (frames.filter((frame) => frame.id).length >= count) {
          waiters.delete(check);
          resolve();
        } else if (finished) {
          waiters.delete(check);
          reject(new Error(`The stream ended after ${frames.length} frames, before ${count}`));
        }
      };
      waiters.add(check);
      check();
    }),
    drop: () => {
      request.destroy();
      finish({ kind: 'closed' });
    },
  };
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  request = httpRequest(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(options.lastEventId && { 'last-event-id': options.lastEventId }) },
  }, (response) => {
    resolveRunId(String(response.headers['x-run-id'] ?? ''));
    response.setEncoding('utf8');
    let pending = '';
    response.on('data', (text: string) => {
      pending += text;
      let boundary: number;
      while (!finished && (boundary = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, boundary);
        pending = pending.slice(boundary + 2);
        const frame = parseFrame(block);
        if (!frame) continue;
        frames.push(frame);
        options.onFrame?.(frame, stream);
        for (const waiter of [...waiters]) waiter();
        if (frame.event === 'end') finish({ kind: 'end' });
        else if (frame.event === 'error') {
          const error = JSON.parse(frame.data ?? '{}') as { name?: string; message?: string };
          finish({ kind: 'error', name: error.name ?? '', message: error.message ?? '' });
        }
      }
    });
    response.on('end', () => finish({ kind: 'closed' }));
    response.on('error', () => finish({ kind: 'closed' }));
  });
  request.on('error', () => finish({ kind: 'closed' }));
  request.end(body);
  return stream;
}

function parseFrame(block: string): ReceivedFrame | undefined {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || !line.includes(':')) continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    fields[name] = name === 'data' && fields.data !== undefined ? `${fields.data}\n${value}` : value;
  }
  if (fields.id === undefined && fields.event === undefined && fields.data === undefined) return undefined;
  return { ...(fields.id !== undefined && { id: fields.id }), ...(fields.event !== undefined && { event: fields.event }), ...(fields.data !== undefined && { data: fields.data }) };
}
