import type { Runnable } from '../runnables/Runnable.js';
import { InstrumentedRunnable } from './InstrumentedRunnable.js';
import type { OpenTelemetryOptions } from './OpenTelemetryOptions.js';
import { checkOptions } from './telemetryInternals.js';

/**
 * `runnable`, reporting each of its calls to OpenTelemetry: a span per run of the run tree (the
 * chain, its prompt, model and parser steps, an agent's model turns and tool calls), each the
 * child of its parent run's, with the GenAI semantic conventions' attributes, and the GenAI client
 * metrics of every chat model call (duration, token usage, time to first chunk, time per output
 * chunk, output tokens per second). A call that is unsubscribed or aborted ends its open spans
 * with an error status (`error.type: cancelled`).
 *
 * Without a tracer provider or meter provider registered (and none given), a call is the
 * runnable's own: no handler, no events built.
 *
 * @example
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * import { instrument } from 'rxllm/otel';
 * const traced = instrument(prompt.pipe(model).pipe(new StringOutputParser()), { tracer: trace.getTracer('my-app') });
 * traced.stream({ topic: 'otters' }).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @param runnable any runnable: a chain, a model, a tool, an agent.
 * @param options the tracer, meter and clock to use; each defaults to the global one.
 * @return a runnable with the same input, output and methods.
 */
export function instrument<I, O, W = O>(runnable: Runnable<I, O, W>, options: OpenTelemetryOptions = {}): Runnable<I, O, W> {
  checkOptions('instrument', options);
  if (typeof (runnable as Partial<Runnable>)?._call !== 'function') {
    throw new TypeError('instrument: the first argument must be a runnable');
  }
  return new InstrumentedRunnable(runnable, { ...options });
}
