import { concatMap, isObservable, Observable, of, type OperatorFunction } from 'rxjs';
import { RxllmError } from '../errors/RxllmError.js';
import { toAsyncIterable } from './toAsyncIterable.js';
import { takingTurns } from './turnsInternals.js';
import { isAsyncIterable, isPromiseLike } from '../messages/valueKinds.js';

/** Per-chunk form of {@link transformStream}: a value, or an Observable of any number of values. */
export type ChunkTransform<T, R> = (chunk: T, index: number) => R | Observable<R>;

/** Whole-stream form of {@link transformStream}: an `async function*` reading the source. */
export type StreamTransformGenerator<T, R> = (source: AsyncIterable<T>) => AsyncGenerator<R, unknown, undefined>;

/** What `transformStream` emits for a function returning `X`: the values of an Observable or a generator, else `X`. */
export type TransformOutput<X> = X extends AsyncGenerator<infer R, unknown, undefined> ? R : X extends Observable<infer R> ? R : X;

/**
 * Transforms a stream with a function of each chunk, or with an async generator over the whole
 * stream.
 *
 * Per chunk, `fn(chunk, index)` returns the value to emit, or an Observable whose values are
 * emitted in order (`EMPTY` drops the chunk, `of(a, b)` splits it); later chunks wait for it, and
 * so does a source error pushed from a subscriber's handler while its values are delivered.
 * This form is synchronous, so it keeps virtual time. A Promise or an async iterable is refused
 * with an `RxllmError`: wrap it with `from()`, or use the generator form.
 *
 * An `async function*` receives the source as an `AsyncIterable` and yields the output, which
 * suits stateful rewrites (batching, look-ahead, summaries at the end). Annotate its parameter
 * (`source: AsyncIterable<AIMessageChunk>`): TypeScript cannot tell the two forms apart before
 * it has typed the function. Its errors error the
 * stream; the source's error is thrown inside its `for await`. Unsubscribing cancels the source
 * (a `for await` waiting on it ends as if it were done) and stops the generator with `return()`:
 * at once when it waits at a `yield`, otherwise at its next `yield`; its `finally` blocks run.
 * This form runs on Promises, so it advances in microtasks, not in virtual time.
 *
 * ```
 * source:                                   --a--b--|        a: 'hi', b: 'yo'
 * transformStream((c) => c.toUpperCase()):  --A--B--|        A: 'HI', B: 'YO'
 * ```
 *
 * @example
 * ```ts
 * import { transformStream, textDeltas } from 'rxllm';
 * model.stream('List three colours').pipe(
 *   textDeltas(),
 *   transformStream(async function* (text: AsyncIterable<string>) {
 *     let line = '';
 *     for await (const delta of text) {
 *       const parts = (line + delta).split('\n');
 *       line = parts.pop() ?? '';
 *       yield* parts;
 *     }
 *     if (line) yield line;
 *   }),
 * ).subscribe((line) => console.log('line:', line));
 * ```
 *
 * @param fn The per-chunk function, or the async generator function.
 * @return An operator emitting the transformed stream.
 */
// The per-chunk signature comes first and is generic in the whole function, so that an
// unannotated `(chunk) => …` gets its parameter type from `pipe`; a generator annotated with
// `AsyncIterable<T>` does not fit it and takes the second.
export function transformStream<T, F extends (chunk: T, index: number) => unknown>(fn: F): OperatorFunction<T, TransformOutput<ReturnType<F>>>;
export function transformStream<T, R>(fn: StreamTransformGenerator<T, R>): OperatorFunction<T, R>;
export function transformStream<T, R>(fn: ChunkTransform<T, R> | StreamTransformGenerator<T, R>): OperatorFunction<T, R> {
  if (typeof fn !== 'function') throw new RxllmError(`transformStream: expected a function or an async generator function, got ${typeof fn}`);
  return isAsyncGeneratorFunction<T, R>(fn) ? throughGenerator(fn) : perChunk(fn as ChunkTransform<T, R>);
}

function isAsyncGeneratorFunction<T, R>(fn: unknown): fn is StreamTransformGenerator<T, R> {
  return Object.prototype.toString.call(fn) === '[object AsyncGeneratorFunction]';
}

function perChunk<T, R>(fn: ChunkTransform<T, R>): OperatorFunction<T, R> {
  // In turns: a source error pushed while a chunk's values are emitted comes after them.
  return takingTurns(concatMap((chunk: T, index: number) => {
    const result = fn(chunk, index);
    if (isObservable(result)) return result;
    if (isPromiseLike(result) || isAsyncIterable(result)) {
      throw new RxllmError('transformStream: the per-chunk function returned a Promise or an async iterable; return a value or an Observable (wrap it with from()), or pass an async generator function');
    }
    return of(result);
  }));
}

function throughGenerator<T, R>(generator: StreamTransformGenerator<T, R>): OperatorFunction<T, R> {
  return (source) => new Observable<R>((subscriber) => {
    // Keep every iterator handed to the generator, to cancel the source even while it is awaited.
    const inputs: AsyncIterator<T>[] = [];
    const input: AsyncIterable<T> = {
      [Symbol.asyncIterator]: () => {
        const iterator = toAsyncIterable(source)[Symbol.asyncIterator]();
        inputs.push(iterator);
        return iterator;
      },
    };
    const output = generator(input);
    const pull = (): void => {
      output.next().then((step) => {
        if (subscriber.closed) return;
        if (step.done) subscriber.complete();
        else {
          subscriber.next(step.value);
          if (!subscriber.closed) pull();
        }
      }, (error: unknown) => subscriber.error(error));
    };
    pull();
    return () => {
      // Queued behind a pending step, `return()` stops the generator at its next `yield`; ending
      // the inputs settles a pending `for await`, so that step comes at once.
      output.return(undefined).catch(() => undefined);
      for (const iterator of inputs) void iterator.return?.();
    };
  });
}
