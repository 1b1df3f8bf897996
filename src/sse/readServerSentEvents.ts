import { createParser } from 'eventsource-parser';
import { Observable } from 'rxjs';

/** One event as a client receives it: its fields, or the server's `retry:` advice. */
export type ReceivedSse =
  | { readonly kind: 'event'; readonly id?: string; readonly event?: string; readonly data: string }
  | { readonly kind: 'retry'; readonly retryMs: number };

/**
 * The events of a Server-Sent Events body, parsed with `eventsource-parser` as the bytes arrive
 * (split anywhere, even inside a UTF-8 character). Completes when the body ends; unsubscribing
 * cancels the body, which closes the connection.
 *
 * @example
 * ```ts
 * import { readServerSentEvents } from 'rxllm/sse';
 * const response = await fetch(url);
 * readServerSentEvents(response.body!).subscribe((event) => console.log(event));
 * ```
 */
export function readServerSentEvents(body: ReadableStream<Uint8Array>): Observable<ReceivedSse> {
  return new Observable<ReceivedSse>((subscriber) => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = createParser({
      onEvent: (event) => subscriber.next({ kind: 'event', ...(event.id !== undefined && { id: event.id }), ...(event.event !== undefined && { event: event.event }), data: event.data }),
      onRetry: (retryMs) => subscriber.next({ kind: 'retry', retryMs }),
    });
    let cancelled = false;
    void (async () => {
      try {
        while (!subscriber.closed) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        if (!subscriber.closed) {
          parser.feed(decoder.decode());
          subscriber.complete();
        }
      } catch (error) {
        if (!cancelled) subscriber.error(error);
      }
    })();
    return () => {
      cancelled = true;
      reader.cancel().catch(() => undefined);
    };
  });
}
