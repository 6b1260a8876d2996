/**
 * Summary statistics for a sweep's samples (durations, costs), and how many samples a percentile needs.
 *
 * Percentiles use one definition everywhere (type 7, below) so that a p90 in a report, a baseline and a
 * budget check always means the same thing.
 */
import { LambdaCostGateError } from '../errors.js';

/** A sample or a probability that no statistic can be computed from. */
export class InvalidSampleError extends LambdaCostGateError {}

/** What {@link summarize} returns. */
export interface Summary {
  count: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  /** Sample standard deviation (divides by n − 1); 0 for a single value. */
  stdev: number;
}

/**
 * The p-quantile of sorted values, by linear interpolation between order statistics: Hyndman and Fan's
 * type 7, the default of R, NumPy and Excel's PERCENTILE.INC. With n values, h = (n − 1)·p and the result
 * is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (0-based). It never leaves [min, max], which is what a user
 * expects of "p99 = 812 ms": a duration that could have been observed, not an extrapolation.
 *
 * @param sorted - finite numbers in ascending order (checked: an unsorted input is a bug upstream)
 * @param p - the probability, from 0 (the minimum) to 1 (the maximum)
 * @throws {@link InvalidSampleError} on an empty or unsorted input, a non-finite value, or p outside [0, 1]
 *
 * @example
 * ```ts
 * quantile([10, 20, 30, 40], 0.5) // 25
 * quantile([10, 20, 30, 40], 0.9) // 37 (h = 2.7: 30 + 0.7 × 10)
 * ```
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new InvalidSampleError('Cannot compute a quantile of no values');
  // Written as a negation so that NaN is rejected too.
  if (!(p >= 0 && p <= 1)) throw new InvalidSampleError(`Quantile probability must be within [0, 1]; got ${p}`);
  for (const [index, value] of sorted.entries()) {
    if (!Number.isFinite(value)) throw new InvalidSampleError(`Value #${index} is not a finite number: ${value}`);
    if (index > 0 && value < sorted[index - 1]!) {
      throw new InvalidSampleError(`Values must be sorted in ascending order; #${index} (${value}) is out of order`);
    }
  }
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const below = sorted[lower]!;
  // At p = 1 (h = n − 1) there is no next value; the weight is 0 then anyway.
  const above = sorted[Math.min(lower + 1, sorted.length - 1)]!;
  return below + (h - lower) * (above - below);
}

/**
 * Count, mean, extremes, p50/p90/p99 ({@link quantile}, type 7) and sample standard deviation of values in
 * any order. The input is not modified.
 *
 * Mean and variance use Welford's one-pass update, which stays accurate when the values are large and close
 * together (costs of 1e-7 USD, durations of 10⁵ ms) where the sum-of-squares formula loses its digits.
 *
 * @throws {@link InvalidSampleError} on no values or a value that is not a finite number
 *
 * @example
 * ```ts
 * summarize([120, 100, 110])
 * // { count: 3, mean: 110, min: 100, max: 120, p50: 110, p90: 118, p99: 119.8, stdev: 10 }
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new InvalidSampleError('Cannot summarize no values');
  let mean = 0;
  let squares = 0;
  for (const [index, value] of values.entries()) {
    if (!Number.isFinite(value)) throw new InvalidSampleError(`Value #${index} is not a finite number: ${value}`);
    const delta = value - mean;
    mean += delta / (index + 1);
    squares += delta * (value - mean);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const count = values.length;
  return {
    count,
    mean,
    min: sorted[0]!,
    max: sorted[count - 1]!,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    stdev: count > 1 ? Math.sqrt(squares / (count - 1)) : 0
  };
}

/**
 * The fewest samples for which the largest one is an upper bound of the p-quantile with the given
 * confidence: the smallest n with 1 − pⁿ ≥ confidence, i.e. n ≥ ln(1 − confidence) / ln(p).
 *
 * Why it matters: with fewer samples, a "p99" is mostly the interpolation between the last two values and
 * says little about the tail. Reports use this to say "p99 needs 299 samples; you have 50" instead of
 * printing a number that looks precise. The bound is distribution-free (it holds whatever the shape of the
 * durations), so it is conservative for nicely shaped data and honest for the long tails Lambda has.
 *
 * @param p - the quantile, in [0, 1) (p = 1 would need infinitely many samples)
 * @param confidence - in (0, 1); 0.95 by default
 * @throws {@link InvalidSampleError} when p or confidence is out of range
 *
 * @example
 * ```ts
 * minSamplesForQuantile(0.99)       // 299
 * minSamplesForQuantile(0.99, 0.63) // 99
 * minSamplesForQuantile(0.9)        // 29
 * ```
 */
export function minSamplesForQuantile(p: number, confidence = 0.95): number {
  if (!(p >= 0 && p < 1)) throw new InvalidSampleError(`Quantile probability must be within [0, 1); got ${p}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new InvalidSampleError(`Confidence must be within (0, 1); got ${confidence}`);
  }
  // The logarithm ratio can land a hair above a whole number (29.000000000000004 for p = 0.5,
  // confidence = 1 − 2⁻²⁹, where 29 is enough), so start one below its ceiling and let the exact
  // condition decide.
  let n = Math.max(1, Math.ceil(Math.log(1 - confidence) / Math.log(p)) - 1);
  while (1 - p ** n < confidence) n++;
  return n;
}
