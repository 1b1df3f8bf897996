import { Observable, asyncScheduler, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { durationMs, numberAtLeast } from '../errors/optionChecks.js';
import { RateLimitError } from '../errors/errors.js';
import { SlidingWindow, type WindowEntry } from './slidingWindowInternals.js';

/** Options of {@link RateLimiter}. Every limit is optional; none given means none applies. */
export interface RateLimiterOptions {
  /** Requests admitted in any 60-second window. */
  requestsPerMinute?: number;
  /**
   * Tokens in any 60-second window: each request counts its estimate when admitted, corrected by
   * the usage its stream reports. A request larger than the whole budget is admitted alone.
   */
  tokensPerMinute?: number;
  /** Requests running at once. */
  maxConcurrent?: number;
  /** Longest wait in the queue; then the request fails with a `RateLimitError`. Default: no limit. */
  maxQueueMs?: number;
  /** Where time is measured and waits run. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** A request's place in a `RateLimiter`, from admission until `release`. */
export interface RateLimitPermit {
  /** Sets what this request counts against `tokensPerMinute`: a running estimate, then the reported usage. */
  countTokens(tokens: number): void;
  /** Frees the place (for `maxConcurrent`); the request still counts in the per-minute windows. Idempotent. */
  release(): void;
}

type Limit = 'concurrency' | 'requests' | 'tokens';

interface Waiter {
  readonly tokens: number;
  readonly subscriber: Subscriber<RateLimitPermit>;
  timeout?: Subscription;
}

const WINDOW_MS = 60_000;
/** Longest delay a timer can take (setTimeout overflows above it and would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Shared throttling for many streams: requests per minute, tokens per minute and requests at
 * once, with a fair (first come, first served) queue.
 *
 * One limiter is shared by every stream that must respect the same quota (one per API key and
 * model, typically). A stream joins it with the `rateLimit` operator, which waits for admission
 * before subscribing to the stream, and counts the stream's tokens as they come. The queue is
 * strict FIFO: a large request at the head is not overtaken by smaller ones, so none starves.
 * A queued stream that is unsubscribed leaves the queue at once. With `maxQueueMs`, a request
 * not admitted in time fails with a `RateLimitError` (code `'rate_limiter_queue_timeout'`,
 * `retryAfterMs` when a per-minute window is the reason), which `retryStream` retries like a
 * server's 429.
 *
 * The windows slide: `requestsPerMinute: 60` admits at most 60 requests in any 60 seconds. The
 * limiter holds one timer, only while the head of the queue waits for a window to free up.
 *
 * @example
 * ```ts
 * import { RateLimiter, rateLimit } from 'rxllm';
 * const limiter = new RateLimiter({ requestsPerMinute: 500, tokensPerMinute: 200_000, maxConcurrent: 8 });
 * const answers = questions.map((q) => model.stream(q).pipe(rateLimit(limiter, { estimateTokens: 1000 })));
 * ```
 */
export class RateLimiter {
  private readonly requestsPerMinute: number;
  private readonly tokensPerMinute: number;
  private readonly maxConcurrent: number;
  private readonly maxQueueMs: number;
  private readonly scheduler: SchedulerLike;
  private readonly requests = new SlidingWindow(WINDOW_MS);
  private readonly tokens = new SlidingWindow(WINDOW_MS);
  private readonly queue: Waiter[] = [];
  private running = 0;
  private draining = false;
  private drainAgain = false;
  private wakeUp?: { at: number; timer: Subscription };

  constructor(options: RateLimiterOptions = {}) {
    this.requestsPerMinute = limit('requestsPerMinute', options.requestsPerMinute);
    this.tokensPerMinute = limit('tokensPerMinute', options.tokensPerMinute);
    this.maxConcurrent = limit('maxConcurrent', options.maxConcurrent);
    this.maxQueueMs = durationMs('RateLimiter', 'maxQueueMs', options.maxQueueMs, Infinity, { zero: false, infinity: true });
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  /** Requests waiting for admission. */
  get queued(): number {
    return this.queue.length;
  }

  /** Requests admitted and not yet released. */
  get active(): number {
    return this.running;
  }

  /**
   * Waits for admission: emits one permit and completes when the request may start. The caller
   * must `release` the permit when the request ends. Unsubscribing before admission leaves the
   * queue. `estimatedTokens` is what the request counts against `tokensPerMinute` until
   * `countTokens` corrects it.
   */
  acquire(estimatedTokens = 0): Observable<RateLimitPermit> {
    numberAtLeast('RateLimiter.acquire', 'estimatedTokens', estimatedTokens, 0, 0);
    return new Observable<RateLimitPermit>((subscriber) => {
      const waiter: Waiter = { tokens: estimatedTokens, subscriber };
      this.queue.push(waiter);
      if (this.maxQueueMs !== Infinity) {
        waiter.timeout = this.scheduler.schedule(() => this.giveUp(waiter), Math.min(this.maxQueueMs, MAX_TIMER_MS));
      }
      this.drain();
      return () => {
        if (this.leave(waiter)) this.drain();
      };
    });
  }

  /** Admits requests from the head of the queue while the limits allow; safe to re-enter. */
  private drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        while (this.queue.length > 0 && !this.blockedBy(this.queue[0].tokens)) this.admit(this.queue.shift()!);
      } while (this.drainAgain);
    } finally {
      this.draining = false;
    }
    this.scheduleWakeUp();
  }

  private admit(waiter: Waiter): void {
    waiter.timeout?.unsubscribe();
    const now = this.scheduler.now();
    this.running++;
    if (this.requestsPerMinute !== Infinity) this.requests.add(now, 1);
    const tokens: WindowEntry | undefined = this.tokensPerMinute !== Infinity ? this.tokens.add(now, waiter.tokens) : undefined;
    let released = false;
    const permit: RateLimitPermit = {
      countTokens: (count) => {
        if (tokens && Number.isFinite(count) && count >= 0 && this.tokens.update(tokens, count)) this.drain();
      },
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        this.drain();
      },
    };
    waiter.subscriber.next(permit);
    waiter.subscriber.complete();
  }

  /** Which limit keeps a request of `tokens` waiting right now, if any. */
  private blockedBy(tokens: number): Limit | undefined {
    if (this.running >= this.maxConcurrent) return 'concurrency';
    const now = this.scheduler.now();
    if (this.requestsPerMinute !== Infinity && this.requests.total(now) >= this.requestsPerMinute) return 'requests';
    if (this.tokensPerMinute !== Infinity) {
      const used = this.tokens.total(now);
      // A request larger than the whole budget is admitted when the window is empty, not never.
      if (used >= this.tokensPerMinute || (used > 0 && used + tokens > this.tokensPerMinute)) return 'tokens';
    }
    return undefined;
  }

  /** When the window keeping the head waiting frees up (undefined when only a release can help). */
  private nextChance(blocker: Limit | undefined): number | undefined {
    const now = this.scheduler.now();
    if (blocker === 'requests') return this.requests.nextExpiry(now);
    if (blocker === 'tokens') return this.tokens.nextExpiry(now);
    return undefined;
  }

  /** One timer, only while the head of the queue waits for a window. */
  private scheduleWakeUp(): void {
    const at = this.queue.length > 0 ? this.nextChance(this.blockedBy(this.queue[0].tokens)) : undefined;
    if (this.wakeUp?.at === at) return;
    this.wakeUp?.timer.unsubscribe();
    this.wakeUp = undefined;
    if (at === undefined) return;
    const timer = this.scheduler.schedule(() => {
      this.wakeUp = undefined;
      this.drain();
    }, Math.min(Math.max(0, at - this.scheduler.now()), MAX_TIMER_MS));
    this.wakeUp = { at, timer };
  }

  /** Takes a waiter out of the queue; false when it was no longer there. */
  private leave(waiter: Waiter): boolean {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    waiter.timeout?.unsubscribe();
    return true;
  }

  private giveUp(waiter: Waiter): void {
    if (!this.queue.includes(waiter)) return;
    const blocker = this.blockedBy(this.queue[0].tokens);
    const freesAt = this.nextChance(blocker);
    this.leave(waiter);
    const reason = blocker === 'concurrency' ? `maxConcurrent ${this.maxConcurrent}`
      : blocker === 'requests' ? `requestsPerMinute ${this.requestsPerMinute}` : `tokensPerMinute ${this.tokensPerMinute}`;
    waiter.subscriber.error(new RateLimitError(
      `Rate limiter: not admitted within ${this.maxQueueMs} ms (${reason} reached)`,
      { code: 'rate_limiter_queue_timeout', ...(freesAt !== undefined && { retryAfterMs: Math.max(0, freesAt - this.scheduler.now()) }) },
    ));
    this.drain();
  }
}

/** A limit: above 0 (a limit of 0 would admit nothing), `Infinity` or left out for none. */
function limit(option: string, value: number | undefined): number {
  return numberAtLeast('RateLimiter', option, value, Infinity, 0, { exclusive: true, infinity: true });
}
