import { mergeMap, tap, type Observable } from 'rxjs';
import { describeError } from '../errors/maskSecrets.js';
import { StreamReset } from '../resilience/StreamReset.js';

/**
 * The state of one subscription of a recovering operator (`retryStream`, `fallbackStream`):
 * whether anything was emitted, and the `StreamReset` owed before the next value once an attempt
 * that emitted has been voided. The marker waits for the first value of a later attempt, so an
 * attempt that fails before its first chunk adds no marker, and giving up adds none either.
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

  /** The values of attempt number `attempt`, with the owed marker in front of its first one. */
  track<T>(attempt$: Observable<T>, attempt: number): Observable<T | StreamReset> {
    const counted = attempt$.pipe(tap(() => {
      this.emitted = true;
      this.sinceReset = true;
    }));
    if (!this.owed) return counted;
    return counted.pipe(mergeMap((value) => {
      const error = this.owed;
      if (!error) return [value];
      this.owed = undefined;
      return [new StreamReset({ attempt, error }), value];
    }));
  }
}
