import { z } from 'zod';
import { InvalidOptionError, OutputParserError, assign, lambda, parallel, type StreamEvent } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';
import { createTestScheduler } from '../support/marbles.js';

const Recipe = z.object({ title: z.string(), steps: z.array(z.string()), minutes: z.number().int() });

function collect<T>(run$: { subscribe(o: object): unknown }): Promise<{ values: T[]; error?: unknown }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    run$.subscribe({ next: (v: T) => values.push(v), error: (error: unknown) => resolve({ values, error }), complete: () => resolve({ values }) });
  });
}

describe('withStructuredOutput', () => {
  it('takes only a schema with the methods of zod 4.2 and later', () => {
    const model = new ScriptedChatModel({ responses: [['{}']] });
    const schema = { safeParse: Recipe.safeParse } as unknown as typeof Recipe;
    expect(() => model.withStructuredOutput(schema)).toThrow(InvalidOptionError);
    expect(() => model.withStructuredOutput(schema)).toThrow(/^withStructuredOutput: schema must be a zod schema from zod 4\.2 or later/);
  });

  it('sends the JSON Schema as response_format and streams partial objects, then the validated one', async () => {
    const model = new ScriptedChatModel({ responses: [['{"title": "Pan', 'cakes", "steps": ["mix", "fry"', '], "minutes": 20}']] });
    const recipe = model.withStructuredOutput(Recipe, { name: 'recipe' });
    const { values } = await collect(recipe.stream('Pancakes'));
    expect(values).toEqual([
      { title: 'Pan' },
      { title: 'Pancakes', steps: ['mix', 'fry'] },
      { title: 'Pancakes', steps: ['mix', 'fry'], minutes: 20 },
      { title: 'Pancakes', steps: ['mix', 'fry'], minutes: 20 },
    ]);
    const format = model.calls[0].options.responseFormat;
    expect(format).toMatchObject({ type: 'json_schema', name: 'recipe', strict: true });
    expect((format as { schema: Record<string, unknown> }).schema).toMatchObject({ type: 'object', required: ['title', 'steps', 'minutes'] });
    expect(await recipe.invoke('Pancakes')).toEqual({ title: 'Pancakes', steps: ['mix', 'fry'], minutes: 20 });
  });

  it('uses a forced tool call with method toolCalling', async () => {
    const model = new ScriptedChatModel({
      responses: [[
        { toolCallChunks: [{ index: 0, id: 'c1', name: 'recipe', args: '{"title":"Tea","steps":' }] },
        { toolCallChunks: [{ index: 0, args: '["boil"],"minutes":3}' }] },
      ]],
    });
    const recipe = model.withStructuredOutput(Recipe, { method: 'toolCalling', name: 'recipe' });
    expect(await recipe.invoke('Tea')).toEqual({ title: 'Tea', steps: ['boil'], minutes: 3 });
    expect(model.calls[0].options.toolChoice).toEqual({ name: 'recipe' });
    expect(model.calls[0].options.tools?.[0].name).toBe('recipe');
  });

  it('streams the first call as the concatenation merges it, also when a later call shares its index', async () => {
    // The first call has no id; a second call's id comes back at index 0. By the merge rules that
    // fragment continues the second call, so the first call's text stays valid JSON.
    const model = new ScriptedChatModel({
      responses: [[
        { toolCallChunks: [{ index: 0, name: 'recipe', args: '{"title":"Tea",' }] },
        { toolCallChunks: [{ index: 1, id: 'c2', name: 'recipe', args: '{"title":' }] },
        { toolCallChunks: [{ index: 0, id: 'c2', args: '"Coffee"}' }] },
        { toolCallChunks: [{ index: 0, args: '"steps":["boil"],"minutes":3}' }] },
      ]],
    });
    const recipe = model.withStructuredOutput(Recipe, { method: 'toolCalling', name: 'recipe', includeRaw: true });
    const { values, error } = await collect<{ parsed: unknown; raw?: { toolCallChunks: Array<{ args?: string }> } }>(recipe.stream('Tea'));
    expect(error).toBeUndefined();
    expect(values.map((v) => v.parsed)).toEqual([
      { title: 'Tea' },
      { title: 'Tea', steps: ['boil'], minutes: 3 },
      { title: 'Tea', steps: ['boil'], minutes: 3 },
    ]);
    expect(values[values.length - 1].raw?.toolCallChunks.map((c) => c.args)).toEqual(['{"title":"Tea","steps":["boil"],"minutes":3}', '{"title":"Coffee"}']);
  });

  it('names the failing path when the value breaks the schema', async () => {
    const model = new ScriptedChatModel({ responses: ['{"title": "X", "steps": ["a", 2], "minutes": 1.5}'] });
    const failure = await model.withStructuredOutput(Recipe).invoke('q').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutputParserError);
    expect((failure as OutputParserError).path).toEqual(['steps', 1]);
    expect((failure as OutputParserError).message).toMatch(/^Structured output does not match the schema at "steps\.1": /);
  });

  it('fails with a typed error when the answer has no JSON', async () => {
    const failure = await new ScriptedChatModel({ responses: ['I cannot do that.'] }).withStructuredOutput(Recipe).invoke('q').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutputParserError);
  });

  it('includes the raw message with the final value when asked', async () => {
    const model = new ScriptedChatModel({ responses: [['{"title":"T","steps":[],', '"minutes":1}']], usage: true });
    const { values } = await collect<{ parsed: unknown; raw?: { content: string; usage?: unknown } }>(model.withStructuredOutput(Recipe, { includeRaw: true }).stream('q'));
    const last = values[values.length - 1];
    expect(last.parsed).toEqual({ title: 'T', steps: [], minutes: 1 });
    expect(last.raw?.content).toBe('{"title":"T","steps":[],"minutes":1}');
    expect(last.raw?.usage).toBeDefined();
    expect(values.slice(0, -1).every((v) => v.raw === undefined)).toBe(true);
  });

  it('hands the next step the validated value, not a merge of the partial ones', async () => {
    const model = new ScriptedChatModel({ responses: [['{"title": "Pan', 'cakes", "steps": [], "minutes": 5}']] });
    const seen: unknown[] = [];
    await model.withStructuredOutput(Recipe).pipe(lambda((recipe: unknown) => void seen.push(recipe))).invoke('q');
    expect(seen).toEqual([{ title: 'Pancakes', steps: [], minutes: 5 }]);
    const both = await parallel({ recipe: model.withStructuredOutput(Recipe), other: lambda(() => 1) }).invoke('q');
    expect(both).toEqual({ recipe: { title: 'Pancakes', steps: [], minutes: 5 }, other: 1 });
    const assigned = await assign({ recipe: lambda((x: { q: string }) => x.q).pipe(model.withStructuredOutput(Recipe)) }).invoke({ q: 'pancakes' });
    expect(assigned).toEqual({ q: 'pancakes', recipe: { title: 'Pancakes', steps: [], minutes: 5 } });
  });

  it('streams in virtual time and nests the model run under it', () => {
    const scheduler = createTestScheduler();
    const seen: Array<[number, string]> = [];
    scheduler.run(() => {
      const model = ScriptedChatModel.fromMarbles('-a--b|', { a: '{"title":"A",', b: '"steps":[],"minutes":2}' });
      model.withStructuredOutput(Recipe).streamEvents('q').subscribe((e: StreamEvent) => seen.push([scheduler.now(), `${e.event}:${e.parent_ids.length}`]));
    });
    expect(seen).toEqual([
      [0, 'on_chain_start:0'], [0, 'on_chat_model_start:1'],
      [1, 'on_chat_model_stream:1'], [1, 'on_chain_stream:0'],
      [4, 'on_chat_model_stream:1'], [4, 'on_chain_stream:0'],
      [5, 'on_chat_model_end:1'], [5, 'on_chain_stream:0'], [5, 'on_chain_end:0'],
    ]);
  });
});

describe('withStructuredOutput strict mode', () => {
  it('sends strict only when the schema allows it, unless told', async () => {
    const strictOf = async (schema: z.ZodType, options: { strict?: boolean } = {}) => {
      const model = new ScriptedChatModel({ responses: ['{"a": "x"}'] });
      await model.withStructuredOutput(schema, options).invoke('q');
      return (model.calls[0].options.responseFormat as { strict?: boolean }).strict;
    };
    expect(await strictOf(z.object({ a: z.string() }))).toBe(true);
    expect(await strictOf(z.object({ a: z.string(), b: z.string().optional() }))).toBe(false);
    expect(await strictOf(z.object({ a: z.string() }), { strict: false })).toBe(false);
  });
});
