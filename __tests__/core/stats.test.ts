import { describe, expect, it } from '@jest/globals';
import { InvalidSampleError, minSamplesForQuantile, quantile, summarize } from '../../src/analyze/stats.js';
import { LambdaCostGateError } from '../../src/errors.js';
import { SeededRandom } from './seeded-random.js';

/** Type 7 as R writes it, 1-based: h = (n − 1)p + 1, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋]). */
function naiveQuantile(values: readonly number[], p: number): number {
  const x = [Number.NaN, ...[...values].sort((a, b) => a - b)];
  const n = values.length;
  const h = (n - 1) * p + 1;
  const j = Math.floor(h);
  if (j >= n) return x[n]!;
  return x[j]! + (h - j) * (x[j + 1]! - x[j]!);
}

/** Two-pass mean and sample standard deviation. */
function naiveMoments(values: readonly number[]): { mean: number; stdev: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return { mean, stdev: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0 };
}

function randomSample(random: SeededRandom): number[] {
  const n = random.int(1, 60);
  // Mix shapes: small integers (many ties), uniform, and a long tail like Lambda durations.
  const shape = random.int(0, 2);
  return Array.from({ length: n }, () =>
    shape === 0 ? random.int(0, 5) : shape === 1 ? random.next() * 1000 - 500 : Math.exp(random.next() * 8)
  );
}

function closeTo(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('quantile (type 7)', () => {
  it('interpolates between order statistics', () => {
    // Prepare
    const sorted = [10, 20, 30, 40];

    // Act / Assess
    expect(quantile(sorted, 0)).toBe(10);
    expect(quantile(sorted, 0.5)).toBe(25);
    expect(quantile(sorted, 0.9)).toBeCloseTo(37, 12);
    expect(quantile(sorted, 1)).toBe(40);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('matches R on a known sample', () => {
    // R: quantile(c(1, 2, 3, 4, 5, 6, 7, 8, 9, 100), c(0.5, 0.9, 0.99), type = 7) → 5.5, 18.1, 91.81
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
    expect(quantile(sorted, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantile(sorted, 0.9)).toBeCloseTo(18.1, 12);
    expect(quantile(sorted, 0.99)).toBeCloseTo(91.81, 12);
  });

  it.each([
    ['no values', [], 0.5, /no values/],
    ['p below 0', [1], -0.01, /within \[0, 1\]/],
    ['p above 1', [1], 1.01, /within \[0, 1\]/],
    ['p NaN', [1], Number.NaN, /within \[0, 1\]/],
    ['unsorted values', [1, 3, 2], 0.5, /#2 \(2\) is out of order/],
    ['a NaN value', [1, Number.NaN], 0.5, /#1 is not a finite number/],
    ['an infinite value', [1, Number.POSITIVE_INFINITY], 0.5, /#1 is not a finite number/]
  ])('throws on %s', (_name, sorted, p, message) => {
    expect(() => quantile(sorted, p)).toThrow(InvalidSampleError);
    expect(() => quantile(sorted, p)).toThrow(message);
  });

  it('agrees with a naive implementation, stays within [min, max] and grows with p (seed 7)', () => {
    const random = new SeededRandom(7);
    for (let run = 0; run < 500; run++) {
      const values = randomSample(random);
      const sorted = [...values].sort((a, b) => a - b);
      let previous = Number.NEGATIVE_INFINITY;
      for (const p of [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1, random.next()].sort((a, b) => a - b)) {
        const q = quantile(sorted, p);
        closeTo(q, naiveQuantile(values, p));
        expect(q).toBeGreaterThanOrEqual(sorted[0]!);
        expect(q).toBeLessThanOrEqual(sorted[sorted.length - 1]!);
        expect(q).toBeGreaterThanOrEqual(previous);
        previous = q;
      }
    }
  });
});

describe('summarize', () => {
  it('summarizes a small sample in any order', () => {
    expect(summarize([120, 100, 110])).toEqual({
      count: 3,
      mean: 110,
      min: 100,
      max: 120,
      p50: 110,
      p90: 118,
      p99: expect.closeTo(119.8, 10),
      stdev: 10
    });
  });

  it('gives a standard deviation of 0 for one value and leaves the input alone', () => {
    const values = [3, 1, 2];
    expect(summarize([42])).toEqual({ count: 1, mean: 42, min: 42, max: 42, p50: 42, p90: 42, p99: 42, stdev: 0 });
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('keeps its precision for large values close together', () => {
    // The sum-of-squares formula returns garbage here; Welford's does not.
    const summary = summarize([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(summary.mean).toBe(1e9 + 10);
    expect(summary.stdev).toBeCloseTo(Math.sqrt(30), 9);
  });

  it.each([
    ['no values', [], /no values/],
    ['a NaN', [1, Number.NaN], /#1 is not a finite number/],
    ['an infinity', [Number.NEGATIVE_INFINITY], /#0 is not a finite number/]
  ])('throws on %s', (_name, values, message) => {
    expect(() => summarize(values)).toThrow(InvalidSampleError);
    expect(() => summarize(values)).toThrow(message);
  });

  it('agrees with naive implementations on random samples (seed 11)', () => {
    const random = new SeededRandom(11);
    for (let run = 0; run < 500; run++) {
      const values = randomSample(random);
      const summary = summarize(values);
      const naive = naiveMoments(values);
      expect(summary.count).toBe(values.length);
      expect(summary.min).toBe(Math.min(...values));
      expect(summary.max).toBe(Math.max(...values));
      closeTo(summary.mean, naive.mean);
      closeTo(summary.stdev, naive.stdev);
      closeTo(summary.p50, naiveQuantile(values, 0.5));
      closeTo(summary.p90, naiveQuantile(values, 0.9));
      closeTo(summary.p99, naiveQuantile(values, 0.99));
    }
  });
});

describe('minSamplesForQuantile', () => {
  it('gives the sample sizes a report quotes', () => {
    // ln(0.05) / ln(0.99) = 298.07…; ln(0.37) / ln(0.99) = 98.9…; ln(0.05) / ln(0.9) = 28.4…
    expect(minSamplesForQuantile(0.99)).toBe(299);
    expect(minSamplesForQuantile(0.99, 0.63)).toBe(99);
    expect(minSamplesForQuantile(0.9)).toBe(29);
    expect(minSamplesForQuantile(0.5)).toBe(5);
  });

  it('is exact where the logarithm ratio is a whole number', () => {
    // ln(2⁻²⁹) / ln(0.5) is 29.000000000000004 in floating point, yet 29 samples are enough.
    expect(Math.log(2 ** -29) / Math.log(0.5)).toBeGreaterThan(29);
    expect(minSamplesForQuantile(0.5, 1 - 2 ** -29)).toBe(29);
    expect(minSamplesForQuantile(0.5, 0.75)).toBe(2);
    expect(minSamplesForQuantile(0.5, 0.5)).toBe(1);
    expect(minSamplesForQuantile(0, 0.99)).toBe(1);
  });

  it('returns the smallest n with 1 − pⁿ ≥ confidence (seed 13)', () => {
    const random = new SeededRandom(13);
    for (let run = 0; run < 2000; run++) {
      const p = random.pick([0.5, 0.9, 0.95, 0.99, 0.999, random.next()]);
      const confidence = random.pick([0.5, 0.9, 0.95, 0.99, random.next() * 0.998 + 0.001]);
      const n = minSamplesForQuantile(p, confidence);
      expect(Number.isInteger(n) && n >= 1).toBe(true);
      expect(1 - p ** n).toBeGreaterThanOrEqual(confidence);
      if (n > 1) expect(1 - p ** (n - 1)).toBeLessThan(confidence);
    }
  });

  it.each([
    [1, 0.95, /within \[0, 1\)/],
    [-0.1, 0.95, /within \[0, 1\)/],
    [Number.NaN, 0.95, /within \[0, 1\)/],
    [0.99, 0, /Confidence must be within \(0, 1\)/],
    [0.99, 1, /Confidence must be within \(0, 1\)/],
    [0.99, Number.NaN, /Confidence must be within \(0, 1\)/]
  ])('throws for p = %p, confidence = %p', (p, confidence, message) => {
    expect(() => minSamplesForQuantile(p, confidence)).toThrow(message);
    expect(() => minSamplesForQuantile(p, confidence)).toThrow(LambdaCostGateError);
  });
});
