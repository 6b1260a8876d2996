/** The mean billed duration and its change: what drives the cost, and the interval the cost follows from. */
import { describe, expect, it } from '@jest/globals';
import { compareRuns } from '../../src/compare/compare.js';
import { resampleCosts, sideRandom } from '../../src/compare/bootstrap.js';
import { FIXTURE_PRICES } from '../support/report-fixtures.js';
import { costOf, lognormalReport, onlySize, options } from './helpers.js';

describe('billed duration', () => {
  const candidate = lognormalReport(115, 300, 1, { coldStarts: 2 });
  const baseline = lognormalReport(100, 300, 2);
  const size = onlySize(compareRuns(candidate, baseline, options({ maxCostIncrease: 0.05 })));

  it('gives each side’s mean billed duration with its interval', () => {
    const billed = candidate.samples.filter((s) => s.phase === 'measure').map((s) => s.billedDurationMs!);
    const mean = billed.reduce((sum, ms) => sum + ms, 0) / billed.length;

    expect(size.candidate.billedDurationMs!.estimate).toBeCloseTo(mean, 9);
    expect(size.candidate.billedDurationMs!.lower).toBeLessThan(mean);
    expect(size.candidate.billedDurationMs!.upper).toBeGreaterThan(mean);
  });

  it('prices the billed-duration interval into the cost interval: cost is affine in billed ms at one size', () => {
    const billed = size.candidate.billedDurationMs!;
    const cost = size.candidate.costPerMillionUsd!;
    const price = (ms: number) => costOf(ms, FIXTURE_PRICES) * 1e6;

    expect(cost.estimate).toBeCloseTo(price(billed.estimate), 9);
    expect(cost.lower).toBeCloseTo(price(billed.lower), 9);
    expect(cost.upper).toBeCloseTo(price(billed.upper), 9);
  });

  it('gives the change of the mean billed duration, of which the cost change is the request-diluted part', () => {
    const billed = size.billedDurationChange!;
    const cost = size.costChange!;

    expect(billed.estimate).toBeGreaterThan(0.12);
    expect(cost.estimate).toBeGreaterThan(0);
    expect(cost.estimate).toBeLessThan(billed.estimate);
    expect(billed.lower).toBeLessThan(billed.estimate);
    expect(billed.upper).toBeGreaterThan(billed.estimate);
  });

  it('draws the billed replicates from the same resamples as the costs, leaving the costs as they were', () => {
    const costs = Float64Array.from([1, 2, 3, 10]);
    const billed = Float64Array.from([10, 20, 30, 100]);

    const without = resampleCosts(costs, undefined, 50, sideRandom(3, 1024, 'candidate'));
    const withBilled = resampleCosts(costs, undefined, 50, sideRandom(3, 1024, 'candidate'), billed);

    expect(withBilled.meanCost).toEqual(without.meanCost);
    withBilled.meanBilled!.forEach((ms, index) => expect(ms).toBeCloseTo(10 * withBilled.meanCost[index]!, 9));
  });

  it('has no billed duration where nothing was billed, and no change without a baseline', () => {
    const alone = onlySize(compareRuns(candidate, undefined, options()));

    expect(alone.billedDurationChange).toBeUndefined();
    expect(alone.candidate.billedDurationMs).toBeDefined();
  });
});
