import {
  APIConnectionError, AbortError, InvalidOptionError, ProviderError, RateLimitError, StreamGoneError, StreamTimeoutError, toChatError,
} from '../../src/index.js';
import { fromWireError } from '../../src/sse/fromWireError.js';
import { toWireError } from '../../src/sse/toWireError.js';

describe('toChatError', () => {
  it('names the kind and says whether another try may help', () => {
    expect(toChatError(new RateLimitError('Slow down'))).toEqual({ kind: 'rate-limit', message: 'Slow down', retryable: true });
    expect(toChatError(new ProviderError('Bad request', { status: 400 }))).toEqual({ kind: 'provider', message: 'Bad request', retryable: false });
    expect(toChatError(new APIConnectionError('Connection reset'))).toMatchObject({ kind: 'connection', retryable: true });
    expect(toChatError(new StreamTimeoutError('idle', 100))).toMatchObject({ kind: 'timeout', retryable: true });
    expect(toChatError(new StreamGoneError('run1'))).toMatchObject({ kind: 'stream-gone', retryable: false });
    expect(toChatError(new AbortError())).toMatchObject({ kind: 'aborted', retryable: false });
    expect(toChatError(new InvalidOptionError('x', 'y', 'a number', 'z'))).toMatchObject({ kind: 'input', retryable: false });
  });

  it('masks secrets in its own errors\' text and never shows another error\'s', () => {
    const leaky = new ProviderError('x');
    Object.defineProperty(leaky, 'message', { value: 'key sk-proj-abcdefghijkl1234 refused' });
    expect(toChatError(leaky).message).toBe('key *** refused');
    expect(toChatError(new TypeError('Cannot read properties of undefined (reading "apiKey=hunter2hunter2")'))).toEqual({
      kind: 'unknown', message: 'The answer failed with an unexpected error', retryable: false,
    });
    expect(toChatError('a thrown string')).toMatchObject({ kind: 'unknown', message: 'The answer failed with an unexpected error' });
  });

  it('reads a server\'s error as its class, as the wire restores it', () => {
    const wire = toWireError(new RateLimitError('Quota reached', { retryAfterMs: 2000 }));
    expect(toChatError(fromWireError(wire))).toEqual({ kind: 'rate-limit', message: 'Quota reached', retryable: true });
    // A name rxllm does not know arrives as an RxllmError whose text the server masked.
    expect(toChatError(fromWireError({ name: 'WeirdServerError', message: 'Out of cheese' }))).toEqual({ kind: 'unknown', message: 'Out of cheese', retryable: false });
  });
});
