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
