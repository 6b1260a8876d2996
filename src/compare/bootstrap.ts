/**
 * Seeded percentile bootstrap for the comparison: resampled means, cost-per-job ratios and quantiles of one
 * side's samples, and the interval of a statistic from its replicates.
 *
 * Each side is resampled on its own (with replacement, the side's own sample count), so replicate i of the
 * candidate and replicate i of the baseline are independent draws; a change's replicate is a function of the
 * two. The interval is the α/2 and 1 − α/2 percentiles (type 7) of the replicates, widened to include the
 * point estimate when it falls outside (which it can, for a tail quantile of a lumpy sample): the estimate a
 * reader sees always lies inside the interval printed beside it.
 *
 * Quantiles of a resample are read without sorting it: the values are sorted once, a resample is a count per
 * sorted index, and the order statistics near the tail are found by walking the counts from the top. 2000
 * resamples of 300 values take a few milliseconds.
 */
import { mulberry32 } from '../sweep/plan.js';
import { interpolateQuantile } from '../analyze/stats.js';
import type { Interval } from './types.js';

/** One side's replicates of its cost statistics; index i of every array comes from the same resample. */
export interface CostReplicates {
  /** Mean cost per invocation of each resample. */
  meanCost: Float64Array;
  /** Total cost / total jobs of each resample; NaN where a resample did no job. Absent without jobs. */
  costPerJob?: Float64Array;
  /** Mean billed duration of each resample, ms; only when billed durations were given. */
  meanBilled?: Float64Array;
}

/**
 * A generator for one side at one size: the seed, the size and the side are mixed so that sizes and sides
 * draw independent streams, and adding a gated size does not move another size's intervals.
 *
 * The stream is sfc32 (Chris Doty-Humphrey's small fast counter generator), seeded from mulberry32: a
 * bootstrap draws millions of numbers, and sfc32 needs only additions, shifts and xors, where mulberry32 calls
 * Math.imul per draw, which is not inlined everywhere (inside Jest's VM contexts it costs a hundred times more).
 *
 * @example
 * ```ts
 * const random = sideRandom(42, 1024, 'candidate');
 * random(); // a uniform number in [0, 1), the same on every run
 * ```
 */
export function sideRandom(seed: number, memoryMb: number, side: 'candidate' | 'baseline'): () => number {
  let state = (Math.trunc(seed) >>> 0) ^ Math.imul(Math.trunc(memoryMb) >>> 0, 0x9e3779b1);
  state ^= side === 'candidate' ? 0x85ebca6b : 0xc2b2ae35;
  // A murmur finaliser, so nearby seeds and sizes start far apart.
  state = Math.imul(state ^ (state >>> 16), 0x7feb352d);
  state = Math.imul(state ^ (state >>> 15), 0x846ca68b);
  const seeder = mulberry32((state ^ (state >>> 16)) >>> 0);
  const word = () => (seeder() * 4294967296) | 0;
  let a = word();
  let b = word();
  let c = word();
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs of a freshly seeded sfc32 are still close to its seed: discard them, as its author does.
  for (let i = 0; i < 12; i++) next();
  return next;
}

/**
 * Resamples per-invocation costs (and, when given, the jobs of the same invocations) `resamples` times.
 *
 * @param costs - cost of each billed invocation, USD; at least one
 * @param jobs - jobs of each of those invocations, same order, or undefined when cost is per invocation
 * @param billedMs - billed duration of each of those invocations, same order: resampled with the same indices,
 *   so each cost replicate is the affine image of its billed-duration replicate (cost follows from the mean
 *   billed duration). Drawing no extra random numbers, it leaves the cost replicates as they were without it.
 *
 * @example
 * ```ts
 * resampleCosts(new Float64Array([1e-6, 2e-6]), undefined, 2000, random).meanCost.length // 2000
 * ```
 */
export function resampleCosts(
  costs: Float64Array,
  jobs: Float64Array | undefined,
  resamples: number,
  random: () => number,
  billedMs?: Float64Array
): CostReplicates {
  const n = costs.length;
  const meanCost = new Float64Array(resamples);
  const costPerJob = jobs === undefined ? undefined : new Float64Array(resamples);
  const meanBilled = billedMs === undefined ? undefined : new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let cost = 0;
    let jobCount = 0;
    let billed = 0;
    for (let i = 0; i < n; i++) {
      // `| 0` rather than Math.floor: the same for indices below 2³¹, and no builtin call in the hot loop.
      const index = (random() * n) | 0;
      cost += costs[index]!;
      if (jobs !== undefined) jobCount += jobs[index]!;
      if (billedMs !== undefined) billed += billedMs[index]!;
    }
    meanCost[r] = cost / n;
    // A resample without a single job has no cost per job; NaN keeps its place and is left out of the interval.
    if (costPerJob !== undefined) costPerJob[r] = jobCount > 0 ? cost / jobCount : Number.NaN;
    if (meanBilled !== undefined) meanBilled[r] = billed / n;
  }
  return {
    meanCost,
    ...(costPerJob !== undefined ? { costPerJob } : {}),
    ...(meanBilled !== undefined ? { meanBilled } : {})
  };
}

/**
 * The p-quantile (type 7) of `resamples` resamples of sorted values, without sorting any resample: each
 * resample is a count per index of `sorted`, and the two order statistics the quantile interpolates between
 * are found by walking the counts from the top (from the bottom for p < 0.5).
 *
 * @param sorted - ascending, at least one value
 *
 * @example
 * ```ts
 * resampleQuantile(sortedDurations, 0.99, 2000, random) // Float64Array of 2000 p99s
 * ```
 */
export function resampleQuantile(
  sorted: Float64Array,
  p: number,
  resamples: number,
  random: () => number
): Float64Array {
  const n = sorted.length;
  const counts = new Int32Array(n);
  const h = (n - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(low + 1, n - 1);
  const weight = h - low;
  const fromTop = p >= 0.5;
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(random() * n) | 0]!++;
    const below = valueAtRank(sorted, counts, fromTop, low);
    const above = high === low ? below : valueAtRank(sorted, counts, fromTop, high);
    replicates[r] = below + weight * (above - below);
  }
  return replicates;
}

/** The value at 0-based `rank` of the resample that `counts` describes. */
function valueAtRank(sorted: Float64Array, counts: Int32Array, fromTop: boolean, rank: number): number {
  const n = sorted.length;
  if (fromTop) {
    // Ranks ≥ first belong to indices above j; the block of index j ends just below them.
    let first = n;
    for (let j = n - 1; j > 0; j--) {
      first -= counts[j]!;
      if (first <= rank) return sorted[j]!;
    }
    return sorted[0]!;
  }
  let end = 0;
  for (let j = 0; j < n - 1; j++) {
    end += counts[j]!;
    if (end > rank) return sorted[j]!;
  }
  return sorted[n - 1]!;
}

/**
 * The percentile interval of replicates around a point estimate: the α/2 and 1 − α/2 quantiles (type 7) of
 * the finite replicates, widened to include the estimate. `replicates` is not modified (its order pairs it with
 * the other side's). Undefined when no replicate is finite.
 *
 * @example
 * ```ts
 * percentileInterval(0.12, replicates, 0.95) // { estimate: 0.12, lower: 0.05, upper: 0.19, confidence: 0.95 }
 * ```
 */
export function percentileInterval(
  estimate: number,
  replicates: Float64Array,
  confidence: number
): Interval | undefined {
  // NaN and ±Infinity (a ratio over a zero) are not estimates of anything: keep only finite replicates.
  const copy = new Float64Array(replicates.length);
  let finite = 0;
  for (let i = 0; i < replicates.length; i++) {
    const value = replicates[i]!;
    if (Number.isFinite(value)) copy[finite++] = value;
  }
  if (finite === 0) return undefined;
  const kept = copy.subarray(0, finite).sort();
  const alpha = 1 - confidence;
  const lower = interpolateQuantile(kept, alpha / 2);
  const upper = interpolateQuantile(kept, 1 - alpha / 2);
  return { estimate, lower: Math.min(lower, estimate), upper: Math.max(upper, estimate), confidence };
}

/**
 * Replicate-wise combination of two sides' replicates, e.g. a ratio − 1 or a difference.
 *
 * @example
 * ```ts
 * combine(candidate, baseline, (c, b) => c / b - 1)
 * ```
 */
export function combine(
  candidate: Float64Array,
  baseline: Float64Array,
  how: (candidate: number, baseline: number) => number
): Float64Array {
  const out = new Float64Array(Math.min(candidate.length, baseline.length));
  for (let i = 0; i < out.length; i++) out[i] = how(candidate[i]!, baseline[i]!);
  return out;
}
