import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { OutputParserError } from '../../src/errors/index.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { partialJson } from '../../src/operators/partialJson.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';

const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });

/** The error the parser raises, built the same way, so marble assertions can compare it. */
function jsonError(message: string, offset: number, text: string): OutputParserError {
  return new OutputParserError(message, { offset, text });
}

describe('partialJson', () => {
  it('emits the partial value after each chunk that changes it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a------b------c--------|', { a: '{"n": 1', b: '2, "s": "h', c: 'i"}' });
      const subs =        '^------------------------!';
      const expected =    '--x------y------z--------|';
      expectObservable(source.pipe(partialJson())).toBe(expected, { x: {}, y: { n: 12, s: 'h' }, z: { n: 12, s: 'hi' } });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('skips chunks that change nothing: whitespace, a pending number, half a key or an escape', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-d-e-f-g-h-|', { a: ' [', b: '\n ', c: '1', d: '0, {"k', e: 'ey": "\\u00', f: 'e9', g: '"}', h: ']  ' });
      const expected =    '-v-----w-x-y-----|';
      expectObservable(source.pipe(partialJson())).toBe(expected, {
        v: [],
        w: [10, {}],
        x: [10, { key: '' }],
        y: [10, { key: 'é' }],
      });
    });
  });

  it('emits a document that is a bare number when the source completes', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-|', { a: '4', b: '2' });
      const expected =    '-----(x|)';
      expectObservable(source.pipe(partialJson<number>())).toBe(expected, { x: 42 });
    });
  });

  it('reads the content of chat-model chunks', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-|', {
        a: new AIMessageChunk({ content: '{"ok": tr' }),
        b: new AIMessageChunk({ content: 'ue}' }),
        c: new AIMessageChunk({ usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }),
      });
      expectObservable(source.pipe(partialJson())).toBe('-x-y---|', { x: {}, y: { ok: true } });
    });
  });

  it('errors with an OutputParserError on malformed JSON, after the values before it, and unsubscribes', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: '[1, ', b: '2 3', c: ']' });
      const subs =        '^--!    ';
      const expected =    '-x-#    ';
      const error = jsonError("Unexpected character '3' at offset 6 in JSON (expected ',' or ']'): [1, 2 3", 6, '[1, 2 3');
      expectObservable(source.pipe(partialJson())).toBe(expected, { x: [1] }, error);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('errors when the source completes before the document does', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-|', { a: '{"a": [' });
      const subs =        '^--!';
      const expected =    '-x-#';
      const error = jsonError("Unexpected end of JSON input at offset 7 in JSON (expected a JSON value or ']'): {\"a\": [", 7, '{"a": [');
      expectObservable(source.pipe(partialJson())).toBe(expected, { x: { a: [] } }, error);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('errors on an empty source: no JSON value at all', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('|');
      const error = jsonError('Unexpected end of JSON input at offset 0 in JSON (expected a JSON value): ', 0, '');
      expectObservable(source.pipe(partialJson())).toBe('#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  describe('after a StreamReset', () => {
    it('parses the next attempt afresh, the marker passing on in its frame', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-R-c-d-|', { a: '{"n": 1', b: '2, "s"', R, c: '["x', d: 'y"]' });
        const subs =        '^----------!';
        const expected =    '-v-w-R-x-y-|';
        expectObservable(source.pipe(partialJson())).toBe(expected, { v: {}, w: { n: 12 }, R, x: ['x'], y: ['xy'] });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('does not judge a voided attempt: only the last one must be a whole document', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        // Two documents cut off by a marker: neither is checked once voided.
        const source = cold('-a-R-b-R-c-|', { a: '{"a": [', R, b: '[1,', c: '4' });
        expectObservable(source.pipe(partialJson())).toBe('-x-R-y-R---(z|)', { x: { a: [] }, R, y: [1], z: 4 });
      });
    });

    it('still errors on an attempt after the marker that is cut off, or malformed', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const cutOff = cold('-a-R-b-|', { a: '[1]', R, b: '{"a": [' });
        const error = jsonError("Unexpected end of JSON input at offset 7 in JSON (expected a JSON value or ']'): {\"a\": [", 7, '{"a": [');
        expectObservable(cutOff.pipe(partialJson())).toBe('-x-R-y-#', { x: [1], R, y: { a: [] } }, error);
        const malformed = cold('-a-R-b-c-|', { a: '[1]', R, b: '[2 ', c: '3' });
        const bad = jsonError("Unexpected character '3' at offset 3 in JSON (expected ',' or ']'): [2 3", 3, '[2 3');
        expectObservable(malformed.pipe(partialJson())).toBe('-x-R-y-#', { x: [1], R, y: [2] }, bad);
        expectSubscriptions(malformed.subscriptions).toBe('^------!');
      });
    });

    it('propagates a source error, and allows unsubscribing early, after a marker', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const failing = cold('-a-R-b-#', { a: '[1', R, b: '["x' }, new Error('lost'));
        expectObservable(failing.pipe(partialJson())).toBe('-x-R-y-#', { x: [], R, y: ['x'] }, new Error('lost'));
        const source = cold('-a-R-b-c-|', { a: '[1', R, b: '["x', c: '"]' });
        expectObservable(source.pipe(partialJson()), '------!').toBe('-x-R-y-', { x: [], R, y: ['x'] });
        expectSubscriptions(source.subscriptions).toBe('^-----!');
      });
    });

    it('keeps the order when the subscriber pushes a marker while a value is delivered', () => {
      const seen = expectOrderKeptUnderReentrancy<string | StreamReset, unknown>(partialJson(), ['[1', '[2]'], (value, source) => {
        if (Array.isArray(value) && value.length === 0) source.next(R);
      });
      // '[1' gives [], then the marker: '[2]' is a new document.
      expect(valuesOf(seen)).toEqual([[], R, [2]]);
    });
  });

  it('propagates a source error after the values before it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-#', { a: '["x', b: 'y"' }, new Error('connection lost'));
      const subs =        '^----!';
      const expected =    '-x-y-#';
      expectObservable(source.pipe(partialJson())).toBe(expected, { x: ['x'], y: ['xy'] }, new Error('connection lost'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(partialJson(), '#');
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-|', { a: '[', b: '1,', c: '2,', d: '3]' });
      const unsub =       '------!   ';
      const subs =        '^-----!   ';
      const expected =    '-x-y-z-   ';
      expectObservable(source.pipe(partialJson()), unsub).toBe(expected, { x: [], y: [1], z: [1, 2] });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(partialJson<number[]>(), {
      source:        '-a-b-c-d-|',
      unsub:         '------!   ',
      expected:      '-x-y-z-   ',
      subscriptions: '^-----!   ',
    }, { a: '[', b: '1,', c: '2,', d: '3]' }, { x: [], y: [1], z: [1, 2] });
  });

  it('stops a synchronous source when unsubscribed', () => {
    // The opening bracket, then `0,` `1,` …: three values make three snapshots.
    expectSynchronousSourceStopped<string>(partialJson(), (i) => (i === 0 ? '[' : `${i - 1},`), { take: 3, produced: 3, delivers: [[], [0], [0, 1]] });
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<string>();
    const seen: unknown[] = [];
    source.pipe(partialJson()).subscribe((value) => {
      seen.push(value);
      if (Array.isArray(value) && value.length === 0) source.next('"a');
    });
    source.next('[');
    source.next('b"]');
    source.complete();
    expect(seen).toEqual([[], ['a'], ['ab']]);
  });

  it('emits persistent snapshots: later chunks never change an emitted value', async () => {
    const chunks = ['{"items": [{"name": "a', 'b"}, {"na', 'me": "c"}], "meta": {"count": 2', '}}'];
    const values = await lastValueFrom(from(chunks).pipe(partialJson<{ items: Array<{ name: string }>; meta?: object }>(), toArray()));
    expect(values).toEqual([
      { items: [{ name: 'a' }] },
      { items: [{ name: 'ab' }, {}] },
      { items: [{ name: 'ab' }, { name: 'c' }], meta: {} },
      { items: [{ name: 'ab' }, { name: 'c' }], meta: { count: 2 } },
    ]);
    expect(values[1].items[0]).toBe(values[2].items[0]);
    expect(values[2].items).toBe(values[3].items);
    expect(values[2].meta).not.toBe(values[3].meta);
    expect(values[2]).not.toBe(values[3]);
  });

  it('keeps separate state per subscription', async () => {
    const parsed = from(['{"a":', ' [1]}']).pipe(partialJson());
    expect(await lastValueFrom(parsed)).toEqual({ a: [1] });
    expect(await lastValueFrom(parsed)).toEqual({ a: [1] });
  });
});
