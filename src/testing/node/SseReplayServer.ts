import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SseChunking } from './SseChunking.js';
import { CancellableTimers, parseRequestBody, redactHeaders, splitBody } from './sseReplayInternals.js';

export type { SseChunking } from './SseChunking.js';

/** One scripted answer of an `SseReplayServer`: a body, how it is written, and which fault ends it. */
export interface SseReplayResponse {
  /** A file whose bytes are the body (a recorded `.sse` stream). */
  file?: string;
  /** The body itself. */
  body?: string | Uint8Array;
  /** A JSON body (served as `application/json`): a non-streaming completion or an error document. */
  json?: unknown;
  /** How the body is cut into writes. Default `'whole'`. */
  chunking?: SseChunking;
  /** Milliseconds to wait before each write. Default 0 (one event-loop turn between writes). */
  delayMs?: number;
  /** Stop writing after this many body bytes (or after the whole body) and keep the connection open. */
  stallAfterBytes?: number;
  /** Destroy the connection after this many body bytes (or after the whole body, instead of ending it). */
  dropAfterBytes?: number;
  /** HTTP status. Default 200. */
  status?: number;
  /** Response headers (e.g. `retry-after`); they override the default `content-type`. */
  headers?: Record<string, string>;
}

/** Options of `SseReplayServer`: one response for every request, or a script of `responses`. */
export interface SseReplayServerOptions extends SseReplayResponse {
  /** One response per request, in order; the last one repeats. Overrides the top-level response. */
  responses?: readonly SseReplayResponse[];
}

/** What the server saw of one request, and what became of its response. */
export interface RecordedRequest {
  /** 0 for the first request. */
  readonly index: number;
  readonly method: string;
  readonly url: string;
  /** Lower-case header names; `authorization` and API-key headers read `[redacted]`. */
  readonly headers: Record<string, string>;
  /** The request body parsed as JSON (or the raw text when it is not JSON). */
  readonly body: unknown;
  /** Body bytes written so far. */
  bytesWritten: number;
  /** True once the client closed the connection before the response was completely written. */
  closedByClient: boolean;
  /** Which TCP connection it came on (0 for the first): requests on one connection were kept alive. */
  readonly connection: number;
}

interface ResponseWatch {
  closed: Promise<RecordedRequest>;
  resolve(record: RecordedRequest): void;
  reject(error: Error): void;
}

/**
 * A loopback HTTP server that replays a recorded streaming body, with the faults real networks
 * have: arbitrary write boundaries, delays, a stalled or dropped connection, error statuses. Point
 * a client's `baseURL` at it to test stream decoding and cancellation without a provider.
 *
 * @example
 * ```ts
 * import { SseReplayServer } from 'rxllm/testing/node';
 * import { ChatOpenAI } from 'rxllm/openai';
 *
 * const server = new SseReplayServer({ file: 'chat-tool-call.sse', chunking: 1 });
 * const baseURL = await server.start();
 * const message = await new ChatOpenAI({ model: 'gpt-4o', apiKey: 'test', baseURL, streaming: true }).invoke('Hi');
 * server.requests[0].body; // the JSON the client sent
 * await server.close();
 * ```
 */
export class SseReplayServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly script: readonly SseReplayResponse[];
  private readonly bodies = new Map<SseReplayResponse, Uint8Array>();
  private readonly sockets = new Set<Socket>();
  private readonly connectionIds = new WeakMap<Socket, number>();
  private connectionCount = 0;
  private readonly watches = new Map<number, ResponseWatch>();
  private readonly timers = new CancellableTimers();
  private server?: Server;
  private closing = false;

  constructor(options: SseReplayServerOptions) {
    const { responses, ...single } = options;
    this.script = responses?.length ? responses : [single];
  }

  /** Listens on 127.0.0.1 (a free port) and resolves with the base URL to give a client (`…/v1`). */
  async start(): Promise<string> {
    if (this.server) throw new Error('SseReplayServer is already started');
    for (const response of this.script) this.bodies.set(response, await loadBody(response));
    const server = createServer((request, response) => this.handle(request, response));
    this.server = server;
    server.on('connection', (socket) => {
      this.connectionIds.set(socket, this.connectionCount++);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** Resolves with the record of request `index` once its response is over, however it ended. */
  responseClosed(index = 0): Promise<RecordedRequest> {
    return this.watch(index).closed;
  }

  /**
   * Resolves when the client closes the connection of request `index` before its response was
   * completely written (what a cancelled stream does); rejects if the response ended otherwise.
   */
  async clientClosed(index = 0): Promise<RecordedRequest> {
    const record = await this.responseClosed(index);
    if (!record.closedByClient) throw new Error(`The response to request ${index} ended without the client closing it (${record.bytesWritten} bytes written)`);
    return record;
  }

  /** Stops listening, cancels every pending write and destroys every open connection. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.timers.cancelAll();
    for (const [index, watch] of this.watches) {
      if (!this.requests[index]) watch.reject(new Error(`SseReplayServer closed before request ${index} arrived`));
    }
    const server = this.server;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private watch(index: number): ResponseWatch {
    let watch = this.watches.get(index);
    if (!watch) {
      let resolve!: (record: RecordedRequest) => void;
      let reject!: (error: Error) => void;
      const closed = new Promise<RecordedRequest>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A watch nobody awaits must not surface as an unhandled rejection when the server closes.
      closed.catch(() => undefined);
      watch = { closed, resolve, reject };
      this.watches.set(index, watch);
      if (this.closing && !this.requests[index]) reject(new Error(`SseReplayServer closed before request ${index} arrived`));
    }
    return watch;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const index = this.requests.length;
      const record: RecordedRequest = {
        index,
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: redactHeaders(request.headers),
        body: parseRequestBody(Buffer.concat(parts).toString('utf8')),
        bytesWritten: 0,
        closedByClient: false,
        connection: this.connectionIds.get(request.socket) ?? -1,
      };
      this.requests.push(record);
      const scripted = this.script[Math.min(index, this.script.length - 1)];
      let finished = false;
      let dropped = false;
      response.on('close', () => {
        record.closedByClient = !finished && !dropped && !this.closing;
        this.watch(index).resolve(record);
      });
      void this.respond(scripted, response, record, {
        finish: () => (finished = true),
        drop: () => (dropped = true),
      });
    });
  }

  private async respond(
    scripted: SseReplayResponse, response: ServerResponse, record: RecordedRequest,
    mark: { finish(): void; drop(): void },
  ): Promise<void> {
    const status = scripted.status ?? 200;
    const defaultType = scripted.json !== undefined || status >= 300 ? 'application/json' : 'text/event-stream';
    response.writeHead(status, { 'content-type': defaultType, 'cache-control': 'no-cache', ...lowerCaseKeys(scripted.headers) });
    response.flushHeaders();
    const body = this.bodies.get(scripted) ?? new Uint8Array();
    const limit = Math.min(scripted.stallAfterBytes ?? Infinity, scripted.dropAfterBytes ?? Infinity);
    const pieces = splitBody(body, scripted.chunking ?? 'whole', limit);
    const delayMs = scripted.delayMs ?? 0;
    for (let i = 0; i < pieces.length; i++) {
      if ((delayMs > 0 || i > 0) && !(await this.timers.wait(delayMs))) return;
      if (response.destroyed) return;
      const piece = pieces[i];
      record.bytesWritten += piece.length;
      if (!response.write(piece) && !(await drained(response))) return;
    }
    if (response.destroyed) return;
    const fault = faultOf(scripted);
    if (fault === 'stall') return;
    if (fault === 'drop') {
      mark.drop();
      const socket = response.socket;
      // Let the written bytes reach the client first: the fault is the missing end, not lost data.
      if (socket) await new Promise<void>((resolve) => socket.write('', () => resolve()));
      socket?.destroy();
      return;
    }
    mark.finish();
    response.end();
  }
}

/** Which fault ends the response: the smaller of the two byte limits wins. */
function faultOf(scripted: SseReplayResponse): 'stall' | 'drop' | undefined {
  const { stallAfterBytes: stall, dropAfterBytes: drop } = scripted;
  if (drop !== undefined && (stall === undefined || drop <= stall)) return 'drop';
  return stall !== undefined ? 'stall' : undefined;
}

async function loadBody(response: SseReplayResponse): Promise<Uint8Array> {
  if (response.json !== undefined) return Buffer.from(JSON.stringify(response.json), 'utf8');
  if (response.body !== undefined) return typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  if (response.file !== undefined) return readFile(response.file);
  return new Uint8Array();
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = value;
  return lower;
}

/** Resolves true when `response` can take more data, false if it closed first. */
function drained(response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      response.off('close', onClose);
      resolve(true);
    };
    const onClose = () => {
      response.off('drain', onDrain);
      resolve(false);
    };
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}
