import type { IncomingMessage, ServerResponse } from 'node:http';
import { defer, type ObservableInput, type Subscription } from 'rxjs';
import { AbortError, StreamGoneError } from '../errors/errors.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { maskSecrets } from '../errors/maskSecrets.js';
import { durationMs, oneOf, positiveCount } from '../errors/optionChecks.js';
import { maskErrors, type MaskErrorsOptions } from '../security/maskErrors.js';
import { toMaskedError } from '../security/toMaskedError.js';
import { encodeSseFrame } from '../sse/encodeSseFrame.js';
import { frameId, parseFrameId } from '../sse/frameId.js';
import { newRunId } from '../runnables/newRunId.js';
import { resolveSseFormat } from '../sse/resolveSseFormat.js';
import type { SseFormat, SseFormatName } from '../sse/SseFormat.js';
import { toWireError } from '../sse/toWireError.js';
import { LocalRun } from './LocalRun.js';
import { MemoryReplayStore } from './MemoryReplayStore.js';
import type { ReplayStore } from './ReplayStore.js';
import { RequestBodyProblem, readRequestBody } from './readRequestBody.js';
import { SseResponseWriter, type SlowClientPolicy } from './SseResponseWriter.js';
import { toNodeExchange } from './toNodeExchange.js';

/** A schema for the request body: a zod schema, or anything with the same `safeParse`. */
export interface BodySchema<B> {
  safeParse(value: unknown):
    | { success: true; data: B }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** What a handler gets besides the body. */
export interface SseEndpointContext {
  /** Aborts when the run ends early: a stop, the client leaving (when that stops the run), shutdown. */
  readonly signal: AbortSignal;
  /** The run's id: frame ids are `<runId>:<seq>`, and `<url>/<runId>` resumes (GET) or stops (DELETE) it. */
  readonly runId: string;
  /** The request, for headers and authentication. */
  readonly request: IncomingMessage;
}

/** Makes the stream of one run from the validated body: `chain.streamEvents(body.input, { signal })`. */
export type SseHandler<B> = (body: B, context: SseEndpointContext) => ObservableInput<unknown>;

/** Where the frames of runs are kept for resuming. */
export interface SseReplayOptions {
  /** The store. Default: a {@link MemoryReplayStore} with the two limits below. */
  store?: ReplayStore;
  /** For the default store: the most frames kept across runs. Default 10 000. */
  maxEvents?: number;
  /** For the default store: how long frames are kept. Default 5 minutes. */
  maxAgeMs?: number;
}

/** Cross-origin access, for a browser app served from another origin. */
export interface SseCorsOptions {
  /** Allowed origins: `'*'`, one origin or a list (the request's `Origin` is echoed when listed). */
  origin: '*' | string | readonly string[];
  /** Sends `Access-Control-Allow-Credentials: true` (cookies). Not with `'*'`. */
  credentials?: boolean;
}

/** Options of {@link sseEndpoint}. */
export interface SseEndpointOptions<B> {
  /** Validates the request body (a zod schema). A body it rejects gets a 400 with a JSON error; nothing is streamed and the handler is not called. */
  schema?: BodySchema<B>;
  /** The wire format. Default `'rxllm'`. */
  format?: SseFormatName | SseFormat;
  /** A heartbeat comment after this many milliseconds without a frame. Default 15 000; `Infinity` for none. */
  heartbeatMs?: number;
  /** The `retry:` sent at the start of each response. Default 3 000. */
  retryMs?: number;
  /** Bytes that may wait for a slow client before `slowClient` applies. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** `'close'` (default) ends a connection that falls `maxBufferedBytes` behind; `'drop-oldest'` drops its oldest waiting frames (for snapshot streams). */
  slowClient?: SlowClientPolicy;
  /** Keeps frames for resuming: `true` for the in-memory default, or a store and limits. Default none. */
  replay?: boolean | SseReplayOptions;
  /** Whether a client leaving stops its run. Default: `true` without replay, `false` with it (only `stop` ends a run then). */
  stopOnDisconnect?: boolean;
  /** Cross-origin access; none by default. */
  cors?: SseCorsOptions;
  /** More response headers. */
  headers?: Record<string, string>;
  /** The largest request body read. Default 1 MiB (a larger one gets a 413). */
  maxBodyBytes?: number;
  /** The conversation id for formats that name one (AG-UI's `threadId`). Default: the body's `threadId` when it is a string. */
  threadId?: (body: B) => string | undefined;
  /**
   * How a failed run's error reaches the client. Default `{}`: masked by `maskErrors`, so the
   * client gets a `MaskedError` (`kind`, `retryable`, a short message) and the original goes to
   * `report` — by default `console.error`, its text masked of key-shaped secrets. `false` sends
   * the typed error itself (its class, message and data fields, key-shaped secrets masked), for a
   * trusted development setup. The endpoint's own protocol errors (a bad body, a stream gone, the
   * shutdown) are sent as they are: they carry nothing but what the client sent.
   */
  maskErrors?: false | MaskErrorsOptions;
}

/**
 * Headers of every event stream besides its type: nothing of a conversation is stored by a
 * browser or a shared cache, and no proxy transforms (so buffers) the stream; the body is never
 * sniffed into something a browser would run or render, loads nothing and is framed by nobody;
 * and a page of another origin cannot embed it (CORS-mode requests, which `cors` allows, are not
 * concerned).
 */
const STREAM_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store, no-transform',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * A request handler for `node:http` (`createServer(endpoint)`), Express (`app.use('/chat', endpoint)`)
 * and Fastify (`fastify.all('/chat/*', endpoint)`), with `close()` for a graceful shutdown.
 */
export interface SseEndpoint {
  (request: unknown, response: unknown, next?: unknown): Promise<void>;
  /**
   * Stops taking requests (new ones get a 503), ends every run of this instance with an error
   * frame (`AbortError`, "the server is shutting down"), ends every other stream, and resolves
   * once every response is over.
   */
  close(): Promise<void>;
  /** Runs in progress on this instance. */
  readonly activeRuns: number;
}

/**
 * A Server-Sent Events endpoint: each request starts a run of `handler` and streams it in a wire
 * format, with everything a real deployment needs.
 *
 * - **Requests.** `POST <url>` starts a run (the body parsed as JSON and checked by `schema`;
 *   a bad body is a 400 with a JSON error). `POST <url>` with `Last-Event-ID`, or `GET <url>/<runId>`
 *   (what a browser `EventSource` can do), resumes a run; `DELETE <url>/<runId>` stops it.
 * - **Ids and resume.** Every frame has the id `<runId>:<seq>`. With `replay`, frames are kept
 *   (bounded by count and age) and a resume gets exactly the frames after its `Last-Event-ID`,
 *   or a `StreamGoneError` frame when they are gone.
 * - **Leaving vs stopping.** Without replay, a client leaving stops its run at once (its model
 *   request is cancelled). With replay, leaving is not stopping: the run goes on for a resume,
 *   and only a stop (`DELETE`, the client's `stop()`) ends it — unless `stopOnDisconnect: true`.
 * - **Slow clients.** At most `maxBufferedBytes` wait for one client; then the connection is
 *   closed (`'close'`) or its oldest frames dropped (`'drop-oldest'`), so one slow reader never
 *   grows the server's memory.
 * - **Errors.** A failed run ends with the format's error frame for a `MaskedError` (`kind`,
 *   `retryable`, a short message): keys, server bodies, stacks and URLs stay on the server,
 *   where `maskErrors.report` receives the original (`maskErrors: false` sends the typed error).
 * - **Headers.** `text/event-stream`, `Cache-Control: no-store, no-transform`,
 *   `X-Content-Type-Options: nosniff`, `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`,
 *   `Cross-Origin-Resource-Policy: same-origin`, `X-Accel-Buffering: no` (nginx), `X-Run-Id`, the
 *   format's own headers; CORS only when configured.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { z } from 'zod';
 * import { sseEndpoint } from 'rxllm/node';
 *
 * const chat = sseEndpoint((body, { signal }) => chain.streamEvents({ input: body.input }, { signal }), {
 *   schema: z.object({ input: z.string() }), format: 'rxllm', replay: { maxEvents: 10_000 },
 * });
 * const app = express();
 * app.use('/chat', chat);
 * process.on('SIGTERM', () => void chat.close());
 * ```
 *
 * @param handler Makes the stream of a run from the validated body.
 * @param options Format, validation, replay, limits and headers.
 * @return The request handler.
 */
export function sseEndpoint<B = unknown>(handler: SseHandler<B>, options: SseEndpointOptions<B> = {}): SseEndpoint {
  const where = 'sseEndpoint';
  const format = resolveSseFormat(options.format, where);
  const heartbeatMs = durationMs(where, 'heartbeatMs', options.heartbeatMs, 15_000, { zero: false, infinity: true });
  const retryMs = durationMs(where, 'retryMs', options.retryMs, 3_000);
  const maxBufferedBytes = positiveCount(where, 'maxBufferedBytes', options.maxBufferedBytes, 1024 * 1024, { infinity: true });
  const maxBodyBytes = positiveCount(where, 'maxBodyBytes', options.maxBodyBytes, 1024 * 1024, { infinity: false });
  const slowClient = oneOf(where, 'slowClient', options.slowClient, 'close', ['close', 'drop-oldest']);
  const replay = options.replay === true ? {} : options.replay === false ? undefined : options.replay;
  const store = replay ? replay.store ?? new MemoryReplayStore({ maxEvents: replay.maxEvents, maxAgeMs: replay.maxAgeMs }) : undefined;
  const stopOnDisconnect = options.stopOnDisconnect ?? !store;
  const retryFrame = encodeSseFrame({ retry: retryMs });
  const masking = errorMasking(options.maskErrors);

  const runs = new Map<string, LocalRun>();
  const writers = new Set<SseResponseWriter>();
  const finishedWriters = new Set<() => void>();
  let closing = false;

  /** Opens the event stream on `response` and returns its writer (unregistered when the response closes). */
  const openStream = (request: IncomingMessage, response: ServerResponse, runId: string): SseResponseWriter => {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      ...STREAM_SECURITY_HEADERS,
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-run-id': runId,
      ...format.headers,
      ...corsHeaders(options.cors, request),
      ...options.headers,
    });
    response.flushHeaders();
    const writer = new SseResponseWriter(response, { maxBufferedBytes, policy: slowClient, heartbeatMs });
    writers.add(writer);
    response.once('close', () => {
      writers.delete(writer);
      for (const done of finishedWriters) done();
    });
    writer.write(retryFrame);
    return writer;
  };

  /** Ends `writer` with the format's error frame for `error` (no id: it is not a frame of the run). */
  const endWithError = (writer: SseResponseWriter, runId: string, error: unknown): void => {
    const messages = format.encoder({ runId }).error(toWireError(error));
    writer.end(messages.map((message) => encodeSseFrame({ event: message.event, data: message.data })).join(''));
  };

  const start = async (exchange: ReturnType<typeof toNodeExchange>): Promise<void> => {
    const { request, response } = exchange;
    let body: B;
    try {
      const raw = await readRequestBody(request, exchange.parsedBody, maxBodyBytes);
      if (options.schema) {
        const checked = options.schema.safeParse(raw);
        if (!checked.success) {
          const issues = checked.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
          const summary = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
          return sendJson(response, 400, { error: { name: 'RequestBodyError', message: `Invalid request body: ${summary}`, fields: { issues } } }, options.cors);
        }
        body = checked.data;
      } else {
        body = raw as B;
      }
    } catch (error) {
      if (error instanceof RequestBodyProblem) return sendJson(response, error.status, { error: { name: 'RequestBodyError', message: error.message } }, options.cors);
      throw error;
    }
    const runId = newRunId();
    const threadId = options.threadId ? options.threadId(body) : threadIdOf(body);
    const writer = openStream(request, response, runId);
    const run = new LocalRun({
      runId,
      ...(threadId !== undefined && { threadId }),
      format,
      produce: (signal) => {
        const stream = defer(() => handler(body, { signal, runId, request }));
        return masking ? stream.pipe(maskErrors(masking)) : stream;
      },
      ...(store && { store }),
      onFinish: () => runs.delete(runId),
    });
    runs.set(runId, run);
    response.once('close', () => {
      if (!response.writableFinished) run.detach(stopOnDisconnect);
    });
    run.start(writer);
  };

  const resume = (request: IncomingMessage, response: ServerResponse, runId: string, afterSeq: number): void => {
    const writer = openStream(request, response, runId);
    const lastEventId = afterSeq > 0 ? frameId(runId, afterSeq) : undefined;
    if (!store) return endWithError(writer, runId, new StreamGoneError(runId, lastEventId, `Stream ${runId} cannot be resumed: this endpoint keeps no replay`));
    const reading: Subscription = store.read(runId, afterSeq).subscribe({
      next: (frame) => writer.write(frame.text),
      // A store's own failure (a Redis URL, a server's reply) is masked like a run's.
      error: (error: unknown) => endWithError(writer, runId, error instanceof StreamGoneError ? error : masked(error)),
      complete: () => writer.end(),
    });
    response.once('close', () => reading.unsubscribe());
  };

  const stop = async (response: ServerResponse, runId: string, request: IncomingMessage): Promise<void> => {
    runs.get(runId)?.stop();
    if (store) await new Promise<void>((resolve, reject) => store.stop(runId).subscribe({ error: reject, complete: resolve }));
    response.writeHead(204, corsHeaders(options.cors, request));
    response.end();
  };

  const serve = async (first: unknown, second: unknown): Promise<void> => {
    const exchange = toNodeExchange(first, second);
    const { request, response } = exchange;
    if (closing) return sendJson(response, 503, { error: { name: 'RxllmError', message: 'The server is shutting down' } }, options.cors);
    const method = (request.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      const cors = corsHeaders(options.cors, request);
      // Without an allowed origin the preflight says nothing: no cross-origin access by default.
      response.writeHead(204, { ...cors, ...(Object.keys(cors).length > 0 && { 'access-control-max-age': '600' }) });
      return void response.end();
    }
    const pathRunId = exchange.params.runId ?? lastPathSegment(request.url);
    const lastEventId = parseFrameId(headerOf(request, 'last-event-id'));
    if (method === 'DELETE') {
      if (!pathRunId) return sendJson(response, 404, { error: { name: 'RxllmError', message: 'DELETE needs the run id: <url>/<runId>' } }, options.cors);
      return stop(response, pathRunId, request);
    }
    if (method === 'GET') {
      const runId = pathRunId ?? lastEventId?.runId;
      if (!runId) return sendJson(response, 404, { error: { name: 'RxllmError', message: 'GET resumes a run: <url>/<runId>' } }, options.cors);
      return resume(request, response, runId, lastEventId?.runId === runId ? lastEventId.seq : 0);
    }
    if (lastEventId) {
      // A reconnection of the same request: its body is not needed again.
      request.resume();
      return resume(request, response, lastEventId.runId, lastEventId.seq);
    }
    return start(exchange);
  };

  const endpoint = ((request: unknown, response: unknown) => serve(request, response).catch((error: unknown) => {
    const { response: raw } = toNodeExchange(request, response);
    if (!raw.headersSent) sendJson(raw, 500, { error: toWireError(masked(error)) }, options.cors);
    else raw.destroy();
  })) as SseEndpoint;

  /** What the client may see of a failure outside a run: masked and reported, unless masking is off. */
  const masked = (error: unknown): unknown => {
    if (!masking) return error;
    try {
      masking.report?.(error);
    } catch {
      // As in maskErrors: the reporter's failure is not the request's.
    }
    return toMaskedError(error);
  };

  endpoint.close = async () => {
    closing = true;
    const error = new AbortError('The server is shutting down');
    for (const run of [...runs.values()]) run.shutdown(error);
    // Streams that only read runs kept elsewhere end without a frame: their clients resume on another instance.
    for (const writer of [...writers]) writer.end();
    await new Promise<void>((resolve) => {
      const check = () => {
        if (writers.size > 0) return;
        finishedWriters.delete(check);
        resolve();
      };
      finishedWriters.add(check);
      check();
    });
  };
  Object.defineProperty(endpoint, 'activeRuns', { get: () => runs.size });
  return endpoint;
}

/** The `maskErrors` options in force (with the default reporter), or undefined when masking is off. */
function errorMasking(option: SseEndpointOptions<unknown>['maskErrors']): MaskErrorsOptions | undefined {
  if (option === false) return undefined;
  if (option === undefined) return { report: reportToConsole };
  if (typeof option !== 'object' || option === null) throw new InvalidOptionError('sseEndpoint', 'maskErrors', 'false or the options of maskErrors ({ report })', option);
  if (option.report !== undefined && typeof option.report !== 'function') throw new InvalidOptionError('sseEndpoint', 'maskErrors.report', 'a function of the original error', option.report);
  return { report: option.report ?? reportToConsole };
}

/** The default reporter: the server's log gets the whole error (its stack too), key-shaped secrets masked. */
function reportToConsole(error: unknown): void {
  const text = error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : String(error);
  console.error(`sseEndpoint: a run failed: ${maskSecrets(text)}`);
}

/** The body's `threadId` when it has one (AG-UI's `RunAgentInput` does). */
function threadIdOf(body: unknown): string | undefined {
  const threadId = (body as { threadId?: unknown } | null | undefined)?.threadId;
  return typeof threadId === 'string' && threadId ? threadId : undefined;
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The last segment of the request path, when the path has more than the endpoint's own (`/chat/<runId>`, or `/<runId>` under `app.use`). */
function lastPathSegment(url: string | undefined): string | undefined {
  const path = (url ?? '/').replace(/[?#].*$/, '');
  const segments = path.split('/').filter(Boolean);
  return segments.length > 0 ? decodeURIComponent(segments[segments.length - 1]) : undefined;
}

function corsHeaders(cors: SseCorsOptions | undefined, request: IncomingMessage): Record<string, string> {
  if (!cors) return {};
  const origin = headerOf(request, 'origin');
  const allowed = cors.origin === '*' ? '*'
    : typeof cors.origin === 'string' ? cors.origin
      : origin !== undefined && cors.origin.includes(origin) ? origin : undefined;
  if (allowed === undefined) return {};
  return {
    'access-control-allow-origin': allowed,
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': 'content-type, last-event-id, authorization',
    'access-control-expose-headers': 'x-run-id',
    ...(cors.credentials && { 'access-control-allow-credentials': 'true' }),
    ...(allowed !== '*' && { vary: 'Origin' }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, cors?: SseCorsOptions): void {
  const request = response.req as IncomingMessage | undefined;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
    ...(request && corsHeaders(cors, request)),
  });
  response.end(JSON.stringify(body));
}
