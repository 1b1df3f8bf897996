import { Subscription, type Observable } from 'rxjs';
import { positiveCount } from '../errors/optionChecks.js';

/**
 * `batch`'s scheduler: runs `count` inputs, at most `maxConcurrency` at once, and resolves with
 * each input's aggregated output in input order. The first failure rejects and stops the rest,
 * unless `returnExceptions` puts the error in that input's place.
 */
export function runBatch<O, W>(
  count: number,
  maxConcurrency: number | undefined,
  run: (index: number) => Observable<O>,
  aggregate: (outputs: O[]) => W,
  returnExceptions: boolean,
): Promise<Array<W | Error>> {
  return new Promise((resolve, reject) => {
    // Checked inside the executor: a bad maxConcurrency rejects the batch instead of throwing.
    const limit = positiveCount('batch', 'maxConcurrency', maxConcurrency, Math.max(1, count));
    const results: Array<W | Error> = new Array(count);
    const running = new Subscription();
    let next = 0;
    let active = 0;
    let settled = 0;
    let launching = false;
    const settle = (index: number, result: W | Error) => {
      results[index] = result;
      active--;
      if (++settled === count) resolve(results);
      else launch();
    };
    // A loop, not recursion: runs that complete synchronously free their slot inside it.
    const launch = () => {
      if (launching) return;
      launching = true;
      while (active < limit && next < count && !running.closed) {
        const index = next++;
        const outputs: O[] = [];
        active++;
        running.add(run(index).subscribe({
          next: (value) => outputs.push(value),
          error: (error) => {
            if (returnExceptions) return settle(index, error instanceof Error ? error : new Error(String(error)));
            running.unsubscribe();
            reject(error);
          },
          complete: () => settle(index, aggregate(outputs)),
        }));
      }
      launching = false;
    };
    if (count === 0) resolve(results);
    else launch();
  });
}
