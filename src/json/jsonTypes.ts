/** A JSON primitive: what `JSON.parse` gives for a string, number or literal. */
export type JsonPrimitive = string | number | boolean | null;

/** A JSON object as `JSON.parse` builds it: a plain object with string keys. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Any value `JSON.parse` can produce. */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;

/**
 * One RFC 6902 JSON Patch operation. Paths are RFC 6901 JSON Pointers (`''` is the whole
 * document, `/items/0/name` a nested member; `~` and `/` in keys are written `~0` and `~1`).
 * rxllm produces only `add`, `replace` and `remove`; a string that grows is a `replace` carrying
 * the whole string so far.
 */
export type JsonPatchOperation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'remove'; path: string };
