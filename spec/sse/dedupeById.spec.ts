import { dedupeById, FrameIdFilter } from '../../src/sse/dedupeById.js';
import { createTestScheduler } from '../support/marbles.js';

const message = (id?: string) => (id === undefined ? { data: 'x' } : { id, data: id });

describe('dedupeById', () => {
  it('drops frames at or below the highest sequence seen for their run', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { a: message('r:1'), b: message('r:2'), c: message('r:3'), x: message() };
      const source = cold('-a-b-b-c-a-x-|', values);
      expectObservable(source.pipe(dedupeById())).toBe('-a-b---c---x-|', values);
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  it('keeps one highest sequence per run', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const values = { a: message('r:1'), s: message('s:1'), b: message('r:2'), t: message('s:1') };
      expectObservable(cold('-a-s-b-t-|', values).pipe(dedupeById())).toBe('-a-s-b---|', values);
    });
  });

  it('drops a repeat of the last id that is not a run id', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const values = { a: message('alpha'), b: message('beta') };
      expectObservable(cold('-a-a-b-a-|', values).pipe(dedupeById())).toBe('-a---b-a-|', values);
    });
  });

  it('passes errors through and unsubscribes on early unsubscribe', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { a: message('r:1') };
      const failing = cold('-a-#', values);
      expectObservable(failing.pipe(dedupeById())).toBe('-a-#', values);
      const long = cold('-a----a-|', values);
      expectObservable(long.pipe(dedupeById()), '---!').toBe('-a-', values);
      expectSubscriptions(long.subscriptions).toBe('^--!');
    });
  });

  it('starts afresh for each subscription', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const values = { a: message('r:1') };
      const deduped = cold('-a-|', values).pipe(dedupeById());
      expectObservable(deduped).toBe('-a-|', values);
      expectObservable(deduped).toBe('-a-|', values);
    });
  });
});

describe('FrameIdFilter', () => {
  it('accepts frames without an id every time', () => {
    const seen = new FrameIdFilter();
    expect([seen.accept(undefined), seen.accept(undefined), seen.accept('')]).toEqual([true, true, true]);
  });
});
