import { catchError, concat, connect, defer, map, merge, of, throwError, type Observable } from 'rxjs';
import { connectInput } from '../../src/runnables/connectInput.js';
import { createTestScheduler } from '../support/marbles.js';

/** Two branches over the shared input, and a third that joins only once the input has ended. */
function branches(shared$: Observable<string>): Observable<string> {
  return merge(shared$.pipe(map((value) => `a${value}`)), shared$.pipe(map((value) => `b${value}`)));
}

describe('connectInput', () => {
  it('hands every value to every branch, subscribing the source once', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-x-----y-----|');
      expectObservable(connectInput(source, branches)).toBe('-(pq)--(rs)--|', { p: 'ax', q: 'bx', r: 'ay', s: 'by' });
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  it('gives a synchronous source to every branch, as connect does', () => {
    const ours: string[] = [];
    const theirs: string[] = [];
    connectInput(of('x', 'y'), branches).subscribe((value) => ours.push(value));
    of('x', 'y').pipe(connect(branches)).subscribe((value) => theirs.push(value));
    expect(ours).toEqual(['ax', 'bx', 'ay', 'by']);
    expect(ours).toEqual(theirs);
  });

  it('passes the error to every branch', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(connectInput(cold('-x-----#', { x: 'x' }), branches)).toBe('-(pq)--#', { p: 'ax', q: 'bx' });
    });
  });

  it('ends a branch that subscribes after the end at once, with the end', () => {
    // concat subscribes its second stream once the first, the shared input, has ended.
    const joinsLate = (shared$: Observable<string>) => concat(shared$, defer(() => shared$.pipe(map((value) => `late ${value}`))));
    const values: string[] = [];
    let completed = false;
    connectInput(of('x'), joinsLate).subscribe({ next: (value) => values.push(value), complete: () => (completed = true) });
    expect(values).toEqual(['x']);
    expect(completed).toBe(true);
    const errors: unknown[] = [];
    connectInput(throwError(() => new Error('boom')), (shared$) => shared$.pipe(catchError(() => shared$))).subscribe({ error: (error) => errors.push(error) });
    expect(errors).toEqual([new Error('boom')]);
  });

  it('unsubscribes the source and the branches when unsubscribed', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-x-----y-|');
      expectObservable(connectInput(source, branches), '------!').toBe('-(pq)-', { p: 'ax', q: 'bx' });
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });
});
