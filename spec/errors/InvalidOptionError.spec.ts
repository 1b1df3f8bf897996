import { InvalidOptionError, RxllmError } from '../../src/index.js';

describe('InvalidOptionError', () => {
  it('is an RxllmError named after its class, with where, option, expected and given', () => {
    const error = new InvalidOptionError('bufferText', 'maxChars', 'a positive integer or Infinity', 0);
    expect(error).toBeInstanceOf(RxllmError);
    expect(error.name).toBe('InvalidOptionError');
    expect(error).toEqual(expect.objectContaining({ where: 'bufferText', option: 'maxChars', expected: 'a positive integer or Infinity', given: '0' }));
    expect(error.message).toBe('bufferText: maxChars must be a positive integer or Infinity, got 0');
  });

  it.each<[unknown, string]>([
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [undefined, 'undefined'],
    [null, 'null'],
    [true, 'true'],
    ['later', "'later'"],
    [/x+/g, '/x+/g'],
    [[], 'an empty array'],
    [[1, 2], 'an array of 2'],
    [{ a: 1 }, 'an object'],
    [Object.create(null), 'an object'],
    [new Map(), 'a Map'],
    [() => 1, 'a function'],
    [Symbol('s'), 'Symbol(s)'],
  ])('describes the given %p as %s', (value, given) => {
    expect(new InvalidOptionError('f', 'o', 'x', value).given).toBe(given);
  });

  it('cuts a long given text, and masks a key in it', () => {
    expect(new InvalidOptionError('f', 'o', 'x', 'y'.repeat(100)).given).toBe(`'${'y'.repeat(40)}…'`);
    const error = new InvalidOptionError('f', 'mode', "'a' or 'b'", 'sk-abcdefghijklmnop1234');
    expect(error.given).not.toContain('abcdefghijklmnop');
    expect(error.message).not.toContain('abcdefghijklmnop');
  });
});
