import { maskSecrets } from './maskSecrets.js';
import { RxllmError } from './RxllmError.js';

/**
 * An option had a value it does not accept. Raised where the option is given (the operator, the
 * runnable or the model being created, or the call that passed it), so a mistake fails at its own
 * line rather than somewhere in a running stream.
 *
 * @example
 * ```ts
 * import { InvalidOptionError, bufferText } from 'rxllm';
 * try { bufferText({ maxChars: 0 }); } catch (error) {
 *   if (error instanceof InvalidOptionError) console.error(error.option, error.expected); // 'maxChars', 'a positive integer or Infinity'
 * }
 * ```
 */
export class InvalidOptionError extends RxllmError {
  /** What the value that was given looks like: `0`, `NaN`, `'later'`, `an object`. */
  readonly given: string;

  /**
   * @param where the function, class or method that took the option (`bufferText`, `RateLimiter`).
   * @param option the option's name, dotted when nested (`backoff.jitter`).
   * @param expected what the option accepts, as a phrase (`a number between 0 and 1`).
   * @param value the value that was given.
   */
  constructor(readonly where: string, readonly option: string, readonly expected: string, value: unknown) {
    const given = maskSecrets(describeGiven(value));
    super(`${where}: ${option} must be ${expected}, got ${given}`);
    this.given = given;
  }
}

/** Longest given text quoted in full; longer ones are cut, since they only have to be recognised. */
const MAX_QUOTED = 40;

function describeGiven(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
    return `'${shown}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined || value === null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (value instanceof RegExp) return String(value);
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}
