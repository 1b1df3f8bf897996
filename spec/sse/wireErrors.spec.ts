import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { MaskedError, OutputParserError, ProviderError, RateLimitError, StreamGoneError, StreamTimeoutError } from '../../src/errors/errors.js';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { registerSecret } from '../../src/errors/maskSecrets.js';
import { fromWireError, isWireError } from '../../src/sse/fromWireError.js';
import { toWireError } from '../../src/sse/toWireError.js';

describe('toWireError', () => {
  it('keeps the class name, the masked message and the own fields, never the stack or the cause', () => {
    const cause = new Error('upstream said sk-proj-abcdefghijklmnop');
    const error = new ProviderError('Incorrect API key provided: sk-proj-abcdefghijklmnop', { status: 401, code: 'invalid_api_key', cause });
    const wire = toWireError(error);
    expect(wire).toEqual({ name: 'ProviderError', message: 'Incorrect API key provided: ***', fields: { status: 401, code: 'invalid_api_key' } });
    expect(JSON.stringify(wire)).not.toMatch(/abcdefghijklmnop|stack|at /);
  });

  it('writes a MaskedError as its kind, retryable and short message, and the client rebuilds the same class', () => {
    const masked = new MaskedError('rate_limit', true, 'Too many requests', { retryAfterMs: 1500 });
    const wire = toWireError(masked);
    expect(wire).toEqual({ name: 'MaskedError', message: 'Too many requests', fields: { kind: 'rate_limit', retryable: true, retryAfterMs: 1500 } });
    const back = fromWireError(wire);
    expect(back).toBeInstanceOf(MaskedError);
    expect(back).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 1500, message: 'Too many requests' });
  });

  it('masks a registered key even when only a fragment of it is echoed', () => {
    registerSecret('sk-test-wire-0123456789abcdef');
    const wire = toWireError(new ProviderError('Key ending in 0123456789abcdef is invalid', { status: 401 }));
    expect(JSON.stringify(wire)).not.toContain('0123456789abcdef');
  });

  it('copies nested plain fields (masked) and leaves out what JSON cannot carry', () => {
    const error = Object.assign(new RxllmError('x'), { issues: [{ path: ['a'], message: 'token sk-proj-abcdefghijklmnop' }], handler: () => 1, when: new Date(0) });
    expect(toWireError(error).fields).toEqual({ issues: [{ path: ['a'], message: 'token ***' }] });
  });

  it('describes thrown values that are not errors', () => {
    expect(toWireError('plain sk-proj-abcdefghijklmnop')).toEqual({ name: 'Error', message: 'plain ***' });
    expect(toWireError({ name: 'TypeError', message: 'bad' })).toEqual({ name: 'TypeError', message: 'bad' });
  });
});

describe('fromWireError', () => {
  it('rebuilds the same class with the same fields', () => {
    for (const original of [
      new StreamTimeoutError('first-chunk', 100),
      new RateLimitError('Slow down', { retryAfterMs: 1500, code: 'rate_limit' }),
      new StreamGoneError('run-1', 'run-1:3'),
      new InvalidOptionError('bufferText', 'maxChars', 'a positive integer', 0),
      new OutputParserError('Bad JSON', { text: '{', offset: 1 }),
    ]) {
      const back = fromWireError(toWireError(original));
      expect(back).toBeInstanceOf(original.constructor);
      expect(back).toBeInstanceOf(RxllmError);
      expect(back).toEqual(original);
      expect(back.name).toBe(original.name);
    }
    expect((fromWireError(toWireError(new OutputParserError('Bad', { offset: 3 }))) as OutputParserError).offset).toBe(3);
  });

  it('keeps an unknown name on an RxllmError', () => {
    const back = fromWireError({ name: 'TypeError', message: 'x is not a function' });
    expect(back).toBeInstanceOf(RxllmError);
    expect([back.name, back.message]).toEqual(['TypeError', 'x is not a function']);
  });

  it('masks what it is given too', () => {
    expect(fromWireError({ name: 'ProviderError', message: 'sk-proj-abcdefghijklmnop' }).message).toBe('***');
  });

  it('recognises wire errors', () => {
    expect([isWireError({ name: 'a', message: 'b' }), isWireError({ name: 'a' }), isWireError(null)]).toEqual([true, false, false]);
  });
});
