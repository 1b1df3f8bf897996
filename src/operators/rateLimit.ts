import { defer, finalize, mergeMap, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { isAIMessageChunk } from '../messages/AIMessageChunk.js';
import { estimateTokensOfLength } from '../messages/estimateTokens.js';
import type { RateLimiter, RateLimitPermit } from '../resilience/RateLimiter.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /**
   * What the request counts against `tokensPerMinute` before its usage is known: a number, or a
   * function called at each subscription (e.g. from the prompt's length). Default 0.
   */
  estimateTokens?: number | (() => number);
  /**
   * Output tokens reserved on admission, on top of `estimateTokens` (e.g. the request's
   * `maxTokens`), so that a burst of requests admitted together cannot pass `tokensPerMinute`
   * once they answer. Default 0.
   */
  reserveOutputTokens?: number;
}

/**
 * Subscribes to the stream only when `limiter` admits it, and holds its place until the stream
 * ends. Each subscription is a request: a retry queues again.
 *
 * Tokens: the request counts `estimateTokens` (its input) and `reserveOutputTokens` (the answer it
 * may produce) when admitted; while chunks stream, their text (about four characters per token)
 * takes the reservation's place once it outgrows it; when a chunk reports `usage`, its
 * `totalTokens` replaces the count. Unsubscribing while queued leaves the queue; a queue timeout fails the
 * stream with the limiter's `RateLimitError`. Values pass through unchanged.
 *
 * ```
 * limiter: maxConcurrent 1
 * first:   ---a|
 * second:  --b|            (subscribed at the same time)
 * first.pipe(rateLimit(limiter)):   ---a|
 * second.pipe(rateLimit(limiter)):  ------b|
 * ```
 *
 * @example
 * ```ts
 * import { RateLimiter, rateLimit, retryStream } from 'rxllm';
 * const limiter = new RateLimiter({ tokensPerMinute: 30_000, maxConcurrent: 4 });
 * model.stream(question).pipe(rateLimit(limiter, { estimateTokens: 800 }), retryStream())
 *   .subscribe((chunk) => process.stdout.write(chunk.content));
 * ```
 *
 * @param limiter The limiter shared by the streams that spend the same quota.
 * @param options The token estimate.
 * @return An operator that delays the subscription until admission.
 */
export function rateLimit<T>(limiter: RateLimiter, options: RateLimitOptions = {}): MonoTypeOperatorFunction<T> {
  return (source) => defer(() => {
    const estimate = typeof options.estimateTokens === 'function' ? options.estimateTokens() : options.estimateTokens ?? 0;
    const reserved = options.reserveOutputTokens ?? 0;
    let permit: RateLimitPermit | undefined;
    return limiter.acquire(estimate + reserved).pipe(
      mergeMap((admitted) => {
        permit = admitted;
        const counter = new TokenCounter(estimate, reserved, admitted);
        return source.pipe(tap((value) => counter.see(value)));
      }),
      finalize(() => permit?.release()),
    );
  });
}

/** Keeps a permit's token count current: estimate plus streamed text, until usage is reported. */
class TokenCounter {
  private chars = 0;
  private reported = false;

  constructor(private readonly estimate: number, private readonly reservedOutput: number, private readonly permit: RateLimitPermit) {}

  see(value: unknown): void {
    if (this.reported || !isAIMessageChunk(value)) return;
    if (value.usage) {
      this.reported = true;
      this.permit.countTokens(value.usage.totalTokens);
      return;
    }
    const added = value.content.length + (value.reasoning?.length ?? 0);
    if (added === 0) return;
    this.chars += added;
    // The output reservation holds until the streamed text outgrows it.
    const streamed = estimateTokensOfLength(this.chars);
    if (streamed > this.reservedOutput) this.permit.countTokens(this.estimate + streamed);
  }
}
