import { describeKind, isAsyncIterable, isPlainObject, isPromiseLike } from '../../src/messages/valueKinds.js';

describe('valueKinds', () => {
  it('recognises thenables, async iterables and plain objects', () => {
    async function* gen() { yield 1; }
    expect([isPromiseLike(Promise.resolve(1)), isPromiseLike({ then: () => undefined }), isPromiseLike({})]).toEqual([true, true, false]);
    expect([isAsyncIterable(gen()), isAsyncIterable([1])]).toEqual([true, false]);
    expect([isPlainObject({}), isPlainObject(Object.create(null)), isPlainObject([]), isPlainObject(new Date())]).toEqual([true, true, false, false]);
  });

  it('describes a value for error messages', () => {
    expect([describeKind(null), describeKind([]), describeKind(new Date()), describeKind(1)]).toEqual(['null', 'an array', 'Date', 'number']);
  });
});
