import { toMaskedError } from '../security/toMaskedError.js';
import type { ChatError } from './ChatState.js';

/**
 * The error a chat shows for `error`: the kind, retryability and short message of its
 * `MaskedError` (`toMaskedError`), the same words an `sseEndpoint` sends its clients. No text of
 * the original error reaches the chat — not its message, a server's body, a path or a key — and a
 * `MaskedError` that came over the wire keeps its kind and retryability.
 *
 * @example
 * ```ts
 * import { RateLimitError, toChatError } from 'rxllm';
 * toChatError(new RateLimitError('Limit reached for org-123'));
 * // { kind: 'rate_limit', retryable: true, message: 'The model provider is receiving too many requests; try again later' }
 * ```
 */
export function toChatError(error: unknown): ChatError {
  const { kind, message, retryable } = toMaskedError(error);
  return { kind, message, retryable };
}
