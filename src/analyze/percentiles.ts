/**
 * Distribution-free confidence intervals for quantiles, from order statistics.
 *
 * With n samples, the number B of them at or below the true p-quantile Q is binomial(n, p), whatever the
 * shape of the durations. So the order statistics X(l) ≤ X(u) (1-based ranks) bracket Q with probability
 * P(l ≤ B ≤ u − 1) = 1 − P(B < l) − P(B ≥ u): choosing the ranks from the binomial tails gives an exact
 * interval without assuming a normal (or any) distribution. Lambda durations have long, lumpy tails, which
 * is exactly where a normal-theory interval would lie.
 *
 * The interval used here (one definition, everywhere):
 * - equal-tailed when the sample allows it: each tail at most α/2, with α = 1 − confidence;
 * - when one side cannot fit α/2 (p99 from a few hundred samples: even the maximum misses Q with more than
 *   α/2), that side takes the extreme sample and the other side gets what is left of α;
 * - an interval exists at all only when P(B = 0) + P(B = n) = (1 − p)ⁿ + pⁿ ≤ α. For p99 at 95 % that is
 *   n ≥ 299, the same count as the one-sided bound of `minSamplesForQuantile` in stats.ts, so a report never
 *   says "299 are enough" in one place and "368 are needed" (the strict equal-tailed count) in another.
 *
 * Computation is exact: binomial probabilities come from the mode (log factorials, Stirling series above
 * 255) and a ratio recurrence outward, so nothing underflows and the cost is O(√n), not O(n). Tails smaller
 * than α·10⁻²⁰ are dropped, which cannot move a rank. n up to 10⁶ takes well under a millisecond, so no
 * normal approximation is needed; the tests check that the exact ranks agree with it at n = 10⁶.
 */
import { interpolateQuantile, InvalidSampleError, quantile, quantileIndex } from './stats.js';

/** A sample quantile with its distribution-free confidence interval. */
export interface QuantileEstimate {
  /** The probability, e.g. 0.99 for p99. */
  p: number;
  /** The sample quantile, type 7 (as `quantile()` in stats.ts). */
  value: number;
  /** Lower end of the interval: a sample value. With `enough: false`, a one-sided bound when one exists. */
  lower?: number;
  /** Upper end of the interval: a sample value. With `enough: false`, a one-sided bound when one exists. */
  upper?: number;
  confidence: number;
  /** Whether the samples bracket the quantile at this confidence (both `lower` and `upper` are set). */
  enough: boolean;
  /** Why the estimate is weak, in words, when it is. */
  note?: string;
  /** The fewest samples for which an interval exists; absent for p = 0 or 1, which no sample count bounds. */
  samplesNeeded?: number;
}

/** 1-based ranks of the order statistics that bound a quantile; see {@link quantileRanks}. */
export interface QuantileRanks {
  lower?: number;
  upper?: number;
  /** Both ranks exist and the pair covers the quantile with at least the asked confidence. */
  enough: boolean;
}

/**
 * The ranks (l, u) of the order statistics that bracket the p-quantile with at least `confidence`, by the
 * rule in this module's header. With `enough: false` each rank present is a one-sided bound at `confidence`.
 *
 * @throws {@link InvalidSampleError} when n is not a whole number ≥ 1, p is outside [0, 1] or confidence
 *   outside (0, 1)
 *
 * @example
 * ```ts
 * quantileRanks(100, 0.5)  // { lower: 40, upper: 61, enough: true }
 * quantileRanks(20, 0.99)  // { lower: 19, enough: false }: X(19) is a one-sided lower bound; no upper exists
 * quantileRanks(299, 0.99) // { lower: 289, upper: 299, enough: true }
 * ```
 */
export function quantileRanks(n: number, p: number, confidence = 0.95): QuantileRanks {
  if (!(Number.isInteger(n) && n >= 1))
    throw new InvalidSampleError(`Sample count must be a whole number ≥ 1; got ${n}`);
  checkArguments(p, confidence);
  const alpha = 1 - confidence;
  // B = 0 (all samples above Q) leaves no lower rank; B = n (all below) leaves no upper rank.
  const missLow = (1 - p) ** n;
  const missHigh = p ** n;
  if (missLow + missHigh > alpha) {
    return {
      ...(missLow <= alpha ? { lower: lowerRank(n, p, alpha) } : {}),
      ...(missHigh <= alpha ? { upper: upperRank(n, p, alpha) } : {}),
      enough: false
    };
  }
  if (missHigh > alpha / 2) return { lower: lowerRank(n, p, alpha - missHigh), upper: n, enough: true };
  if (missLow > alpha / 2) return { lower: 1, upper: upperRank(n, p, alpha - missLow), enough: true };
  return { lower: lowerRank(n, p, alpha / 2), upper: upperRank(n, p, alpha / 2), enough: true };
}

/**
 * The fewest samples for which {@link quantileRanks} finds an interval: the smallest n with
 * (1 − p)ⁿ + pⁿ ≤ 1 − confidence. Undefined for p = 0 or 1 (no sample count bounds the extremes).
 *
 * @example
 * ```ts
 * samplesNeededForInterval(0.99) // 299
 * samplesNeededForInterval(0.5)  // 6
 * samplesNeededForInterval(0.9)  // 29
 * ```
 */
export function samplesNeededForInterval(p: number, confidence = 0.95): number | undefined {
  checkArguments(p, confidence);
  if (p === 0 || p === 1) return undefined;
  const alpha = 1 - confidence;
  // max(p, 1 − p)ⁿ ≤ the sum, so the sum needs at least log α / log max(p, 1 − p) samples: start just below
  // that (the logarithm ratio can round up past a whole number) and let the exact condition decide.
  let n = Math.max(1, Math.ceil(Math.log(alpha) / Math.log(Math.max(p, 1 - p))) - 1);
  while ((1 - p) ** n + p ** n > alpha) n++;
  return n;
}

/**
 * The p-quantile of sorted samples (type 7) with its distribution-free interval at `confidence`.
 *
 * @param sorted - finite numbers in ascending order (an array or a typed array; read, never copied)
 * @param p - in [0, 1]
 * @param confidence - in (0, 1); 0.95 by default
 * @throws {@link InvalidSampleError} on no values, unsorted or non-finite values, or p or confidence out of range
 *
 * @example
 * ```ts
 * estimateQuantile(durations, 0.5)
 * // { p: 0.5, value: 101.2, lower: 98.7, upper: 104.9, confidence: 0.95, enough: true, samplesNeeded: 6 }
 * estimateQuantile(twentyDurations, 0.99)
 * // { p: 0.99, value: 180.3, lower: 171.4, confidence: 0.95, enough: false, samplesNeeded: 299,
 * //   note: 'p99 of 20 samples is no better than the sample maximum; at least 299 samples are needed for a 95 % interval' }
 * ```
 */
export function estimateQuantile(sorted: ArrayLike<number>, p: number, confidence = 0.95): QuantileEstimate {
  // quantile() validates the values and p; confidence is checked by quantileRanks.
  const value = quantile(sorted, p);
  return estimateAtRanks(sorted, p, confidence, quantileRanks(sorted.length, p, confidence), value);
}

/**
 * The 0-based ranks of every order statistic {@link estimateAtRanks} reads for the p-quantile of n values:
 * the two the value interpolates between, and the interval's ends.
 *
 * @example
 * ```ts
 * neededRanks(100, 0.5, quantileRanks(100, 0.5)) // [49, 50, 39, 60]
 * ```
 */
export function neededRanks(n: number, p: number, ranks: QuantileRanks): number[] {
  const index = quantileIndex(n, p);
  const needed = [index, Math.min(index + 1, n - 1)];
  if (ranks.lower !== undefined) needed.push(ranks.lower - 1);
  if (ranks.upper !== undefined) needed.push(ranks.upper - 1);
  return needed;
}

/**
 * {@link estimateQuantile} without re-reading every value: for callers that have checked the values (finite)
 * and p and confidence ({@link quantileRanks} does), and have put at least the {@link neededRanks} in sorted
 * position, whether by a sort or by `selectRanks` (stats.ts). Gives what estimateQuantile gives on the sorted
 * values.
 *
 * @param value - the quantile itself when already known; else interpolated from `ordered`
 */
export function estimateAtRanks(
  ordered: ArrayLike<number>,
  p: number,
  confidence: number,
  ranks: QuantileRanks,
  value: number = interpolateQuantile(ordered, p)
): QuantileEstimate {
  const n = ordered.length;
  const samplesNeeded = samplesNeededForInterval(p, confidence);
  const estimate: QuantileEstimate = {
    p,
    value,
    ...(ranks.lower !== undefined ? { lower: ordered[ranks.lower - 1]! } : {}),
    ...(ranks.upper !== undefined ? { upper: ordered[ranks.upper - 1]! } : {}),
    confidence,
    enough: ranks.enough,
    ...(samplesNeeded !== undefined ? { samplesNeeded } : {})
  };
  if (!ranks.enough) estimate.note = weakNote(n, p, confidence, ranks, samplesNeeded);
  return estimate;
}

/**
 * The label people write for a quantile.
 *
 * @example
 * ```ts
 * quantileLabel(0.99)  // 'p99'
 * quantileLabel(0.999) // 'p99.9'
 * ```
 */
export function quantileLabel(p: number): string {
  return `p${Number((p * 100).toFixed(6))}`;
}

function weakNote(
  n: number,
  p: number,
  confidence: number,
  ranks: QuantileRanks,
  samplesNeeded: number | undefined
): string {
  const what = `${quantileLabel(p)} of ${n} sample${n === 1 ? '' : 's'}`;
  if (samplesNeeded === undefined) {
    return `${what} is the sample ${p === 0 ? 'minimum' : 'maximum'}; no number of samples gives an interval for it`;
  }
  const need = `at least ${samplesNeeded} samples are needed for a ${Number((confidence * 100).toFixed(4))} % interval`;
  if (ranks.lower === undefined && ranks.upper === undefined)
    return `${what} cannot be bounded on either side; ${need}`;
  if (ranks.upper === undefined) return `${what} is no better than the sample maximum; ${need}`;
  if (ranks.lower === undefined) return `${what} is no better than the sample minimum; ${need}`;
  return `${what} cannot be bracketed by two samples; ${need}`;
}

function checkArguments(p: number, confidence: number): void {
  // Negated comparisons reject NaN too.
  if (!(p >= 0 && p <= 1)) throw new InvalidSampleError(`Quantile probability must be within [0, 1]; got ${p}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new InvalidSampleError(`Confidence must be within (0, 1); got ${confidence}`);
  }
}

/** The largest l with P(B < l) ≤ tail, for B ~ binomial(n, p); the caller knows P(B = 0) ≤ tail. */
function lowerRank(n: number, p: number, tail: number): number {
  // P(B ≤ l − 1) ≤ tail < P(B ≤ l): l is the first k whose CDF exceeds the tail.
  return firstCdfAbove(n, p, tail);
}

/** The smallest u with P(B ≥ u) ≤ tail; the caller knows P(B = n) ≤ tail. */
function upperRank(n: number, p: number, tail: number): number {
  // n − B ~ binomial(n, 1 − p) and P(B ≥ u) = P(n − B ≤ n − u): the same search, mirrored.
  return n - firstCdfAbove(n, 1 - p, tail) + 1;
}

/**
 * The smallest k with P(B ≤ k) > tail, B ~ binomial(n, p), 0 < p < 1, 0 < tail < 1.
 *
 * Starts at the mode, whose probability (≥ about 1/√(2πnp(1 − p))) never underflows, walks down with the
 * ratio recurrence until the probabilities are negligible, then walks back up summing the CDF. Summing from
 * the small end keeps the tail's relative precision, which 1 − (the rest) would lose.
 */
function firstCdfAbove(n: number, p: number, tail: number): number {
  const odds = p / (1 - p);
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const negligible = tail * 1e-20;
  let k = mode;
  let mass = Math.exp(logChoose(n, mode) + mode * Math.log(p) + (n - mode) * Math.log1p(-p));
  while (k > 0 && mass > negligible) {
    mass *= k / ((n - k + 1) * odds);
    k--;
  }
  let cdf = 0;
  for (; k < n; k++) {
    cdf += mass;
    if (cdf > tail) return k;
    mass *= ((n - k) * odds) / (k + 1);
  }
  return n;
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const SMALL_FACTORIALS = 256;
let smallLogFactorials: number[] | undefined;

/** ln k!: a table below 256, Stirling's series above (its error there is below 10⁻²⁰). */
function logFactorial(k: number): number {
  if (k < SMALL_FACTORIALS) {
    if (smallLogFactorials === undefined) {
      smallLogFactorials = [0];
      for (let i = 1; i < SMALL_FACTORIALS; i++) smallLogFactorials.push(smallLogFactorials[i - 1]! + Math.log(i));
    }
    return smallLogFactorials[k]!;
  }
  const inverse = 1 / k;
  const inverse2 = inverse * inverse;
  return (
    k * Math.log(k) -
    k +
    0.5 * Math.log(2 * Math.PI * k) +
    inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 / 1680)))
  );
}
