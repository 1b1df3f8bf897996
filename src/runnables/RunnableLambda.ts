import { from, isObservable, of, throwError, type Observable } from 'rxjs';
import type { RunContext } from './RunContext.js';
import { Runnable } from './Runnable.js';
import type { RunnableConfig } from './RunnableConfig.js';
import { isAsyncIterable, isPromiseLike } from '../messages/valueKinds.js';

/** What a lambda's function may return: a value, a Promise, an Observable, an async iterable or a runnable to run. */
export type LambdaResult<O> = O | PromiseLike<O> | Observable<O> | AsyncIterable<O> | Runnable<any, O>;

/**
 * A function as a runnable. It receives the whole input and a config; calls made with that config
 * (and `dispatchCustomEvent`) become children of the lambda's run. An Observable or async iterable
 * result streams; a returned runnable is run on the same input.
 */
export class RunnableLambda<I, O> extends Runnable<I, O> {
  readonly runType = 'chain' as const;

  constructor(private readonly fn: (input: I, config: RunnableConfig) => LambdaResult<O>, name?: string) {
    super();
    this.runName = name ?? (fn.name || 'RunnableLambda');
  }

  protected override _stream(input: I, run: RunContext): Observable<O> {
    let result: LambdaResult<O>;
    try {
      result = run.runWith(() => this.fn(input, run.toConfig()));
    } catch (error) {
      return throwError(() => error);
    }
    if (result instanceof Runnable) return result._call(of(input), run.childScope(), { knownInput: { value: input } });
    if (isObservable(result)) return result;
    if (isPromiseLike(result) || isAsyncIterable(result)) return from(result);
    return of(result);
  }
}

/**
 * Wraps a function as a runnable step (type `chain`, named after the function).
 *
 * @example
 * ```ts
 * import { lambda } from 'rxllm';
 * const wordCount = lambda((text: string) => text.split(/\s+/).length);
 * ```
 */
export function lambda<I, O>(fn: (input: I, config: RunnableConfig) => LambdaResult<O>, options: { name?: string } = {}): Runnable<I, O> {
  return new RunnableLambda(fn, options.name);
}
