import OpenAI from 'openai';
import { lastValueFrom, toArray } from 'rxjs';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';

// [DONE] arrives in one write and the end of the body in a later one, as over a real network.
const answer = sseBody([wireChunk({ content: 'Hi' }), { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }]) + ': end\n\n';

describe('sequential requests keep one connection alive, as the plain openai client does', () => {
  let server: SseReplayServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function connectionsOf(run: (baseURL: string) => Promise<void>): Promise<number> {
    server = new SseReplayServer({ body: answer, chunking: 16, delayMs: 2 });
    await run(await server.start());
    const used = new Set(server.requests.map((request) => request.connection)).size;
    await server.close();
    server = undefined;
    return used;
  }

  it('four streamed answers in a row open no more connections than the plain client', async () => {
    const plain = await connectionsOf(async (baseURL) => {
      const client = new OpenAI({ apiKey: TEST_KEY, baseURL, maxRetries: 0 });
      for (let i = 0; i < 4; i++) {
        const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true });
        for await (const chunk of stream) void chunk;
      }
    });
    const rxllm = await connectionsOf(async (baseURL) => {
      const model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL, maxRetries: 0 });
      for (let i = 0; i < 4; i++) expect((await lastValueFrom(model.stream('Hi').pipe(toArray()))).map((c) => c.content).join('')).toBe('Hi');
    });
    expect(plain).toBeLessThan(4);
    expect(rxllm).toBeLessThanOrEqual(plain);
  });
});
