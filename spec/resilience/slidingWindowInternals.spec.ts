import { SlidingWindow } from '../../src/resilience/slidingWindowInternals.js';

describe('SlidingWindow', () => {
  it('sums what was added in the last windowMs', () => {
    const window = new SlidingWindow(100);
    window.add(0, 5);
    window.add(50, 7);
    expect(window.total(99)).toBe(12);
    expect(window.total(100)).toBe(7);
    expect(window.total(150)).toBe(0);
  });

  it('says when the oldest entry leaves', () => {
    const window = new SlidingWindow(100);
    expect(window.nextExpiry(0)).toBeUndefined();
    window.add(10, 1);
    window.add(40, 1);
    expect(window.nextExpiry(20)).toBe(110);
    expect(window.nextExpiry(110)).toBe(140);
  });

  it('corrects an entry while it is in the window, and reports a decrease', () => {
    const window = new SlidingWindow(100);
    const entry = window.add(0, 50);
    expect(window.update(entry, 80)).toBe(false);
    expect(window.total(10)).toBe(80);
    expect(window.update(entry, 20)).toBe(true);
    expect(window.total(10)).toBe(20);
    window.total(100);
    expect(window.update(entry, 0)).toBe(false);
    expect(window.total(100)).toBe(0);
  });

  it('keeps its total right over many entries, dropping the expired ones', () => {
    const window = new SlidingWindow(10);
    for (let t = 0; t < 1000; t++) window.add(t, 1);
    expect(window.total(999)).toBe(10);
    expect(window.total(1009)).toBe(0);
    expect(window.nextExpiry(1009)).toBeUndefined();
  });
});
