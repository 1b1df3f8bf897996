import { RxllmError } from '../errors/RxllmError.js';

/**
 * A count such as `concurrency` or `maxChars`: a positive integer, or `Infinity` for "no limit".
 * Checked when the operator is created, so a wrong option fails at the call that passed it.
 */
export function positiveCount(where: string, option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity || (Number.isInteger(value) && value >= 1)) return value;
  throw new RxllmError(`${where}: ${option} must be a positive integer or Infinity, got ${String(value)}`);
}

/** A duration in milliseconds: a finite number ≥ 0, or `Infinity` where `allowInfinity` says so. */
export function durationMs(where: string, option: string, value: number | undefined, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if ((Number.isFinite(value) && value >= 0) || (allowInfinity && value === Infinity)) return value;
  throw new RxllmError(`${where}: ${option} must be a number of milliseconds ≥ 0${allowInfinity ? ' or Infinity' : ''}, got ${String(value)}`);
}
