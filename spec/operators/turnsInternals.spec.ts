import { Subject, type Observable, type OperatorFunction } from 'rxjs';
import { outputInTurns } from '../../src/operators/turnsInternals.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

/** Each value twice, and at the end what it saw in capitals: steps that emit several values for one input. */
const twiceThenAll: OperatorFunction<string, string> = (source: Observable<string>) => outputInTurns<string, string>(source, (output) => {
  const seen: string[] = [];
  return {
    next: (value) => {
      if (value === 'x') throw new Error('bad value');
      seen.push(value);
      output.next(value);
      output.next(value);
    },
    error: (error: unknown) => output.error(error),
    complete: () => {
      output.next(seen.join('').toUpperCase());
      output.complete();
    },
  };
});

describe('outputInTurns', () => {
  it('emits what the steps emit, in the frame of their input, with a state per subscription', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a------b------|');
      const subs =        '^--------------!';
      const expected =    '-(aa)---(bb)---(c|)';
      expectObservable(source.pipe(twiceThenAll)).toBe(expected, { a: 'a', b: 'b', c: 'AB' });
      expectObservable(source.pipe(twiceThenAll)).toBe(expected, { a: 'a', b: 'b', c: 'AB' });
      expectSubscriptions(source.subscriptions).toBe([subs, subs]);
    });
  });

  it('passes a source error to the steps, and errors the output with a step that throws, releasing the source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-a----#');
      expectObservable(failing.pipe(twiceThenAll)).toBe('-(aa)-#');
      const source = cold('-a----x--b-|');
      const subs =        '^-----!';
      expectObservable(source.pipe(twiceThenAll)).toBe('-(aa)-#', undefined, new Error('bad value'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('passes the terminal cases on', () => {
    expectTerminalPassThrough(twiceThenAll, '#');
    createTestScheduler().run(({ cold, expectObservable }) => {
      // Completion is a step too: this one emits what it saw (nothing) before completing.
      expectObservable(cold('|').pipe(twiceThenAll)).toBe('(e|)', { e: '' });
    });
  });

  it('passes the unsubscription on along the chain', () => {
    expectUnsubscriptionChain(twiceThenAll, {
      source:        '-a--b--|',
      unsub:         '---!',
      expected:      '-(aa)',
      subscriptions: '^--!',
    });
  });

  it('stops a synchronous source when the subscriber has had enough', () => {
    expectSynchronousSourceStopped(twiceThenAll, (i) => `v${i}`, { take: 3, produced: 2, delivers: ['v0', 'v0', 'v1'] });
  });

  it('lets a value pushed while the steps emit wait until they are done with the value before it', () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(twiceThenAll).subscribe((value) => {
      seen.push(value);
      if (value === 'a' && seen.length === 1) source.next('b');
    });
    source.next('a');
    source.complete();
    // Without turns, 'b' would have come between the two 'a's.
    expect(seen).toEqual(['a', 'a', 'b', 'b', 'AB']);
  });
});
