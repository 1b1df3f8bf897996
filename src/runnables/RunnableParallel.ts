import { map, merge, type Observable } from 'rxjs';
import { connectInput } from './connectInput.js';
import type { RunContext } from './RunContext.js';
import { Runnable, type RunnableMap } from './Runnable.js';
import { RunnableLambda } from './Runnable.js';

/** The output of a map of runnables: each key holds its runnable's output. */
export type ParallelOutput<M extends RunnableMap> = { [K in keyof M]: M[K] extends Runnable<any, infer R> ? R : M[K] extends (...args: any[]) => infer R ? Awaited<R> : unknown };

/**
 * Branches that receive the same input and run at the same time. `stream` emits keyed chunks
 * (`{ a: chunk }`) as each branch produces them; `invoke` gives the whole object. Each branch's
 * run is tagged `map:key:K`.
 */
export class RunnableParallel<I, M extends RunnableMap<I>> extends Runnable<I, Partial<ParallelOutput<M>>> {
  readonly runType = 'chain' as const;
  override readonly wholeInput = false;
  readonly branches: ReadonlyArray<readonly [string, Runnable<I, unknown>]>;

  constructor(steps: M) {
    super();
    this.branches = Object.entries(steps).map(([key, step]) => [key, toRunnable(step)] as const);
    this.runName = `RunnableParallel<${Object.keys(steps).join(',')}>`;
  }

  protected override _transform(input$: Observable<I>, run: RunContext): Observable<Partial<ParallelOutput<M>>> {
    const scope = run.childScope();
    // Every branch is subscribed before the input starts, so a synchronous input reaches all of them.
    return connectInput(input$, (shared$) => merge(...this.branches.map(([key, branch]) =>
      branch._call(shared$, scope, { stepTag: `map:key:${key}`, aggregateInput: run.aggregateInput }).pipe(map((chunk) => ({ [key]: chunk }) as Partial<ParallelOutput<M>>)),
    )));
  }

  /** Each key holds what its branch's `invoke` would give. */
  protected override aggregateOutput(outputs: Array<Partial<ParallelOutput<M>>>): Partial<ParallelOutput<M>> {
    const merged: Record<string, unknown> = {};
    for (const [key, branch] of this.branches) {
      const chunks = outputs.filter((chunk) => key in chunk).map((chunk) => (chunk as Record<string, unknown>)[key]);
      if (chunks.length) merged[key] = branch._aggregate(chunks);
    }
    return merged as Partial<ParallelOutput<M>>;
  }
}

/**
 * Runs the runnables of a record side by side on the same input.
 *
 * @example
 * ```ts
 * import { parallel } from 'rxllm';
 * const both = parallel({ joke: jokeChain, poem: poemChain });
 * both.stream({ topic: 'cats' }).subscribe((chunk) => console.log(chunk)); // { joke: '…' } or { poem: '…' }
 * ```
 */
export function parallel<I, M extends RunnableMap<I>>(steps: M): Runnable<I, Partial<ParallelOutput<M>>> {
  return new RunnableParallel<I, M>(steps);
}

function toRunnable<I>(step: RunnableMap<I>[string]): Runnable<I, unknown> {
  return step instanceof Runnable ? step : new RunnableLambda(step as (input: I) => unknown);
}
