import type { Observable, Subscription } from 'rxjs';

/**
 * An Observable as a web `ReadableStream`, for `Response` bodies, `pipeThrough` and other
 * stream APIs.
 *
 * The stream subscribes when it is created and enqueues every value; the Observable's error
 * errors the stream and its completion closes it. `cancel()` (from a reader, or a client that
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
  return new ReadableStream<T>({
    start(controller) {
      subscription = source.subscribe({
        next: (value) => controller.enqueue(value),
        error: (error: unknown) => controller.error(error),
        complete: () => controller.close(),
      });
    },
    cancel() {
      subscription?.unsubscribe();
    },
  });
}
