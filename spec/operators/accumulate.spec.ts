import fc from 'fast-check';
import { defer, from, lastValueFrom, Subject, toArray, type Observable } from 'rxjs';
import { APIConnectionError } from '../../src/errors/errors.js';
import { AIMessageChunk, concatChunks, type AIMessageChunkFields } from '../../src/messages/AIMessageChunk.js';
import { accumulate } from '../../src/operators/accumulate.js';
import { retryStream } from '../../src/operators/retryStream.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const hel = new AIMessageChunk({ id: 'run-1', content: 'Hel' });
const lo = new AIMessageChunk({ content: 'lo', responseMetadata: { model: 'gpt-test' } });
const call = new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'call_1', name: 'search', args: '{"q":' }] });
const callRest = new AIMessageChunk({ toolCallChunks: [{ index: 0, args: '"rxjs"}' }] });
const usage = new AIMessageChunk({ usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 }, finishReason: 'tool_calls' });
const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });

describe('accumulate', () => {
  describe('messages', () => {
    it('emits the concatenation of the chunks so far after each chunk', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-u-|', { a: hel, b: lo, c: call, d: callRest, u: usage });
        const subs =        '^----------!';
        const expected =    '-v-w-x-y-z-|';
        expectObservable(source.pipe(accumulate())).toBe(expected, {
          v: concatChunks([hel]),
          w: concatChunks([hel, lo]),
          x: concatChunks([hel, lo, call]),
          y: concatChunks([hel, lo, call, callRest]),
          z: concatChunks([hel, lo, call, callRest, usage]),
        });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('builds the whole message: text, merged tool calls, usage, finish reason, metadata', async () => {
      const last = await lastValueFrom(from([hel, lo, call, callRest, usage]).pipe(accumulate()));
      expect(last.content).toBe('Hello');
      expect(last.id).toBe('run-1');
      expect(last.toolCalls).toEqual([{ id: 'call_1', name: 'search', args: { q: 'rxjs' } }]);
      expect(last.usage).toEqual({ inputTokens: 5, outputTokens: 3, totalTokens: 8 });
      expect(last.finishReason).toBe('tool_calls');
      expect(last.responseMetadata).toEqual({ model: 'gpt-test' });
    });

    it('emits snapshots that later chunks do not change, and that do not share state', async () => {
      const all = await lastValueFrom(from([hel, call, callRest, lo]).pipe(accumulate(), toArray()));
      expect(all.map((m) => m.content)).toEqual(['Hel', 'Hel', 'Hel', 'Hello']);
      expect(all[1].toolCallChunks).toEqual([{ index: 0, id: 'call_1', name: 'search', args: '{"q":' }]);
      expect(all[2].toolCallChunks).toEqual([{ index: 0, id: 'call_1', name: 'search', args: '{"q":"rxjs"}' }]);
      // Still streaming: the call shows with what its arguments hold so far, and is not invalid.
      expect(all[1].toolCalls).toEqual([{ id: 'call_1', name: 'search', args: {} }]);
      expect(all[1].invalidToolCalls).toEqual([]);
      expect(all[1].toMessage().invalidToolCalls).toHaveLength(1);
      expect(all[2].toolCalls).toEqual([{ id: 'call_1', name: 'search', args: { q: 'rxjs' } }]);
      expect(all[0]).not.toBe(all[1]);
      expect(all[1].toolCallChunks).not.toBe(all[2].toolCallChunks);
      expect(all[2].responseMetadata).not.toBe(all[3].responseMetadata);
    });

    it('equals concatChunks of every prefix, for any chunks', () => {
      const toolCallChunk = fc.record({
        index: fc.integer({ min: 0, max: 2 }),
        id: fc.option(fc.constantFrom('call_a', 'call_b', 'call_c'), { nil: undefined }),
        name: fc.option(fc.constantFrom('search', 'add'), { nil: undefined }),
        args: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
      }, { requiredKeys: ['index'] });
      const chunkFields: fc.Arbitrary<AIMessageChunkFields> = fc.record({
        id: fc.constantFrom('run-1', 'run-2'),
        content: fc.string({ maxLength: 8 }),
        reasoning: fc.string({ maxLength: 4 }),
        toolCallChunks: fc.array(toolCallChunk, { maxLength: 2 }),
        usage: fc.record({ inputTokens: fc.nat(50), outputTokens: fc.nat(50), totalTokens: fc.nat(100) }),
        finishReason: fc.constantFrom('stop', 'length', 'tool_calls'),
        responseMetadata: fc.dictionary(fc.constantFrom('model', 'system_fingerprint'), fc.string({ maxLength: 4 })),
      }, { requiredKeys: [] });
      fc.assert(fc.property(fc.array(chunkFields, { maxLength: 12 }), (fields) => {
        const chunks = fields.map((f) => new AIMessageChunk(f));
        const emitted: AIMessageChunk[] = [];
        from(chunks).pipe(accumulate()).subscribe((m) => emitted.push(m));
        expect(emitted).toHaveLength(chunks.length);
        emitted.forEach((message, i) => expect(message.toJSON()).toEqual(concatChunks(chunks.slice(0, i + 1)).toJSON()));
      }));
    });
  });

  describe('text', () => {
    it('emits the running text when a chunk adds text', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--a----b----c--|', { a: hel, b: lo, c: usage });
        const subs =        '^--------------!';
        const expected =    '--p----q-------|';
        expectObservable(source.pipe(accumulate({ text: true }))).toBe(expected, { p: 'Hel', q: 'Hello' });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('accumulates strings too', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-c-|', { a: 'one', b: '', c: ' two' });
        expectObservable(source.pipe(accumulate({ text: true }))).toBe('-x---y-|', { x: 'one', y: 'one two' });
      });
    });
  });

  describe('after a StreamReset', () => {
    it('starts the message over, the marker passing on in its frame', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const bye = new AIMessageChunk('Bye');
        const source = cold('-a-b-R-c-d-|', { a: hel, b: lo, R, c: bye, d: call });
        const subs =        '^----------!';
        const expected =    '-v-w-R-x-y-|';
        expectObservable(source.pipe(accumulate())).toBe(expected, {
          v: concatChunks([hel]),
          w: concatChunks([hel, lo]),
          R,
          x: concatChunks([bye]),
          y: concatChunks([bye, call]),
        });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('starts the text over, the marker passing on in its frame', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-R-R-u-c-|', { a: 'Hel', b: 'lo', R, u: usage, c: 'Hi' });
        const expected =    '-p-q-R-R---x-|';
        expectObservable(source.pipe(accumulate({ text: true }))).toBe(expected, { p: 'Hel', q: 'Hello', R, x: 'Hi' });
      });
    });

    it('follows retryStream({ afterFirstChunk: \'restart\' }) without a wrapper', () => {
      createTestScheduler().run(({ cold, expectObservable }) => {
        const lost = new APIConnectionError('connection lost');
        // Each subscription asks again: the first attempt drops after two chunks, the second succeeds.
        const answer = (): Observable<AIMessageChunk | StreamReset> => {
          const attempts = [cold('-a-b-#', { a: hel, b: lo }, lost), cold('-a-b-c-|', { a: hel, b: lo, c: new AIMessageChunk('!') })];
          let attempt = 0;
          return defer(() => attempts[attempt++]).pipe(retryStream({ afterFirstChunk: 'restart', backoff: { initialMs: 2, jitter: 0 } }));
        };
        const reset = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
        const expected = '-p-q---Rp-q-z-|';
        expectObservable(answer().pipe(accumulate({ text: true }))).toBe(expected, { p: 'Hel', q: 'Hello', R: reset, z: 'Hello!' });
        expectObservable(answer().pipe(accumulate())).toBe(expected, {
          p: expect.objectContaining({ content: 'Hel' }),
          q: expect.objectContaining({ content: 'Hello' }),
          R: reset,
          z: expect.objectContaining({ content: 'Hello!' }),
        });
      });
    });

    it('propagates a source error after a marker', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-R-b-#', { a: hel, R, b: lo }, new Error('lost'));
        const subs =        '^------!';
        const expected =    '-x-R-y-#';
        expectObservable(source.pipe(accumulate({ text: true }))).toBe(expected, { x: 'Hel', R, y: 'lo' }, new Error('lost'));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('allows unsubscribing early after a marker', () => {
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-R-b-c-|', { a: hel, R, b: lo, c: hel });
        const unsub =       '------!   ';
        const subs =        '^-----!   ';
        const expected =    '-x-R-y-   ';
        expectObservable(source.pipe(accumulate()), unsub).toBe(expected, { x: concatChunks([hel]), R, y: concatChunks([lo]) });
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('keeps the order when the subscriber pushes a marker while a value is delivered', () => {
      const seen = expectOrderKeptUnderReentrancy(accumulate({ text: true }), ['a', 'b'], (text, source) => {
        if (text === 'a') source.next(R);
      });
      expect(valuesOf(seen)).toEqual(['a', R, 'b']);
    });
  });

  it('propagates a source error after the values before it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-#', { a: hel, b: lo }, new Error('connection lost'));
      const subs =        '^----!';
      const expected =    '-x-y-#';
      expectObservable(source.pipe(accumulate({ text: true }))).toBe(expected, { x: 'Hel', y: 'Hello' }, new Error('connection lost'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(accumulate(), '#');
  });

  it('completes without emitting on an empty source', () => {
    expectTerminalPassThrough(accumulate(), '|');
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-a-b-|', { a: hel, b: lo });
      const unsub =       '----!     ';
      const subs =        '^---!     ';
      const expected =    '-x-y-     ';
      expectObservable(source.pipe(accumulate({ text: true })), unsub).toBe(expected, { x: 'Hel', y: 'Hello' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(accumulate(), {
      source:        '-a-b-a-b-|',
      unsub:         '----!     ',
      expected:      '-x-y-     ',
      subscriptions: '^---!     ',
    }, { a: hel, b: lo }, { x: expect.objectContaining({ content: 'Hel' }), y: expect.objectContaining({ content: 'Hello' }) });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(accumulate(), (i) => new AIMessageChunk({ content: String(i) }), {
      take: 3,
      produced: 3,
      delivers: ['0', '01', '012'].map((content) => expect.objectContaining({ content })),
    });
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<AIMessageChunk>();
    const seen: string[] = [];
    source.pipe(accumulate()).subscribe((m) => {
      seen.push(m.content);
      if (m.content === 'a') source.next(new AIMessageChunk({ content: 'b' }));
    });
    source.next(new AIMessageChunk({ content: 'a' }));
    source.next(new AIMessageChunk({ content: 'c' }));
    expect(seen).toEqual(['a', 'ab', 'abc']);
  });

  it('keeps separate state per subscription', async () => {
    const accumulated = from([hel, lo]).pipe(accumulate({ text: true }));
    expect(await lastValueFrom(accumulated)).toBe('Hello');
    expect(await lastValueFrom(accumulated)).toBe('Hello');
  });
});
