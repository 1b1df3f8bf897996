import { Subject } from 'rxjs';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { textDeltas } from '../../src/operators/textDeltas.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const hel = new AIMessageChunk({ content: 'Hel' });
const lo = new AIMessageChunk({ content: 'lo' });
const toolCall = new AIMessageChunk({ toolCallChunks: [{ index: 0, id: 'call_1', name: 'search', args: '{}' }] });
const usage = new AIMessageChunk({ usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } });
const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });

describe('textDeltas', () => {
  it('emits the text of each chunk and skips chunks without text', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--t--b--u--|', { a: hel, t: toolCall, b: lo, u: usage });
      const subs =        '^-------------!';
      const expected =    '--x-----y-----|';

      expectObservable(source.pipe(textDeltas())).toBe(expected, { x: 'Hel', y: 'lo' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('passes strings through, skipping empty ones', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-e-b-|', { a: 'one', e: '', b: ' two' });
      expectObservable(source.pipe(textDeltas())).toBe('-a---b-|', { a: 'one', b: ' two' });
    });
  });

  it('passes a StreamReset on in its frame', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--R--t--b--|', { a: hel, R, t: toolCall, b: lo });
      const subs =        '^-------------!';
      const expected =    '--x--R-----y--|';
      expectObservable(source.pipe(textDeltas())).toBe(expected, { x: 'Hel', R, y: 'lo' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates a source error, and allows unsubscribing, after a StreamReset', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-a-R-b-#', { a: 'one', R, b: 'two' }, new Error('lost'));
      expectObservable(failing.pipe(textDeltas())).toBe('-a-R-b-#', { a: 'one', R, b: 'two' }, new Error('lost'));
      const source = cold('-a-R-b-|', { a: 'one', R, b: 'two' });
      expectObservable(source.pipe(textDeltas()), '----!').toBe('-a-R-', { a: 'one', R });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('propagates a source error after the text before it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--#', { a: hel }, new Error('boom'));
      const subs =        '^----!';
      expectObservable(source.pipe(textDeltas())).toBe('--x--#', { x: 'Hel' }, new Error('boom'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(textDeltas(), '#');
  });

  it('completes on an empty source', () => {
    expectTerminalPassThrough(textDeltas(), '|');
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--a--|', { a: hel, b: lo });
      const unsub =       '------!     ';
      const subs =        '^-----!     ';
      const expected =    '--x--y-     ';
      expectObservable(source.pipe(textDeltas()), unsub).toBe(expected, { x: 'Hel', y: 'lo' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(textDeltas(), {
      source:        '--a--b--a--|',
      unsub:         '------!     ',
      expected:      '--x--y-     ',
      subscriptions: '^-----!     ',
    }, { a: hel, b: lo }, { x: 'Hel', y: 'lo' });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(textDeltas(), (i) => new AIMessageChunk({ content: String(i) }), { take: 3, produced: 3, delivers: ['0', '1', '2'] });
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<AIMessageChunk>();
    const seen: string[] = [];
    source.pipe(textDeltas()).subscribe((text) => {
      seen.push(text);
      if (text === 'a') source.next(new AIMessageChunk({ content: 'b' }));
    });
    source.next(new AIMessageChunk({ content: 'a' }));
    expect(seen).toEqual(['a', 'b']);
  });
});
