import { RateLimitError } from '../errors/errors.js';
import { isRetryableError } from '../resilience/isRetryableError.js';
import { durationMs, fraction, numberAtLeast, positiveCount } from '../errors/optionChecks.js';

import type { RetryPolicyOptions } from './RetryPolicyOptions.js';

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
    this.factor = numberAtLeast(where, 'backoff.factor', backoff.factor, 2, 1);
    this.jitter = fraction(where, 'backoff.jitter', backoff.jitter, 0.25);
    this.maxRetryAfterMs = durationMs(where, 'maxRetryAfterMs', options.maxRetryAfterMs, 60_000, { infinity: true });
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
