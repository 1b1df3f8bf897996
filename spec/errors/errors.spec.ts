import {
  APIConnectionError, AbortError, OutputParserError, PromptInputError, ProviderError, RateLimitError, RxllmError, StreamTimeoutError,
  ToolInputError,
} from '../../src/index.js';

const key = 'sk-abcdefghijklmnop1234567890';

describe('error classes', () => {
  it('every one is an RxllmError named after its class', () => {
    const errors = [
      new StreamTimeoutError('idle', 10), new ProviderError('p'), new RateLimitError('r'), new APIConnectionError('c'),
      new ToolInputError('t', []), new OutputParserError('o'), new PromptInputError('pi'), new AbortError(),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(RxllmError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  describe('StreamTimeoutError', () => {
    it.each([
      ['first-chunk', /no first chunk within 500 ms \(first-chunk limit\)/],
      ['idle', /no chunk within 500 ms \(idle limit\)/],
      ['total', /no completion within 500 ms \(total limit\)/],
    ] as const)('says which limit fired: %s', (kind, message) => {
      const error = new StreamTimeoutError(kind, 500);
      expect(error.kind).toBe(kind);
      expect(error.timeoutMs).toBe(500);
      expect(error.message).toMatch(message);
    });
  });

  describe('ProviderError and RateLimitError', () => {
    it('carry status, code and type, with a masked message', () => {
      const error = new ProviderError(`401 invalid key ${key}`, { status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
      expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', message: '401 invalid key ***' });
    });

    it('a rate limit is a 429 provider error with retryAfterMs', () => {
      const error = new RateLimitError('slow down', { retryAfterMs: 2_000, code: 'rate_limit_exceeded' });
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 2_000, code: 'rate_limit_exceeded' });
    });
  });

  describe('ToolInputError', () => {
    it('names the tool and each failing path', () => {
      const error = new ToolInputError('get_weather', [
        { path: ['city'], message: 'Expected string, received number' },
        { path: [], message: 'Unrecognized key "x"' },
        { path: ['days', 0], message: 'Too small' },
      ]);
      expect(error.tool).toBe('get_weather');
      expect(error.issues).toHaveLength(3);
      expect(error.message).toBe('Invalid input for tool "get_weather": city: Expected string, received number; (root): Unrecognized key "x"; days.0: Too small');
    });

    it('masks a key echoed in an issue', () => {
      expect(new ToolInputError('t', [{ path: ['token'], message: `bad value ${key}` }]).message).not.toContain(key);
    });
  });

  describe('OutputParserError', () => {
    it('carries path, text and offset', () => {
      const error = new OutputParserError('Unexpected token', { path: ['items', 2], text: '{"items": [1, 2, x', offset: 17 });
      expect(error.path).toEqual(['items', 2]);
      expect(error.text).toBe('{"items": [1, 2, x');
      expect(error.offset).toBe(17);
      expect(new OutputParserError('bare').path).toBeUndefined();
    });
  });

  it('PromptInputError names the variable', () => {
    expect(new PromptInputError('Missing "topic"', 'topic').variable).toBe('topic');
  });

  it('AbortError has a default message', () => {
    expect(new AbortError().message).toBe('The run was aborted');
  });
});
