import {
  APIConnectionError, AbortError, MaskedError, MessageInputError, OutputParserError, PIIDetectedError, PromptInputError,
  ProviderError, RateLimitError, StreamGoneError, StreamTimeoutError, ToolInputError, type MaskedErrorKind,
} from '../errors/errors.js';
import { isRetryableError } from '../resilience/isRetryableError.js';

/** What users read for each kind: written here, never taken from the error. */
const MESSAGES: Readonly<Record<MaskedErrorKind, string>> = {
  rate_limit: 'The model provider is receiving too many requests; try again later',
  timeout: 'The model took too long to answer',
  connection: 'The model provider could not be reached',
  provider: 'The model provider could not answer the request',
  aborted: 'The run was stopped',
  invalid_input: 'The request was not valid',
  tool: 'A tool could not be called',
  invalid_output: 'The answer could not be read',
  content_filtered: 'The answer was stopped by a content filter',
  pii_detected: 'The run was stopped because it contained personal data',
  stream_gone: 'The stream can no longer be resumed; start a new one',
  internal: 'Something went wrong on the server',
};

/** The kind of an error known only by its class name (an event's `{ name, message }`, a copy from another realm). */
const KIND_BY_NAME: ReadonlyMap<string, MaskedErrorKind> = new Map<string, MaskedErrorKind>([
  ['RateLimitError', 'rate_limit'], ['StreamTimeoutError', 'timeout'], ['APIConnectionError', 'connection'],
  ['ProviderError', 'provider'], ['AbortError', 'aborted'], ['MessageInputError', 'invalid_input'],
  ['PromptInputError', 'invalid_input'], ['ToolInputError', 'tool'], ['OutputParserError', 'invalid_output'],
  ['ContentFilteredError', 'content_filtered'], ['PIIDetectedError', 'pii_detected'], ['StreamGoneError', 'stream_gone'],
]);

/** Kinds worth another attempt when all that is known is the kind (the defaults of `isRetryableError`). */
const RETRYABLE_KINDS: ReadonlySet<MaskedErrorKind> = new Set(['rate_limit', 'timeout', 'connection']);

/**
 * The error a user may see in place of `error`: a `MaskedError` with its kind, whether another
 * attempt may succeed (`isRetryableError`) and a short message of its kind. No text of the
 * original passes — not its message, a server's body, its stack, its cause, a URL or a header —
 * only, for a rate limit, how long to wait. A `MaskedError` is returned as it is.
 *
 * @example
 * ```ts
 * import { RateLimitError, toMaskedError } from 'rxllm';
 * toMaskedError(new RateLimitError('Limit reached for org-123 on sk-…', { retryAfterMs: 2000 }));
 * // MaskedError { kind: 'rate_limit', retryable: true, retryAfterMs: 2000,
 * //               message: 'The model provider is receiving too many requests; try again later' }
 * ```
 *
 * @param error anything thrown or sent to `error`.
 * @return the masked error.
 */
export function toMaskedError(error: unknown): MaskedError {
  if (error instanceof MaskedError) return error;
  const kind = kindOf(error);
  const retryAfterMs = error instanceof RateLimitError ? error.retryAfterMs : undefined;
  return new MaskedError(kind, isRetryableError(error), MESSAGES[kind], {
    ...(typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 && { retryAfterMs }),
  });
}

/**
 * What an error description in a value (`{ name, message }` in an error event or a
 * `StreamReset`) becomes: the same shape with the masked message, plus its kind and whether it is
 * retryable as far as the kind tells (the status behind a `ProviderError` is not in a description).
 */
export function maskErrorDescription(description: { name: string; message: string }): { name: 'MaskedError'; message: string; kind: MaskedErrorKind; retryable: boolean } {
  const kind = KIND_BY_NAME.get(description.name) ?? 'internal';
  return { name: 'MaskedError', message: MESSAGES[kind], kind, retryable: RETRYABLE_KINDS.has(kind) };
}

function kindOf(error: unknown): MaskedErrorKind {
  // Subclasses first: a RateLimitError is a ProviderError too.
  if (error instanceof RateLimitError) return 'rate_limit';
  if (error instanceof StreamTimeoutError) return 'timeout';
  if (error instanceof APIConnectionError) return 'connection';
  if (error instanceof ProviderError) return 'provider';
  if (error instanceof AbortError) return 'aborted';
  if (error instanceof MessageInputError || error instanceof PromptInputError) return 'invalid_input';
  if (error instanceof ToolInputError) return 'tool';
  if (error instanceof OutputParserError) return 'invalid_output';
  if (error instanceof PIIDetectedError) return 'pii_detected';
  if (error instanceof StreamGoneError) return 'stream_gone';
  // By name: ContentFilteredError, a DOMException named AbortError, copies from another realm.
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return (typeof name === 'string' && KIND_BY_NAME.get(name)) || 'internal';
}
