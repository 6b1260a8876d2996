/**
 * The bootstrap of an upper quantile (the p99) without drawing every value of every resample.
 *
 * A resample of n values drawn with replacement from n sorted values is a multinomial count per value. Only
 * the few counts at the top decide an upper quantile, and they can be drawn one after another from the top:
 * given that `left` draws remain for the values at or below index j, the count of value j is
 * binomial(left, 1 / (j + 1)). Walking down until the ranks the quantile reads are covered takes a handful of
 * binomial draws (each about Poisson(1)), where drawing the resample takes n uniforms. The resampled
 * quantiles have exactly the distribution of the plain bootstrap's (compare/bootstrap.ts) — only the random
 * stream differs — so the stopping rule can afford thousands of resamples at every look.
 */

/**
 * The p-quantile (type 7) of `resamples` bootstrap resamples of sorted values, for p ≥ 0.5.
 *
 * @param sorted - ascending, at least one value
 *
 * @example
 * ```ts
 * resampleUpperQuantile(sortedDurations, 0.99, 2000, random) // Float64Array of 2000 resampled p99s
 * ```
 */
export function resampleUpperQuantile(
  sorted: Float64Array,
  p: number,
  resamples: number,
  random: () => number
): Float64Array {
  const n = sorted.length;
  const h = (n - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(low + 1, n - 1);
  const weight = h - low;
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    // Ranks ≥ first (0-based, from the bottom) belong to indices above j.
    let first = n;
    let left = n;
    let below = Number.NaN;
    let above = Number.NaN;
    for (let j = n - 1; j >= 0; j--) {
      const count = j === 0 ? left : binomial(left, 1 / (j + 1), random);
      left -= count;
      first -= count;
      if (Number.isNaN(above) && first <= high) above = sorted[j]!;
      if (first <= low) {
        below = sorted[j]!;
        break;
      }
    }
    replicates[r] = below + weight * (above - below);
  }
  return replicates;
}

/** A binomial(trials, q) draw by inversion from 0 upwards: cheap when the mean trials·q is small, as here. */
function binomial(trials: number, q: number, random: () => number): number {
  if (trials === 0) return 0;
  if (q >= 1) return trials;
  const odds = q / (1 - q);
  let probability = Math.exp(trials * Math.log1p(-q));
  let cumulative = probability;
  const u = random();
  let k = 0;
  while (u > cumulative && k < trials) {
    probability *= ((trials - k) / (k + 1)) * odds;
    k++;
    cumulative += probability;
  }
  return k;
}
