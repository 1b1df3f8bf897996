import type { Observable } from 'rxjs';
import type { RunContext } from './RunContext.js';
import { Runnable, type RunnableLike } from './Runnable.js';
import { coerceStep } from './Runnable.js';

/**
 * Steps run one after another, each step receiving the previous step's output stream. Steps
 * that transform chunks (parsers, operators) stream; steps that need their whole input (models,
 * prompts, lambdas) wait for the previous step to complete. Each step's run is tagged `seq:step:N`.
 */
export class RunnableSequence<I = any, O = any> extends Runnable<I, O> {
  readonly runType = 'chain' as const;
  override readonly wholeInput = false;
  readonly steps: readonly Runnable[];

  constructor(steps: readonly RunnableLike[]) {
    super();
    if (steps.length < 2) throw new TypeError('A sequence needs at least two steps');
    this.steps = steps.map(coerceStep);
  }

  /**
   * `left.pipe(right)`, with LangChain's rule for flattening: when `left` is already a sequence,
   * the result continues it (and takes in the steps of `right` if that is a sequence too), so
   * `a.pipe(b).pipe(c)` has steps 1, 2 and 3; otherwise `right` stays one step with its own run,
   * events and numbering, whatever it is.
   */
  static piped(left: Runnable, right: RunnableLike): RunnableSequence {
    if (!(left instanceof RunnableSequence) || left.runName) return new RunnableSequence([left, right]);
    const next = coerceStep(right);
    return new RunnableSequence([...left.steps, ...(next instanceof RunnableSequence && !next.runName ? next.steps : [next])]);
  }

  override getName(): string {
    return this.runName ?? 'RunnableSequence';
  }

  protected override _transform(input$: Observable<I>, run: RunContext): Observable<O> {
    const scope = run.childScope();
    let output$: Observable<unknown> = input$;
    this.steps.forEach((step, index) => {
      // Each step adds up its input the way the step before it adds up its output.
      const aggregateInput = index === 0 ? run.aggregateInput : (chunks: unknown[]) => this.steps[index - 1]._aggregate(chunks);
      output$ = step._call(output$, scope, { stepTag: `seq:step:${index + 1}`, aggregateInput });
    });
    return output$ as Observable<O>;
  }

  /** The whole output is what the last step's `invoke` would give. */
  protected override aggregateOutput(outputs: O[]): O {
    return this.steps[this.steps.length - 1]._aggregate(outputs) as O;
  }
}

/**
 * A chain of steps: `sequence(a, b, c)` runs as `a.pipe(b).pipe(c)` does. A step may be a
 * runnable, an RxJS `OperatorFunction` (a streaming step) or a record of runnables (run in
 * parallel); a step that is itself a sequence keeps its own run, as in LangChain's
 * `RunnableSequence.from`.
 *
 * @example
 * ```ts
 * import { sequence, StringOutputParser } from 'rxllm';
 * import { map } from 'rxjs';
 * const shout = sequence(prompt, model, new StringOutputParser(), map((text: string) => text.toUpperCase()));
 * ```
 */
export function sequence<I = any, O = any>(...steps: RunnableLike[]): Runnable<I, O> {
  return new RunnableSequence<I, O>(steps);
}

