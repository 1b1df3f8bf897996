import { asyncScheduler, Subject } from 'rxjs';
import { pace } from '../../src/operators/paceInternals.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });

describe('pace', () => {
  it('sends a value after a quiet spell at once and spaces the next ones delayMs apart', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a------(bcd)----|');
      const subs =        '^---------------!';
      const expected =    'a------b--c--d--|';
      expectObservable(source.pipe(pace(3, asyncScheduler))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('lets the completion and an error follow the last queued value without a further delay', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('(abc|)').pipe(pace(2, asyncScheduler))).toBe('a-b-(c|)');
      expectObservable(cold('(ab#)').pipe(pace(2, asyncScheduler))).toBe('a-(b#)');
    });
  });

  it('drops the waiting values of a voided attempt at a StreamReset and sends the marker at once', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abc--R-de|', { R });
      const expected =    'a--b-R-d--(e|)';
      // c was waiting for frame 6: dropped. d, the first of the new attempt, goes out at once.
      expectObservable(source.pipe(pace(3, asyncScheduler))).toBe(expected, { R });
    });
  });

  it('passes an empty or failing source on at once', () => {
    // Inside the marble helpers' run, asyncScheduler is virtual time.
    expectTerminalPassThrough(pace(5, asyncScheduler), '|');
    expectTerminalPassThrough(pace(5, asyncScheduler), '#');
  });

  it('drops the queue and cancels its wait when unsubscribed early', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('(abc)---|');
      const unsub =       '---!';
      expectObservable(source.pipe(pace(2, asyncScheduler)), unsub).toBe('a-b-');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    // Nothing is left scheduled: the wait for b is cancelled with the subscription.
    const scheduler = createTestScheduler();
    const source = new Subject<string>();
    const seen: string[] = [];
    const subscription = source.pipe(pace(10, scheduler)).subscribe((value) => seen.push(value));
    source.next('a');
    source.next('b');
    subscription.unsubscribe();
    scheduler.flush();
    expect(seen).toEqual(['a']);
    expect(source.observed).toBe(false);
  });

  it('passes the unsubscription on along the chain', () => {
    expectUnsubscriptionChain(pace(2, asyncScheduler), {
      source:        '-a-b-c-|',
      unsub:         '----!',
      expected:      '-a-b',
      subscriptions: '^---!',
    });
  });

  it('stops a synchronous source when the subscriber has had enough', () => {
    // No value waits for the first one: a quiet spell has passed, so it goes out at once.
    expectSynchronousSourceStopped(pace(5, createTestScheduler()), (i) => i, { take: 1, produced: 1, delivers: [0] });
  });

  it('queues a value pushed while one is delivered behind it, and spaces it too', () => {
    const scheduler = createTestScheduler();
    const source = new Subject<string>();
    const seen: string[] = [];
    source.pipe(pace(2, scheduler)).subscribe((value) => {
      seen.push(`${value}@${scheduler.now()}`);
      if (value === 'a') source.next('b');
    });
    source.next('a');
    expect(seen).toEqual(['a@0']);
    scheduler.flush();
    expect(seen).toEqual(['a@0', 'b@2']);
  });
});
