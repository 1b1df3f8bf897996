import {
  APIConnectionError, AbortError, MessageInputError, OutputParserError, PIIDetectedError, PromptInputError, ProviderError,
  RateLimitError, StreamGoneError, StreamTimeoutError, ToolInputError,
} from '../errors/errors.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { maskSecrets } from '../errors/maskSecrets.js';
import { RxllmError } from '../errors/RxllmError.js';
import { isRetryableError } from '../resilience/isRetryableError.js';
import type { ChatError, ChatErrorKind } from './ChatState.js';

/** What a chat says of an error it does not know: its text may hold anything (a server body, a path, a key). */
const UNKNOWN_MESSAGE = 'The answer failed with an unexpected error';

/**
 * The error a chat shows for `error`: its kind, whether another try may help, and its message
 * masked of secrets. Only rxllm's own errors (raised here, or rebuilt from a server's masked error
 * frame) show their text; any other error shows a fixed sentence, since its text was never checked.
 *
 * @example
 * ```ts
 * import { RateLimitError, toChatError } from 'rxllm';
 * toChatError(new RateLimitError('Slow down')); // { kind: 'rate-limit', message: 'Slow down', retryable: true }
 * toChatError(new Error('ENOENT /home/me/.keys')); // { kind: 'unknown', message: 'The answer failed with an unexpected error', retryable: false }
 * ```
 */
export function toChatError(error: unknown): ChatError {
  const kind = kindOf(error);
  const message = error instanceof RxllmError ? maskSecrets(error.message) : UNKNOWN_MESSAGE;
  return { kind, message, retryable: isRetryableError(error) };
}

function kindOf(error: unknown): ChatErrorKind {
  if (error instanceof RateLimitError) return 'rate-limit';
  if (error instanceof ProviderError) return 'provider';
  if (error instanceof APIConnectionError) return 'connection';
  if (error instanceof StreamTimeoutError) return 'timeout';
  if (error instanceof StreamGoneError) return 'stream-gone';
  if (error instanceof AbortError) return 'aborted';
  if (error instanceof PIIDetectedError || error instanceof OutputParserError) return 'content';
  if (error instanceof MessageInputError || error instanceof PromptInputError || error instanceof ToolInputError || error instanceof InvalidOptionError) return 'input';
  if (error instanceof RxllmError && (error as { status?: unknown }).status === 400) return 'input';
  return 'unknown';
}
