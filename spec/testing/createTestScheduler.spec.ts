import { map } from 'rxjs';
import { createTestScheduler } from '../../src/testing/createTestScheduler.js';

describe('createTestScheduler', () => {
  it('asserts with the runner’s deep equality', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a: { n: 1 } }).pipe(map(({ n }) => ({ n: n * 2 })))).toBe('-a|', { a: { n: 2 } });
    });
  });

  it('fails a marble assertion that does not hold', () => {
    expect(() => createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|')).toBe('--a|');
    })).toThrow();
  });

  it('uses the assertion it is given', () => {
    const seen: unknown[] = [];
    createTestScheduler((actual, expected) => seen.push(actual, expected)).run(({ cold, expectObservable }) => {
      expectObservable(cold('a|')).toBe('a|');
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(seen[1]);
  });

  it('says what to pass where there is no global expect', () => {
    const saved = (globalThis as { expect?: unknown }).expect;
    let thrown: unknown;
    (globalThis as { expect?: unknown }).expect = undefined;
    try {
      createTestScheduler();
    } catch (error) {
      thrown = error;
    } finally {
      (globalThis as { expect?: unknown }).expect = saved;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect(String(thrown)).toMatch(/pass an assertion/);
  });

  it('starts each scheduler at frame 0, so two tests in a file see the same frames', () => {
    const frames: number[] = [];
    for (let i = 0; i < 2; i++) {
      const scheduler = createTestScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const source = cold('--a|');
        source.subscribe(() => frames.push(scheduler.now()));
        expectObservable(source).toBe('--a|');
      });
    }
    expect(frames).toEqual([2, 2]);
  });
});
