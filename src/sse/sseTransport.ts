import { Observable, type SchedulerLike } from 'rxjs';
import type { ChatRunCursor, ChatTransport, ChatTransportEvent, ChatTransportRequest } from '../chat/ChatTransport.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { StreamEvent } from '../events/StreamEvent.js';
import { frameId, parseFrameId } from './frameId.js';
import { fromServerSentEvents, type SseReconnectOptions } from './fromServerSentEvents.js';

/** Options of {@link sseTransport}. */
export interface SseTransportOptions {
  /** The wire format; only `'rxllm'`, whose events arrive as the classes the server had. Default `'rxllm'`. */
  format?: 'rxllm';
  /** Request headers (authorization, …), sent with every request: the run, its resumes and its stop. */
  headers?: Record<string, string>;
  /** Reconnection after a network error (see `fromServerSentEvents`); `false` turns it off. */
  reconnect?: SseReconnectOptions | false;
  /** The `fetch` to use. Default the global one. */
  fetch?: typeof fetch;
  /** Where reconnection delays are timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * A `ChatSession` transport to an `sseEndpoint` in the `'rxllm'` format (`rxllm/node`):
 *
 * - a request is `POST <url>` with `{ messages: [{ role, text, toolCallId?, toolCalls? }], approvals? }`;
 * - a dropped connection reconnects with `Last-Event-ID` and de-duplicates (`fromServerSentEvents`),
 *   shown as `reconnecting` in the session's state while it lasts;
 * - `stop(runId)` is `DELETE <url>/<runId>` (with replay, leaving is not stopping);
 * - `resume(cursor)` is `GET <url>/<runId>` with `Last-Event-ID`, to re-attach after a reload.
 *
 * The server names the run in its `X-Run-Id` header, and in the `'rxllm'` format every event is one
 * frame, numbered from 1: the n-th event of a run is frame `<runId>:<n>`, which is the cursor the
 * session saves with each event.
 *
 * @example
 * ```ts
 * import { ChatSession, localStorageHistory } from 'rxllm';
 * import { sseTransport } from 'rxllm/sse';
 * const chat = new ChatSession({ transport: sseTransport('/api/chat'), history: localStorageHistory('chat') });
 * chat.resume(); // re-attaches to an answer that was running before a reload
 * ```
 *
 * @param url The endpoint's URL (`POST` starts a run there).
 * @param options Headers, reconnection, `fetch`.
 * @return A `ChatTransport`.
 */
export function sseTransport(url: string | URL, options: SseTransportOptions = {}): ChatTransport {
  const where = 'sseTransport';
  const href = String(url);
  if (href === '') throw new InvalidOptionError(where, 'url', 'the URL of an rxllm SSE endpoint', url);
  if (options.format !== undefined && options.format !== 'rxllm') {
    throw new InvalidOptionError(where, 'format', "'rxllm' (a chat session reads runs by their events and frame ids)", options.format);
  }
  const headers = options.headers ?? {};
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const base = href.replace(/[?#].*$/, '').replace(/\/$/, '');
  const runUrl = (runId: string) => `${base}/${encodeURIComponent(runId)}`;

  const events = (target: string, init: { method: string; body?: unknown; lastEventId?: string }, known?: ChatRunCursor) =>
    new Observable<ChatTransportEvent>((subscriber) => {
      let runId = known?.runId;
      let seq = parseFrameId(known?.lastEventId)?.seq ?? 0;
      let requests = 0;
      let reconnecting = false;
      const setReconnecting = (value: boolean) => {
        if (reconnecting === value) return;
        reconnecting = value;
        subscriber.next({ kind: 'reconnecting', reconnecting: value });
      };
      // Every request of the stream goes through here: a second one is a reconnection.
      const watchedFetch = async (input: string | URL, request?: RequestInit): Promise<Response> => {
        if (++requests > 1) setReconnecting(true);
        const response = await doFetch(String(input), request ?? {});
        const named = response.headers.get('x-run-id');
        if (response.ok && named && named !== runId) {
          runId = named;
          if (!subscriber.closed) subscriber.next({ kind: 'started', cursor: { runId } });
        }
        return response.ok && response.body ? watchDrop(response, () => !subscriber.closed && setReconnecting(true)) : response;
      };
      const subscription = fromServerSentEvents<StreamEvent>(target, {
        method: init.method,
        ...(init.body !== undefined && { body: init.body }),
        headers: { ...headers, ...(init.lastEventId !== undefined && { 'last-event-id': init.lastEventId }) },
        format: 'rxllm',
        fetch: watchedFetch as typeof fetch,
        ...(options.reconnect !== undefined && { reconnect: options.reconnect }),
        ...(options.scheduler && { scheduler: options.scheduler }),
      }).subscribe({
        next: (event) => {
          seq++;
          setReconnecting(false);
          subscriber.next({ kind: 'event', event, ...(runId !== undefined && { cursor: { runId, lastEventId: frameId(runId, seq) } }) });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return subscription;
    });

  return {
    send: (request: ChatTransportRequest) => events(href, { method: 'POST', body: request }),
    resume: (cursor: ChatRunCursor) => events(runUrl(cursor.runId), { method: 'GET', ...(cursor.lastEventId !== undefined && { lastEventId: cursor.lastEventId }) }, cursor),
    stop: async (runId: string) => {
      const response = await doFetch(runUrl(runId), { method: 'DELETE', headers: { ...headers } });
      await response.body?.cancel().catch(() => undefined);
    },
  };
}

/**
 * The response with its body read through, calling `dropped` when the body fails (the connection
 * dropped): the reconnection starts then, and its backoff counts as reconnecting too.
 */
function watchDrop(response: Response, dropped: () => void): Response {
  const reader = response.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        dropped();
        controller.error(error);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
