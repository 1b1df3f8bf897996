import {
  APIConnectionError, AbortError, MaskedError, ProviderError, RateLimitError, StreamGoneError, StreamTimeoutError, toChatError,
} from '../../src/index.js';
import { fromWireError } from '../../src/sse/fromWireError.js';
import { toWireError } from '../../src/sse/toWireError.js';

describe('toChatError', () => {
  it('names the kind and says whether another try may help', () => {
    expect(toChatError(new RateLimitError('Slow down'))).toEqual({
      kind: 'rate_limit', message: 'The model provider is receiving too many requests; try again later', retryable: true,
    });
    expect(toChatError(new ProviderError('Bad request', { status: 400 }))).toMatchObject({ kind: 'provider', retryable: false });
    expect(toChatError(new ProviderError('Overloaded', { status: 503 }))).toMatchObject({ kind: 'provider', retryable: true });
    expect(toChatError(new APIConnectionError('Connection reset'))).toMatchObject({ kind: 'connection', retryable: true });
    expect(toChatError(new StreamTimeoutError('idle', 100))).toMatchObject({ kind: 'timeout', retryable: true });
    expect(toChatError(new StreamGoneError('run1'))).toMatchObject({ kind: 'stream_gone', retryable: false });
    expect(toChatError(new AbortError())).toMatchObject({ kind: 'aborted', retryable: false });
  });

  it('never shows the text of the error: not a key, not a path', () => {
    const texts = [
      toChatError(new ProviderError('key sk-proj-abcdefghijkl1234 refused', { status: 401 })).message,
      toChatError(new TypeError('Cannot read properties of undefined (reading "apiKey=hunter2hunter2")')).message,
      toChatError('ENOENT /home/me/.keys').message,
    ];
    expect(texts).toEqual(['The model provider could not answer the request', 'Something went wrong on the server', 'Something went wrong on the server']);
  });

  it('keeps the kind and retryability of a MaskedError that came over the wire', () => {
    const wire = toWireError(new MaskedError('rate_limit', true, 'The model provider is receiving too many requests; try again later', { retryAfterMs: 2000 }));
    expect(toChatError(fromWireError(wire))).toEqual({ kind: 'rate_limit', message: 'The model provider is receiving too many requests; try again later', retryable: true });
  });
});
