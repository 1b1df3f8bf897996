import { defer, mergeMap, of, tap, toArray, type Observable } from 'rxjs';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';
import { aggregateValues } from './aggregateValues.js';
import { RunContext, type ChildRunOptions, type RunScope } from './RunContext.js';
import type { Runnable } from './RunnableBase.js';

/**
 * The run of a recovering wrapper (`withRetry`, `withFallbacks`): a `chain` run that collects its
 * whole input (to replay it), reports start, stream, end and error, and reports each
 * `StreamReset` of its output as an `on_custom_event` named `stream_reset` instead of a stream
 * event. The output its end event reports is that of the last attempt only.
 */
export function wrapperRun<I, O>(
  name: string,
  input$: Observable<I>,
  scope: RunScope,
  options: ChildRunOptions,
  attempts: (input: I, run: RunContext) => Observable<O | StreamReset>,
): Observable<O | StreamReset> {
  return defer(() => {
    const run = new RunContext('chain', name, scope, options);
    return input$.pipe(toArray(), mergeMap((inputs) => {
      const input = aggregateValues(inputs) as I;
      if (!run.observed) return attempts(input, run);
      run.emit('start', { input });
      let outputs: O[] = [];
      return attempts(input, run).pipe(tap({
        next: (value) => {
          if (isStreamReset(value)) {
            outputs = [];
            run.emitCustom('stream_reset', { attempt: value.attempt, error: value.error });
            return;
          }
          outputs.push(value);
          run.emit('stream', { chunk: value });
        },
        error: (error) => run.emitError(error, input),
        complete: () => run.emit('end', { output: aggregateValues(outputs), input }),
      }));
    }));
  });
}

/**
 * One attempt: `runnable` as a child run of the wrapper on `input`. Under `invoke` (not
 * streaming) its chunks are held until it completes: nobody has seen a chunk of a failed
 * attempt, so every failure can be recovered and the result is the successful attempt's alone.
 */
export function attemptOf<I, O>(runnable: Runnable<I, O, unknown>, input: I, run: RunContext, stepTag?: string): Observable<O> {
  const output$ = runnable._call(of(input), run.childScope(), { knownInput: { value: input }, ...(stepTag && { stepTag }) });
  return run.streaming ? output$ : output$.pipe(toArray(), mergeMap((chunks) => chunks));
}
