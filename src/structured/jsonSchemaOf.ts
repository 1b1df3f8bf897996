import type { z } from 'zod';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/** What a schema must be, as `InvalidOptionError` states it. */
const EXPECTED = 'a zod schema from zod 4.2 or later (one with .safeParse() and .toJSONSchema())';

/**
 * Fails with an `InvalidOptionError` unless `schema` has the methods rxllm calls on it. rxllm
 * uses the schema's own methods, never the `z` namespace, so that importing rxllm does not load
 * zod; `.toJSONSchema()` exists on every schema from zod 4.2 on (a zod 3, 4.0 or 4.1 schema, or a
 * zod/mini one, lacks it).
 *
 * @param schema the schema given.
 * @param where who took it, for the message (`tool "get_weather"`, `withStructuredOutput`).
 */
export function checkSchema(schema: z.ZodType, where: string): void {
  const methods = schema as Partial<Pick<z.ZodType, 'safeParse' | 'toJSONSchema'>> | null | undefined;
  if (typeof methods?.safeParse !== 'function' || typeof methods.toJSONSchema !== 'function') {
    throw new InvalidOptionError(where, 'schema', EXPECTED, schema);
  }
}

/**
 * The JSON Schema a model is sent for `schema`, without its `$schema` dialect key (providers
 * take the schema body only). Checked as `checkSchema` does.
 *
 * @param schema a zod schema.
 * @param where who took it, for the message of a schema that is not one.
 * @return the JSON Schema, as a plain object.
 */
export function jsonSchemaOf(schema: z.ZodType, where: string): Record<string, unknown> {
  checkSchema(schema, where);
  const { $schema: _dialect, ...jsonSchema } = schema.toJSONSchema() as Record<string, unknown>;
  return jsonSchema;
}
