/**
 * The Clopper–Pearson ("exact") interval of a binomial proportion, for the error rate.
 *
 * With k failures in n invocations, the lower end is the p at which k or more failures would happen with
 * probability α/2, the upper end the p at which k or fewer would; each is found by bisection on the exact
 * binomial tail. It is conservative (covers at least the asked confidence) and, unlike the normal
 * approximation, stays sensible at 0 or 1 failures, which is where an error budget usually sits.
 */
import type { Interval } from './types.js';

/** Bisection steps: 2⁻⁶⁰ is far below any rate a report prints. */
const STEPS = 60;

/**
 * The Clopper–Pearson interval of k successes (here: failures) in n trials, estimate k / n.
 *
 * @param k - whole number in [0, n]
 * @param n - whole number ≥ 1
 *
 * @example
 * ```ts
 * clopperPearson(1, 300, 0.95) // { estimate: 0.00333, lower: 0.0000844, upper: 0.0184, confidence: 0.95 }
 * clopperPearson(0, 300, 0.95) // { estimate: 0, lower: 0, upper: 0.0122, confidence: 0.95 }
 * ```
 */
export function clopperPearson(k: number, n: number, confidence: number): Interval {
  const tail = (1 - confidence) / 2;
  // Closed forms at the edges: P(X = 0) = (1 − p)ⁿ and P(X = n) = pⁿ.
  const lower = k === 0 ? 0 : k === n ? tail ** (1 / n) : bisect((p) => upperTail(k, n, p) > tail);
  const upper = k === n ? 1 : k === 0 ? 1 - tail ** (1 / n) : bisect((p) => lowerTail(k, n, p) < tail);
  return { estimate: k / n, lower, upper, confidence };
}

/** The smallest p in [0, 1] at which `above` holds, for a condition that holds from some p on. */
function bisect(above: (p: number) => boolean): number {
  let low = 0;
  let high = 1;
  for (let step = 0; step < STEPS; step++) {
    const middle = (low + high) / 2;
    if (above(middle)) high = middle;
    else low = middle;
  }
  return (low + high) / 2;
}

/** P(X ≤ k) for X ~ binomial(n, p): decreasing in p. */
function lowerTail(k: number, n: number, p: number): number {
  // Sum the shorter side: errors are few, so this is usually the head. The tails compared are about α/2, far
  // from 0, so taking a complement loses no precision that matters.
  return k <= n / 2 ? head(k, n, p) : 1 - tail(k + 1, n, p);
}

/** P(X ≥ k): increasing in p. */
function upperTail(k: number, n: number, p: number): number {
  return k <= n / 2 ? 1 - head(k - 1, n, p) : tail(k, n, p);
}

/** P(X ≤ k), summed upwards from 0; each term in logarithms (C(n, i) by a running sum) so none overflows. */
function head(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logChoose = 0;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    sum += Math.exp(logChoose + i * logP + (n - i) * logQ);
  }
  return sum;
}

/** P(X ≥ k), summed downwards from n, as {@link head} mirrored. */
function tail(k: number, n: number, p: number): number {
  if (k > n) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logChoose = 0;
  let sum = 0;
  for (let i = n; i >= k; i--) {
    if (i < n) logChoose += Math.log((i + 1) / (n - i));
    sum += Math.exp(logChoose + i * logP + (n - i) * logQ);
  }
  return sum;
}
