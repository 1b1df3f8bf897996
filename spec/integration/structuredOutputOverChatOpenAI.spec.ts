import OpenAI from 'openai';
import { z } from 'zod';
import { OutputParserError } from '../../src/errors/errors.js';
import type { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { SseReplayServer, type SseReplayResponse } from '../../src/testing/node/SseReplayServer.js';
import { describeFixtures, fixturePath } from '../support/fixtures.js';
import { TEST_KEY, bytewiseFetch, sseBody, wireChunk } from '../support/replaySupport.js';

const Recipe = z.object({
  title: z.string(),
  steps: z.array(z.string().min(2)),
  minutes: z.number(),
});

/** Recipe's JSON Schema written out: what the server must receive. */
const RECIPE_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    steps: { type: 'array', items: { type: 'string', minLength: 2 } },
    minutes: { type: 'number' },
  },
  required: ['title', 'steps', 'minutes'],
  additionalProperties: false,
};

const finish = (reason: string) => ({ ...wireChunk({}), choices: [{ index: 0, delta: {}, finish_reason: reason }] });
const usageChunk = {
  id: 'chatcmpl-own', object: 'chat.completion.chunk', created: 1700000000, model: 'own-model', choices: [],
  usage: { prompt_tokens: 30, completion_tokens: 20, total_tokens: 50 },
};

/** A JSON answer streamed as text, in the pieces given. */
function jsonAnswer(pieces: readonly string[]): SseReplayResponse {
  return { body: sseBody([wireChunk({ role: 'assistant', content: '' }), ...pieces.map((content) => wireChunk({ content })), finish('stop'), usageChunk]), chunking: 17 };
}

/** A JSON answer streamed as the arguments of one call of `name`. */
function toolCallAnswer(name: string, pieces: readonly string[]): SseReplayResponse {
  return {
    body: sseBody([
      wireChunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_s1', type: 'function', function: { name, arguments: '' } }] }),
      ...pieces.map((args) => wireChunk({ tool_calls: [{ index: 0, function: { arguments: args } }] })),
      finish('stop'),
      usageChunk,
    ]),
    chunking: 17,
  };
}

const PANCAKES = ['{"title": "Pan', 'cakes", "steps": ["mix"', ', "fry"], "minutes": 2', '0}'];
const PANCAKES_PARTIALS = [
  { title: 'Pan' },
  { title: 'Pancakes', steps: ['mix'] },
  { title: 'Pancakes', steps: ['mix', 'fry'] },
  { title: 'Pancakes', steps: ['mix', 'fry'], minutes: 20 },
];
const PANCAKES_VALUE = { title: 'Pancakes', steps: ['mix', 'fry'], minutes: 20 };

describe('withStructuredOutput on ChatOpenAI', () => {
  let server: SseReplayServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A model answering from `responses`; `bytewise` hands the body on one byte per read. */
  async function modelFor(responses: SseReplayResponse[], { bytewise = false } = {}): Promise<ChatOpenAI> {
    server = new SseReplayServer({ responses });
    const client = new OpenAI({ apiKey: TEST_KEY, baseURL: await server.start(), maxRetries: 0, ...(bytewise && { fetch: bytewiseFetch }) });
    return new ChatOpenAI({ model: 'gpt-test', client });
  }

  const lastBody = () => server!.requests[server!.requests.length - 1].body as Record<string, unknown>;

  describe("method 'jsonSchema' (default)", () => {
    it('sends response_format json_schema with name, schema and strict, and streams partial objects then the validated value', async () => {
      const model = await modelFor([jsonAnswer(PANCAKES)]);
      const { values, error } = await collect(model.withStructuredOutput(Recipe, { name: 'recipe' }).stream('A pancake recipe'));
      expect(error).toBeUndefined();
      expect(values).toEqual([...PANCAKES_PARTIALS, PANCAKES_VALUE]);
      const body = lastBody();
      expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'recipe', schema: RECIPE_SCHEMA, strict: true } });
      expect(body).toEqual(expect.objectContaining({ stream: true, messages: [{ role: 'user', content: 'A pancake recipe' }] }));
      expect(body).not.toHaveProperty('tools');
      expect(body).not.toHaveProperty('tool_choice');
    });

    it("names the schema 'output' by default and sends the description", async () => {
      const model = await modelFor([jsonAnswer(PANCAKES)]);
      await collect(model.withStructuredOutput(Recipe, { description: 'A recipe' }).stream('Pancakes'));
      expect(lastBody().response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema: RECIPE_SCHEMA, strict: true, description: 'A recipe' } });
    });

    it('invoke sends one non-streaming request with the same response_format and resolves to the validated value', async () => {
      const model = await modelFor([{
        json: {
          id: 'chatcmpl-whole', object: 'chat.completion', created: 1700000000, model: 'own-model',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: PANCAKES.join('') } }],
        },
      }]);
      expect(await model.withStructuredOutput(Recipe, { name: 'recipe' }).invoke('Pancakes')).toEqual(PANCAKES_VALUE);
      expect(lastBody()).toEqual(expect.objectContaining({
        stream: false, response_format: { type: 'json_schema', json_schema: { name: 'recipe', schema: RECIPE_SCHEMA, strict: true } },
      }));
    });

    it('reads the JSON when every byte of the body arrives on its own', async () => {
      const model = await modelFor([jsonAnswer(PANCAKES)], { bytewise: true });
      const { values, error } = await collect(model.withStructuredOutput(Recipe).stream('Pancakes'));
      expect(error).toBeUndefined();
      expect(values).toEqual([...PANCAKES_PARTIALS, PANCAKES_VALUE]);
    });

    it('with includeRaw, ends with the raw message: usage and finish reason', async () => {
      const model = await modelFor([jsonAnswer(PANCAKES)]);
      const { values } = await collect(model.withStructuredOutput(Recipe, { includeRaw: true }).stream('Pancakes'));
      const last = values[values.length - 1] as { parsed: unknown; raw: AIMessageChunk };
      expect(last.parsed).toEqual(PANCAKES_VALUE);
      expect(last.raw.content).toBe(PANCAKES.join(''));
      expect(last.raw.usage).toEqual({ inputTokens: 30, outputTokens: 20, totalTokens: 50 });
      expect(last.raw.finishReason).toBe('stop');
    });

    it('a value that breaks the schema is an OutputParserError naming the path, after the partial values', async () => {
      const model = await modelFor([jsonAnswer(['{"title": "Tea", "steps": ["boil", "x"', '], "minutes": 3}'])]);
      const { values, error } = await collect(model.withStructuredOutput(Recipe).stream('Tea'));
      expect(values).toEqual([{ title: 'Tea', steps: ['boil', 'x'] }, { title: 'Tea', steps: ['boil', 'x'], minutes: 3 }]);
      expect(error).toBeInstanceOf(OutputParserError);
      expect((error as OutputParserError).path).toEqual(['steps', 1]);
      expect((error as Error).message).toMatch(/^Structured output does not match the schema at "steps\.1": /);
    });

    it('a missing field is an OutputParserError naming it', async () => {
      const model = await modelFor([jsonAnswer(['{"title": "Tea", "steps": []}'])]);
      const error = await model.withStructuredOutput(Recipe).invoke('Tea').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutputParserError);
      expect((error as OutputParserError).path).toEqual(['minutes']);
    });

    it('an answer without JSON, or cut off inside it, is an OutputParserError', async () => {
      const model = await modelFor([jsonAnswer(['Sorry, I cannot help with that.']), jsonAnswer(['{"title": "Te'])]);
      const structured = model.withStructuredOutput(Recipe);
      const noJson = await collect(structured.stream('Tea'));
      expect(noJson.values).toEqual([]);
      expect(noJson.error).toBeInstanceOf(OutputParserError);
      const cut = await collect(structured.stream('Tea'));
      expect(cut.values).toEqual([{ title: 'Te' }]);
      expect(cut.error).toBeInstanceOf(OutputParserError);
      expect((cut.error as Error).message).toMatch(/end of JSON/);
    });

    describeFixtures('on a recorded refusal (OpenAI, delta.refusal and no content)', () => {
      it('is an OutputParserError that gives the refusal text', async () => {
        const model = await modelFor([{ file: fixturePath('openai/chat-refusal.sse') }]);
        const { values, error } = await collect(model.withStructuredOutput(Recipe).stream('Something forbidden'));
        expect(values).toEqual([]);
        expect(error).toBeInstanceOf(OutputParserError);
        expect((error as Error).message).toBe("The model refused to answer: I'm sorry, I can't assist with that request.");
        expect((error as OutputParserError).text).toBe("I'm sorry, I can't assist with that request.");
      });
    });
  });

  describe("method 'toolCalling'", () => {
    it('sends the schema as one forced tool and parses the streamed arguments', async () => {
      const model = await modelFor([toolCallAnswer('recipe', PANCAKES)]);
      const { values, error } = await collect(model.withStructuredOutput(Recipe, { method: 'toolCalling', name: 'recipe' }).stream('Pancakes'));
      expect(error).toBeUndefined();
      expect(values).toEqual([...PANCAKES_PARTIALS, PANCAKES_VALUE]);
      const body = lastBody();
      expect(body.tools).toEqual([{ type: 'function', function: { name: 'recipe', description: 'Answer with this structure', parameters: RECIPE_SCHEMA } }]);
      expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'recipe' } });
      expect(body).not.toHaveProperty('response_format');
    });

    it('invoke resolves to the validated arguments of a whole answer', async () => {
      const model = await modelFor([{
        json: {
          id: 'chatcmpl-whole', object: 'chat.completion', created: 1700000000, model: 'own-model',
          choices: [{
            index: 0, finish_reason: 'stop',
            message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_s1', type: 'function', function: { name: 'recipe', arguments: PANCAKES.join('') } }] },
          }],
        },
      }]);
      expect(await model.withStructuredOutput(Recipe, { method: 'toolCalling', name: 'recipe', description: 'A recipe' }).invoke('Pancakes')).toEqual(PANCAKES_VALUE);
      expect(lastBody()).toEqual(expect.objectContaining({
        stream: false,
        tools: [{ type: 'function', function: { name: 'recipe', description: 'A recipe', parameters: RECIPE_SCHEMA } }],
        tool_choice: { type: 'function', function: { name: 'recipe' } },
      }));
    });

    it('reads the first call only when the server sends the forced tool twice, interleaved', async () => {
      const call = (index: number, id: string, args: string) => ({ index, id, type: 'function', function: { name: 'recipe', arguments: args } });
      const more = (index: number, args: string) => ({ index, function: { arguments: args } });
      const model = await modelFor([{
        body: sseBody([
          wireChunk({ role: 'assistant', content: null, tool_calls: [call(0, 'call_a', '{"title": "Pan'), call(1, 'call_b', '{"title": "Wa')] }),
          wireChunk({ tool_calls: [more(1, 'ffles", "steps": ["heat"], "minutes": 9}'), more(0, 'cakes", "steps": ["mix", "fry"]')] }),
          wireChunk({ tool_calls: [more(0, ', "minutes": 20}')] }),
          finish('tool_calls'),
        ]),
      }]);
      const { values, error } = await collect(model.withStructuredOutput(Recipe, { method: 'toolCalling', name: 'recipe' }).stream('Pancakes'));
      expect(error).toBeUndefined();
      expect(values).toEqual([
        { title: 'Pan' },
        { title: 'Pancakes', steps: ['mix', 'fry'] },
        { title: 'Pancakes', steps: ['mix', 'fry'], minutes: 20 },
        PANCAKES_VALUE,
      ]);
    });

    it('arguments that break the schema are an OutputParserError naming the path', async () => {
      const model = await modelFor([toolCallAnswer('recipe', ['{"title": "Tea", "steps": ["boil"], ', '"minutes": "three"}'])]);
      const { values, error } = await collect(model.withStructuredOutput(Recipe, { method: 'toolCalling', name: 'recipe' }).stream('Tea'));
      expect(values).toEqual([{ title: 'Tea', steps: ['boil'] }, { title: 'Tea', steps: ['boil'], minutes: 'three' }]);
      expect(error).toBeInstanceOf(OutputParserError);
      expect((error as OutputParserError).path).toEqual(['minutes']);
      expect((error as Error).message).toMatch(/"minutes"/);
    });
  });
});

/** Every value of `stream$`, then its error if it failed. */
function collect<T>(stream$: { subscribe(observer: { next(value: T): void; error(error: unknown): void; complete(): void }): unknown }): Promise<{ values: T[]; error?: unknown }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    stream$.subscribe({ next: (value) => values.push(value), error: (error) => resolve({ values, error }), complete: () => resolve({ values }) });
  });
}
