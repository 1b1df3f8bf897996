import { map, Observable } from 'rxjs';
import { describeError } from '../errors/maskSecrets.js';
import { isStreamReset, StreamReset } from '../resilience/StreamReset.js';

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
    // `map` for the side effect: rxjs's `tap` (0.5 KB minified) is then not in a bundle of chunk operators.
    const counted = attempt$.pipe(map((value) => {
      this.emitted = true;
      this.sinceReset = true;
      return value;
    }));
    const error = this.owed;
    if (!error) return counted;
    this.owed = undefined;
    const marker = new StreamReset({ attempt, error });
    // `startWith` by hand: rxjs's brings `concat` and its scheduled `from` into every bundle.
    return new Observable<T | StreamReset>((subscriber) => {
      subscriber.next(marker);
      if (!subscriber.closed) counted.subscribe(subscriber);
    });
  }
}

/**
 * Where the attempts of one subscription of a stateful operator begin: the first at subscription,
 * each next one at a `StreamReset`. The operator keeps the current attempt's state here, made
 * afresh at each marker, so that nothing of a voided attempt reaches the next one (the running
 * text, a parser's position, a buffer); `restartOnReset` numbers its attempts with it.
 */
export class Attempts<S> {
  /** 1 for the first attempt, n + 1 after the n-th marker. */
  number = 1;
  /** The marker that opened the current attempt; undefined for the first. */
  marker: StreamReset | undefined;
  /** The current attempt's state. */
  state: S;

  constructor(private readonly start: () => S) {
    this.state = start();
  }

  /** True when `item` is a `StreamReset`, which opens the next attempt, with a fresh state. */
  opensNext(item: unknown): item is StreamReset {
    if (!isStreamReset(item)) return false;
    this.number++;
    this.marker = item;
    this.state = this.start();
    return true;
  }
}
