import { startWith, tap, type Observable } from 'rxjs';
import { describeError } from '../errors/maskSecrets.js';
import { StreamReset } from '../resilience/StreamReset.js';

/**
 * The state of one subscription of a recovering operator (`retryStream`, `fallbackStream`):
 * whether anything was emitted, and the `StreamReset` owed once an attempt that emitted has been
 * voided. The marker opens the next attempt, before it is subscribed, so that in `streamEvents`
 * it comes before the new attempt's events. An attempt that emitted nothing voids nothing.
 */
export class ResetTracker {
  /** True once any value has been emitted, by any attempt. */
  emitted = false;
  private sinceReset = false;
  private owed: { name: string; message: string } | undefined;

  /** Voids what was emitted since the last marker (if anything): a marker is owed. */
  voidAfter(error: unknown): void {
    if (!this.sinceReset) return;
    this.sinceReset = false;
    this.owed = describeError(error);
  }

  /** The values of attempt number `attempt`, opened by the owed marker if there is one. */
  track<T>(attempt$: Observable<T>, attempt: number): Observable<T | StreamReset> {
    const counted = attempt$.pipe(tap(() => {
      this.emitted = true;
      this.sinceReset = true;
    }));
    const error = this.owed;
    if (!error) return counted;
    this.owed = undefined;
    return counted.pipe(startWith(new StreamReset({ attempt, error })));
  }
}
