import { RxllmError } from '../errors/RxllmError.js';
import { RateLimitError } from '../errors/errors.js';
import { isRetryableError } from '../resilience/isRetryableError.js';
import { durationMs, positiveCount } from './optionChecksInternals.js';

/** How the wait between attempts grows. */
export interface BackoffOptions {
  /** Wait before the first retry. Default 500 ms. */
  initialMs?: number;
  /** Longest wait. Default 10 000 ms. */
  maxMs?: number;
  /** Each retry waits `factor` times longer than the one before. Default 2. */
  factor?: number;
  /**
   * Share of each wait drawn at random, from 0 (exact waits) to 1 (anywhere between 0 and the
   * wait), so that many clients failing together do not retry together. Default 0.25.
   */
  jitter?: number;
}

/** What `retryStream` and `withRetry` are told before each retry. */
export interface RetryInfo {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** Why it failed. */
  error: unknown;
  /** How long the next attempt waits: the backoff, or the server's `Retry-After` when longer. */
  delayMs: number;
}

/** Options shared by `retryStream` and `withRetry`. */
export interface RetryPolicyOptions {
  /** Attempts in all, the first one included. Default 3; `Infinity` for no limit. */
  maxAttempts?: number;
  /** Waits between attempts. */
  backoff?: BackoffOptions;
  /** Which failures to retry; `attempt` is the number of the attempt that failed. Default `isRetryableError`. */
  retryIf?: (error: unknown, attempt: number) => boolean;
  /**
   * A `RateLimitError` asking to wait longer than this is not retried: the error is passed on at
   * once for the caller to schedule. Default 60 000 ms.
   */
  maxRetryAfterMs?: number;
  /** Called before each retry, e.g. to log it or show "retrying…". */
  onRetry?: (info: RetryInfo) => void;
}

/** Checked retry options, and the decision each failure gets. */
export class RetryPolicy {
  readonly maxAttempts: number;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly maxRetryAfterMs: number;
  private readonly retryIf: (error: unknown, attempt: number) => boolean;

  constructor(where: string, options: RetryPolicyOptions) {
    this.maxAttempts = positiveCount(where, 'maxAttempts', options.maxAttempts, 3);
    const backoff = options.backoff ?? {};
    this.initialMs = durationMs(where, 'backoff.initialMs', backoff.initialMs, 500);
    this.maxMs = durationMs(where, 'backoff.maxMs', backoff.maxMs, 10_000);
    this.factor = backoff.factor ?? 2;
    if (!(Number.isFinite(this.factor) && this.factor >= 1)) throw new RxllmError(`${where}: backoff.factor must be a number ≥ 1, got ${String(backoff.factor)}`);
    this.jitter = backoff.jitter ?? 0.25;
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RxllmError(`${where}: backoff.jitter must be between 0 and 1, got ${String(backoff.jitter)}`);
    this.maxRetryAfterMs = durationMs(where, 'maxRetryAfterMs', options.maxRetryAfterMs, 60_000, true);
    this.retryIf = options.retryIf ?? isRetryableError;
  }

  /** The wait before retrying after attempt `failed` failed with `error`, or undefined to give up. */
  delayAfter(error: unknown, failed: number): number | undefined {
    if (failed >= this.maxAttempts || !this.retryIf(error, failed)) return undefined;
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** (failed - 1));
    const backoff = Math.round(base * (1 - this.jitter * Math.random()));
    if (!(error instanceof RateLimitError) || error.retryAfterMs === undefined) return backoff;
    if (error.retryAfterMs > this.maxRetryAfterMs) return undefined;
    return Math.max(backoff, Math.ceil(error.retryAfterMs));
  }
}
