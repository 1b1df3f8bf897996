import { request as httpRequest } from 'node:http';
import { sseEndpoint } from '../../src/node/sseEndpoint.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';
import { startEndpointServer, type EndpointServer } from './support/startEndpointServer.js';

/** Three chunks, then the fake OpenAI server stalls with the connection open: only a cancel ends the request. */
const HEAD = sseBody([wireChunk({ content: 'one ' }), wireChunk({ content: 'two ' }), wireChunk({ content: 'three' })], { done: false });
const BODY = HEAD + sseBody([wireChunk({ content: ' never' })]);

describe('sseEndpoint in front of a model', () => {
  let upstream: SseReplayServer;
  let server: EndpointServer;

  beforeEach(async () => {
    upstream = new SseReplayServer({ body: BODY, stallAfterBytes: HEAD.length, chunking: 64, delayMs: 2 });
    const model = new ChatOpenAI({ model: 'gpt-test', apiKey: TEST_KEY, baseURL: await upstream.start(), maxRetries: 0 });
    server = await startEndpointServer(sseEndpoint((body: { input: string }, { signal }) => model.streamEvents(body.input, { signal })));
  });

  afterEach(async () => {
    await server.close();
    await upstream.close();
  });

  it('closes the upstream model request within 100 ms of the client\'s socket being destroyed mid-stream', async () => {
    const destroyedAt = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(server.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (part: Buffer) => {
          text += part.toString('utf8');
          // Mid-stream: the model has streamed its tokens and its request is still open.
          if (text.includes('"content":"three"')) {
            const at = performance.now();
            req.socket?.destroy();
            resolve(at);
          }
        });
      });
      req.on('error', (error) => (error.message.includes('socket hang up') || error.message.includes('aborted') ? undefined : reject(error)));
      req.end(JSON.stringify({ input: 'Count' }));
    });
    const record = await upstream.clientClosed(0);
    const closedAfterMs = performance.now() - destroyedAt;
    expect(record.closedByClient).toBe(true);
    expect(closedAfterMs).toBeLessThan(100);
  });
});
