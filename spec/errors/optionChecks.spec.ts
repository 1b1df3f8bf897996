import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { durationMs, fraction, nonNegativeInteger, numberAtLeast, oneOf, positiveCount } from '../../src/errors/optionChecks.js';

/** The error a check throws, for its fields. */
function failure(check: () => unknown): InvalidOptionError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return error as InvalidOptionError;
  }
  throw new Error('the check accepted the value');
}

describe('option checks', () => {
  describe('durationMs', () => {
    it('takes a finite number ≥ 0, and the default when left out', () => {
      expect(durationMs('f', 'delayMs', 0, 5)).toBe(0);
      expect(durationMs('f', 'delayMs', 12.5, 5)).toBe(12.5);
      expect(durationMs('f', 'delayMs', undefined, 5)).toBe(5);
    });

    it.each([-1, Number.NaN, Infinity])('refuses %p', (value) => {
      expect(failure(() => durationMs('f', 'delayMs', value, 0)).message).toBe(`f: delayMs must be a number of milliseconds ≥ 0, got ${value}`);
    });

    it('takes Infinity with infinity: true', () => {
      expect(durationMs('f', 'maxWaitMs', Infinity, 0, { infinity: true })).toBe(Infinity);
      expect(failure(() => durationMs('f', 'maxWaitMs', -1, 0, { infinity: true })).expected).toBe('a number of milliseconds ≥ 0 or Infinity');
    });

    it('refuses 0 with zero: false', () => {
      expect(durationMs('f', 'idleMs', 1, Infinity, { zero: false, infinity: true })).toBe(1);
      expect(failure(() => durationMs('f', 'idleMs', 0, Infinity, { zero: false, infinity: true })).message)
        .toBe('f: idleMs must be a number of milliseconds above 0 or Infinity, got 0');
    });
  });

  describe('positiveCount', () => {
    it('takes a positive integer or Infinity, and the default when left out', () => {
      expect(positiveCount('f', 'concurrency', 1, 3)).toBe(1);
      expect(positiveCount('f', 'concurrency', Infinity, 3)).toBe(Infinity);
      expect(positiveCount('f', 'concurrency', undefined, 3)).toBe(3);
    });

    it.each([0, -1, 1.5, Number.NaN, -Infinity])('refuses %p', (value) => {
      expect(failure(() => positiveCount('f', 'concurrency', value, 1)).message).toBe(`f: concurrency must be a positive integer or Infinity, got ${value}`);
    });

    it('refuses Infinity with infinity: false', () => {
      expect(failure(() => positiveCount('f', 'maxSteps', Infinity, 10, { infinity: false })).message).toBe('f: maxSteps must be a positive integer, got Infinity');
    });
  });

  describe('nonNegativeInteger', () => {
    it('takes 0 and whole numbers, and the default when left out', () => {
      expect(nonNegativeInteger('f', 'maxRetries', 0, 2)).toBe(0);
      expect(nonNegativeInteger('f', 'maxRetries', 7, 2)).toBe(7);
      expect(nonNegativeInteger('f', 'maxRetries', undefined, 2)).toBe(2);
    });

    it.each([-1, 0.5, Number.NaN, Infinity])('refuses %p', (value) => {
      expect(failure(() => nonNegativeInteger('f', 'maxRetries', value, 2)).message).toBe(`f: maxRetries must be an integer ≥ 0, got ${value}`);
    });
  });

  describe('fraction', () => {
    it('takes 0 to 1 inclusive, and the default when left out', () => {
      for (const value of [0, 0.25, 1]) expect(fraction('f', 'jitter', value, 0.5)).toBe(value);
      expect(fraction('f', 'jitter', undefined, 0.5)).toBe(0.5);
    });

    it.each([-0.1, 1.01, Number.NaN])('refuses %p', (value) => {
      expect(failure(() => fraction('f', 'jitter', value, 0)).message).toBe(`f: jitter must be a number between 0 and 1, got ${value}`);
    });
  });

  describe('numberAtLeast', () => {
    it('takes a finite number from min on, and the default when left out', () => {
      expect(numberAtLeast('f', 'factor', 1, 2, 1)).toBe(1);
      expect(numberAtLeast('f', 'factor', undefined, 2, 1)).toBe(2);
      expect(failure(() => numberAtLeast('f', 'factor', 0.5, 2, 1)).message).toBe('f: factor must be a number ≥ 1, got 0.5');
      expect(failure(() => numberAtLeast('f', 'factor', Infinity, 2, 1)).message).toBe('f: factor must be a number ≥ 1, got Infinity');
    });

    it('excludes min with exclusive: true, and takes Infinity with infinity: true', () => {
      const rate = (value: number) => numberAtLeast('f', 'requestsPerMinute', value, Infinity, 0, { exclusive: true, infinity: true });
      expect(rate(0.5)).toBe(0.5);
      expect(rate(Infinity)).toBe(Infinity);
      expect(failure(() => rate(0)).message).toBe('f: requestsPerMinute must be a number above 0 or Infinity, got 0');
      expect(failure(() => rate(Number.NaN)).given).toBe('NaN');
    });
  });

  describe('oneOf', () => {
    const policies = ['error', 'restart', 'continue'] as const;

    it('takes one of the words, and the default when left out', () => {
      expect(oneOf('f', 'afterFirstChunk', 'restart', 'error', policies)).toBe('restart');
      expect(oneOf('f', 'afterFirstChunk', undefined, 'error', policies)).toBe('error');
    });

    it('refuses anything else, listing the words', () => {
      const error = failure(() => oneOf('f', 'afterFirstChunk', 'later' as never, 'error', policies));
      expect(error.message).toBe("f: afterFirstChunk must be 'error', 'restart' or 'continue', got 'later'");
      expect(failure(() => oneOf('f', 'afterFirstChunk', 3 as never, 'error', policies)).given).toBe('3');
      expect(failure(() => oneOf('f', 'mode', 'zip' as never, 'a', ['a', 'b'])).expected).toBe("'a' or 'b'");
    });
  });
});
