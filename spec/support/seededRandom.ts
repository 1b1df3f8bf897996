/**
 * A small deterministic generator (a linear congruential one): the same numbers in [0, 1) for the
 * same seed on every run, so property-style specs and benchmarks see the same inputs each time.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
