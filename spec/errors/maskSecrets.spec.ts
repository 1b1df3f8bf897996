import { describeError, maskSecrets, registerSecret } from '../../src/index.js';

const openaiKey = 'sk-abcdefghijklmnopqrstuvwxyz0123456789';
const projectKey = 'sk-proj-Ab3_dE-fGh1jKlMnOpQrStUvWxYz_0123456789';

describe('maskSecrets', () => {
  it.each([
    ['an OpenAI key', `Incorrect API key provided: ${openaiKey}.`, openaiKey],
    ['a project key', `key=${projectKey} rejected`, projectKey],
    ['an Anthropic-style key', 'sk-ant-api03-AbCdEfGh12345678', 'sk-ant-api03-AbCdEfGh12345678'],
    ['a Groq key', 'gsk_AbCdEfGh12345678IjKl', 'gsk_AbCdEfGh12345678IjKl'],
    ['an xAI key', 'xai-AbCdEfGh12345678IjKl', 'xai-AbCdEfGh12345678IjKl'],
    ['a Hugging Face token', 'hf_AbCdEfGh12345678IjKl', 'hf_AbCdEfGh12345678IjKl'],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9-abc_def', 'eyJhbGciOi.JIUzI1NiJ9-abc_def'],
    ['an api_key= assignment', 'GET /v1?api_key=abcdef123456&x=1', 'abcdef123456'],
    ['an apiKey: property', '{"apiKey": "zyxwvu987654"}', 'zyxwvu987654'],
    ['an x-api-key header', "x-api-key: 'Q1w2E3r4T5y6'", 'Q1w2E3r4T5y6'],
    ['an OPENAI_API_KEY variable', 'OPENAI_API_KEY=local-key-123456', 'local-key-123456'],
  ])('hides %s', (_, text, secret) => {
    const masked = maskSecrets(text);
    expect(masked).not.toContain(secret);
    expect(masked).toContain('***');
  });

  it('keeps the text around a secret', () => {
    expect(maskSecrets(`Incorrect API key provided: ${openaiKey}.`)).toBe('Incorrect API key provided: ***.');
    expect(maskSecrets('Authorization: Bearer abcdefgh12345')).not.toContain('abcdefgh12345');
    expect(maskSecrets('curl -H "Bearer abcdefgh12345" https://api')).toBe('curl -H "Bearer ***" https://api');
  });

  it('hides every occurrence', () => {
    expect(maskSecrets(`${openaiKey} and again ${openaiKey}`)).toBe('*** and again ***');
  });

  it('leaves ordinary text alone', () => {
    const text = 'The task-scheduler ran 3 tasks; the desk-lamp is on; skip-list ok. Bearer of news. api_key is required.';
    expect(maskSecrets(text)).toBe(text);
  });

  it('hides a registered secret of any shape, wherever it appears', () => {
    const secret = 'my-internal-token-7f3a9';
    expect(maskSecrets(`failed with ${secret}`)).toContain(secret);
    registerSecret(secret);
    expect(maskSecrets(`failed with ${secret}; header ${secret}`)).toBe('failed with ***; header ***');
  });

  it('ignores empty or very short registered secrets (they would mask ordinary text)', () => {
    registerSecret('');
    registerSecret(undefined);
    registerSecret(null);
    registerSecret('abc');
    expect(maskSecrets('abc abc')).toBe('abc abc');
  });
});

describe('describeError', () => {
  it('gives the name and masked message of an error', () => {
    expect(describeError(new TypeError(`bad ${openaiKey}`))).toEqual({ name: 'TypeError', message: 'bad ***' });
  });

  it('describes a thrown non-error value', () => {
    expect(describeError(`thrown ${projectKey}`)).toEqual({ name: 'Error', message: 'thrown ***' });
    expect(describeError(42)).toEqual({ name: 'Error', message: '42' });
  });

  it('uses the message of an error-like object', () => {
    expect(describeError({ name: 'APIError', message: `401 ${openaiKey}` })).toEqual({ name: 'APIError', message: '401 ***' });
  });
});

describe('maskSecrets on fragments of registered secrets', () => {
  const secret = 'Zq8Xw3Vt6Ru1Sp4Oq7Nm';
  beforeAll(() => registerSecret(secret));

  it('hides the secret without its prefix and any run of 8 or more of its characters', () => {
    expect(maskSecrets(`key ending in ${secret.slice(-10)}.`)).toBe('key ending in ***.');
    expect(maskSecrets(`a ${secret.slice(3, 11)} b ${secret.slice(9, 19)} c`)).toBe('a *** b *** c');
    expect(maskSecrets(`${secret}${secret}`)).toBe('***');
  });

  it('keeps runs shorter than 8 characters (they are not the key)', () => {
    expect(maskSecrets(`id ${secret.slice(0, 7)}`)).toBe(`id ${secret.slice(0, 7)}`);
  });

  it('hides credentials in URLs', () => {
    expect(maskSecrets('GET http://alice:s3cr3t!@proxy.local:8080/v1 failed')).toBe('GET http://***@proxy.local:8080/v1 failed');
    expect(maskSecrets('https://api.example.com/v1 and mailto:a@b.c stay')).toBe('https://api.example.com/v1 and mailto:a@b.c stay');
  });
});
