import OpenAI from 'openai';
import { lastValueFrom, reduce } from 'rxjs';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { ChatOpenAI } from '../../src/openai/ChatOpenAI.js';
import { isLoopbackHost, requireSecureBaseURL } from '../../src/openai/requireSecureBaseURL.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';

const EXPECTED = 'an https:// URL, or http:// to this machine (127.0.0.0/8, ::1, localhost); pass allowInsecure: true to send requests and the API key unencrypted';

/** The error `create` throws, or undefined. */
function thrownBy(create: () => unknown): InvalidOptionError | undefined {
  try {
    create();
  } catch (error) {
    return error as InvalidOptionError;
  }
  return undefined;
}

describe('requireSecureBaseURL', () => {
  it.each([
    'localhost', 'LOCALHOST', '127.0.0.1', '127.5.6.7', '127.255.255.254', '[::1]', '::1', '[::ffff:7f00:1]',
  ])('takes %s for this machine', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    '10.0.0.5', '0.0.0.0', '128.0.0.1', '[2001:db8::1]', '[::ffff:a00:5]', 'localhost.evil.example', '127.0.0.1.nip.io', 'gpu-box.lan', 'localhost.',
  ])('does not take %s for this machine', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('checks nothing when there is no URL (the client\'s default is https)', () => {
    expect(() => requireSecureBaseURL(undefined, 'baseURL')).not.toThrow();
  });
});

describe('ChatOpenAI transport security', () => {
  const saved = process.env.OPENAI_BASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.OPENAI_BASE_URL;
    else process.env.OPENAI_BASE_URL = saved;
  });

  it('refuses plain HTTP to another machine with an InvalidOptionError where the model is created', () => {
    const error = thrownBy(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: 'http://10.0.0.5:8000/v1' }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error?.message).toBe(`ChatOpenAI: baseURL must be ${EXPECTED}, got 'http://10.0.0.5:8000/v1'`);
    expect(error).toMatchObject({ where: 'ChatOpenAI', option: 'baseURL' });
  });

  it.each([
    'http://gpu-box.lan:11434/v1', 'http://[2001:db8::1]/v1', 'http://0.0.0.0:8080/v1', 'http://localhost.evil.example/v1',
    'http://127.0.0.1.nip.io/v1', 'ws://127.0.0.1:9/v1', 'ftp://127.0.0.1/v1',
  ])('refuses %s', (baseURL) => {
    expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL })).toThrow(InvalidOptionError);
  });

  it('refuses a baseURL that is not an absolute URL', () => {
    expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: '/v1' })).toThrow(`ChatOpenAI: baseURL must be ${EXPECTED}, got 'a value that is not an absolute URL'`);
  });

  it('names the URL without its credentials or query', () => {
    const error = thrownBy(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: 'http://admin:Gw-Pass-77x1@gateway.example:8080/v1?api_key=Qk-9zz81' }));
    expect(error?.message).toMatch(/got 'http:\/\/gateway\.example:8080\/v1'$/);
    expect(`${String(error)} ${error?.stack} ${JSON.stringify(error)}`).not.toMatch(/Gw-Pass|Qk-9zz81|admin/);
  });

  it.each([
    'https://api.example.com/v1', 'https://10.0.0.5/v1', 'http://127.0.0.1:11434/v1', 'http://127.5.6.7/v1', 'http://localhost:11434/v1',
    'http://LOCALHOST:1234/v1', 'http://[::1]:8000/v1', 'http://[::ffff:127.0.0.1]:8000/v1',
  ])('accepts %s', (baseURL) => {
    expect(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).client?.baseURL).toBe(baseURL);
  });

  it('accepts plain HTTP to another machine with allowInsecure: true, and refuses an allowInsecure that is not a boolean', () => {
    expect(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: 'http://10.0.0.5:8000/v1', allowInsecure: true }).client?.baseURL).toBe('http://10.0.0.5:8000/v1');
    expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: 'http://10.0.0.5:8000/v1', allowInsecure: 'yes' as never }))
      .toThrow("ChatOpenAI: allowInsecure must be true or false, got 'yes'");
  });

  it('checks a given client through its baseURL', () => {
    const client = new OpenAI({ apiKey: TEST_KEY, baseURL: 'http://10.0.0.5:8000/v1' });
    expect(() => new ChatOpenAI({ model: 'm', client })).toThrow(`ChatOpenAI: client.baseURL must be ${EXPECTED}, got 'http://10.0.0.5:8000/v1'`);
    expect(new ChatOpenAI({ model: 'm', client, allowInsecure: true }).client).toBe(client);
    expect(new ChatOpenAI({ model: 'm', client: new OpenAI({ apiKey: TEST_KEY }) }).client?.baseURL).toBe('https://api.openai.com/v1');
  });

  it('checks OPENAI_BASE_URL when it stands in for baseURL', () => {
    process.env.OPENAI_BASE_URL = 'http://models.internal:8000/v1';
    expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY })).toThrow(`ChatOpenAI: baseURL (OPENAI_BASE_URL) must be ${EXPECTED}, got 'http://models.internal:8000/v1'`);
    expect(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL: 'http://127.0.0.1:9/v1' }).client?.baseURL).toBe('http://127.0.0.1:9/v1');
  });

  it('still sends requests over loopback HTTP', async () => {
    const server = new SseReplayServer({ body: sseBody([wireChunk({ content: 'Hello' }), wireChunk({ content: ' there' })]) });
    const baseURL = await server.start();
    try {
      expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const text = await lastValueFrom(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL, maxRetries: 0 }).stream('Hi').pipe(reduce((all, chunk) => all + chunk.content, '')));
      expect(text).toBe('Hello there');
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
