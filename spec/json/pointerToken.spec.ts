import { pointerToken } from '../../src/json/pointerToken.js';

describe('pointerToken', () => {
  it('writes ~ as ~0 and / as ~1, in that order, and leaves other keys as they are', () => {
    expect(pointerToken('a/b~c')).toBe('a~1b~0c');
    expect(pointerToken('~1')).toBe('~01');
    expect(pointerToken('plain key')).toBe('plain key');
    expect(pointerToken('')).toBe('');
  });

  it('writes an index as its decimal digits', () => {
    expect(pointerToken(12)).toBe('12');
  });
});
