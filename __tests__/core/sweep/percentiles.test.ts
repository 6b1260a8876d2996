import { describe, expect, it } from '@jest/globals';
import {
  estimateQuantile,
  quantileLabel,
  quantileRanks,
  samplesNeededForInterval
} from '../../../src/analyze/percentiles.js';
import { InvalidSampleError, minSamplesForQuantile, quantile } from '../../../src/analyze/stats.js';
import { SeededRandom } from '../seeded-random.js';

/** Binomial(n, p) probabilities by plain products: fine for the n ≤ 80 of the brute-force checks. */
function binomialPmf(n: number, p: number): number[] {
  return Array.from({ length: n + 1 }, (_, k) => {
    let choose = 1;
    for (let j = 1; j <= k; j++) choose = (choose * (n - k + j)) / j;
    return choose * p ** k * (1 - p) ** (n - k);
  });
}

/** Binomial(n, p) probabilities by a log-space recurrence from k = 0: independent of the module's method. */
function binomialPmfLog(n: number, p: number): number[] {
  const pmf: number[] = [];
  let log = n * Math.log1p(-p);
  for (let k = 0; k <= n; k++) {
    pmf.push(Math.exp(log));
    log += Math.log((n - k) / (k + 1)) + Math.log(p / (1 - p));
  }
  return pmf;
}

/** The documented rule, written from its definition: P(B < l) and P(B ≥ u) summed term by term. */
function bruteForceRanks(pmf: number[], confidence: number): { lower?: number; upper?: number; enough: boolean } {
  const n = pmf.length - 1;
  const alpha = 1 - confidence;
  // below[l] = P(B < l) and atOrAbove[u] = P(B ≥ u), each summed from its own end, term by term.
  const below = [0];
  for (let k = 0; k <= n; k++) below.push(below[k]! + pmf[k]!);
  const atOrAbove = new Array<number>(n + 2).fill(0);
  for (let k = n; k >= 0; k--) atOrAbove[k] = atOrAbove[k + 1]! + pmf[k]!;
  const lowerFor = (tail: number) => Math.max(...[0, ...range(n).filter((l) => below[l]! <= tail)]);
  const upperFor = (tail: number) => Math.min(...[n + 1, ...range(n).filter((u) => atOrAbove[u]! <= tail)]);
  const missLow = pmf[0]!;
  const missHigh = pmf[n]!;
  const defined = (rank: number) => (rank >= 1 && rank <= n ? rank : undefined);
  if (missLow + missHigh > alpha) {
    const lower = defined(lowerFor(alpha));
    const upper = defined(upperFor(alpha));
    return { ...(lower !== undefined ? { lower } : {}), ...(upper !== undefined ? { upper } : {}), enough: false };
  }
  if (missHigh > alpha / 2) return { lower: lowerFor(alpha - missHigh), upper: n, enough: true };
  if (missLow > alpha / 2) return { lower: 1, upper: upperFor(alpha - missLow), enough: true };
  return { lower: lowerFor(alpha / 2), upper: upperFor(alpha / 2), enough: true };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}

/** P(X(l) ≤ Q ≤ X(u)) for a continuous distribution: P(l ≤ B ≤ u − 1). */
function coverage(pmf: number[], lower: number, upper: number): number {
  return pmf.slice(lower, upper).reduce((sum, x) => sum + x, 0);
}

const PROBABILITIES = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

describe('quantileRanks', () => {
  it('matches brute-force binomial sums for every n ≤ 80, and covers at least the confidence', () => {
    for (const confidence of [0.9, 0.95, 0.99]) {
      for (const p of PROBABILITIES) {
        for (let n = 1; n <= 80; n++) {
          // Prepare
          const pmf = binomialPmf(n, p);

          // Act
          const ranks = quantileRanks(n, p, confidence);

          // Assess
          expect({ n, p, confidence, ...ranks }).toEqual({ n, p, confidence, ...bruteForceRanks(pmf, confidence) });
          if (ranks.enough) expect(coverage(pmf, ranks.lower!, ranks.upper!)).toBeGreaterThanOrEqual(confidence);
        }
      }
    }
  });

  it('matches log-space brute force for large n', () => {
    for (const n of [1_000, 4_999, 20_000]) {
      for (const p of [0.01, 0.5, 0.9, 0.99]) {
        const pmf = binomialPmfLog(n, p);
        const ranks = quantileRanks(n, p);
        expect({ n, p, ...ranks }).toEqual({ n, p, ...bruteForceRanks(pmf, 0.95) });
        expect(coverage(pmf, ranks.lower!, ranks.upper!)).toBeGreaterThanOrEqual(0.95);
      }
    }
  });

  it('agrees with the normal approximation at n = 10⁶, quickly', () => {
    const n = 1_000_000;
    const z = 1.959963984540054; // Φ⁻¹(0.975)
    const started = performance.now();
    for (const p of [0.5, 0.9, 0.99]) {
      const ranks = quantileRanks(n, p);
      const sd = Math.sqrt(n * p * (1 - p));
      // Normal approximation: B ∈ [np − z·sd, np + z·sd]; l = B's low end + 1 (rank of the first sample above),
      // u = the high end + 1.
      expect(Math.abs(ranks.lower! - (n * p - z * sd + 1))).toBeLessThan(2);
      expect(Math.abs(ranks.upper! - (n * p + z * sd + 1))).toBeLessThan(2);
    }
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('uses the extreme sample for the side that cannot hold half of α', () => {
    // 0.99²⁹⁹ ≈ 0.0495 > 0.025: the upper end is the maximum and the lower tail gets the 0.0005 left.
    expect(quantileRanks(299, 0.99)).toEqual({ lower: 289, upper: 299, enough: true });
    expect(quantileRanks(299, 0.01)).toEqual({ lower: 1, upper: 11, enough: true });
    expect(quantileRanks(100, 0.5)).toEqual({ lower: 40, upper: 61, enough: true });
  });

  it('gives one-sided bounds when no interval exists', () => {
    expect(quantileRanks(20, 0.99)).toEqual({ lower: 19, enough: false });
    expect(quantileRanks(20, 0.01)).toEqual({ upper: 2, enough: false });
    expect(quantileRanks(5, 0.5)).toEqual({ lower: 1, upper: 5, enough: false });
    expect(quantileRanks(1, 0.5)).toEqual({ enough: false });
    expect(quantileRanks(10, 0)).toEqual({ upper: 1, enough: false });
    expect(quantileRanks(10, 1)).toEqual({ lower: 10, enough: false });
  });

  it.each([
    [0, 0.5, 0.95, /whole number ≥ 1/],
    [2.5, 0.5, 0.95, /whole number ≥ 1/],
    [10, -0.1, 0.95, /within \[0, 1\]/],
    [10, Number.NaN, 0.95, /within \[0, 1\]/],
    [10, 0.5, 0, /Confidence must be within \(0, 1\)/],
    [10, 0.5, 1, /Confidence/],
    [10, 0.5, Number.NaN, /Confidence/]
  ])('rejects n = %p, p = %p, confidence = %p', (n, p, confidence, message) => {
    expect(() => quantileRanks(n, p, confidence)).toThrow(InvalidSampleError);
    expect(() => quantileRanks(n, p, confidence)).toThrow(message);
  });
});

describe('samplesNeededForInterval', () => {
  it('gives the smallest n with (1 − p)ⁿ + pⁿ ≤ 1 − confidence', () => {
    expect(samplesNeededForInterval(0.99)).toBe(299);
    expect(samplesNeededForInterval(0.95)).toBe(59);
    expect(samplesNeededForInterval(0.9)).toBe(29);
    expect(samplesNeededForInterval(0.5)).toBe(6);
    expect(samplesNeededForInterval(0.01)).toBe(299);
    expect(samplesNeededForInterval(0.99, 0.99)).toBe(459);
  });

  it('is where quantileRanks starts finding an interval', () => {
    for (const p of PROBABILITIES) {
      for (const confidence of [0.8, 0.95, 0.999]) {
        const needed = samplesNeededForInterval(p, confidence)!;
        expect(quantileRanks(needed, p, confidence).enough).toBe(true);
        if (needed > 1) expect(quantileRanks(needed - 1, p, confidence).enough).toBe(false);
      }
    }
  });

  it('agrees with the one-sided count of stats.ts for the upper quantiles reports show', () => {
    for (const p of [0.9, 0.95, 0.99]) expect(samplesNeededForInterval(p)).toBe(minSamplesForQuantile(p));
  });

  it('is undefined for the extremes', () => {
    expect(samplesNeededForInterval(0)).toBeUndefined();
    expect(samplesNeededForInterval(1)).toBeUndefined();
  });
});

describe('estimateQuantile', () => {
  const twenty = Array.from({ length: 20 }, (_, index) => 100 + index * 5);

  it('says p99 of 20 samples is only the maximum and how many are needed', () => {
    // Act
    const estimate = estimateQuantile(twenty, 0.99);

    // Assess
    expect(estimate).toEqual({
      p: 0.99,
      value: quantile(twenty, 0.99),
      lower: twenty[18],
      confidence: 0.95,
      enough: false,
      samplesNeeded: 299,
      note: 'p99 of 20 samples is no better than the sample maximum; at least 299 samples are needed for a 95 % interval'
    });
  });

  it('brackets the quantile when there are enough samples', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(estimateQuantile(sorted, 0.5)).toEqual({
      p: 0.5,
      value: 50.5,
      lower: 40,
      upper: 61,
      confidence: 0.95,
      enough: true,
      samplesNeeded: 6
    });
  });

  it.each([
    [
      0.01,
      20,
      0.95,
      'p1 of 20 samples is no better than the sample minimum; at least 299 samples are needed for a 95 % interval'
    ],
    [
      0.5,
      5,
      0.95,
      'p50 of 5 samples cannot be bracketed by two samples; at least 6 samples are needed for a 95 % interval'
    ],
    [
      0.5,
      1,
      0.9,
      'p50 of 1 sample cannot be bounded on either side; at least 5 samples are needed for a 90 % interval'
    ],
    [
      0.5,
      4,
      0.9,
      'p50 of 4 samples cannot be bracketed by two samples; at least 5 samples are needed for a 90 % interval'
    ],
    [1, 20, 0.95, 'p100 of 20 samples is the sample maximum; no number of samples gives an interval for it'],
    [0, 20, 0.95, 'p0 of 20 samples is the sample minimum; no number of samples gives an interval for it']
  ])('explains p = %p of %p samples at %p', (p, n, confidence, note) => {
    const estimate = estimateQuantile(twenty.slice(0, n), p, confidence);
    expect(estimate.enough).toBe(false);
    expect(estimate.note).toBe(note);
  });

  it('leaves samplesNeeded out for the extremes', () => {
    expect(estimateQuantile(twenty, 1)).not.toHaveProperty('samplesNeeded');
  });

  it('rejects what quantile() rejects', () => {
    expect(() => estimateQuantile([], 0.5)).toThrow(InvalidSampleError);
    expect(() => estimateQuantile([2, 1], 0.5)).toThrow(/sorted/);
    expect(() => estimateQuantile([1, 2], 1.5)).toThrow(/within \[0, 1\]/);
    expect(() => estimateQuantile([1, 2], 0.5, 1.5)).toThrow(/Confidence/);
  });

  it('labels quantiles the way people write them', () => {
    expect(quantileLabel(0.999)).toBe('p99.9');
    expect(quantileLabel(0.5)).toBe('p50');
  });
});

describe('coverage by simulation', () => {
  /** Standard normal by Box–Muller. */
  function normal(random: SeededRandom): number {
    return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  }

  const cases = [
    { name: 'normal p50, n = 50', p: 0.5, n: 50, draw: normal, truth: 0 },
    { name: 'normal p90, n = 100', p: 0.9, n: 100, draw: normal, truth: 1.2815515655446004 },
    { name: 'normal p99, n = 400', p: 0.99, n: 400, draw: normal, truth: 2.3263478740408408 },
    // A long right tail, like Lambda durations.
    {
      name: 'exponential p95, n = 80',
      p: 0.95,
      n: 80,
      draw: (r: SeededRandom) => -Math.log(1 - r.next()),
      truth: -Math.log(0.05)
    }
  ];

  it.each(cases)(
    'the 95 % interval covers the true quantile in ≥ 93 % of 2,000 sets: $name',
    ({ p, n, draw, truth }) => {
      // Prepare
      const random = new SeededRandom(20_260_101 + n);
      let covered = 0;

      // Act
      for (let set = 0; set < 2_000; set++) {
        const sorted = Array.from({ length: n }, () => draw(random)).sort((a, b) => a - b);
        const estimate = estimateQuantile(sorted, p);
        if (estimate.lower! <= truth && truth <= estimate.upper!) covered++;
      }

      // Assess: exact intervals are conservative, so not far above 0.95 either.
      expect(covered / 2_000).toBeGreaterThanOrEqual(0.93);
      expect(covered / 2_000).toBeLessThanOrEqual(0.99);
    }
  );
});
