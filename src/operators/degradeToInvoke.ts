import { catchError, defer, from, tap, throwError, type MonoTypeOperatorFunction, type ObservableInput } from 'rxjs';
import { isStreamingUnsupportedError } from '../resilience/isStreamingUnsupportedError.js';

/** Options of {@link degradeToInvoke}. */
export interface DegradeToInvokeOptions {
  /** Which errors mean "this cannot stream". Default `isStreamingUnsupportedError`. */
  isStreamingUnsupported?: (error: unknown) => boolean;
}

/**
 * Falls back to one non-streaming request when a stream fails before its first chunk because
 * streaming is not available (a model or account that may not stream, a proxy that refuses
 * `stream: true`): the whole answer then arrives as one chunk instead of none.
 *
 * `invoke` makes that request: typically `() => model.invoke(input)`, which sends
 * `stream: false` and resolves to the whole message as one `AIMessageChunk`. It is called only
 * when needed, with the error. Any other failure, or a failure after the first chunk, passes on.
 *
 * ```
 * source:                      --#            # = ProviderError("… does not support streaming")
 * invoke():                      ----(m|)
 * degradeToInvoke(invoke):     ------(m|)
 * ```
 *
 * @example
 * ```ts
 * import { degradeToInvoke } from 'rxllm';
 * model.stream(question).pipe(degradeToInvoke(() => model.invoke(question)))
 *   .subscribe((chunk) => process.stdout.write(chunk.content));
 * ```
 *
 * @param invoke Makes the non-streaming request: a Promise or an Observable of the answer.
 * @param options Which errors mean streaming is unsupported.
 * @return An operator mirroring the source, or the non-streaming answer in its place.
 */
export function degradeToInvoke<T>(invoke: (error: unknown) => ObservableInput<T>, options: DegradeToInvokeOptions = {}): MonoTypeOperatorFunction<T> {
  const isStreamingUnsupported = options.isStreamingUnsupported ?? isStreamingUnsupportedError;
  return (source) => defer(() => {
    let emitted = false;
    return source.pipe(
      tap(() => (emitted = true)),
      catchError((error: unknown) => (emitted || !isStreamingUnsupported(error) ? throwError(() => error) : from(invoke(error)))),
    );
  });
}
