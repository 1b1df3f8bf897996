import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { RxllmError } from '../../src/errors/RxllmError.js';
import { AIMessageChunk, concatChunks } from '../../src/messages/AIMessageChunk.js';
import { bufferText } from '../../src/operators/bufferText.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
const lost = new Error('lost');

describe('bufferText', () => {
  it('emits a buffer maxWaitMs after it opened, and the rest at completion', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-----c-d|', { a: 'He', b: 'llo', c: ' wor', d: 'ld' });
      const subs =        '^-----------!';
      const expected =    '------x-----(y|)';
      expectObservable(source.pipe(bufferText({ maxWaitMs: 5 }))).toBe(expected, { x: 'Hello', y: ' world' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('emits as soon as the buffer reaches maxChars, without splitting a chunk', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-d-|', { a: 'ab', b: 'cd', c: 'efghij', d: 'k' });
      const expected =    '---x-y---(z|)';
      expectObservable(source.pipe(bufferText({ maxChars: 4, maxWaitMs: Infinity }))).toBe(expected, { x: 'abcd', y: 'efghij', z: 'k' });
    });
  });

  it('restarts the wait for the buffer after one emitted by maxChars', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-abc------|', { a: 'ab', b: 'cd', c: 'e' });
      const expected =    '--x---y---|';
      expectObservable(source.pipe(bufferText({ maxChars: 4, maxWaitMs: 3 }))).toBe(expected, { x: 'abcd', y: 'e' });
    });
  });

  it('coalesces what arrives in the same turn by default (maxWaitMs 0)', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('(abc)--d|', { a: 'a', b: 'b', c: 'c', d: 'd' });
      expectObservable(source.pipe(bufferText())).toBe('x------y|', { x: 'abc', y: 'd' });
    });
  });

  it('uses the scheduler it is given', () => {
    const testScheduler = createTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('ab------|', { a: 'a', b: 'b' });
      expectObservable(source.pipe(bufferText({ maxWaitMs: 4, scheduler: testScheduler }))).toBe('----x---|', { x: 'ab' });
    });
  });

  it('concatenates AIMessageChunks, keeping tool calls and usage', async () => {
    const chunks = [
      new AIMessageChunk({ id: 'run-1', content: 'Hel' }),
      new AIMessageChunk({ content: 'lo', toolCallChunks: [{ index: 0, id: 'call_1', name: 'f', args: '{"a"' }] }),
      new AIMessageChunk({ toolCallChunks: [{ index: 0, args: ':1}' }], usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }),
    ];
    const [merged, ...rest] = await lastValueFrom(from(chunks).pipe(bufferText({ maxWaitMs: Infinity }), toArray()));
    expect(rest).toEqual([]);
    expect(merged.toJSON()).toEqual(concatChunks(chunks).toJSON());
    expect(merged.toolCalls).toEqual([{ id: 'call_1', name: 'f', args: { a: 1 } }]);
  });

  it('passes a lone chunk through unchanged, and never emits an empty string', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const chunk = new AIMessageChunk({ usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
      expectObservable(cold('-a---|', { a: chunk }).pipe(bufferText({ maxWaitMs: 2 }))).toBe('---a-|', { a: chunk });
      expectObservable(cold('-e-e-|', { e: '' }).pipe(bufferText({ maxWaitMs: 1 }))).toBe('-----|');
    });
  });

  it('emits the buffer, then the error, on a source error', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-#', { a: 'one', b: ' two' }, new Error('lost'));
      const subs =        '^----!';
      const expected =    '-----(x#)';
      expectObservable(source.pipe(bufferText({ maxWaitMs: 10 }))).toBe(expected, { x: 'one two' }, new Error('lost'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(bufferText(), '#');
  });

  it('completes without emitting on an empty source', () => {
    expectTerminalPassThrough(bufferText(), '|');
  });

  it('drops the buffer and its wait when unsubscribed', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d---|', { a: 'a', b: 'b', c: 'c', d: 'd' });
      const unsub =       '------!     ';
      const subs =        '^-----!     ';
      const expected =    '----x--     ';
      expectObservable(source.pipe(bufferText({ maxWaitMs: 3 })), unsub).toBe(expected, { x: 'ab' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(bufferText({ maxWaitMs: 3 }), {
      source:        '-a-b-c-d---|',
      unsub:         '------!     ',
      expected:      '----x--     ',
      subscriptions: '^-----!     ',
    }, { a: 'a', b: 'b', c: 'c', d: 'd' }, { x: 'ab' });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(bufferText({ maxChars: 2 }), (i) => String(i), { take: 2, produced: 4, delivers: ['01', '23'] });
  });

  it('handles a source that emits again while a buffer is being delivered', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(bufferText({ maxChars: 2, maxWaitMs: Infinity })).subscribe((text) => {
      seen.push(text);
      if (text === 'ab') source.next('cd');
    });
    source.next('a');
    source.next('b');
    source.complete();
    expect(seen).toEqual(['ab', 'cd']);
  });

  describe('reentrancy', () => {
    // A string after a chunk closes the chunk's buffer: one chunk in, two buffers out.
    const mixed = () => bufferText<string | AIMessageChunk>({ maxChars: 3, maxWaitMs: Infinity });
    const xyz = new AIMessageChunk('xyz');

    it('keeps the order when the subscriber pushes text between two buffers of one chunk', () => {
      const seen = expectOrderKeptUnderReentrancy(mixed(), ['ab', xyz], (value, source) => {
        if (value === 'ab') source.next('pqr');
      });
      expect(valuesOf(seen)).toEqual(['ab', xyz, 'pqr']);
    });

    it('keeps the buffers before an error pushed while one is delivered', () => {
      const seen = expectOrderKeptUnderReentrancy(mixed(), ['ab', xyz], (value, source) => {
        if (value === 'ab') source.error(lost);
      });
      expect(seen).toEqual([{ kind: 'N', value: 'ab' }, { kind: 'N', value: xyz }, { kind: 'E', error: lost }]);
    });

    it('keeps the order when the subscriber pushes while a buffer is emitted by its wait', () => {
      createTestScheduler().run(({ flush }) => {
        const source = new Subject<string>();
        const seen: string[] = [];
        source.pipe(bufferText({ maxWaitMs: 2, maxChars: 4 })).subscribe((text) => {
          seen.push(text);
          if (text === 'ab') source.next('cdef');
        });
        source.next('a');
        source.next('b');
        flush();
        source.complete();
        expect(seen).toEqual(['ab', 'cdef']);
      });
    });
  });

  describe('after a StreamReset', () => {
    it('drops the buffer with its wait and starts over, the marker passing on in its frame', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-R-c-d-----|', { a: 'He', b: 'llo', R, c: 'Hi', d: '!' });
        const subs =        '^--------------!';
        const expected =    '-----R------x--|';
        expectObservable(source.pipe(bufferText({ maxWaitMs: 5 }))).toBe(expected, { R, x: 'Hi!' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('counts maxChars from the marker', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-R-b-c-|', { a: 'abc', R, b: 'de', c: 'fg' });
        expectObservable(source.pipe(bufferText({ maxChars: 4, maxWaitMs: Infinity }))).toBe('---R---x-|', { R, x: 'defg' });
      });
    });

    it('propagates a source error after a marker, with the new attempt\'s buffer', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-R-b-#', { a: 'voided', R, b: 'kept' }, lost);
        const subs =        '^------!';
        const expected =    '---R---(x#)';
        expectObservable(source.pipe(bufferText({ maxWaitMs: 10 }))).toBe(expected, { R, x: 'kept' }, lost);
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('allows unsubscribing early after a marker, dropping the buffer and its wait', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-R-b-----|', { a: 'a', R, b: 'b' });
        const unsub =       '------!     ';
        const subs =        '^-----!     ';
        const expected =    '---R---     ';
        expectObservable(source.pipe(bufferText({ maxWaitMs: 3 })), unsub).toBe(expected, { R });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('keeps the order when the subscriber pushes a marker between two buffers of one chunk', () => {
      const xyz = new AIMessageChunk('xyz');
      const seen = expectOrderKeptUnderReentrancy(bufferText<string | AIMessageChunk | StreamReset>({ maxChars: 3, maxWaitMs: Infinity }), ['ab', xyz, 'q'], (value, source) => {
        if (value === 'ab') source.next(R);
      });
      expect(valuesOf(seen)).toEqual(['ab', xyz, R, 'q']);
    });
  });

  it('refuses bad options with an RxllmError when created', () => {
    expect(() => bufferText({ maxChars: 0 })).toThrow(RxllmError);
    expect(() => bufferText({ maxWaitMs: Number.NaN })).toThrow(/maxWaitMs must be a number of milliseconds ≥ 0 or Infinity/);
  });
});
