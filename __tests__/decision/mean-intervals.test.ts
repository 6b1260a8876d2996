/** Intervals of means for the stopping rule, on hand-worked numbers. */
import { describe, expect, it } from '@jest/globals';
import { studentTQuantile } from '../../src/decision/distributions.js';
import {
  changeInterval,
  differenceInterval,
  levelAt,
  levelAtBoundary,
  meanInterval,
  meanStats
} from '../../src/decision/mean-intervals.js';

const f = (values: number[]) => Float64Array.from(values);

describe('meanStats', () => {
  it('gives the mean and the variance of the mean, s² / n', () => {
    expect(meanStats(f([1, 2, 3]))).toEqual({ n: 3, estimate: 2, variance: 1 / 3 });
  });

  it('gives a ratio estimator Σy / Σx with its delta-method variance', () => {
    // R = 12 / 6 = 2; residuals 2 − 2, 4 − 4, 6 − 2·3… y = [2, 4, 6], x = [1, 2, 3]: all 0.
    expect(meanStats(f([2, 4, 6]), f([1, 2, 3]))).toEqual({ n: 3, estimate: 2, variance: 0 });
    // y = [2, 4], x = [1, 1]: R = 3, residuals ∓1, variance 2 / (1 · 2 · 1) = 1.
    expect(meanStats(f([2, 4]), f([1, 1]))).toEqual({ n: 2, estimate: 3, variance: 1 });
  });

  it('has nothing to say about one value, or about no jobs', () => {
    expect(meanStats(f([5]))).toBeUndefined();
    expect(meanStats(f([1, 2]), f([0, 0]))).toBeUndefined();
  });
});

describe('changeInterval', () => {
  it('is exp(ln ratio ± t·√(v_c/m_c² + v_b/m_b²)) − 1, with Welch’s degrees of freedom', () => {
    const candidate = { n: 10, estimate: 110, variance: 4 };
    const baseline = { n: 10, estimate: 100, variance: 4 };
    const vc = 4 / 110 ** 2;
    const vb = 4 / 100 ** 2;
    const degrees = (vc + vb) ** 2 / (vc ** 2 / 9 + vb ** 2 / 9);
    const half = studentTQuantile(0.975, degrees) * Math.sqrt(vc + vb);

    const interval = changeInterval(candidate, baseline, levelAt(0.95))!;

    expect(interval.estimate).toBeCloseTo(0.1, 12);
    expect(interval.lower).toBeCloseTo(Math.exp(Math.log(1.1) - half) - 1, 12);
    expect(interval.upper).toBeCloseTo(Math.exp(Math.log(1.1) + half) - 1, 12);
    expect(interval.confidence).toBe(0.95);
  });

  it('widens by the runs’ variation, which no sample count removes', () => {
    const big = { n: 1e9, estimate: 100, variance: 0 };
    const interval = changeInterval(big, big, levelAt(0.95), 0.01)!;

    expect(interval.upper).toBeCloseTo(Math.expm1(1.959964 * Math.SQRT2 * 0.01), 5);
    expect(interval.lower).toBeCloseTo(Math.expm1(-1.959964 * Math.SQRT2 * 0.01), 5);
  });

  it('is undefined without a positive baseline', () => {
    expect(
      changeInterval({ n: 5, estimate: 1, variance: 0 }, { n: 5, estimate: 0, variance: 0 }, levelAt(0.9))
    ).toBeUndefined();
  });
});

describe('meanInterval and differenceInterval', () => {
  it('scale the mean’s t interval', () => {
    const interval = meanInterval({ n: 5, estimate: 2e-6, variance: 1e-14 }, levelAt(0.95), 1e6);

    expect(interval.estimate).toBeCloseTo(2, 12);
    expect(interval.upper - interval.estimate).toBeCloseTo(studentTQuantile(0.975, 4) * 1e-7 * 1e6, 9);
  });

  it('give the difference of two means with Welch’s t', () => {
    const interval = differenceInterval(
      { n: 10, estimate: 5, variance: 1 },
      { n: 10, estimate: 3, variance: 1 },
      levelAt(0.95),
      2
    );

    expect(interval.estimate).toBe(4);
    expect(interval.upper - interval.estimate).toBeCloseTo(2 * studentTQuantile(0.975, 18) * Math.SQRT2, 9);
  });
});

describe('levelAtBoundary', () => {
  it('reads a normal boundary as its confidence, and as Student’s t of the same tail', () => {
    const level = levelAtBoundary(1.959963984540054);

    expect(level.confidence).toBeCloseTo(0.95, 12);
    expect(level.critical(Infinity)).toBeCloseTo(1.959964, 6);
    expect(level.critical(10)).toBeCloseTo(2.228139, 6);
  });
});
