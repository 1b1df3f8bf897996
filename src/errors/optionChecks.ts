// The checks every option of rxllm goes through. Each returns the value (or the default when the
// option was left out) and otherwise throws an InvalidOptionError that names where, which option,
// what it accepts and what it got. They run where the option is given, never mid-stream.

import { InvalidOptionError } from './InvalidOptionError.js';

/** Whether `Infinity` ("no limit") is accepted besides the finite values. */
interface InfinityAllowed {
  infinity?: boolean;
}

/**
 * A duration in milliseconds: a finite number ≥ 0 (above 0 with `zero: false`), or `Infinity`
 * with `infinity: true`.
 */
export function durationMs(where: string, option: string, value: number | undefined, fallback: number, range: InfinityAllowed & { zero?: boolean } = {}): number {
  if (value === undefined) return fallback;
  const zero = range.zero ?? true;
  if ((Number.isFinite(value) && (zero ? value >= 0 : value > 0)) || (range.infinity && value === Infinity)) return value;
  throw new InvalidOptionError(where, option, `a number of milliseconds ${zero ? '≥ 0' : 'above 0'}${orInfinity(range)}`, value);
}

/** A count such as `concurrency` or `maxChars`: a positive integer, or `Infinity` for "no limit" unless `infinity: false`. */
export function positiveCount(where: string, option: string, value: number | undefined, fallback: number, range: InfinityAllowed = {}): number {
  if (value === undefined) return fallback;
  const infinity = range.infinity ?? true;
  if ((Number.isInteger(value) && value >= 1) || (infinity && value === Infinity)) return value;
  throw new InvalidOptionError(where, option, `a positive integer${orInfinity({ infinity })}`, value);
}

/** A whole number ≥ 0, such as a number of retries. */
export function nonNegativeInteger(where: string, option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value >= 0) return value;
  throw new InvalidOptionError(where, option, 'an integer ≥ 0', value);
}

/** A share, from 0 to 1 inclusive. */
export function fraction(where: string, option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value >= 0 && value <= 1) return value;
  throw new InvalidOptionError(where, option, 'a number between 0 and 1', value);
}

/**
 * A number that is at least `min` (above it with `exclusive: true`), finite or, with
 * `infinity: true`, `Infinity`: a factor, a rate, an amount of tokens.
 */
export function numberAtLeast(where: string, option: string, value: number | undefined, fallback: number, min: number, range: InfinityAllowed & { exclusive?: boolean } = {}): number {
  if (value === undefined) return fallback;
  if ((Number.isFinite(value) && (range.exclusive ? value > min : value >= min)) || (range.infinity && value === Infinity)) return value;
  throw new InvalidOptionError(where, option, `a number ${range.exclusive ? `above ${min}` : `≥ ${min}`}${orInfinity(range)}`, value);
}

/** One of a fixed set of policy words, such as `afterFirstChunk` or `mode`. */
export function oneOf<T extends string>(where: string, option: string, value: T | undefined, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (allowed.includes(value)) return value;
  throw new InvalidOptionError(where, option, listOf(allowed.map((word) => `'${word}'`)), value);
}

/** `'a', 'b' or 'c'`: the allowed values as a phrase. */
function listOf(phrases: readonly string[]): string {
  return phrases.length < 2 ? phrases.join('') : `${phrases.slice(0, -1).join(', ')} or ${phrases[phrases.length - 1]}`;
}

function orInfinity(range: InfinityAllowed): string {
  return range.infinity ? ' or Infinity' : '';
}
