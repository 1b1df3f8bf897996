import {
  EMPTY, Observable, asyncScheduler, concatWith, defer, fromEvent, retry, takeUntil, throwError, timer,
  type SchedulerLike, type Subscriber, type Subscription, type TeardownLogic,
} from 'rxjs';
import { APIConnectionError, AbortError, ProviderError } from '../errors/errors.js';
import { durationMs, nonNegativeInteger } from '../errors/optionChecks.js';
import { FrameIdFilter } from './dedupeById.js';
import { parseFrameId } from './frameId.js';
import { fromWireError, isWireError } from './fromWireError.js';
import { readServerSentEvents } from './readServerSentEvents.js';
import type { SseFormat, SseFormatName } from './SseFormat.js';
import { resolveSseFormat } from './resolveSseFormat.js';

/** How a client reconnects after a network error. */
export interface SseReconnectOptions {
  /** Reconnections in a row without a frame in between before giving up. Default 5; 0 never reconnects. */
  maxAttempts?: number;
  /** Wait before the first reconnection; it doubles (with jitter) each time. Default: the server's `retry:` value, else 1 000. */
  initialDelayMs?: number;
  /** The longest wait. Default 30 000. */
  maxDelayMs?: number;
}

/** Options of {@link fromServerSentEvents}. */
export interface FromServerSentEventsOptions {
  /** The HTTP method. Default `'POST'` when a body is given, else `'GET'`. */
  method?: string;
  /** The request body: an object is sent as JSON, a string as it is. Sent again, unchanged, on every reconnection. */
  body?: unknown;
  /** Request headers (authorization, …). */
  headers?: Record<string, string>;
  /** The wire format the server speaks. Default `'rxllm'`. */
  format?: SseFormatName | SseFormat;
  /** Aborting it cancels the request; the stream errors with `AbortError`. */
  signal?: AbortSignal;
  /** Reconnection on network errors; `false` turns it off. */
  reconnect?: SseReconnectOptions | false;
  /** The `fetch` to use. Default the global one. */
  fetch?: typeof fetch;
  /** Where reconnection delays are timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * What `fromServerSentEvents` returns: an Observable (each subscription is one stream, which
 * unsubscribing cancels) with `stop()`, which asks the server to stop the runs it streams.
 */
export class ServerSentEventsObservable<T> extends Observable<T> {
  /** @internal */
  constructor(subscribe: (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic, private readonly stopRuns: () => Promise<void>) {
    super(subscribe);
  }

  /**
   * Stops the runs this Observable is streaming, on the server (`DELETE <url>/<runId>`): their
   * model requests are cancelled and each stream ends with its closing frames, so subscribers
   * complete. Unsubscribing only leaves; when the server keeps runs for replay, it is `stop()`
   * that ends them.
   */
  stop(): Promise<void> {
    return this.stopRuns();
  }
}

/** Statuses worth another try: the gateway or the server is momentarily unavailable. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/**
 * Reads a Server-Sent Events stream over `fetch` as an Observable of values: frames are parsed
 * with `eventsource-parser` and decoded by the wire format (in `'rxllm'`, events, chunks and
 * errors arrive as the same classes the server had). Cold: each subscription makes one request,
 * and unsubscribing aborts it.
 *
 * On a network error — the request fails, or the body ends before the format's closing frame —
 * it reconnects with backoff, sending the same request with `Last-Event-ID` set to the last frame
 * it has, and drops any frame it already delivered (by id). A server error frame errors the
 * stream with the server's error, as its class (`ProviderError`, `StreamGoneError`, …), masked.
 * An HTTP error answer errors it too (502, 503 and 504 are retried).
 *
 * ```
 * connection 1:   -a-b-X                  (X: connection lost after frame b)
 * connection 2:          (Last-Event-ID: b) -c-(end)
 * result:         -a-b----------------------c-|
 * ```
 *
 * @example
 * ```ts
 * import { ofEventType } from 'rxllm';
 * import { fromServerSentEvents } from 'rxllm/sse';
 * const answer$ = fromServerSentEvents<StreamEvent>('/chat', { body: { input: 'Hi' }, format: 'rxllm' });
 * answer$.pipe(ofEventType('on_chat_model_stream')).subscribe((e) => render(e.data.chunk.content));
 * stopButton.onclick = () => answer$.stop();
 * ```
 *
 * @param input The URL to request, or a `Response` already received (its `url` is used to reconnect).
 * @param options Method, body, headers, format, signal and reconnection.
 * @return The values of the stream, with `stop()`.
 */
export function fromServerSentEvents<T = unknown>(input: string | URL | Response, options: FromServerSentEventsOptions = {}): ServerSentEventsObservable<T> {
  const where = 'fromServerSentEvents';
  const format = resolveSseFormat(options.format, where);
  const reconnect = options.reconnect === false ? { maxAttempts: 0 } : options.reconnect ?? {};
  const maxAttempts = nonNegativeInteger(where, 'reconnect.maxAttempts', reconnect.maxAttempts, 5);
  const initialDelayMs = reconnect.initialDelayMs === undefined ? undefined : durationMs(where, 'reconnect.initialDelayMs', reconnect.initialDelayMs, 0);
  const maxDelayMs = durationMs(where, 'reconnect.maxDelayMs', reconnect.maxDelayMs, 30_000);
  const scheduler = options.scheduler ?? asyncScheduler;
  const doFetch = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const first = input instanceof Response ? input : undefined;
  const url = first ? first.url : String(input);
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const body = options.body === undefined || typeof options.body === 'string' ? options.body as string | undefined : JSON.stringify(options.body);
  const headers = { accept: 'text/event-stream', ...(body !== undefined && typeof options.body !== 'string' && { 'content-type': 'application/json' }), ...options.headers };
  const activeRuns = new Set<string>();

  const stream = (subscriber: Subscriber<T>) => {
    const seen = new FrameIdFilter();
    const decoder = format.decoder();
    // Errors that another connection would not cure: the server's own error, a refused request.
    const fatal = new WeakSet<object>();
    let lastEventId: string | undefined;
    let serverRetryMs: number | undefined;
    let pending = first;
    let runId: string | undefined;

    const connection = () => new Observable<T>((output) => {
      const abort = new AbortController();
      const request = pending
        ? Promise.resolve(pending)
        : doFetch(url, { method, headers: { ...headers, ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) }, ...(body !== undefined && { body }), signal: abort.signal });
      pending = undefined;
      let reading: Subscription | undefined;
      request.then(async (response) => {
        if (!response.ok) throw await httpError(response, fatal);
        if (!response.body) throw markFatal(fatal, new ProviderError('The response has no body', { status: response.status }));
        const headerRun = response.headers.get('x-run-id');
        if (headerRun) trackRun(headerRun);
        if (output.closed) return void response.body.cancel().catch(() => undefined);
        reading = readServerSentEvents(response.body).subscribe({
          next: (received) => {
            if (received.kind === 'retry') return void (serverRetryMs = received.retryMs);
            if (!seen.accept(received.id)) return;
            if (received.id !== undefined) {
              lastEventId = received.id;
              const parts = parseFrameId(received.id);
              if (parts) trackRun(parts.runId);
            }
            let decoded;
            try {
              decoded = decoder.decode(received);
            } catch (error) {
              return void output.error(markFatal(fatal, error));
            }
            for (const item of decoded) {
              if (item.kind === 'value') output.next(item.value as T);
              else if (item.kind === 'error') return void output.error(markFatal(fatal, fromWireError(isWireError(item.error) ? item.error : { name: 'RxllmError', message: String(item.error) })));
              else return void output.complete();
            }
          },
          error: (error: unknown) => output.error(new APIConnectionError(`The stream broke: ${describe(error)}`, { cause: error })),
          complete: () => output.error(new APIConnectionError('The stream ended before its closing frame')),
        });
      }).catch((error: unknown) => {
        if (output.closed) return;
        output.error(typeof error === 'object' && error !== null && fatal.has(error) ? error : new APIConnectionError(`The request failed: ${describe(error)}`, { cause: error }));
      });
      return () => {
        reading?.unsubscribe();
        abort.abort();
      };
    });

    const trackRun = (id: string) => {
      if (runId === id) return;
      if (runId !== undefined) activeRuns.delete(runId);
      runId = id;
      activeRuns.add(id);
    };

    const signal = options.signal;
    const aborted = signal ? fromEvent(signal, 'abort') : EMPTY;
    const values = defer(connection).pipe(
      retry({
        count: maxAttempts,
        resetOnSuccess: true,
        delay: (error: unknown, attempt) => {
          if (typeof error === 'object' && error !== null && fatal.has(error)) return throwError(() => error);
          const base = initialDelayMs ?? serverRetryMs ?? 1_000;
          const delay = Math.min(maxDelayMs, base * 2 ** (attempt - 1));
          // Jitter spreads the reconnections of many clients cut off at once.
          return timer(delay * (0.75 + Math.random() * 0.25), scheduler);
        },
      }),
      takeUntil(aborted),
      concatWith(defer(() => (signal?.aborted ? throwError(() => new AbortError('The stream was aborted')) : EMPTY))),
    );
    if (signal?.aborted) {
      subscriber.error(new AbortError('The stream was aborted'));
      return undefined;
    }
    const subscription = values.subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      if (runId !== undefined) activeRuns.delete(runId);
    };
  };

  const stopRuns = async () => {
    const base = url.replace(/[?#].*$/, '').replace(/\/$/, '');
    await Promise.all([...activeRuns].map(async (id) => {
      const response = await doFetch(`${base}/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { ...options.headers } });
      await response.body?.cancel().catch(() => undefined);
    }));
  };

  return new ServerSentEventsObservable<T>(stream, stopRuns);
}

/** The error an HTTP error answer stands for: the server's typed error when its JSON body has one. */
async function httpError(response: Response, fatal: WeakSet<object>): Promise<Error> {
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const wire = (parsed as { error?: unknown } | undefined)?.error;
  const error = isWireError(wire)
    ? fromWireError(wire)
    : new ProviderError(`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, { status: response.status });
  if (!(error instanceof ProviderError) || error.status === undefined) Object.assign(error, { status: response.status });
  return RETRYABLE_STATUSES.has(response.status) ? error : markFatal(fatal, error);
}

function markFatal(fatal: WeakSet<object>, error: unknown): Error {
  const value = error instanceof Error ? error : new Error(String(error));
  fatal.add(value);
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
