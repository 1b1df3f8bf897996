import { z } from 'zod';
import { ChatOpenAI } from '../../src/openai/index.js';
import type { ToolChoice } from '../../src/models/ChatModelCallOptions.js';
import { SseReplayServer } from '../../src/testing/node/SseReplayServer.js';
import { tool } from '../../src/tools/StructuredTool.js';
import { TEST_KEY, sseBody, wireChunk } from '../support/replaySupport.js';
import { expectPartialsOnlyGrow, lastPartials, replayToolCalls } from './support/toolCallSupport.js';

const weatherSchema = z.object({
  city: z.string().describe('City name'),
  units: z.enum(['c', 'f']).optional(),
});
const weather = tool(({ city }) => `18°C in ${city}`, { name: 'get_weather', description: 'Weather for a city', schema: weatherSchema });
const strictWeather = tool(({ city }) => `18°C in ${city}`, { name: 'get_weather', description: 'Weather for a city', schema: weatherSchema, strict: true });

/** The JSON Schema of `weatherSchema`, written out by hand: what the server must receive. */
const WEATHER_PARAMETERS = {
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name' },
    units: { type: 'string', enum: ['c', 'f'] },
  },
  required: ['city'],
  additionalProperties: false,
};

const TEXT_ANSWER = sseBody([wireChunk({ role: 'assistant', content: 'ok' }), { ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }]);

const finish = (reason: string) => ({ ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: reason }] });
const callStart = (index: number, id: string, name: string, args = '') => ({ index, id, type: 'function', function: { name, arguments: args } });
const callArgs = (index: number, args: string) => ({ index, function: { arguments: args } });

describe('ChatOpenAI tools', () => {
  describe('bindTools: the request body', () => {
    let server: SseReplayServer;
    let baseURL: string;

    beforeEach(async () => {
      server = new SseReplayServer({ body: TEXT_ANSWER });
      baseURL = await server.start();
    });

    afterEach(async () => {
      await server.close();
    });

    const bodyOf = async (model: ChatOpenAI) => {
      await model.invoke('Weather in Paris?');
      return server.requests[server.requests.length - 1].body as Record<string, unknown>;
    };

    it('sends the tool as a function with its name, description and the zod schema as JSON Schema', async () => {
      const body = await bodyOf(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).bindTools([weather]));
      expect(body.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_PARAMETERS } }]);
      // Neither a choice nor parallel_tool_calls unless asked for; no JSON Schema dialect marker.
      expect(body).not.toHaveProperty('tool_choice');
      expect(body).not.toHaveProperty('parallel_tool_calls');
      expect(JSON.stringify(body.tools)).not.toContain('$schema');
    });

    it('sends strict: true for a strict tool', async () => {
      const body = await bodyOf(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).bindTools([strictWeather]));
      expect(body.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_PARAMETERS, strict: true } }]);
    });

    it.each<[string, ToolChoice, unknown]>([
      ['auto', 'auto', 'auto'],
      ['none', 'none', 'none'],
      ['required', 'required', 'required'],
      ['a named tool', { name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }],
    ])('sends tool_choice %s and parallel_tool_calls, streaming and not', async (_label, toolChoice, wire) => {
      for (const parallelToolCalls of [true, false]) {
        const model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).bindTools([weather], { toolChoice, parallelToolCalls });
        expect(await bodyOf(model)).toEqual(expect.objectContaining({ stream: false, tool_choice: wire, parallel_tool_calls: parallelToolCalls }));
        await new Promise<void>((resolve, reject) => model.stream('Weather?').subscribe({ error: reject, complete: resolve }));
        expect(server.requests[server.requests.length - 1].body).toEqual(expect.objectContaining({
          stream: true, tool_choice: wire, parallel_tool_calls: parallelToolCalls, tools: [expect.objectContaining({ type: 'function' })],
        }));
      }
    });

    it('sends plain definitions beside tools, and leaves the model it was called on unchanged', async () => {
      const plain = { name: 'now', description: 'The time', parameters: { type: 'object', properties: {} } };
      const base = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL });
      const bound = base.bindTools([weather, plain], { toolChoice: 'required' });
      const body = await bodyOf(bound);
      expect((body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual(['get_weather', 'now']);
      expect((body.tools as unknown[])[1]).toEqual({ type: 'function', function: plain });
      const unbound = await bodyOf(base);
      expect(unbound).not.toHaveProperty('tools');
      expect(unbound).not.toHaveProperty('tool_choice');
    });
  });

  describe('tool-call chunks on a project-owned stream', () => {
    // Arguments with escapes, non-ASCII text, nested values and numbers, cut into 300 fragments
    // of 1 to 5 characters (cuts fall inside keys, escapes, numbers and multi-byte characters).
    const ARGS = {
      city: 'São Paulo',
      note: 'Line one\nline "two" \\ tab\there — ' + 'rain later, '.repeat(80),
      days: [1, 2, 3, 10, 200],
      detail: { hourly: true, unit: 'c', threshold: -3.5, tags: ['umbrella', 'coat', null] },
    };
    const ARGS_TEXT = JSON.stringify(ARGS);
    const fragments = cutInto(ARGS_TEXT, 300);
    const SECOND = { query: 'weather São Paulo this week', limit: 3 };
    const secondFragments = cutInto(JSON.stringify(SECOND), 12);

    /** Call 0 in 300 fragments; call 1 interleaved with it, sometimes in the same delta. */
    const OWN = sseBody([
      wireChunk({ role: 'assistant', content: null }),
      wireChunk({ tool_calls: [callStart(0, 'call_weather', 'get_weather')] }),
      ...fragments.map((piece, i) => {
        const other = i % 20 === 10 ? secondFragments[(i - 10) / 20] : undefined;
        const calls = [callArgs(0, piece)];
        if (i === 5) calls.push(callStart(1, 'call_search', 'search'));
        if (other !== undefined) calls.push(callArgs(1, other));
        return wireChunk({ tool_calls: i % 40 === 30 ? calls.reverse() : calls });
      }),
      finish('tool_calls'),
    ]);

    it('cuts the arguments into 300 fragments and interleaves the second call', () => {
      expect(fragments).toHaveLength(300);
      expect(fragments.join('')).toBe(ARGS_TEXT);
      expect(secondFragments.join('')).toBe(JSON.stringify(SECOND));
      expect(OWN.match(/"index":1/g)).toHaveLength(13);
    });

    it.each([
      ['whole', { body: OWN }, false],
      ['97 bytes per write', { body: OWN, chunking: 97 }, false],
      ['one byte per read', { body: OWN }, true],
    ] as const)('ends with the final calls and arguments that only grow (%s)', async (_label, options, bytewise) => {
      const { message, partials, error } = await replayToolCalls(options, { bytewise });
      expect(error).toBeUndefined();
      const expected = [
        { id: 'call_weather', name: 'get_weather', args: ARGS },
        { id: 'call_search', name: 'search', args: SECOND },
      ];
      expect(message.toolCalls).toEqual(expected);
      expect(message.invalidToolCalls).toEqual([]);
      expect(message.finishReason).toBe('tool_calls');
      // One emission per chunk that carries tool-call chunks.
      expect(partials).toHaveLength(301);
      expect(lastPartials(partials)).toEqual(expected.map((call, index) => ({ index, ...call })));
      expectPartialsOnlyGrow(partials);
      // Both calls are visible while call 0 is still streaming, and the long string grows.
      const middle = partials[150];
      expect(middle.map((call) => call.name)).toEqual(['get_weather', 'search']);
      expect(typeof middle[0].args.note).toBe('string');
      expect(ARGS.note.startsWith(middle[0].args.note as string)).toBe(true);
      expect((middle[0].args.note as string).length).toBeLessThan(ARGS.note.length);
    });

    it('arguments that are not valid JSON at the end become invalidToolCalls with the text and the error, never a throw', async () => {
      const body = sseBody([
        wireChunk({ tool_calls: [callStart(0, 'call_ok', 'get_weather', '{"city":'), callStart(1, 'call_bad', 'get_weather', '{"city": Par')] }),
        wireChunk({ tool_calls: [callArgs(0, '"Paris"}'), callArgs(1, 'is}')] }),
        wireChunk({ tool_calls: [callStart(2, 'call_cut', 'get_weather', '{"city": "Ro')] }),
        wireChunk({ tool_calls: [callStart(3, 'call_list', 'get_weather', '["Oslo"]')] }),
        finish('tool_calls'),
      ]);
      const { message, partials, error } = await replayToolCalls({ body, chunking: 5 });
      expect(error).toBeUndefined();
      expect(message.toolCalls).toEqual([{ id: 'call_ok', name: 'get_weather', args: { city: 'Paris' } }]);
      expect(message.invalidToolCalls).toEqual([
        { id: 'call_bad', name: 'get_weather', args: '{"city": Paris}', error: expect.stringMatching(/JSON/) },
        { id: 'call_cut', name: 'get_weather', args: '{"city": "Ro', error: expect.stringMatching(/JSON/) },
        { id: 'call_list', name: 'get_weather', args: '["Oslo"]', error: 'arguments are not a JSON object' },
      ]);
      // The live view flags each of them too, and keeps the arguments it had.
      const last = lastPartials(partials);
      expect(last[0]).toEqual({ index: 0, id: 'call_ok', name: 'get_weather', args: { city: 'Paris' } });
      expect(last[1]).toEqual({ index: 1, id: 'call_bad', name: 'get_weather', args: {}, error: expect.stringMatching(/offset 9/) });
      expect(last[2]).toEqual({ index: 2, id: 'call_cut', name: 'get_weather', args: { city: 'Ro' }, error: expect.stringMatching(/end of JSON/) });
      expect(last[3]).toEqual({ index: 3, id: 'call_list', name: 'get_weather', args: {}, error: expect.stringMatching(/not a JSON object/) });
      expectPartialsOnlyGrow(partials);
    });

    it('a non-streaming answer with invalid arguments becomes invalidToolCalls too', async () => {
      const server = new SseReplayServer({
        json: {
          id: 'chatcmpl-own', object: 'chat.completion', created: 1700000000, model: 'own-model',
          choices: [{
            index: 0, finish_reason: 'tool_calls',
            message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_bad', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Par' } }] },
          }],
        },
      });
      const baseURL = await server.start();
      try {
        const message = await new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, baseURL }).bindTools([weather]).invoke('Weather?');
        expect(message.toolCalls).toEqual([]);
        expect(message.invalidToolCalls).toEqual([{ id: 'call_bad', name: 'get_weather', args: '{"city": "Par', error: expect.stringMatching(/JSON/) }]);
      } finally {
        await server.close();
      }
    });
  });
});

/** `text` cut into `count` pieces of 1 to 5 characters (a fixed, seeded pattern), the rest in the last. */
function cutInto(text: string, count: number): string[] {
  const pieces: string[] = [];
  let seed = 7;
  let at = 0;
  for (let i = 0; i < count - 1; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const size = 1 + (seed % 5);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  pieces.push(text.slice(at));
  if (pieces.some((piece) => piece === '')) throw new Error(`text of ${text.length} characters is too short for ${count} pieces`);
  return pieces;
}
