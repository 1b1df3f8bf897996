/**
 * Asserts that the work `measure` counts grows linearly with the size of its input: doubling the
 * size roughly doubles the count, where a cost quadratic in the size would quadruple it.
 * `measure` returns an operation count (characters read, elements copied), never a time, so the
 * check is deterministic. A count that does not grow at all fails too: it means the measure does
 * not see the work.
 */
export function expectLinearGrowth(measure: (size: number) => number, size: number): void {
  const once = measure(size);
  const twice = measure(2 * size);
  expect(once).toBeGreaterThan(0);
  expect(twice / once).toBeGreaterThan(1.5);
  expect(twice / once).toBeLessThan(2.5);
}
