/**
 * The cpu-bound sample after a well-meant pull request: "validate the result before returning it".
 * The check recomputes the whole count, so every invocation does twice the CPU work. Same response.
 * The demo gates this candidate against cpu-bound as the baseline: a real code regression.
 */
import { performance } from 'node:perf_hooks';

const DEFAULT_N = 1_000_000;

export function countPrimes(n) {
  let count = 0;
  for (let i = 2; i <= n; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) {
      if (i % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

export const handler = async (event) => {
  const n = Number.isInteger(event?.n) && event.n > 0 ? event.n : DEFAULT_N;
  const start = performance.now();
  const primes = countPrimes(n);
  // The regression: a "sanity check" that doubles the work.
  if (countPrimes(n) !== primes) throw new Error('prime count is not deterministic');
  return { n, primes, computeMs: performance.now() - start };
};
