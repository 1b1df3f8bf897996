import { mergeMap, tap, toArray, type Observable } from 'rxjs';
import { isStreamReset } from '../resilience/StreamReset.js';
import type { RunContext } from './RunContext.js';

/** What the run-event protocol needs to know of the runnable whose run it reports. */
export interface RunReporter<I, O> {
  /** False for runnables that report only start and end (prompts). */
  readonly emitsStreamEvents: boolean;
  /** What `on_<type>_start` reports as `data.input`. */
  eventInput(input: I): unknown;
  /** What `on_<type>_end` reports as `data.output`. */
  aggregateOutput(outputs: O[]): unknown;
}

/**
 * The run of a runnable that needs its whole input: it starts (and reports `start`) once the
 * input is complete. Without a listener the output is returned bare: events cost nothing then.
 */
export function wholeInputRun<I, O>(input$: Observable<I>, run: RunContext, stream: (input: I) => Observable<O>, reporter: RunReporter<I, O>): Observable<O> {
  return input$.pipe(toArray(), mergeMap((inputs) => {
    const input = run.aggregateInput(inputs) as I;
    if (!run.observed) return stream(input);
    const eventInput = reporter.eventInput(input);
    run.emit('start', { input: eventInput });
    return withRunEvents(stream(input), run, reporter, () => eventInput);
  }));
}

/**
 * The run of a runnable that transforms its input chunk by chunk. It starts with its first input
 * chunk (that is when it has something to work on), or at once when the input is known, as at
 * the root.
 */
export function transformRun<I, O>(
  input$: Observable<I>,
  run: RunContext,
  transform: (input$: Observable<I>) => Observable<O>,
  knownInput: { value: I } | undefined,
  reporter: RunReporter<I, O>,
): Observable<O> {
  if (!run.observed) return transform(input$);
  const inputs: I[] = [];
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    run.emit('start', knownInput ? { input: reporter.eventInput(knownInput.value) } : {});
  };
  if (knownInput) start();
  const watched$ = input$.pipe(tap({
    next: (value) => {
      start();
      inputs.push(value);
    },
    complete: start,
  }));
  return withRunEvents(transform(watched$), run, reporter, () => run.aggregateInput(inputs), () => started);
}

/**
 * `output$` with the run's stream, end and error events before each notification passes on.
 * A `StreamReset` (a retry or fallback starting over) is no stream event, and the output the
 * end event reports starts over after it.
 */
function withRunEvents<I, O>(output$: Observable<O>, run: RunContext, reporter: RunReporter<I, O>, input: () => unknown, started: () => boolean = () => true): Observable<O> {
  let outputs: O[] = [];
  return output$.pipe(tap({
    next: (value) => {
      if (isStreamReset(value)) {
        outputs = [];
        return;
      }
      outputs.push(value);
      if (reporter.emitsStreamEvents) run.emit('stream', { chunk: value });
    },
    error: (error) => {
      if (started()) run.emitError(error, input());
    },
    complete: () => run.emit('end', { output: reporter.aggregateOutput(outputs), input: input() }),
  }));
}
