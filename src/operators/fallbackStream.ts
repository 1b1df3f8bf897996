import { catchError, defer, from, isObservable, throwError, type Observable, type ObservableInput, type OperatorFunction } from 'rxjs';
import { RxllmError } from '../errors/RxllmError.js';
import { AbortError } from '../errors/errors.js';
import { oneOf } from '../errors/optionChecks.js';
import { isPlainObject } from '../messages/valueKinds.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { ResetTracker } from './streamResetInternals.js';

/** Where to go on failure: a stream, or a function of the error that gives one. */
export type FallbackAlternative<T> = ObservableInput<T> | ((error: unknown) => ObservableInput<T>);

/** Options of {@link fallbackStream}, given after the alternatives. */
export interface FallbackStreamOptions {
  /**
   * What a failure after the first chunk does. `'error'` (default): passes the error on, the
   * chunks stay. `'switch'`: emits a `StreamReset`, then the next alternative from its start.
   */
  afterFirstChunk?: 'error' | 'switch';
  /** Which failures switch. Default: every error but `AbortError`. */
  fallbackIf?: (error: unknown) => boolean;
}

/**
 * On failure, continues with the next alternative: another model's stream, a cached answer, or
 * a function of the error that builds one.
 *
 * Each alternative is subscribed only when the one before it has failed, so a fallback model is
 * asked only when needed. When the last alternative fails too, its error passes on. A failure
 * after the first chunk passes on as it is (the chunks stay), unless the options given last say
 * `afterFirstChunk: 'switch'`: then a `StreamReset` marker opens the alternative, which starts
 * from scratch (see `restartOnReset`).
 *
 * ```
 * source:                        --#
 * alternative:                     -x-y|
 * fallbackStream(alternative):   ---x-y|
 *
 * source:                        -a-#
 * alternative:                     -x-y|
 * fallbackStream(alternative):   -a-#
 * fallbackStream(alternative, { afterFirstChunk: 'switch' }):
 *                                -a-Rx-y|      R: StreamReset { attempt: 2 }
 * ```
 *
 * @example
 * ```ts
 * import { fallbackStream } from 'rxllm';
 * primary.stream(question).pipe(
 *   fallbackStream(() => secondary.stream(question), of(new AIMessageChunk('Sorry, try again later.'))),
 * ).subscribe((chunk) => process.stdout.write(chunk.content));
 * ```
 *
 * The output's type is the source's and the alternatives' together, so a source that already
 * carries `StreamReset`s (after `retryStream({ afterFirstChunk: 'restart' })`) keeps them in its
 * type without a type argument.
 *
 * @param alternatives The streams to try in turn, optionally followed by options.
 * @return An operator mirroring the source, then the alternatives as they are needed.
 */
export function fallbackStream<A, T = A>(...args: [...FallbackAlternative<A>[], FallbackStreamOptions & { afterFirstChunk: 'switch' }]): OperatorFunction<T, T | A | StreamReset>;
export function fallbackStream<A, T = A>(...alternatives: FallbackAlternative<A>[]): OperatorFunction<T, T | A>;
export function fallbackStream<A, T = A>(...args: [...FallbackAlternative<A>[], FallbackStreamOptions]): OperatorFunction<T, T | A>;
export function fallbackStream<T>(...args: Array<FallbackAlternative<T> | FallbackStreamOptions>): OperatorFunction<T, T | StreamReset> {
  const last = args[args.length - 1];
  const options: FallbackStreamOptions = isOptions(last) ? last : {};
  const alternatives = (isOptions(last) ? args.slice(0, -1) : args) as FallbackAlternative<T>[];
  const afterFirstChunk = oneOf('fallbackStream', 'afterFirstChunk', options.afterFirstChunk, 'error', ['error', 'switch']);
  alternatives.forEach((alternative, index) => {
    if (alternative === null || (typeof alternative !== 'function' && typeof alternative !== 'object')) {
      throw new RxllmError(`fallbackStream: alternative ${index + 1} is neither a stream nor a function returning one`);
    }
  });
  const fallbackIf = options.fallbackIf ?? ((error: unknown) => !(error instanceof AbortError));

  return (source) => defer(() => {
    const tracker = new ResetTracker();
    const attempt = (index: number, stream$: Observable<T>): Observable<T | StreamReset> => tracker.track(stream$, index + 1).pipe(
      catchError((error: unknown) => {
        if (index >= alternatives.length || (afterFirstChunk === 'error' && tracker.emitted) || !fallbackIf(error)) {
          return throwError(() => error);
        }
        tracker.voidAfter(error);
        const alternative = alternatives[index];
        return attempt(index + 1, defer(() => from(typeof alternative === 'function' ? alternative(error) : alternative)));
      }),
    );
    return attempt(0, source);
  });
}

function isOptions(value: unknown): value is FallbackStreamOptions {
  return isPlainObject(value) && !isObservable(value);
}
