/** Worker thread of the batch sample: counts primes up to `jobSize` for each job it is sent. */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

function countPrimes(n) {
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

parentPort.on('message', ({ index, jobSize }) => {
  const start = performance.now();
  const primes = countPrimes(jobSize);
  parentPort.postMessage({ index, primes, ms: performance.now() - start });
});
