import { mergeMap, Observable, of, scan, Subject, startWith, throwError, toArray } from 'rxjs';
import { accumulate } from '../../src/operators/accumulate.js';
import { restartOnReset } from '../../src/operators/restartOnReset.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';
import { expectOrderKeptUnderReentrancy, valuesOf } from '../support/reentrancy.js';

const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'lost' } });
const runningText = scan((text: string, piece: string) => text + piece, '');
/** Several values for one: the words of a text. */
const words = mergeMap((text: string) => text.split(' '));

describe('restartOnReset', () => {
  it('restarts the operator after each marker, which passes through first', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-R-a-b-c-|', { a: 'Hel', b: 'lo', c: '!', R });
      const expected =    '-x-y-R-x-y-z-|';
      expectObservable(source.pipe(restartOnReset(accumulate({ text: true })))).toBe(expected, { x: 'Hel', y: 'Hello', z: 'Hello!', R });
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  it('lets the operator flush at completion, after the last marker only', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-R-b-c-|', { a: 'voided', b: 'kept', c: 'too', R });
      expectObservable(source.pipe(restartOnReset(toArray()))).toBe('---R-----(x|)', { R, x: ['kept', 'too'] });
    });
  });

  it('lets the operator flush before a source error', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-R-b-#', { a: 'voided', b: 'kept', R }, new Error('lost'));
      const flushing = (input: Observable<string>) => new Observable<string>((subscriber) => input.subscribe({
        next: (x) => subscriber.next(x),
        error: (e) => {
          subscriber.next('flushed');
          subscriber.error(e);
        },
      }));
      expectObservable(source.pipe(restartOnReset(flushing))).toBe('-v-R-b-(f#)', { v: 'voided', R, b: 'kept', f: 'flushed' }, new Error('lost'));
    });
  });

  it('emits the marker before anything the restarted operator emits', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-R----b-|', { a: 'x', b: 'y', R });
      const expected =    'sa-(Rs)-b-|';
      expectObservable(source.pipe(restartOnReset(startWith('start')))).toBe(expected, { s: 'start', a: 'x', b: 'y', R });
    });
  });

  it('propagates an error of the operator', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-|', { a: 'x', b: 'y' });
      const failing = mergeMap((x: string) => (x === 'y' ? throwError(() => new Error('bad')) : of(x)));
      expectObservable(source.pipe(restartOnReset(failing))).toBe('-a-#', { a: 'x' }, new Error('bad'));
    });
  });

  it('completes with an empty source, having run the operator once', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(restartOnReset(runningText))).toBe('|');
      expectObservable(cold('--|').pipe(restartOnReset(toArray()))).toBe('--(x|)', { x: [] });
    });
  });

  it('allows unsubscribing early and explicitly', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-R-b-|', { a: 'x', b: 'y', R });
      const unsub =       '----!';
      expectObservable(source.pipe(restartOnReset(runningText)), unsub).toBe('-a-R-', { a: 'x', R });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(restartOnReset(runningText), {
      source:        '-a-R-b-|',
      unsub:         '----!   ',
      expected:      '-a-R-   ',
      subscriptions: '^---!   ',
    }, { a: 'x', b: 'y', R }, { a: 'x', R });
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(restartOnReset(runningText), (i) => String(i), { take: 3, produced: 3, delivers: ['0', '01', '012'] });
  });

  it('handles a source that emits again while a value is being delivered', () => {
    const source = new Subject<string | StreamReset>();
    const seen: Array<string | StreamReset> = [];
    source.pipe(restartOnReset(runningText)).subscribe((x) => {
      seen.push(x);
      if (x === 'a') source.next(R);
    });
    source.next('a');
    source.next('b');
    expect(seen).toEqual(['a', R, 'b']);
  });

  it('lets the operator finish emitting for a value before a marker pushed meanwhile', () => {
    const seen = expectOrderKeptUnderReentrancy(restartOnReset(words), ['a b c', 'd'], (word, source) => {
      if (word === 'a') source.next(R);
    });
    expect(valuesOf(seen)).toEqual(['a', 'b', 'c', R, 'd']);
  });

  it('lets the operator finish emitting for a value before an error pushed meanwhile', () => {
    const lost = new Error('lost');
    const seen = expectOrderKeptUnderReentrancy(restartOnReset(words), ['a b c', 'd'], (word, source) => {
      if (word === 'a') source.error(lost);
    });
    expect(seen).toEqual([{ kind: 'N', value: 'a' }, { kind: 'N', value: 'b' }, { kind: 'N', value: 'c' }, { kind: 'E', error: lost }]);
  });
});
