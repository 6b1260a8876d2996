/** Relative budgets: cost and p99 changes against a baseline, their intervals and verdicts. */
import { describe, expect, it } from '@jest/globals';
import { CompareError, compareRuns } from '../../src/compare/compare.js';
import { buildRunReport } from '../support/report-fixtures.js';
import { check, constantReport, lognormalReport, onlySize, options } from './helpers.js';

const TEN_PERCENT = { maxCostIncrease: 0.1, maxP99Increase: 0.1 };

describe('compareRuns against a baseline', () => {
  it('passes both relative budgets when candidate and baseline come from the same distribution', () => {
    const candidate = lognormalReport(100, 1000, 1);
    const baseline = lognormalReport(100, 1000, 101);

    const comparison = compareRuns(candidate, baseline, options(TEN_PERCENT));

    const size = onlySize(comparison);
    expect(check(size, 'cost-increase').verdict).toBe('pass');
    expect(check(size, 'p99-increase').verdict).toBe('pass');
    expect(size.costChange!.lower).toBeLessThan(0.02);
    expect(size.costChange!.upper).toBeGreaterThan(-0.02);
    expect(comparison).toMatchObject({ verdict: 'pass', hasBaseline: true, functionName: 'orders' });
    expect(check(size, 'cost-increase').reason).toMatch(
      /^cost per invocation (rose|fell|did not change).*\(95 % CI .* to .*\), within the 10 % budget\.$/
    );
  });

  it('fails cost and p99 when the candidate is 30 % slower with a 10 % budget', () => {
    const candidate = lognormalReport(130, 1000, 1);
    const baseline = lognormalReport(100, 1000, 101);

    const size = onlySize(compareRuns(candidate, baseline, options(TEN_PERCENT)));

    const cost = check(size, 'cost-increase');
    const p99 = check(size, 'p99-increase');
    expect(cost.verdict).toBe('fail');
    expect(p99.verdict).toBe('fail');
    expect(cost.observed!.lower).toBeGreaterThan(0.1);
    expect(p99.observed!.lower).toBeGreaterThan(0.1);
    // The request fee does not grow with duration, so cost rises less than the 30 % of the durations.
    expect(size.costChange!.estimate).toBeGreaterThan(0.2);
    expect(size.costChange!.estimate).toBeLessThan(0.3);
    expect(p99.reason).toMatch(/^p99 rose \d+\.\d % \(95 % CI \+\d+\.\d % to \+\d+\.\d %\), beyond the 10 % budget\.$/);
    expect(size.verdict).toBe('fail');
  });

  it('is inconclusive when the change is near the budget', () => {
    const candidate = lognormalReport(111.5, 300, 1);
    const baseline = lognormalReport(100, 300, 101);

    const cost = check(onlySize(compareRuns(candidate, baseline, options(TEN_PERCENT))), 'cost-increase');

    expect(cost.verdict).toBe('inconclusive');
    expect(cost.observed!.lower).toBeLessThanOrEqual(0.1);
    expect(cost.observed!.upper).toBeGreaterThan(0.1);
    expect(cost.reason).toContain('straddling the 10 % budget: more samples are needed to decide.');
  });

  it('reports a fall in cost as a fall, within the budget', () => {
    const size = onlySize(compareRuns(lognormalReport(70, 400, 1), lognormalReport(100, 400, 2), options(TEN_PERCENT)));

    expect(size.costChange!.upper).toBeLessThan(0);
    expect(check(size, 'cost-increase').reason).toMatch(/^cost per invocation fell \d+\.\d % \(95 % CI −/);
    expect(check(size, 'cost-increase').verdict).toBe('pass');
  });

  it('cannot estimate a p99 change from too few warm samples, and says how many there are and are needed', () => {
    const candidate = lognormalReport(100, 50, 1);
    const baseline = lognormalReport(100, 400, 2);

    const size = onlySize(compareRuns(candidate, baseline, options(TEN_PERCENT)));

    expect(size.p99Change).toBeUndefined();
    expect(check(size, 'p99-increase')).toEqual({
      budget: 'p99-increase',
      limit: 0.1,
      observed: null,
      verdict: 'inconclusive',
      reason:
        'p99 change cannot be estimated: 50 warm samples in the candidate and 400 in the baseline at 1024 MB, ' +
        '299 are needed on each side for a 95 % interval.'
    });
    expect(size.candidate.p99Ms).toBeNull();
    expect(size.candidate.p99SamplesNeeded).toBe(299);
    expect(size.baseline!.p99Ms).not.toBeNull();
    expect(size.baseline!.p99SamplesNeeded).toBeUndefined();
    // The cost change needs no minimum: it is still judged.
    expect(size.costChange).toBeDefined();
  });

  it('asks for more samples at a higher confidence', () => {
    const size = onlySize(
      compareRuns(
        lognormalReport(100, 400, 1),
        lognormalReport(100, 400, 2),
        options(TEN_PERCENT, { confidence: 0.99 })
      )
    );

    expect(size.p99Change).toBeUndefined();
    expect(check(size, 'p99-increase').reason).toContain('459 are needed on each side for a 99 % interval.');
  });

  it('prices each side with its own report’s prices', () => {
    const baseline = constantReport(100, 300);
    const candidate = buildRunReport({
      sizes: [{ memoryMb: 1024, durations: Array<number>(300).fill(100) }],
      prices: { gbSecondUsd: 0.0000166667 }
    });

    const size = onlySize(compareRuns(candidate, baseline, options(TEN_PERCENT)));

    // Every invocation costs the same on each side, so every resample does too: the interval is a point.
    const expected = (0.1 * 0.0000166667 + 0.0000002) / (0.1 * 0.0000133334 + 0.0000002) - 1;
    expect(size.costChange!.estimate).toBeCloseTo(expected, 12);
    expect(size.costChange!.lower).toBeCloseTo(expected, 12);
    expect(size.costChange!.upper).toBeCloseTo(expected, 12);
    expect(size.p99Change!.estimate).toBe(0);
  });

  it('judges no relative budget without a baseline', () => {
    const comparison = compareRuns(lognormalReport(100, 300, 1), undefined, options(TEN_PERCENT));

    const size = onlySize(comparison);
    expect(comparison.hasBaseline).toBe(false);
    expect(size.checks.map((item) => item.budget)).toEqual(['error-rate']);
    expect(size.baseline).toBeUndefined();
    expect(size.costChange).toBeUndefined();
  });

  it('leaves the relative checks inconclusive when the baseline did not measure the gated size', () => {
    const baseline = buildRunReport({ sizes: [{ memoryMb: 512, durations: { median: 200, sigma: 0.15, n: 300 } }] });

    const size = onlySize(
      compareRuns(lognormalReport(100, 300, 1), baseline, options({ ...TEN_PERCENT, maxP99Ms: 500 }))
    );

    expect(size.baseline).toBeUndefined();
    expect(size.costChange).toBeUndefined();
    expect(size.p99Change).toBeUndefined();
    expect(check(size, 'cost-increase')).toMatchObject({
      verdict: 'inconclusive',
      observed: null,
      reason:
        'cost per invocation change cannot be judged: the baseline has no measured invocations at 1024 MB ' +
        '(it measured 512 MB).'
    });
    expect(check(size, 'p99-increase').verdict).toBe('inconclusive');
    // Absolute budgets need no baseline.
    expect(check(size, 'p99-ms').verdict).toBe('pass');
  });

  it('cannot form a ratio over a baseline that cost nothing', () => {
    const free = { gbSecondUsd: 0, requestUsd: 0, storageGbSecondUsd: 0 };
    const baseline = buildRunReport({
      sizes: [{ memoryMb: 1024, durations: { median: 100, sigma: 0.1, n: 20 } }],
      prices: free
    });

    const size = onlySize(compareRuns(lognormalReport(100, 20, 1), baseline, options(TEN_PERCENT)));

    expect(size.costChange).toBeUndefined();
    expect(check(size, 'cost-increase').reason).toBe(
      "cost per invocation change cannot be estimated: the baseline's cost at 1024 MB is $0.00, so no ratio exists."
    );
  });

  it('gives the same output for the same reports and seed, and other intervals for another seed', () => {
    const candidate = lognormalReport(110, 400, 1);
    const baseline = lognormalReport(100, 400, 2);

    const first = compareRuns(candidate, baseline, options(TEN_PERCENT));
    const again = compareRuns(candidate, baseline, options(TEN_PERCENT));
    const reseeded = compareRuns(candidate, baseline, options(TEN_PERCENT, { seed: 8 }));

    expect(again).toEqual(first);
    const a = onlySize(first).costChange!;
    const b = onlySize(reseeded).costChange!;
    expect(b.estimate).toBe(a.estimate);
    expect([b.lower, b.upper]).not.toEqual([a.lower, a.upper]);
  });

  it('keeps a size’s intervals when another size is gated beside it', () => {
    const sizes = (seed: number) =>
      buildRunReport({
        sizes: [
          { memoryMb: 512, durations: { median: 200, sigma: 0.15, n: 300 } },
          { memoryMb: 1024, durations: { median: 100, sigma: 0.15, n: 300 } }
        ],
        seed
      });
    const alone = compareRuns(sizes(1), sizes(2), options(TEN_PERCENT));
    const both = compareRuns(sizes(1), sizes(2), options(TEN_PERCENT, { gatedSizes: [512, 1024] }));

    expect(both.sizes.map((size) => size.memoryMb)).toEqual([512, 1024]);
    expect(both.sizes[1]).toEqual(alone.sizes[0]);
  });

  it('keeps false alarms rare: an A/A cost check with a budget of 0 fails in few of 200 comparisons', () => {
    let failures = 0;
    for (let i = 0; i < 200; i++) {
      const candidate = lognormalReport(100, 100, 1000 + i);
      const baseline = lognormalReport(100, 100, 5000 + i);
      const size = onlySize(
        compareRuns(candidate, baseline, options({ maxCostIncrease: 0 }, { seed: i, resamples: 1000 }))
      );
      if (check(size, 'cost-increase').verdict === 'fail') failures++;
    }
    // A two-sided 95 % interval lies wholly above 0 in about 2.5 % of A/A runs; 5 % allows for the bootstrap.
    expect(failures).toBeLessThanOrEqual(10);
  });
});

describe('compareRuns refuses', () => {
  it('a gated size the candidate did not sweep, naming the sizes it did', () => {
    const run = () => compareRuns(lognormalReport(100, 30, 1), undefined, options({}, { gatedSizes: [2048] }));

    expect(run).toThrow(CompareError);
    expect(run).toThrow(
      'Gated size 2048 MB was not swept in the candidate run of orders (measured sizes: 1024 MB); ' +
        'gate only sizes the sweep measures'
    );
  });

  it('a gated size with warm-ups only', () => {
    const report = lognormalReport(100, 30, 1, { warmup: 2 });
    report.samples = report.samples.filter((sample) => sample.phase === 'warmup');

    expect(() => compareRuns(report, undefined, options())).toThrow(/1024 MB has only warm-up invocations/);
  });

  it.each([
    ['no gated size', { gatedSizes: [] }, /No memory size to gate/],
    ['a confidence of 1', { confidence: 1 }, /Confidence must be within \(0, 1\); got 1/],
    ['0 resamples', { resamples: 0 }, /resamples must be a whole number ≥ 1; got 0/],
    ['a NaN seed', { seed: Number.NaN }, /seed must be a finite number/],
    ['a negative budget', { budgets: { maxErrorRate: 0.01, maxCostIncrease: -0.1 } }, /Budget maxCostIncrease/],
    ['an error budget above 1', { budgets: { maxErrorRate: 2 } }, /maxErrorRate must be within \[0, 1\]/],
    ['negative traffic', { monthlyInvocations: { perMonth: -1, source: 'x' } }, /Monthly invocations/]
  ])('%s', (_name, extra, message) => {
    expect(() => compareRuns(lognormalReport(100, 30, 1), undefined, options({}, extra))).toThrow(message);
  });
});
