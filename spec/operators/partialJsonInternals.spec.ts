import { defer, type OperatorFunction } from 'rxjs';
import { OutputParserError } from '../../src/errors/index.js';
import { IncrementalJsonParser } from '../../src/json/IncrementalJsonParser.js';
import { partialJsonChanges } from '../../src/operators/partialJsonInternals.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

/** `partialJsonChanges` over string chunks with a parser of its own per subscription, emitting the value. */
function values(end?: boolean): OperatorFunction<string, unknown> {
  return (source) => defer(() => {
    const parser = new IncrementalJsonParser();
    return source.pipe(partialJsonChanges(parser, { text: (chunk: string) => chunk, read: () => parser.value, end }));
  });
}

describe('partialJsonChanges', () => {
  it('emits what read gives after each chunk that changes the value, and nothing for the others', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-|', { a: '{"n', b: '": 1', c: '2', d: ', "s": "h', e: 'i"}' });
      const subs =        '^----------!';
      const expected =    '-x-----y-z-|';
      expectObservable(source.pipe(values())).toBe(expected, { x: {}, y: { n: 12, s: 'h' }, z: { n: 12, s: 'hi' } });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('reads each chunk through text and emits whatever read takes from the parser', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-|', { a: { json: '["x' }, b: { json: 'y"]' } });
      const operator: OperatorFunction<{ json: string }, unknown> = (chunks) => defer(() => {
        const parser = new IncrementalJsonParser({ patches: true });
        return chunks.pipe(partialJsonChanges(parser, { text: (chunk: { json: string }) => chunk.json, read: () => parser.takePatches() }));
      });
      expectObservable(source.pipe(operator)).toBe('-x-y-|', {
        x: [{ op: 'add', path: '', value: [] }, { op: 'add', path: '/0', value: 'x' }],
        y: [{ op: 'replace', path: '/0', value: 'xy' }],
      });
    });
  });

  it('ends the parser when the source completes: a bare number shows then, an unfinished document errors', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-|', { a: '4', b: '2' }).pipe(values())).toBe('-----(x|)', { x: 42 });
      const error = new OutputParserError("Unexpected end of JSON input at offset 2 in JSON (expected ',' or ']'): [1", { offset: 2, text: '[1' });
      expectObservable(cold('-a-|', { a: '[1' }).pipe(values())).toBe('-x-#', { x: [] }, error);
    });
  });

  it('with end: false, completes with the source and leaves the parser open for the caller', () => {
    const list = new IncrementalJsonParser();
    const number = new IncrementalJsonParser();
    const read = (parser: IncrementalJsonParser) => partialJsonChanges(parser, { text: (chunk: string) => chunk, read: () => parser.value, end: false });
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-|', { a: '[1', b: ', 2' }).pipe(read(list))).toBe('-x-y-|', { x: [], y: [1] });
      expectObservable(cold('-a-|', { a: '7' }).pipe(read(number))).toBe('---|');
    });
    expect(list.write(']')).toBe(true);
    expect(list.value).toEqual([1, 2]);
    expect(number.end()).toBe(true);
    expect(number.value).toBe(7);
  });

  it('errors with the parser error on a malformed chunk, after the values before it, and unsubscribes', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: '[1, ', b: '2 3', c: ']' });
      const subs =        '^--!    ';
      const expected =    '-x-#    ';
      const error = new OutputParserError("Unexpected character '3' at offset 6 in JSON (expected ',' or ']'): [1, 2 3", { offset: 6, text: '[1, 2 3' });
      expectObservable(source.pipe(values())).toBe(expected, { x: [1] }, error);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('errors when text throws, and unsubscribes', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|', { a: '[', b: 'boom' });
      const parser = new IncrementalJsonParser();
      const text = (chunk: string): string => {
        if (chunk === 'boom') throw new Error('not text');
        return chunk;
      };
      expectObservable(source.pipe(partialJsonChanges(parser, { text, read: () => parser.value }))).toBe('-x-#', { x: [] }, new Error('not text'));
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('propagates a source error after the values before it, without ending the parser', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-#', { a: '["x' }, new Error('connection lost'));
      expectObservable(source.pipe(values())).toBe('-x-#', { x: ['x'] }, new Error('connection lost'));
    });
  });

  it('passes an error-only source through, and an empty one too when it leaves the end to the caller', () => {
    expectTerminalPassThrough(values(), '#');
    expectTerminalPassThrough(values(false), '|');
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(values(), {
      source:        '-a-b-c-d-|',
      unsub:         '------!   ',
      expected:      '-x-y-z-   ',
      subscriptions: '^-----!   ',
    }, { a: '[', b: '1,', c: '2,', d: '3]' }, { x: [], y: [1], z: [1, 2] });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(values(), (i) => (i === 0 ? '[' : `${i - 1},`), { take: 3, produced: 3, delivers: [[], [0], [0, 1]] });
  });
});
