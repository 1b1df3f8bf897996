import { z } from 'zod';
import * as zm from 'zod/mini';
import { z as z3 } from 'zod/v3';
import { InvalidOptionError } from '../../src/index.js';
import { checkSchema, jsonSchemaOf } from '../../src/structured/jsonSchemaOf.js';

const Recipe = z.object({
  title: z.string().describe('The dish'),
  steps: z.array(z.string()),
  minutes: z.number().int().nullable(),
  tags: z.array(z.enum(['quick', 'vegan'])).optional(),
});

describe('jsonSchemaOf', () => {
  it('gives what z.toJSONSchema gives, without the $schema dialect', () => {
    const { $schema: dialect, ...expected } = z.toJSONSchema(Recipe) as Record<string, unknown>;
    expect(dialect).toEqual(expect.any(String));
    expect(jsonSchemaOf(Recipe, 'here')).toEqual(expected);
    expect(jsonSchemaOf(Recipe, 'here')).not.toHaveProperty('$schema');
  });

  it('keeps shared and recursive parts as z.toJSONSchema does', () => {
    const Node: z.ZodType<{ name: string; children: unknown[] }> = z.object({ name: z.string(), get children() { return z.array(Node); } });
    const { $schema: _dialect, ...expected } = z.toJSONSchema(Node) as Record<string, unknown>;
    expect(jsonSchemaOf(Node, 'here')).toEqual(expected);
  });

  it('rejects a schema without .toJSONSchema() (zod 3, zod/mini) with an InvalidOptionError', () => {
    for (const schema of [z3.object({ a: z3.string() }), zm.object({ a: zm.string() })]) {
      const error = captured(() => jsonSchemaOf(schema as never, 'tool "lookup"'));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ where: 'tool "lookup"', option: 'schema' });
      expect((error as Error).message).toMatch(/^tool "lookup": schema must be a zod schema from zod 4\.2 or later .*, got a Zod(Mini)?Object$/);
    }
  });

  it('rejects what is not a schema at all', () => {
    for (const value of [undefined, null, {}, { safeParse: () => ({ success: true }) }]) {
      expect(() => checkSchema(value as never, 'withStructuredOutput')).toThrow(InvalidOptionError);
    }
    expect(() => checkSchema(Recipe, 'withStructuredOutput')).not.toThrow();
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
