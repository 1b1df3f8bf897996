import {
  catchError, defer, EMPTY, ignoreElements, merge, Observable, Subject, Subscriber, tap, type Observer, type OperatorFunction,
} from 'rxjs';

/**
 * Runs the steps of a stateful operator one at a time, in the order they were asked for: a step
 * (a value, the end of the source, a timer) asked for while another one runs waits until it is
 * done. A step runs while the operator emits, and a subscriber may push into the source from its
 * handler (a `Subject` source); without turns the pushed value would be handled between two
 * outputs of the value before it, and come out first. RxJS's `concatMap` guards its buffer the
 * same way; this is the same queue without an Observable per value.
 */
export class Turns<T> implements Observer<T> {
  private running = false;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly steps: Observer<T>) {}

  next(value: T): void {
    if (this.running) {
      this.waiting.push(() => this.steps.next(value));
      return;
    }
    // The common case, no step running, allocates nothing.
    this.running = true;
    try {
      this.steps.next(value);
      this.drain();
    } catch (error) {
      this.waiting.length = 0;
      throw error;
    } finally {
      this.running = false;
    }
  }

  error(error: unknown): void {
    this.run(() => this.steps.error(error));
  }

  complete(): void {
    this.run(() => this.steps.complete());
  }

  /** Runs `step` now, or after the step that is running. */
  run(step: () => void): void {
    if (this.running) {
      this.waiting.push(step);
      return;
    }
    this.running = true;
    try {
      step();
      this.drain();
    } catch (error) {
      this.waiting.length = 0;
      throw error;
    } finally {
      this.running = false;
    }
  }

  private drain(): void {
    for (let step = this.waiting.shift(); step; step = this.waiting.shift()) step();
  }
}

/**
 * Feeds every notification of `source` to `turns` and emits nothing itself: the steps emit
 * through their own output, which the operator merges in front of this. A source error takes its
 * turn like a value, so it follows what the value before it emits; an error thrown by a step
 * reaches the steps' `error` the same way. Built from operators, so that unsubscribing reaches a
 * synchronous source at once.
 */
export function inTurns<T>(source: Observable<T>, turns: Turns<T>): Observable<never> {
  return source.pipe(
    tap({ next: (value) => turns.next(value), complete: () => turns.complete() }),
    ignoreElements(),
    catchError((error: unknown) => {
      turns.error(error);
      return EMPTY;
    }),
  );
}

/**
 * The output of a stateful operator whose steps take `source` in turns: `stepsFor` is given the
 * output's subscriber, and the steps emit to it directly (no `Subject` between them, which would
 * be 2.6 KB minified in every bundle with `smoothText`). As with {@link inTurns}, a source error
 * takes its turn like a value, and a step that throws stops the source and reaches the steps'
 * `error`. The source is fed through a Subscriber of our own, added to the output's, so that a
 * synchronous source sees it closed as soon as the output is.
 */
export function outputInTurns<T, R>(source: Observable<T>, stepsFor: (output: Subscriber<R>) => Observer<T>): Observable<R> {
  return new Observable<R>((output) => {
    const turns = new Turns(stepsFor(output));
    const take = (step: () => void): void => {
      try {
        step();
      } catch (error) {
        input.unsubscribe();
        turns.error(error);
      }
    };
    const input: Subscriber<T> = new Subscriber<T>({
      // Written out rather than through `take`: no closure per value.
      next: (value) => {
        try {
          turns.next(value);
        } catch (error) {
          input.unsubscribe();
          turns.error(error);
        }
      },
      error: (error: unknown) => take(() => turns.error(error)),
      complete: () => take(() => turns.complete()),
    });
    output.add(input);
    source.subscribe(input);
  });
}

/**
 * `operator` with its input taken in turns: a value, error or completion pushed into the source
 * while the operator is busy with the one before it (emitting, from a subscriber's handler) waits
 * until the operator is done with that one. For an operator that emits several values for one
 * input (`concatMap` over `of(a, b)`, a restarted group), so that a reentrant error or marker
 * does not cut those values off. For operators that complete when their input does (the source
 * stays subscribed until then).
 */
export function takingTurns<T, R>(operator: OperatorFunction<T, R>): OperatorFunction<T, R> {
  return (source) => defer(() => {
    const ordered = new Subject<T>();
    // Subscribed first, so that the operator is listening before a synchronous source emits.
    return merge(ordered.pipe(operator), inTurns(source, new Turns(ordered)));
  });
}
