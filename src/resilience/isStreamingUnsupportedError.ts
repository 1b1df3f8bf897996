import { ProviderError, RateLimitError } from '../errors/errors.js';

const UNSUPPORTED = /unsupported|not supported|does not support|doesn't support|not (?:allowed|available|enabled|permitted)|only the default|must be verified|cannot be used|is disabled/i;
const UNSUPPORTED_CODES = /^(?:stream(?:ing)?_(?:not_supported|unsupported|disabled))$/i;

/**
 * The default test of `degradeToInvoke`: true for a `ProviderError` saying that this model or
 * account cannot stream — a 4xx or 501 (or a status-less error) whose code is
 * `streaming_unsupported`-like, or whose message speaks of streaming as unsupported, not allowed,
 * or needing verification. Rate limits and server errors are never this.
 *
 * @example
 * ```ts
 * import { isStreamingUnsupportedError, ProviderError } from 'rxllm';
 * isStreamingUnsupportedError(new ProviderError("Unsupported value: 'stream' does not support true with this model.", { status: 400 })); // true
 * ```
 */
export function isStreamingUnsupportedError(error: unknown): boolean {
  if (!(error instanceof ProviderError) || error instanceof RateLimitError) return false;
  const { status } = error;
  if (status !== undefined && !(status >= 400 && status < 500) && status !== 501) return false;
  if (error.code && UNSUPPORTED_CODES.test(error.code)) return true;
  const text = `${error.message} ${error.code ?? ''} ${error.type ?? ''}`;
  return /stream/i.test(text) && UNSUPPORTED.test(text);
}
