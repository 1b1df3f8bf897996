import OpenAI from 'openai';
import { APIConnectionError, AbortError, ProviderError, RateLimitError } from '../../src/errors/errors.js';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { connectionLost, mapOpenAIError, retryAfterFrom } from '../../src/openai/mapOpenAIError.js';

const SECRET = 'sk-proj-MAPPINGSECRET0123456789';

describe('mapOpenAIError', () => {
  it('maps 429 to a RateLimitError with retryAfterMs, code and type', () => {
    const error = mapOpenAIError(new OpenAI.RateLimitError(429, { message: 'Rate limit reached', code: 'rate_limit_exceeded', type: 'requests' }, undefined, new Headers({ 'retry-after': '7' })));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toEqual(expect.objectContaining({
      status: 429, retryAfterMs: 7000, code: 'rate_limit_exceeded', type: 'requests',
      message: 'HTTP 429 from the chat completions endpoint: Rate limit reached',
    }));
  });

  it('maps other statuses to a ProviderError with status and code from the body', () => {
    const cases: Array<[Error, number, string | undefined]> = [
      [new OpenAI.AuthenticationError(401, { message: 'Incorrect API key', code: 'invalid_api_key' }, undefined, new Headers()), 401, 'invalid_api_key'],
      [new OpenAI.PermissionDeniedError(403, { message: 'Forbidden' }, undefined, new Headers()), 403, undefined],
      [new OpenAI.NotFoundError(404, { message: 'The model `x` does not exist', code: 'model_not_found' }, undefined, new Headers()), 404, 'model_not_found'],
      [new OpenAI.InternalServerError(503, { message: 'Overloaded' }, undefined, new Headers()), 503, undefined],
    ];
    for (const [source, status, code] of cases) {
      const error = mapOpenAIError(source);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).not.toBeInstanceOf(RateLimitError);
      expect(error).toEqual(expect.objectContaining({ status, code }));
    }
  });

  it('keeps a numeric error code as a string', () => {
    const error = mapOpenAIError(new OpenAI.BadRequestError(400, { message: 'bad', code: 1234 }, undefined, new Headers()));
    expect(error).toEqual(expect.objectContaining({ status: 400, code: '1234' }));
  });

  it('uses the text of an error body that is not JSON', () => {
    const error = mapOpenAIError(new OpenAI.InternalServerError(502, undefined, 'Bad Gateway', new Headers()));
    expect(error.message).toBe('HTTP 502 from the chat completions endpoint: Bad Gateway');
  });

  it('maps connection failures and timeouts to APIConnectionError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = mapOpenAIError(new OpenAI.APIConnectionError({ message: 'Connection error.', cause: refused }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toBe('Could not reach the server: Connection error. (connect ECONNREFUSED 127.0.0.1:9)');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(mapOpenAIError(new OpenAI.APIConnectionTimeoutError())).toBeInstanceOf(APIConnectionError);
    // fetch nests the socket error under its own TypeError.
    const nested = mapOpenAIError(new OpenAI.APIConnectionError({ message: 'Connection error.', cause: new TypeError('fetch failed', { cause: refused }) }));
    expect(nested.message).toBe('Could not reach the server: Connection error. (fetch failed: connect ECONNREFUSED 127.0.0.1:9)');
    expect((nested.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('maps a user abort to AbortError', () => {
    expect(mapOpenAIError(new OpenAI.APIUserAbortError())).toBeInstanceOf(AbortError);
  });

  it('passes rxllm errors through and wraps anything else', () => {
    const own = new ProviderError('own');
    expect(mapOpenAIError(own)).toBe(own);
    expect(mapOpenAIError('a string')).toEqual(expect.objectContaining({ name: 'RxllmError', message: 'The request failed: a string' }));
    expect(mapOpenAIError(new OpenAI.OpenAIError('client misconfigured'))).toBeInstanceOf(RxllmError);
  });

  it('never carries a key the server echoed, in the message or anywhere in the error', () => {
    const headers = new Headers({ 'x-echo': SECRET, 'retry-after': '1' });
    const source = new OpenAI.RateLimitError(429, { message: `Key ${SECRET} is over quota` }, undefined, headers);
    const error = mapOpenAIError(source);
    expect(error.message).not.toContain(SECRET);
    expect(String(error)).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
    const connection = mapOpenAIError(new OpenAI.APIConnectionError({ message: 'Connection error.', cause: new Error(`proxy rejected ${SECRET}`) }));
    expect(connection.message).not.toContain(SECRET);
    expect((connection.cause as Error).message).not.toContain(SECRET);
  });
});

describe('connectionLost', () => {
  it('says the body broke, with the reason', () => {
    const error = connectionLost(Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toBe('The connection closed before the response was complete: terminated (UND_ERR_SOCKET: other side closed)');
  });
});

describe('retryAfterFrom', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads retry-after-ms first', () => {
    expect(retryAfterFrom(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
  });
  it('reads Retry-After in seconds', () => {
    expect(retryAfterFrom(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterFrom(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
  });
  it('reads Retry-After as an HTTP date', () => {
    expect(retryAfterFrom(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterFrom(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), now)).toBe(0);
  });
  it('gives undefined without a usable header', () => {
    expect(retryAfterFrom(new Headers(), now)).toBeUndefined();
    expect(retryAfterFrom(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterFrom(undefined, now)).toBeUndefined();
  });
});
