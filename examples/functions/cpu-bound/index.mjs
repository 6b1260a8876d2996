/**
 * CPU-bound sample: counts the primes up to `n` by trial division, on one thread.
 * Payload: { "n": 1000000 } (default 1,000,000: about 100-200 ms on one full vCPU).
 */
import { performance } from 'node:perf_hooks';

const DEFAULT_N = 1_000_000;

/** Trial division on purpose: pure integer work, no allocation, so time is all CPU. */
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
  return { n, primes, computeMs: performance.now() - start };
};
