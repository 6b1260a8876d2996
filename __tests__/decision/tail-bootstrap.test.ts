/** The fast bootstrap of an upper quantile draws what the plain bootstrap draws, in distribution. */
import { describe, expect, it } from '@jest/globals';
import { resampleQuantile, sideRandom } from '../../src/compare/bootstrap.js';
import { resampleUpperQuantile } from '../../src/decision/tail-bootstrap.js';
import { mulberry32 } from '../../src/sweep/plan.js';

function quantileOf(values: Float64Array, p: number): number {
  const sorted = values.slice().sort();
  return sorted[Math.floor(p * (sorted.length - 1))]!;
}

describe('resampleUpperQuantile', () => {
  const random = mulberry32(4);
  const sorted = Float64Array.from({ length: 350 }, () => 100 * Math.exp(0.3 * (random() - 0.5))).sort();

  it.each([0.99, 0.5])('has the plain bootstrap’s distribution of the %p quantile', (p) => {
    const fast = resampleUpperQuantile(sorted, p, 10_000, sideRandom(1, 1024, 'candidate'));
    const plain = resampleQuantile(sorted, p, 10_000, sideRandom(2, 1024, 'candidate'));

    for (const at of [0.025, 0.25, 0.5, 0.75, 0.975]) {
      expect(quantileOf(fast, at)).toBeCloseTo(quantileOf(plain, at), 0);
    }
  });

  it('handles one value and a few', () => {
    expect(Array.from(resampleUpperQuantile(Float64Array.from([7]), 0.99, 3, sideRandom(1, 1, 'baseline')))).toEqual([
      7, 7, 7
    ]);
    const few = resampleUpperQuantile(Float64Array.from([1, 2, 3]), 0.99, 500, sideRandom(1, 1, 'baseline'));
    for (const value of few) {
      expect(value).toBeGreaterThanOrEqual(1);
      expect(value).toBeLessThanOrEqual(3);
    }
    expect(new Set(few).size).toBeGreaterThan(2);
  });
});
