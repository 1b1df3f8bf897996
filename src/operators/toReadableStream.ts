import type { Observable, Subscription } from 'rxjs';

/**
 * An Observable as a web `ReadableStream`, for `Response` bodies, `pipeThrough` and other
 * stream APIs.
 *
 * The stream subscribes when it is created and enqueues every value; the Observable's
 * completion closes it, and its error errors the stream once the values before it have been
 * read. `cancel()` (from a reader, or a client that
 * went away) unsubscribes, cancelling the work behind the Observable. An Observable pushes, so
 * values a slow reader has not taken are queued in the stream.
 *
 * ```
 * source:              --a--b--|
 * toReadableStream():  reader.read() → a, b, then { done: true }
 * ```
 *
 * @example
 * ```ts
 * import { textDeltas, toReadableStream } from 'rxllm';
 * // A route handler streaming the answer as plain text.
 * const body = toReadableStream(model.stream(question).pipe(textDeltas())).pipeThrough(new TextEncoderStream());
 * return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
 * ```
 *
 * @param source The Observable to read.
 * @return A ReadableStream of its values.
 */
export function toReadableStream<T>(source: Observable<T>): ReadableStream<T> {
  let subscription: Subscription | undefined;
  let pendingError: { error: unknown } | undefined;
  return new ReadableStream<T>({
    start(controller) {
      subscription = source.subscribe({
        next: (value) => controller.enqueue(value),
        // Erroring a web stream discards what is queued: wait until the reader has taken it.
        error: (error: unknown) => (isDrained(controller) ? controller.error(error) : (pendingError = { error })),
        complete: () => controller.close(),
      });
    },
    pull(controller) {
      if (pendingError && isDrained(controller)) controller.error(pendingError.error);
    },
    cancel() {
      subscription?.unsubscribe();
    },
  });
}

/** True when no value waits in the stream's queue (the default strategy has a high-water mark of 1). */
function isDrained(controller: ReadableStreamDefaultController<unknown>): boolean {
  return (controller.desiredSize ?? 0) >= 1;
}
