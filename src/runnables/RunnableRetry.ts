import { afterLastReset } from '../resilience/StreamReset.js';
import { defer, tap, type Observable, type SchedulerLike } from 'rxjs';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { oneOf } from '../errors/optionChecks.js';
import { concatChunks, isAIMessageChunk, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import type { ChatModelInput } from '../messages/toMessages.js';
import type { RetryPolicyOptions } from '../operators/RetryPolicyOptions.js';
import { RetryPolicy } from '../operators/retryInternals.js';
import { retryStream, type AfterFirstChunk } from '../operators/retryStream.js';
import { isRetryableError } from '../resilience/isRetryableError.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { DEFAULT_CONTINUE_PROMPT, continuationMessages, dropRepeatedStart } from './continuationInternals.js';
import type { RunContext } from './RunContext.js';
import { Runnable } from './Runnable.js';
import { attemptOf, reportResets } from './wrapperRunInternals.js';

/** Options of `withRetry` (`RunnableRetry`). */
export interface RunnableRetryOptions<I = any, O = any> extends RetryPolicyOptions {
  /**
   * What a failure after the first chunk does under `stream` and `streamEvents`. `'error'`
   * (default): passes the error on. `'restart'`: emits a `StreamReset` (in `streamEvents`, an
   * `on_custom_event` named `stream_reset`) and runs again from scratch. `'continue'`: on a chat
   * model, asks for the rest of the answer and streams only the new text. Under `invoke` every
   * retryable failure is retried and the result is the successful attempt's.
   */
  afterFirstChunk?: AfterFirstChunk;
  /**
   * `'continue'` on a chat model: the user message sent after the partial answer to ask for the
   * rest. `null` sends the partial answer as the last message, for servers that continue an
   * assistant message. Default: a short request to continue without repeating.
   */
  continuePrompt?: string | null;
  /**
   * `'continue'` on a runnable that is not a chat model: the input of the call that produces the rest.
   * (A method, so that options stay assignable along a chain's input types.)
   */
  continueInput?(input: I, emittedSoFar: readonly O[]): I;
  /** Where the waits between attempts run. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * A runnable retried on failure, in `stream` and `streamEvents` as well as `invoke`
 * (`runnable.withRetry(options)`).
 *
 * Each attempt runs the wrapped runnable again on the same input, as a child run (tagged
 * `retry:attempt:N` from the second); the wrapper is a `chain` run named `RunnableRetry`. Which
 * failures, how long to wait and how often follow `retryStream` (default: `isRetryableError`, 3
 * attempts, exponential backoff, `Retry-After`). A failure before the first chunk is retried
 * unseen; after it, `afterFirstChunk` decides (see `RunnableRetryOptions`).
 *
 * `'continue'` on a chat model sends the original messages, the partial answer as an assistant
 * message, and a request to continue; it streams only the new text (dropping a repeat of the
 * partial answer's last words), so the chunks add up to one answer. When no text had arrived
 * (only the role chunk), the original request is sent again. A partial answer with tool calls
 * cannot be continued: the error passes on.
 *
 * @example
 * ```ts
 * import { ChatOpenAI } from 'rxllm/openai';
 * const model = new ChatOpenAI({ model: 'gpt-4o-mini' }).withRetry({ maxAttempts: 3, afterFirstChunk: 'continue' });
 * model.stream('Explain RxJS').subscribe((chunk) => process.stdout.write(chunk.content));
 * ```
 */
export class RunnableRetry<I, O, W = O> extends Runnable<I, O, W> {
  readonly runType = 'chain' as const;
  private readonly afterFirstChunk: AfterFirstChunk;

  constructor(readonly bound: Runnable<I, O, W>, readonly options: RunnableRetryOptions<I, O> = {}) {
    super();
    new RetryPolicy('withRetry', options); // fail on bad options here, where they are given
    this.afterFirstChunk = oneOf('withRetry', 'afterFirstChunk', options.afterFirstChunk, 'error', ['error', 'restart', 'continue']);
    if (this.afterFirstChunk === 'continue' && bound.runType !== 'chat_model' && !options.continueInput) {
      throw new InvalidOptionError('withRetry', 'continueInput', `a function giving the input that continues the answer (afterFirstChunk 'continue' needs it for ${bound.getName()}, which is not a chat model)`, options.continueInput);
    }
  }

  protected override _stream(input: I, run: RunContext): Observable<O> {
    return this.attempts(input, run).pipe(reportResets<O | StreamReset>(run)) as Observable<O>;
  }

  /** The successful attempt's output, added up as the bound runnable adds it up. */
  protected override aggregateOutput(outputs: O[]): W {
    return this.bound._aggregate(afterLastReset(outputs));
  }

  private attempts(input: I, run: RunContext): Observable<O | StreamReset> {
    let attempt = 0;
    let continuable = true;
    const call = (callInput: I): Observable<O> => defer(() => {
      attempt++;
      return attemptOf(this.bound, callInput, run, attempt > 1 ? `retry:attempt:${attempt}` : undefined);
    });
    const continuing = this.afterFirstChunk === 'continue';
    const { retryIf = isRetryableError, continueInput, continuePrompt = DEFAULT_CONTINUE_PROMPT } = this.options;
    const first$ = continuing && !continueInput
      ? call(input).pipe(tap((chunk) => {
        if (isAIMessageChunk(chunk) && chunk.toolCallChunks.length > 0) continuable = false;
      }))
      : call(input);
    return first$.pipe(retryStream<O>({
      ...this.options,
      afterFirstChunk: this.afterFirstChunk,
      retryIf: (error, failed) => retryIf(error, failed) && continuable,
      ...(continuing && {
        continueWith: (soFar: readonly O[]) => {
          if (continueInput) return call(continueInput(input, soFar));
          const partial = concatChunks(soFar as readonly unknown[] as AIMessageChunk[]).content;
          const noteToolCalls = tap((chunk: AIMessageChunk) => {
            if (chunk.toolCallChunks.length > 0) continuable = false;
          });
          // No text arrived yet (say, only the role chunk): nothing to continue, and an empty
          // assistant message is refused by some servers, so the original request goes again.
          if (partial === '') return (call(input) as Observable<unknown> as Observable<AIMessageChunk>).pipe(noteToolCalls) as Observable<unknown> as Observable<O>;
          const messages = continuationMessages(input as ChatModelInput, partial, continuePrompt);
          return (call(messages as I) as Observable<unknown> as Observable<AIMessageChunk>).pipe(
            noteToolCalls,
            dropRepeatedStart(partial),
          ) as Observable<unknown> as Observable<O>;
        },
      }),
    }));
  }
}

