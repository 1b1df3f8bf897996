import { concat, of, type Observable } from 'rxjs';
import type { RunContext } from './RunContext.js';
import { Runnable, type RunnableMap } from './Runnable.js';
import { RunnableParallel, type ParallelOutput } from './Runnable.js';

/** Passes its input through unchanged, chunk by chunk. */
export class RunnablePassthrough<T> extends Runnable<T, T> {
  readonly runType = 'chain' as const;
  override readonly wholeInput = false;

  protected override _transform(input$: Observable<T>): Observable<T> {
    return input$;
  }
}

/**
 * The input, unchanged: useful as a branch of `parallel`.
 *
 * @example
 * ```ts
 * import { parallel, passthrough } from 'rxllm';
 * const withContext = parallel({ question: passthrough(), context: retriever });
 * ```
 */
export function passthrough<T>(): Runnable<T, T> {
  return new RunnablePassthrough<T>();
}

/**
 * Adds keys to an object input: emits the input first, then each new key's chunks as they come.
 * `invoke` gives `{ ...input, ...computed }`.
 */
export class RunnableAssign<I extends Record<string, unknown>, M extends RunnableMap<I>> extends Runnable<I, Partial<I & ParallelOutput<M>>> {
  readonly runType = 'chain' as const;
  private readonly mapper: RunnableParallel<I, M>;

  constructor(mapper: M) {
    super();
    this.mapper = new RunnableParallel<I, M>(mapper);
    this.runName = 'RunnableAssign';
  }

  protected override _stream(input: I, run: RunContext): Observable<Partial<I & ParallelOutput<M>>> {
    const computed$ = this.mapper._call(of(input), run.childScope(), { knownInput: { value: input } });
    return concat(of({ ...input }), computed$) as Observable<Partial<I & ParallelOutput<M>>>;
  }

  /** The input's keys, then each computed key as its runnable's `invoke` would give it. */
  protected override aggregateOutput(outputs: Array<Partial<I & ParallelOutput<M>>>): Partial<I & ParallelOutput<M>> {
    const [input, ...computed] = outputs;
    return { ...input, ...this.mapper._aggregate(computed as Array<Partial<ParallelOutput<M>>>) } as Partial<I & ParallelOutput<M>>;
  }
}

/**
 * The input object with more keys, each computed by a runnable (or function) from the input.
 *
 * @example
 * ```ts
 * import { assign } from 'rxllm';
 * const withAnswer = assign({ answer: answerChain }); // { question } → { question, answer }
 * ```
 */
export function assign<I extends Record<string, unknown>, M extends RunnableMap<I>>(mapper: M): Runnable<I, Partial<I & ParallelOutput<M>>> {
  return new RunnableAssign<I, M>(mapper);
}
