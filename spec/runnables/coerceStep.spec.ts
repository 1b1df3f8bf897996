import { map } from 'rxjs';
import { RunnableOperator, RunnableParallel, lambda } from '../../src/index.js';
import { coerceStep } from '../../src/runnables/coerceStep.js';

describe('coerceStep', () => {
  it('keeps runnables, wraps functions as operator steps and records as parallel steps', () => {
    const runnable = lambda((x: number) => x);
    expect(coerceStep(runnable)).toBe(runnable);
    expect(coerceStep(map((x: number) => x + 1))).toBeInstanceOf(RunnableOperator);
    expect(coerceStep({ a: runnable })).toBeInstanceOf(RunnableParallel);
  });

  it('rejects anything else with a clear TypeError', () => {
    expect(() => coerceStep(42 as never)).toThrow('Not a runnable, an operator function or a map of runnables: 42');
  });
});
