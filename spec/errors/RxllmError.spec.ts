import { inspect } from 'node:util';
import { ProviderError, RxllmError } from '../../src/index.js';

const key = 'sk-proj-Zz9yX8wV7uT6sR5qP4oN3mL2kJ1i';

describe('RxllmError', () => {
  it('is an Error named after its class', () => {
    const error = new RxllmError('something failed');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RxllmError');
    expect(error.message).toBe('something failed');
    expect(String(error)).toBe('RxllmError: something failed');
  });

  it('starts its stack with the class name and message', () => {
    class CustomError extends RxllmError {}
    expect(new CustomError('why').stack!.split('\n')[0]).toBe('CustomError: why');
  });

  it('never exposes a key given in its message: message, String, stack, inspect', () => {
    const error = new RxllmError(`401 Incorrect API key provided: ${key}`);
    expect(error.message).toBe('401 Incorrect API key provided: ***');
    expect(String(error)).not.toContain(key);
    expect(error.stack).not.toContain(key);
    expect(inspect(error)).not.toContain(key);
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(key);
  });

  it('keeps its cause, masking a key in the cause chain', () => {
    const root = new Error(`socket closed for ${key}`);
    const middle = new TypeError(`fetch failed: Bearer ${key}`, { cause: root });
    const error = new ProviderError('request failed', { status: 500, cause: middle });
    expect(error.cause).toBe(middle);
    expect((error.cause as Error).cause).toBe(root);
    expect(inspect(error)).not.toContain(key);
    expect(middle.message).toBe('fetch failed: Bearer ***');
    expect(root.stack).not.toContain(key);
  });

  it('tolerates a cause that is not an error, or a cycle', () => {
    expect(new RxllmError('x', { cause: 'plain' }).cause).toBe('plain');
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(() => new RxllmError('x', { cause: a })).not.toThrow();
  });
});
