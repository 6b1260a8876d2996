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
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new InvalidSampleError('Cannot compute a quantile of no values');
  // Written as a negation so that NaN is rejected too.
  if (!(p >= 0 && p <= 1)) throw new InvalidSampleError(`Quantile probability must be within [0, 1]; got ${p}`);
  let previous = -Infinity;
  for (let index = 0; index < n; index++) {
    const value = sorted[index]!;
    if (!Number.isFinite(value)) throw new InvalidSampleError(`Value #${index} is not a finite number: ${value}`);
    if (value < previous) {
      throw new InvalidSampleError(`Values must be sorted in ascending order; #${index} (${value}) is out of order`);
    }
    previous = value;
  }
  return interpolateQuantile(sorted, p);
}

/**
 * {@link quantile} without its checks, for callers that have made them: reads only the order statistics at
 * 0-based ranks {@link quantileIndex} and the one after it (capped at n − 1), which need not be sorted elsewhere
 * (see {@link selectRanks}).
 */
export function interpolateQuantile(ordered: ArrayLike<number>, p: number): number {
  const n = ordered.length;
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const below = ordered[lower]!;
  // At p = 1 (h = n − 1) there is no next value; the weight is 0 then anyway.
  const above = ordered[Math.min(lower + 1, n - 1)]!;
  return below + (h - lower) * (above - below);
}

/** The 0-based rank of the order statistic that {@link quantile} starts from: ⌊(n − 1)·p⌋. */
export function quantileIndex(n: number, p: number): number {
  return Math.floor((n - 1) * p);
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
export function summarize(values: ArrayLike<number>): Summary {
  const count = values.length;
  if (count === 0) throw new InvalidSampleError('Cannot summarize no values');
  let mean = 0;
  let squares = 0;
  for (let index = 0; index < count; index++) {
    const value = values[index]!;
    if (!Number.isFinite(value)) throw new InvalidSampleError(`Value #${index} is not a finite number: ${value}`);
    const delta = value - mean;
    mean += delta / (index + 1);
    squares += delta * (value - mean);
  }
  const sorted = sortAscending(new Float64Array(values));
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
 * Sorts finite numbers in place, ascending, and returns them: the typed array's native numeric sort, which
 * needs no comparator call per comparison. It orders −0 before +0, where `(a, b) => a − b` keeps equal
 * values in their input order; so when a zero is present the comparator sort is used, and the result is
 * always exactly what `[...values].sort((a, b) => a - b)` gives.
 *
 * @example
 * ```ts
 * sortAscending(new Float64Array([3, 1, 2])) // Float64Array [1, 2, 3]
 * ```
 */
export function sortAscending(values: Float64Array): Float64Array {
  const n = values.length;
  for (let index = 0; index < n; index++) {
    if (values[index] === 0) return values.sort((a, b) => a - b);
  }
  return values.sort();
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

/** Below this many values a range is finished by insertion sort. */
const SMALL_RANGE = 24;

/**
 * Moves the values at the given 0-based ranks to where an ascending sort would put them, in O(n) expected
 * time instead of a sort's O(n log n): a quickselect that follows every wanted rank at once, with Hoare
 * partitions (which stay balanced when values repeat, as durations do) and, past a recursion depth of
 * 2·log₂ n, a sort of what is left, so that no input can make it quadratic. Other positions end up in no
 * useful order.
 *
 * The values must be finite and hold no zero: then equal values are identical, and the value at each rank
 * is exactly what a sort would put there. (A comparator sort keeps −0 and +0 in input order; for zeros use
 * {@link sortAscending}.)
 *
 * @param ranks - ascending, without repeats, each in [0, n)
 *
 * @example
 * ```ts
 * const values = new Float64Array([5, 1, 4, 2, 3]);
 * selectRanks(values, [0, 2, 4]); // values[0] === 1, values[2] === 3, values[4] === 5
 * ```
 */
export function selectRanks(values: Float64Array, ranks: readonly number[]): void {
  if (ranks.length === 0 || values.length === 0) return;
  const depth = 2 * Math.ceil(Math.log2(values.length + 1));
  selectRange(values, 0, values.length - 1, ranks, 0, ranks.length - 1, depth);
}

/** {@link selectRanks} for values[left..right] and ranks[first..last], all of which lie in that range. */
function selectRange(
  values: Float64Array,
  left: number,
  right: number,
  ranks: readonly number[],
  first: number,
  last: number,
  depth: number
): void {
  for (;;) {
    if (right - left < SMALL_RANGE) {
      insertionSort(values, left, right);
      return;
    }
    if (depth-- === 0) {
      // No zeros, so the native numeric sort orders exactly as a comparator sort would.
      values.subarray(left, right + 1).sort();
      return;
    }
    // Hoare's partition around the median of three, moved to values[left] so that both scans stop in range:
    // afterwards values[left..split] ≤ pivot ≤ values[split + 1..right], with left ≤ split < right.
    const middle = (left + right) >>> 1;
    const atLeft = values[left]!;
    const pivot = medianOfThree(atLeft, values[middle]!, values[right]!);
    if (pivot === values[middle]) {
      values[middle] = atLeft;
      values[left] = pivot;
    } else if (pivot === values[right]) {
      values[right] = atLeft;
      values[left] = pivot;
    }
    let up = left - 1;
    let split = right + 1;
    for (;;) {
      do up++;
      while (values[up]! < pivot);
      do split--;
      while (values[split]! > pivot);
      if (up >= split) break;
      const value = values[up]!;
      values[up] = values[split]!;
      values[split] = value;
    }
    // Every value on the left is ≤ every value on the right: ranks ≤ split are found on the left.
    let onRight = first;
    while (onRight <= last && ranks[onRight]! <= split) onRight++;
    if (onRight > last) {
      right = split;
      continue;
    }
    if (onRight > first) selectRange(values, left, split, ranks, first, onRight - 1, depth);
    left = split + 1;
    first = onRight;
  }
}

function insertionSort(values: Float64Array, left: number, right: number): void {
  for (let index = left + 1; index <= right; index++) {
    const value = values[index]!;
    let at = index - 1;
    while (at >= left && values[at]! > value) {
      values[at + 1] = values[at]!;
      at--;
    }
    values[at + 1] = value;
  }
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
