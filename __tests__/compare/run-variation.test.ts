/** Run-to-run variation: a stored baseline's comparison is widened for the runs' levels, a live one is not. */
import { describe, expect, it } from '@jest/globals';
import { CompareError, compareRuns } from '../../src/compare/compare.js';
import { widenForRunVariation } from '../../src/compare/run-variation.js';
import { check, lognormalReport, onlySize, options } from './helpers.js';

describe('widenForRunVariation', () => {
  it('moves each end out on the log scale by z·√2·τ in quadrature', () => {
    // log1p(0.05) = 0.048790; ends at log1p(0.04) = 0.039221 and log1p(0.06) = 0.058269, so 0.009569 below
    // and 0.009479 above. z = 1.959964, τ = 0.01: spread = 1.959964 × 1.414214 × 0.01 = 0.027718.
    // Below: √(0.009569² + 0.027718²) = 0.029323 → expm1(0.048790 − 0.029323) = 0.019658.
    // Above: √(0.009479² + 0.027718²) = 0.029294 → expm1(0.048790 + 0.029294) = 0.081214.
    const widened = widenForRunVariation({ estimate: 0.05, lower: 0.04, upper: 0.06, confidence: 0.95 }, 0.01);

    expect(widened.estimate).toBe(0.05);
    expect(widened.lower).toBeCloseTo(0.019658, 5);
    expect(widened.upper).toBeCloseTo(0.081214, 5);
    expect(widened.confidence).toBe(0.95);
  });

  it('leaves an interval alone without run variation', () => {
    const interval = { estimate: 0.05, lower: 0.04, upper: 0.06, confidence: 0.95 };

    expect(widenForRunVariation(interval, 0)).toBe(interval);
  });
});

describe('compareRuns with run variation', () => {
  // 3,000 samples a side: within-run noise alone pins the change to about ±1 %.
  const candidate = lognormalReport(107, 3000, 1);
  const baseline = lognormalReport(100, 3000, 101);

  it('fails a +7 % change against a 5 % budget when both runs share their level (live)', () => {
    const size = onlySize(compareRuns(candidate, baseline, options({ maxCostIncrease: 0.05 })));

    expect(check(size, 'cost-increase').verdict).toBe('fail');
  });

  it('calls the same change inconclusive against a stored baseline: 1 % run variation is not ruled out', () => {
    const live = onlySize(compareRuns(candidate, baseline, options({ maxCostIncrease: 0.05 })));
    const stored = onlySize(
      compareRuns(candidate, baseline, options({ maxCostIncrease: 0.05 }, { runVariation: 0.01 }))
    );

    expect(check(stored, 'cost-increase').verdict).toBe('inconclusive');
    expect(stored.costChange!.estimate).toBe(live.costChange!.estimate);
    expect(stored.costChange!.lower).toBeLessThan(live.costChange!.lower - 0.01);
    expect(stored.costChange!.upper).toBeGreaterThan(live.costChange!.upper + 0.01);
    expect(stored.p99Change!.upper - stored.p99Change!.lower).toBeGreaterThan(
      live.p99Change!.upper - live.p99Change!.lower
    );
  });

  it('refuses a run variation outside [0, 1)', () => {
    expect(() => compareRuns(candidate, baseline, options({}, { runVariation: 1 }))).toThrow(CompareError);
    expect(() => compareRuns(candidate, baseline, options({}, { runVariation: -0.1 }))).toThrow(
      /Run variation must be within \[0, 1\); got -0.1/
    );
  });
});
