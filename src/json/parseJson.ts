import { IncrementalJsonParser, type IncrementalJsonParserOptions } from './IncrementalJsonParser.js';
import type { JsonValue } from './jsonTypes.js';

/**
 * Parses a whole text with the rules of {@link IncrementalJsonParser}: the one-shot form, for
 * `invoke`-style callers that already have the full output.
 *
 * Unlike `JSON.parse`, malformed input raises an `OutputParserError` with the offset and an
 * excerpt, and `{ tolerant: true }` reads the JSON out of prose or a Markdown code fence.
 *
 * @example
 * ```ts
 * import { parseJson } from 'rxllm';
 *
 * parseJson('Here it is:\n```json\n{"ok": true}\n```', { tolerant: true }); // { ok: true }
 * ```
 * @throws OutputParserError when the text is not (or does not contain) one JSON value.
 */
export function parseJson(text: string, options: Omit<IncrementalJsonParserOptions, 'patches'> = {}): JsonValue {
  const parser = new IncrementalJsonParser(options);
  parser.write(text);
  parser.end();
  // end() has thrown unless a complete value was read, so there is one.
  return parser.value as JsonValue;
}
