import { afterLastReset } from '../resilience/StreamReset.js';
import { throwError, type Observable } from 'rxjs';
import { RxllmError } from '../errors/RxllmError.js';
import { describeError } from '../errors/maskSecrets.js';
import { oneOf } from '../errors/optionChecks.js';
import { fallbackStream, type FallbackAlternative, type FallbackStreamOptions } from '../operators/fallbackStream.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import type { RunContext } from './RunContext.js';
import { Runnable } from './Runnable.js';
import { attemptOf, reportResets } from './wrapperRunInternals.js';
import { aggregateValues } from './aggregateValues.js';
import { describeKind, isPlainObject } from '../messages/valueKinds.js';

/** Options of `withFallbacks` (`RunnableWithFallbacks`). */
export interface RunnableWithFallbacksOptions extends FallbackStreamOptions {
  /**
   * Passes the error to each fallback: the input (an object) gets the error under this key, so a
   * fallback prompt can mention what went wrong. Unset: the fallback gets the same input.
   */
  exceptionKey?: string;
}

/**
 * A runnable replaced by each of its fallbacks in turn when it fails, in `stream` and
 * `streamEvents` as well as `invoke` (`runnable.withFallbacks([...], options)`).
 *
 * The wrapper is a `chain` run named `RunnableWithFallbacks`; the primary and each fallback it
 * needs run as its children, each with its own run (a fallback's tagged `fallback:N`). Before a
 * fallback starts, the wrapper emits an `on_custom_event` named `fallback` with
 * `{ error: { name, message }, fallback, index }` — the masked error that caused the switch, the
 * fallback's name and its 1-based position. A failure after the first chunk passes on by default
 * (`afterFirstChunk: 'error'`); with `'switch'` a `StreamReset` (event `stream_reset`, before the
 * `fallback` event) voids the chunks and the fallback starts from scratch. Under `invoke` every
 * failure falls back and the result is the fallback's alone.
 * `AbortError` never falls back unless `fallbackIf` says so.
 *
 * @example
 * ```ts
 * import { ChatOpenAI } from 'rxllm/openai';
 * const model = new ChatOpenAI({ model: 'gpt-4o' }).withFallbacks([new ChatOpenAI({ model: 'gpt-4o-mini' })]);
 * model.stream('Hello').subscribe((chunk) => process.stdout.write(chunk.content));
 * ```
 */
export class RunnableWithFallbacks<I, O, W = O> extends Runnable<I, O, W> {
  readonly runType = 'chain' as const;
  readonly fallbacks: readonly Runnable<I, O, W>[];
  private readonly sameKind: boolean;

  constructor(readonly runnable: Runnable<I, O, W>, fallbacks: readonly Runnable<I, O, W>[], readonly options: RunnableWithFallbacksOptions = {}) {
    super();
    if (!Array.isArray(fallbacks) || fallbacks.some((fallback) => !(fallback instanceof Runnable))) {
      throw new RxllmError('withFallbacks: pass an array of runnables');
    }
    oneOf('withFallbacks', 'afterFirstChunk', options.afterFirstChunk, 'error', ['error', 'switch']);
    this.fallbacks = [...fallbacks];
    this.sameKind = fallbacks.every((fallback) => fallback.constructor === runnable.constructor);
  }

  protected override _stream(input: I, run: RunContext): Observable<O> {
    return this.attempts(input, run).pipe(reportResets<O | StreamReset>(run)) as Observable<O>;
  }

  /** The output of the runnable that succeeded, added up as the primary adds up its output. */
  /**
   * The answering runnable's output, added up as the primary adds up its output when every
   * fallback is of the primary's kind (a model for a model, an agent for an agent); otherwise
   * with the general rule (strings joined, chunks concatenated, objects merged).
   */
  protected override aggregateOutput(outputs: O[]): W {
    const lastAttempt = afterLastReset(outputs);
    return this.sameKind ? this.runnable._aggregate(lastAttempt) : aggregateValues(lastAttempt) as W;
  }

  private attempts(input: I, run: RunContext): Observable<O | StreamReset> {
    const { exceptionKey, afterFirstChunk = 'error', fallbackIf } = this.options;
    if (exceptionKey !== undefined && !isPlainObject(input)) {
      return throwError(() => new RxllmError(`withFallbacks: with exceptionKey "${exceptionKey}" the input must be an object, not ${describeKind(input)}`));
    }
    const alternatives: FallbackAlternative<O>[] = this.fallbacks.map((fallback, index) => (error: unknown) => {
      run.emitCustom('fallback', { error: describeError(error), fallback: fallback.getName(), index: index + 1 });
      const fallbackInput = exceptionKey === undefined ? input : { ...input, [exceptionKey]: error } as I;
      return attemptOf(fallback, fallbackInput, run, `fallback:${index + 1}`);
    });
    return attemptOf(this.runnable, input, run).pipe(fallbackStream<O>(...alternatives, { afterFirstChunk, ...(fallbackIf && { fallbackIf }) }));
  }
}
