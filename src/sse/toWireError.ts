import { describeError, maskSecrets } from '../errors/maskSecrets.js';
import type { WireError, WireValue } from './WireError.js';

/** Fields an error frame never carries: the text is in `message`, and stacks and causes stay on the server. */
const LEFT_OUT = new Set(['name', 'message', 'stack', 'cause']);

/** How deep nested field values are copied (issues lists, paths); deeper ones are left out. */
const MAX_DEPTH = 4;

/**
 * An error as an error frame writes it: the class name, the message and the error's own data
 * fields, every string masked of key-shaped secrets, never the stack or the cause.
 *
 * What a user may see is decided before, by `maskErrors` (the SSE endpoint's default): it turns
 * the error into a `MaskedError`, whose frame is its `kind`, `retryable` and short message and
 * nothing of the original. Only a stream that is not masked (`sseEndpoint({ maskErrors: false })`,
 * or `toServerSentEvents` without `maskErrors()` before it) sends the original error this way,
 * where a server's text in its message or fields would pass.
 *
 * @example
 * ```ts
 * import { MaskedError, ProviderError } from 'rxllm';
 * import { toWireError } from 'rxllm/sse';
 * toWireError(new MaskedError('provider', false, 'The model provider could not answer the request'));
 * // { name: 'MaskedError', message: 'The model provider could not answer the request', fields: { kind: 'provider', retryable: false } }
 * toWireError(new ProviderError('Bad key sk-abc123456789', { status: 401 }));
 * // { name: 'ProviderError', message: 'Bad key ***', fields: { status: 401 } }
 * ```
 */
export function toWireError(error: unknown): WireError {
  const { name, message } = describeError(error);
  if (typeof error !== 'object' || error === null) return { name, message };
  const fields: Record<string, WireValue> = {};
  for (const [key, value] of Object.entries(error)) {
    if (LEFT_OUT.has(key)) continue;
    const copy = wireValue(value, MAX_DEPTH);
    if (copy !== undefined) fields[key] = copy;
  }
  return Object.keys(fields).length ? { name, message, fields } : { name, message };
}

/** A JSON copy of `value` with strings masked, or `undefined` for what JSON cannot carry (functions, class instances). */
function wireValue(value: unknown, depth: number): WireValue | undefined {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return maskSecrets(value);
  if (depth === 0 || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.map((item) => wireValue(item, depth - 1) ?? null);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const copy: Record<string, WireValue> = {};
  for (const [key, item] of Object.entries(value)) {
    const itemCopy = wireValue(item, depth - 1);
    if (itemCopy !== undefined) copy[key] = itemCopy;
  }
  return copy;
}
