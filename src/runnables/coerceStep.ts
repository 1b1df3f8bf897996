import { Runnable, type RunnableLike } from './Runnable.js';
import { RunnableOperator } from './Runnable.js';
import { RunnableParallel } from './Runnable.js';

/** A step of a sequence as a runnable: functions are RxJS operators, records run in parallel. */
export function coerceStep(step: RunnableLike): Runnable {
  if (step instanceof Runnable) return step;
  if (typeof step === 'function') return new RunnableOperator(step);
  if (typeof step === 'object' && step !== null) return new RunnableParallel(step);
  throw new TypeError(`Not a runnable, an operator function or a map of runnables: ${String(step)}`);
}
