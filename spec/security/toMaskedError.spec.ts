import OpenAI from 'openai';
import {
  APIConnectionError, AbortError, MaskedError, MessageInputError, OutputParserError, PIIDetectedError, ProviderError,
  RateLimitError, StreamGoneError, StreamTimeoutError, ToolInputError, type MaskedErrorKind,
} from '../../src/errors/errors.js';
import { mapOpenAIError } from '../../src/openai/mapOpenAIError.js';
import { maskErrorDescription, toMaskedError } from '../../src/security/toMaskedError.js';
import { fromWireError } from '../../src/sse/fromWireError.js';
import { toWireError } from '../../src/sse/toWireError.js';

const MESSAGES: Record<MaskedErrorKind, string> = {
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

describe('toMaskedError', () => {
  it('keeps what a user can act on: the kind, whether to retry, and how long a rate limit asks to wait', () => {
    const masked = toMaskedError(mapOpenAIError(new OpenAI.RateLimitError(
      429, { message: 'Rate limit reached for org-Acme-7781', code: 'rate_limit_exceeded', type: 'requests' }, undefined, new Headers({ 'retry-after': '7' }),
    )));
    expect(masked).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 7000, message: 'The model provider is receiving too many requests; try again later' });
    expect(Object.keys(masked).sort()).toEqual(['kind', 'name', 'retryAfterMs', 'retryable']);
    const back = fromWireError(toWireError(masked));
    expect(back).toBeInstanceOf(MaskedError);
    expect(back).toMatchObject({ name: 'MaskedError', kind: 'rate_limit', retryable: true, retryAfterMs: 7000 });
  });

  it.each([
    [new RateLimitError('slow down', { retryAfterMs: 1000 }), 'rate_limit', true],
    [new RateLimitError('quota', { code: 'insufficient_quota' }), 'rate_limit', false],
    [new StreamTimeoutError('idle', 10_000), 'timeout', true],
    [new APIConnectionError('reset'), 'connection', true],
    [new ProviderError('bad gateway', { status: 502 }), 'provider', true],
    [new ProviderError('bad request', { status: 400 }), 'provider', false],
    [new AbortError(), 'aborted', false],
    [new MessageInputError('bad message', 0), 'invalid_input', false],
    [new ToolInputError('get_weather', [{ path: ['city'], message: 'Required' }]), 'tool', false],
    [new OutputParserError('not JSON', { text: '{"card": "4111…' }), 'invalid_output', false],
    [new PIIDetectedError('email'), 'pii_detected', false],
    [new StreamGoneError('run-1', 'run-1:4'), 'stream_gone', false],
    [Object.assign(new Error('blocked word "xyz"'), { name: 'ContentFilteredError' }), 'content_filtered', false],
    [Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'aborted', false],
    [new RangeError('index 12 out of range'), 'internal', false],
    [undefined, 'internal', false],
  ])('masks %p as kind %p (retryable %p), with a message of its kind only', (original, kind, retryable) => {
    const masked = toMaskedError(original);
    expect(masked).toBeInstanceOf(MaskedError);
    expect(masked).toMatchObject({ kind, retryable, message: MESSAGES[kind as MaskedErrorKind] });
  });

  it('writes one message per kind, the same whatever the original said', () => {
    const a = toMaskedError(new ProviderError('Server said: A', { status: 500 }));
    const b = toMaskedError(new ProviderError('Server said: B', { status: 503 }));
    expect(a.message).toBe(b.message);
    expect(new Set([a, toMaskedError(new APIConnectionError('x')), toMaskedError(new Error('y'))].map((error) => error.message)).size).toBe(3);
  });

  it('drops a retryAfterMs that is not a duration', () => {
    expect(toMaskedError(new RateLimitError('slow', { retryAfterMs: Number.NaN }))).not.toHaveProperty('retryAfterMs');
    expect(toMaskedError(new RateLimitError('slow', { retryAfterMs: -5 }))).not.toHaveProperty('retryAfterMs');
  });

  it.each([
    ['RateLimitError', 'rate_limit', true],
    ['APIConnectionError', 'connection', true],
    ['StreamTimeoutError', 'timeout', true],
    ['ProviderError', 'provider', false],
    ['ContentFilteredError', 'content_filtered', false],
    ['TypeError', 'internal', false],
  ])('masks a description named %s as kind %s (retryable %p as its kind says)', (name, kind, retryable) => {
    expect(maskErrorDescription({ name, message: 'Incorrect API key provided: sk-proj-Zq81mWx40pLr7TnB2cVd' }))
      .toEqual({ name: 'MaskedError', kind, retryable, message: MESSAGES[kind as MaskedErrorKind] });
  });
});
