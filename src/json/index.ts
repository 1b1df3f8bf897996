export { IncrementalJsonParser, type IncrementalJsonParserOptions } from './IncrementalJsonParser.js';
export { parseJson } from './parseJson.js';
export { jsonPatchDiff } from './jsonPatchDiff.js';
export type { JsonObject, JsonPatchOperation, JsonPrimitive, JsonValue } from './jsonTypes.js';
export { stringifyJson } from './stringifyJson.js';
