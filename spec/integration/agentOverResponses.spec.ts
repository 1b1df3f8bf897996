import { z } from 'zod';
import { agent } from '../../src/agents/Agent.js';
import type { AIMessage } from '../../src/messages/messages.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';
import { tool } from '../../src/tools/StructuredTool.js';
import { describeFixtures, fixturePath } from '../support/fixtures.js';
import { TEST_KEY } from '../support/replaySupport.js';

const add = tool(({ a, b }) => a + b, { name: 'add', description: 'Adds', schema: z.object({ a: z.number(), b: z.number() }) });
const multiply = tool(({ a, b }) => a * b, { name: 'multiply', description: 'Multiplies', schema: z.object({ a: z.number(), b: z.number() }) });

interface ResponsesBody {
  stream: boolean;
  input: Array<Record<string, unknown>>;
  tools?: Array<Record<string, unknown>>;
  store?: boolean;
  previous_response_id?: string;
}

describeFixtures('agent over ChatOpenAI (api: responses)', () => {
  let server: SseReplayServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends each function_call_output paired with its call, in Responses shape', async () => {
    server = new SseReplayServer({ responses: [
      { file: fixturePath('openai-responses/parallel-function-calls.sse') },
      { file: fixturePath('openai-responses/text.sse') },
    ] });
    const model = new ChatOpenAI({ model: 'gpt-test', apiKey: TEST_KEY, baseURL: await server.start(), maxRetries: 0, api: 'responses', store: false, previousResponseId: 'resp_prev' });
    const result = await agent({ model, tools: [add, multiply] }).invoke('2 and 3?');
    expect(result.steps).toBe(2);
    const calls = (result.messages[0] as AIMessage).toolCalls;
    expect(calls.map((call) => call.name)).toEqual(['add', 'multiply']);

    const [first, second] = server.requests.map((request) => request.body as ResponsesBody);
    expect(server.requests.map((request) => request.url)).toEqual(['/v1/responses', '/v1/responses']);
    for (const body of [first, second]) {
      expect(body).toEqual(expect.objectContaining({ stream: true, store: false, previous_response_id: 'resp_prev' }));
      expect(body.tools).toEqual([
        { type: 'function', name: 'add', description: 'Adds', parameters: expect.objectContaining({ type: 'object' }), strict: null },
        { type: 'function', name: 'multiply', description: 'Multiplies', parameters: expect.objectContaining({ type: 'object' }), strict: null },
      ]);
    }
    expect(first.input).toEqual([{ type: 'message', role: 'user', content: '2 and 3?' }]);
    expect(second.input).toEqual([
      { type: 'message', role: 'user', content: '2 and 3?' },
      { type: 'function_call', call_id: calls[0].id, name: 'add', arguments: '{"a":2,"b":3}' },
      { type: 'function_call', call_id: calls[1].id, name: 'multiply', arguments: '{"a":2,"b":3}' },
      { type: 'function_call_output', call_id: calls[0].id, output: '5' },
      { type: 'function_call_output', call_id: calls[1].id, output: '6' },
    ]);
    expect(calls[0].id).toMatch(/^call_/);
    expect(calls[0].id).not.toBe(calls[1].id);
  });
});
