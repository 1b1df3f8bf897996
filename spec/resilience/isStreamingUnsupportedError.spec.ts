import { APIConnectionError, ProviderError, RateLimitError } from '../../src/errors/errors.js';
import { isStreamingUnsupportedError } from '../../src/resilience/isStreamingUnsupportedError.js';

describe('isStreamingUnsupportedError', () => {
  it.each([
    ["a model that may not stream", new ProviderError("HTTP 400 from the chat completions endpoint: Unsupported value: 'stream' does not support true with this model. Only the default (false) value is supported.", { status: 400, code: 'unsupported_value' })],
    ['an organization that must be verified to stream', new ProviderError('HTTP 400: Your organization must be verified to stream this model.', { status: 400, code: 'unsupported_value' })],
    ['a server without streaming', new ProviderError('HTTP 501: Streaming is not supported', { status: 501 })],
    ['a streaming_unsupported code', new ProviderError('HTTP 400: bad request', { status: 400, code: 'streaming_unsupported' })],
    ['a status-less error event', new ProviderError('stream mode is not available for this deployment')],
  ])('recognises %s', (_what, error) => {
    expect(isStreamingUnsupportedError(error)).toBe(true);
  });

  it.each([
    ['another 400', new ProviderError('HTTP 400: max_tokens is too large', { status: 400 })],
    ['a 500 that mentions streams', new ProviderError('HTTP 500: stream not supported right now', { status: 500 })],
    ['a rate limit', new RateLimitError('HTTP 429: stream requests not allowed this fast')],
    ['a connection error', new APIConnectionError('stream not supported')],
    ['a plain error', new Error('streaming is not supported')],
  ])('does not take %s for it', (_what, error) => {
    expect(isStreamingUnsupportedError(error)).toBe(false);
  });
});
