import { z } from 'zod';
import { isStrictCompatible } from '../../src/structured/isStrictCompatible.js';

describe('isStrictCompatible', () => {
  it('accepts schemas whose objects require every field and allow no others, at any depth', () => {
    expect(isStrictCompatible(z.toJSONSchema(z.object({ a: z.string(), b: z.array(z.object({ c: z.number().nullable() })) })))).toBe(true);
  });

  it('rejects an optional field, at the top or nested', () => {
    expect(isStrictCompatible(z.toJSONSchema(z.object({ a: z.string().optional() })))).toBe(false);
    expect(isStrictCompatible(z.toJSONSchema(z.object({ a: z.array(z.object({ b: z.string().optional() })) })))).toBe(false);
  });

  it('rejects objects that allow extra properties', () => {
    expect(isStrictCompatible({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] })).toBe(false);
    expect(isStrictCompatible(z.toJSONSchema(z.looseObject({ a: z.string() })))).toBe(false);
  });

  it('accepts schemas without objects', () => {
    expect(isStrictCompatible(z.toJSONSchema(z.array(z.string())))).toBe(true);
  });
});
