/**
 * Intervals of means for the stopping rule: the change of the mean cost (a ratio of two means, or of two
 * cost-per-job ratios), one side's mean cost, and the difference of two means (the monthly bill).
 *
 * Why not the bootstrap the one-shot comparison uses. A look of a sequential test gets a small share of the
 * error rate, e.g. 0.4 %, so its interval reaches 0.2 % into each tail: a percentile bootstrap would need some
 * 10,000 resamples per look to place that end, and still place it by Monte Carlo. For a mean, the percentile
 * bootstrap approximates the normal-theory interval anyway; here that interval is computed exactly:
 * - a change is estimated on the log scale, ln(m_c / m_b), whose standard error by the delta method is
 *   √(v_c / m_c² + v_b / m_b²) with v the variance of each side's mean (s² / n), and whose interval uses
 *   Student's t with Welch–Satterthwaite degrees of freedom, which widens it honestly for small samples;
 *   the ends are then exp(·) − 1, so the interval of a ratio is never symmetric where the ratio is not;
 * - a cost per job is a ratio estimator Σcost / Σjobs, whose variance is Σ(cost_i − R·jobs_i)² / (n(n − 1)·x̄²).
 * Each side's samples are independent of the other's (as in the comparison).
 */
import { normalCdf, studentTTailQuantile } from './distributions.js';
import type { Interval } from '../compare/types.js';

/**
 * How wide a look's interval is: the confidence it is reported at, and its half-width in standard errors
 * for a given number of degrees of freedom (Student's t quantile of the same tail).
 */
export interface Level {
  confidence: number;
  critical: (degreesOfFreedom: number) => number;
}

/**
 * The level of a two-sided interval at `confidence`.
 *
 * @example
 * ```ts
 * levelAt(0.95).critical(Infinity) // 1.96
 * ```
 */
export function levelAt(confidence: number): Level {
  const tail = (1 - confidence) / 2;
  return { confidence, critical: (degrees) => studentTTailQuantile(tail, degrees) };
}

/**
 * The level that stops at a normal boundary c: each tail Φ(−c), read on Student's t for small samples.
 *
 * @example
 * ```ts
 * levelAtBoundary(2.24).confidence // 0.9749
 * ```
 */
export function levelAtBoundary(boundary: number): Level {
  const tail = normalCdf(-boundary);
  return { confidence: 1 - 2 * tail, critical: (degrees) => studentTTailQuantile(tail, degrees) };
}

/** A mean (or a ratio estimator) with the variance of that estimate. */
export interface MeanStats {
  /** Observations. */
  n: number;
  /** Σy / n, or Σy / Σx for a ratio estimator. */
  estimate: number;
  /** Estimated variance of `estimate` (0 when every observation is the same). */
  variance: number;
}

/**
 * The mean of `y`, or the ratio estimator Σy / Σx when `x` is given, with its variance; undefined with fewer
 * than two observations or Σx = 0.
 *
 * @example
 * ```ts
 * meanStats(Float64Array.from([1, 2, 3])) // { n: 3, estimate: 2, variance: 1 / 3 }
 * meanStats(Float64Array.from([2, 4]), Float64Array.from([1, 1])) // { n: 2, estimate: 3, variance: 1 }
 * ```
 */
export function meanStats(y: Float64Array, x?: Float64Array): MeanStats | undefined {
  const n = y.length;
  if (n < 2) return undefined;
  let sumY = 0;
  let sumX = 0;
  for (let i = 0; i < n; i++) {
    sumY += y[i]!;
    sumX += x === undefined ? 1 : x[i]!;
  }
  if (!(sumX > 0)) return undefined;
  const estimate = sumY / sumX;
  const meanX = sumX / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const residual = y[i]! - estimate * (x === undefined ? 1 : x[i]!);
    squares += residual * residual;
  }
  return { n, estimate, variance: squares / ((n - 1) * n * meanX * meanX) };
}

/**
 * The interval of candidate / baseline − 1 at `level`: log scale, delta method, Welch's t. `runVariation`
 * is the relative standard deviation of a whole run's level (see the stopping rule), 0 when both sides ran
 * in the same rounds. Undefined when either estimate is not positive (no ratio, or no logarithm).
 *
 * @example
 * ```ts
 * changeInterval(meanStats(candidateCosts)!, meanStats(baselineCosts)!, levelAt(0.99))
 * // { estimate: 0.12, lower: 0.07, upper: 0.17, confidence: 0.99 }
 * ```
 */
export function changeInterval(
  candidate: MeanStats,
  baseline: MeanStats,
  level: Level,
  runVariation = 0
): Interval | undefined {
  if (!(candidate.estimate > 0 && baseline.estimate > 0)) return undefined;
  const relativeC = candidate.variance / candidate.estimate ** 2;
  const relativeB = baseline.variance / baseline.estimate ** 2;
  // Each run's level varies by runVariation (relative): on the log scale that adds 2·τ² to the variance.
  const variance = relativeC + relativeB + 2 * runVariation ** 2;
  const half = level.critical(welch(relativeC, candidate.n, relativeB, baseline.n)) * Math.sqrt(variance);
  const log = Math.log(candidate.estimate / baseline.estimate);
  return {
    estimate: candidate.estimate / baseline.estimate - 1,
    lower: Math.expm1(log - half),
    upper: Math.expm1(log + half),
    confidence: level.confidence
  };
}

/**
 * The interval of one mean, `scale` × estimate (e.g. 10⁶ for a cost per million), with Student's t on n − 1
 * degrees of freedom.
 *
 * @example
 * ```ts
 * meanInterval(meanStats(costs)!, levelAt(0.99), 1_000_000) // { estimate: 2.08, lower: 2.01, upper: 2.15, confidence: 0.99 }
 * ```
 */
export function meanInterval(stats: MeanStats, level: Level, scale = 1, runVariation = 0): Interval {
  const half = level.critical(stats.n - 1) * Math.sqrt(stats.variance + (runVariation * stats.estimate) ** 2);
  return {
    estimate: scale * stats.estimate,
    lower: scale * (stats.estimate - half),
    upper: scale * (stats.estimate + half),
    confidence: level.confidence
  };
}

/**
 * The interval of `scale` × (candidate − baseline), with Welch's t.
 *
 * @example
 * ```ts
 * differenceInterval(meanStats(c)!, meanStats(b)!, levelAt(0.99), 10_000_000) // the monthly bill's change, USD
 * ```
 */
export function differenceInterval(
  candidate: MeanStats,
  baseline: MeanStats,
  level: Level,
  scale = 1,
  runVariation = 0
): Interval {
  const degrees = welch(candidate.variance, candidate.n, baseline.variance, baseline.n);
  const runs = runVariation ** 2 * (candidate.estimate ** 2 + baseline.estimate ** 2);
  const half = level.critical(degrees) * Math.sqrt(candidate.variance + baseline.variance + runs);
  const estimate = candidate.estimate - baseline.estimate;
  return {
    estimate: scale * estimate,
    lower: scale * (estimate - half),
    upper: scale * (estimate + half),
    confidence: level.confidence
  };
}

/** Welch–Satterthwaite degrees of freedom of a sum of two variances of means; Infinity when both are 0. */
function welch(varianceA: number, nA: number, varianceB: number, nB: number): number {
  const denominator = varianceA ** 2 / (nA - 1) + varianceB ** 2 / (nB - 1);
  return denominator > 0 ? (varianceA + varianceB) ** 2 / denominator : Infinity;
}
