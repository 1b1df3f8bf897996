import * as typedErrors from '../errors/errors.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { RxllmError } from '../errors/RxllmError.js';
import type { WireError } from './WireError.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every rxllm error class by name: the classes a server's error frame can name. */
const CLASSES: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  ['RxllmError', RxllmError],
  ['InvalidOptionError', InvalidOptionError],
  ...Object.entries(typedErrors as Record<string, unknown>)
    .filter((entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && (entry[1] as ErrorClass).prototype instanceof Error),
]);

/**
 * The error a server's error frame describes, as the same class (`ProviderError`, `StreamGoneError`,
 * …) with the same fields, so `instanceof` and `error.status` work on the client as on the server.
 * A name rxllm does not know becomes an `RxllmError` that keeps the name.
 *
 * @example
 * ```ts
 * import { fromWireError } from 'rxllm/sse';
 * const error = fromWireError({ name: 'RateLimitError', message: 'Slow down', fields: { status: 429, retryAfterMs: 2000 } });
 * error instanceof RateLimitError; // true
 * ```
 */
export function fromWireError(wire: WireError): Error {
  // Built as an RxllmError (masked message, a stack from here), then given the named class: the
  // constructors of the typed errors take different arguments, the prototype is what `instanceof` reads.
  const error = new RxllmError(typeof wire.message === 'string' ? wire.message : String(wire.message));
  const named = CLASSES.get(wire.name);
  if (named && named !== RxllmError) Object.setPrototypeOf(error, named.prototype);
  error.name = typeof wire.name === 'string' && wire.name ? wire.name : 'Error';
  for (const [key, value] of Object.entries(wire.fields ?? {})) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: true });
  }
  return error;
}

/** True for a value shaped like a {@link WireError}. */
export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null
    && typeof (value as WireError).name === 'string' && typeof (value as WireError).message === 'string';
}
