/**
 * Whether a JSON Schema can be sent with `strict: true` to OpenAI's structured outputs: every
 * object lists all its properties as required and allows no others. zod leaves `.optional()`
 * fields out of `required`, which strict mode rejects (`.nullable()` fields are fine).
 */
export function isStrictCompatible(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(isStrictCompatible);
  if (typeof schema !== 'object' || schema === null) return true;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' || node.properties !== undefined) {
    const properties = Object.keys((node.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    if (node.additionalProperties !== false || properties.some((key) => !required.has(key))) return false;
  }
  return Object.values(node).every(isStrictCompatible);
}
