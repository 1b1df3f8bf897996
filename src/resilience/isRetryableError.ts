import { APIConnectionError, AbortError, ProviderError, StreamTimeoutError } from '../errors/errors.js';

/** HTTP statuses worth another try: timeout, conflict, too many requests, and server errors. */
const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/** Error types or codes a server sends mid-stream (without a status) when it is the one failing. */
const RETRYABLE_CODES = new Set(['server_error', 'internal_error', 'internal_server_error', 'api_error', 'overloaded_error', 'service_unavailable', 'timeout']);

/** Codes that look like a rate limit but that waiting does not fix. */
const PERMANENT_CODES = new Set(['insufficient_quota']);

/**
 * The default `retryIf` of `retryStream` and `withRetry`: true for failures that another attempt
 * may not meet.
 *
 * Retried: `APIConnectionError` (the server was unreachable or the connection broke),
 * `StreamTimeoutError`, and `ProviderError`s with status 408, 409, 429 (`RateLimitError`) or
 * 5xx, or, for an error the server sent inside a stream without a status, a type or code such
 * as `server_error` or `overloaded_error`. Not retried: other 4xx answers (a bad request stays
 * bad), a 429 whose code is `insufficient_quota` (waiting does not add credit), `AbortError`
 * (the caller asked to stop), and any other error (a parser's, a tool's, a bug).
 *
 * @example
 * ```ts
 * import { isRetryableError, retryStream } from 'rxllm';
 * stream$.pipe(retryStream({ retryIf: (error) => isRetryableError(error) || error instanceof MyFlakyError }));
 * ```
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof AbortError) return false;
  if (error instanceof APIConnectionError || error instanceof StreamTimeoutError) return true;
  if (!(error instanceof ProviderError)) return false;
  if ((error.code && PERMANENT_CODES.has(error.code)) || (error.type && PERMANENT_CODES.has(error.type))) return false;
  if (error.status !== undefined) return RETRYABLE_STATUSES.has(error.status) || (error.status >= 500 && error.status <= 599);
  return (!!error.code && RETRYABLE_CODES.has(error.code)) || (!!error.type && RETRYABLE_CODES.has(error.type));
}
