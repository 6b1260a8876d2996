/** The resampling primitives, checked against the obvious (slow) way of doing the same thing. */
import { describe, expect, it } from '@jest/globals';
import { interpolateQuantile } from '../../src/analyze/stats.js';
import {
  combine,
  percentileInterval,
  resampleCosts,
  resampleQuantile,
  sideRandom
} from '../../src/compare/bootstrap.js';
import { logNormalDurations } from '../support/report-fixtures.js';

/** A seeded stream, as the comparison draws them. */
const stream = (seed: number) => sideRandom(seed, 1024, 'candidate');

/** The quantile of every resample by drawing the same indices, sorting each resample and interpolating. */
function naiveQuantiles(sorted: Float64Array, p: number, resamples: number, seed: number): number[] {
  const random = stream(seed);
  const n = sorted.length;
  const out: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const resample = new Float64Array(n);
    for (let i = 0; i < n; i++) resample[i] = sorted[Math.floor(random() * n)]!;
    out.push(interpolateQuantile(resample.sort(), p));
  }
  return out;
}

describe('resampleQuantile', () => {
  const durations = Float64Array.from(logNormalDurations({ median: 100, sigma: 0.4, n: 301 }, 9)).sort();

  it.each([0.99, 0.5, 0.1, 0, 1])('gives what sorting each resample gives, p = %p', (p) => {
    const fast = resampleQuantile(durations, p, 200, stream(5));

    expect(Array.from(fast)).toEqual(naiveQuantiles(durations, p, 200, 5));
  });

  it('handles one and two values, and repeated values', () => {
    for (const values of [[7], [3, 9], [4, 4, 4, 5, 5]]) {
      const sorted = Float64Array.from(values);
      expect(Array.from(resampleQuantile(sorted, 0.99, 50, stream(2)))).toEqual(naiveQuantiles(sorted, 0.99, 50, 2));
    }
  });
});

describe('resampleCosts', () => {
  it('gives the mean and the cost per job of the same resamples', () => {
    const costs = Float64Array.from([1, 2, 3, 10]);
    const jobs = Float64Array.from([1, 0, 2, 5]);

    const { meanCost, costPerJob } = resampleCosts(costs, jobs, 100, stream(3));

    const random = stream(3);
    for (let r = 0; r < 100; r++) {
      let cost = 0;
      let done = 0;
      for (let i = 0; i < 4; i++) {
        const index = Math.floor(random() * 4);
        cost += costs[index]!;
        done += jobs[index]!;
      }
      expect(meanCost[r]).toBeCloseTo(cost / 4, 12);
      if (done === 0) expect(costPerJob![r]).toBeNaN();
      else expect(costPerJob![r]).toBeCloseTo(cost / done, 12);
    }
  });

  it('leaves the cost per job out without jobs', () => {
    expect(resampleCosts(Float64Array.from([1]), undefined, 3, stream(1))).toEqual({
      meanCost: Float64Array.from([1, 1, 1])
    });
  });
});

describe('percentileInterval', () => {
  it('takes the middle share of the replicates without reordering them', () => {
    const replicates = Float64Array.from({ length: 101 }, (_, i) => 100 - i);
    const copy = replicates.slice();

    const interval = percentileInterval(50, replicates, 0.9);

    expect(interval).toMatchObject({ estimate: 50, upper: 95, confidence: 0.9 });
    expect(interval!.lower).toBeCloseTo(5, 9);
    expect(replicates).toEqual(copy);
  });

  it('leaves out replicates that are not finite, and gives none for none', () => {
    const replicates = Float64Array.from([Number.NaN, 1, Number.POSITIVE_INFINITY, 3, 2]);

    expect(percentileInterval(2, replicates, 0.5)).toEqual({ estimate: 2, lower: 1.5, upper: 2.5, confidence: 0.5 });
    expect(percentileInterval(2, Float64Array.from([Number.NaN]), 0.95)).toBeUndefined();
  });

  it('widens the interval to include the estimate', () => {
    expect(percentileInterval(10, Float64Array.from([1, 2, 3]), 0.5)).toMatchObject({ lower: 1.5, upper: 10 });
    expect(percentileInterval(0, Float64Array.from([1, 2, 3]), 0.5)).toMatchObject({ lower: 0, upper: 2.5 });
  });
});

describe('sideRandom', () => {
  const draws = (random: () => number) => [random(), random(), random()];

  it('repeats for the same seed, size and side, and differs across them', () => {
    const base = draws(sideRandom(42, 1024, 'candidate'));

    expect(draws(sideRandom(42, 1024, 'candidate'))).toEqual(base);
    expect(draws(sideRandom(42, 1024, 'baseline'))).not.toEqual(base);
    expect(draws(sideRandom(42, 2048, 'candidate'))).not.toEqual(base);
    expect(draws(sideRandom(43, 1024, 'candidate'))).not.toEqual(base);
  });
});

describe('combine', () => {
  it('pairs replicates by index', () => {
    const out = combine(Float64Array.from([2, 6]), Float64Array.from([1, 3]), (c, b) => c / b - 1);

    expect(Array.from(out)).toEqual([1, 1]);
  });
});
