import fc from 'fast-check';
import { stringifyJson } from '../../src/json/stringifyJson.js';

const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

describe('stringifyJson', () => {
  it('writes back what JSON.parse accepts, at any depth', () => {
    const deep = { city: 'Paris', extra: nested(10_000) };
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = stringifyJson(deep)!;
    expect(text).toBe(`{"city":"Paris","extra":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    const objects = JSON.parse('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000));
    expect(stringifyJson(objects)).toBe('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000));
  });

  it('agrees with JSON.stringify on anything JSON can hold, when forced down the deep path', () => {
    const deepen = (value: unknown) => ({ deep: nested(12_000), value });
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const expected = `{"deep":${'['.repeat(12_000)}${']'.repeat(12_000)},"value":${JSON.stringify(value)}}`;
      expect(stringifyJson(deepen(value))).toBe(expected);
    }), { numRuns: 30 });
  });

  it('leaves out what JSON leaves out, calls toJSON, and refuses cycles and BigInt', () => {
    const deep = nested(12_000);
    const when = new Date(0);
    const value = { a: undefined, f: () => 1, list: [undefined, () => 1, when], deep };
    expect(stringifyJson(value)).toBe(`{"list":[null,null,${JSON.stringify(when)}],"deep":${'['.repeat(12_000)}${']'.repeat(12_000)}}`);
    const cyclic: Record<string, unknown> = { deep };
    cyclic.self = cyclic;
    expect(() => stringifyJson(cyclic)).toThrow(TypeError);
    expect(() => stringifyJson({ deep, n: 1n })).toThrow(TypeError);
    expect(stringifyJson(undefined)).toBeUndefined();
    const shared = { n: 1 };
    expect(stringifyJson({ deep, a: shared, b: [shared, shared] })).toBe(`{"deep":${'['.repeat(12_000)}${']'.repeat(12_000)},"a":{"n":1},"b":[{"n":1},{"n":1}]}`);
  });
});
