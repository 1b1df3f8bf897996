import { lastValueFrom, toArray } from 'rxjs';
import { MessageInputError, ProviderError } from '../../src/errors/errors.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer, type SseReplayResponse } from '../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';

describe('bad input to and from ChatOpenAI is a typed error (API.md §10)', () => {
  let server: SseReplayServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function modelAnswering(responses: SseReplayResponse[]): Promise<ChatOpenAI> {
    server = new SseReplayServer({ responses });
    return new ChatOpenAI({ model: 'gpt-test', apiKey: TEST_KEY, baseURL: await server.start(), maxRetries: 0 });
  }

  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

  it.each([
    ['[null]', [null]],
    ["[['human', null]]", [['human', null]]],
    ["[['human', { text }]] (content that is not text)", [['human', { text: 'hi' }]]],
    ["[['robot', 'hi']]", [['robot', 'hi']]],
  ])('%s fails with MessageInputError before anything is sent', async (_label, input) => {
    const model = await modelAnswering([{ body: sseBody([wireChunk({ content: 'never' })]) }]);
    expect(await failureOf(model.invoke(input as never))).toBeInstanceOf(MessageInputError);
    expect(await failureOf(lastValueFrom(model.stream(input as never)))).toBeInstanceOf(MessageInputError);
    expect(server!.requests).toHaveLength(0);
  });

  it('a 200 answer that is an HTML page is a ProviderError, never an empty success', async () => {
    const page = { body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } };
    const model = await modelAnswering([page]);
    const failure = await failureOf(lastValueFrom(model.stream('Hi').pipe(toArray())));
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ code: 'unexpected_body' });
    expect((failure as Error).message).toContain('content-type text/html');
    expect((failure as Error).message).toContain('502 Bad Gateway');
  });

  it.each([
    ['a null entry in choices', { ...wireChunk({}), choices: [null] }, 'choices[0] is null'],
    ['a null entry in tool_calls', wireChunk({ tool_calls: [null] }), 'tool_calls[0] is null'],
  ])('%s is a malformed_chunk ProviderError after the chunks before it', async (_label, bad, problem) => {
    const model = await modelAnswering([{ body: sseBody([wireChunk({ content: 'Hel' }), wireChunk({ content: 'lo' }), bad as never]) }]);
    const seen: string[] = [];
    const failure = await new Promise<unknown>((resolve) => model.stream('Hi').subscribe({ next: (c) => seen.push(c.content), error: resolve, complete: () => resolve(undefined) }));
    expect(seen.join('')).toBe('Hello');
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ code: 'malformed_chunk' });
    expect((failure as Error).message).toContain(problem);
  });

  it('a whole (non-streaming) answer with a null choice is a malformed_chunk ProviderError too', async () => {
    const model = await modelAnswering([{ json: { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [null] } }]);
    expect(await failureOf(model.invoke('Hi'))).toMatchObject({ name: 'ProviderError', code: 'malformed_chunk' });
  });
});
