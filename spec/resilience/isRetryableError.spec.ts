import { AbortError, APIConnectionError, OutputParserError, ProviderError, RateLimitError, StreamTimeoutError } from '../../src/errors/errors.js';
import { isRetryableError } from '../../src/resilience/isRetryableError.js';

describe('isRetryableError', () => {
  it.each([
    ['a broken connection', new APIConnectionError('The connection closed before the response was complete')],
    ['a stream timeout', new StreamTimeoutError('idle', 10_000)],
    ['a 408', new ProviderError('HTTP 408', { status: 408 })],
    ['a 409', new ProviderError('HTTP 409', { status: 409 })],
    ['a 429', new RateLimitError('HTTP 429', { retryAfterMs: 1000 })],
    ['a 500', new ProviderError('HTTP 500', { status: 500 })],
    ['a 503', new ProviderError('HTTP 503', { status: 503 })],
    ['a mid-stream server_error', new ProviderError('The server had an error', { type: 'server_error' })],
    ['a mid-stream overloaded_error', new ProviderError('Overloaded', { code: 'overloaded_error' })],
  ])('retries %s', (_what, error) => {
    expect(isRetryableError(error)).toBe(true);
  });

  it.each([
    ['a 400', new ProviderError('HTTP 400', { status: 400 })],
    ['a 401', new ProviderError('HTTP 401', { status: 401 })],
    ['a 404', new ProviderError('HTTP 404', { status: 404 })],
    ['a 422', new ProviderError('HTTP 422', { status: 422 })],
    ['a 429 for an exhausted quota', new RateLimitError('HTTP 429', { code: 'insufficient_quota' })],
    ['a mid-stream error without status or known code', new ProviderError('tool_use_failed', { code: 'tool_use_failed' })],
    ['a malformed chunk', new ProviderError('not JSON', { code: 'malformed_chunk' })],
    ['an abort', new AbortError()],
    ['a parser error', new OutputParserError('Unexpected token')],
    ['a plain error', new Error('bug')],
    ['a thrown string', 'boom'],
  ])('does not retry %s', (_what, error) => {
    expect(isRetryableError(error)).toBe(false);
  });
});
