/** Absolute budgets, the monthly bill, and the error rate. */
import { describe, expect, it } from '@jest/globals';
import { compareRuns } from '../../src/compare/compare.js';
import { check, constantReport, costOf, lognormalReport, onlySize, options } from './helpers.js';

describe('cost per million', () => {
  const report = lognormalReport(100, 300, 1);

  it('passes when the whole interval is within the budget', () => {
    const result = check(
      onlySize(compareRuns(report, undefined, options({ maxCostPerMillionUsd: 3 }))),
      'cost-per-million'
    );

    expect(result.verdict).toBe('pass');
    expect(result.limit).toBe(3);
    expect(result.observed!.upper).toBeLessThanOrEqual(3);
    expect(result.reason).toMatch(
      /^cost per 1M invocations \$1\.\d\d \(95 % CI \$1\.\d\d–\$1\.\d\d\) is within the \$3\.00 budget\.$/
    );
  });

  it('fails when the whole interval is beyond the budget', () => {
    const result = check(
      onlySize(compareRuns(report, undefined, options({ maxCostPerMillionUsd: 1 }))),
      'cost-per-million'
    );

    expect(result.verdict).toBe('fail');
    expect(result.observed!.lower).toBeGreaterThan(1);
    expect(result.reason).toMatch(/is beyond the \$1\.00 budget\.$/);
  });

  it('is inconclusive when the budget lies inside the interval', () => {
    const figures = onlySize(compareRuns(report, undefined, options())).candidate.costPerMillionUsd!;
    const limit = (figures.lower + figures.upper) / 2;

    const result = check(
      onlySize(compareRuns(report, undefined, options({ maxCostPerMillionUsd: limit }))),
      'cost-per-million'
    );

    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/straddles the \$1\.\d\d budget: more samples are needed to decide\.$/);
  });
});

describe('p99 in milliseconds', () => {
  const report = lognormalReport(100, 300, 1);

  it('passes under a generous budget and fails under a tight one, quoting the order-statistic interval', () => {
    const size = (limit: number) => onlySize(compareRuns(report, undefined, options({ maxP99Ms: limit })));
    const p99 = size(1000).candidate.p99Ms!;

    expect(check(size(1000), 'p99-ms').verdict).toBe('pass');
    expect(check(size(1000), 'p99-ms').observed).toEqual(p99);
    expect(check(size(1000), 'p99-ms').reason).toMatch(
      /^p99 1\d\d ms \(95 % CI 1\d\d–1\d\d ms\) is within the 1,000 ms budget\.$/
    );
    expect(check(size(50), 'p99-ms').verdict).toBe('fail');
    expect(check(size(50), 'p99-ms').reason).toMatch(/is beyond the 50 ms budget\.$/);
    expect(check(size((p99.lower + p99.upper) / 2), 'p99-ms').verdict).toBe('inconclusive');
  });

  it('cannot be judged from too few warm samples', () => {
    const result = check(
      onlySize(compareRuns(lognormalReport(100, 50, 1, { coldStarts: 5 }), undefined, options({ maxP99Ms: 1000 }))),
      'p99-ms'
    );

    expect(result).toEqual({
      budget: 'p99-ms',
      limit: 1000,
      observed: null,
      verdict: 'inconclusive',
      reason: 'p99 cannot be estimated: 50 warm samples at 1024 MB, 299 are needed for a 95 % interval.'
    });
  });
});

describe('monthly bill', () => {
  const traffic = { monthlyInvocations: { perMonth: 10_000_000, source: 'input monthly-invocations' } };

  it('prices the candidate alone without a baseline, and judges no increase', () => {
    const size = onlySize(
      compareRuns(constantReport(100, 50), undefined, options({ maxMonthlyIncreaseUsd: 1 }, traffic))
    );

    expect(size.monthly).toEqual({
      invocationsPerMonth: 10_000_000,
      source: 'input monthly-invocations',
      candidateUsd: expect.closeTo(10_000_000 * costOf(100), 9)
    });
    expect(size.checks.map((item) => item.budget)).toEqual(['error-rate']);
  });

  it('gives the change with a baseline, and fails or passes it against the budget', () => {
    const candidate = lognormalReport(130, 300, 1);
    const baseline = lognormalReport(100, 300, 2);
    const judged = (limit: number) =>
      onlySize(compareRuns(candidate, baseline, options({ maxMonthlyIncreaseUsd: limit }, traffic)));

    const monthly = judged(1).monthly!;
    expect(monthly.change!.estimate).toBeCloseTo(monthly.candidateUsd - monthly.baselineUsd!, 9);
    expect(monthly.change!.lower).toBeGreaterThan(1);
    expect(check(judged(1), 'monthly-increase').verdict).toBe('fail');
    expect(check(judged(1), 'monthly-increase').reason).toMatch(
      /^the monthly bill would rise by \$\d\.\d\d \(95 % CI \$\d\.\d\d to \$\d\.\d\d\) at 10,000,000 invocations a month, beyond the \$1\.00 a month budget\.$/
    );
    expect(check(judged(100), 'monthly-increase').verdict).toBe('pass');
  });

  it('is judged per invocation even when cost is per job', () => {
    const size = onlySize(
      compareRuns(constantReport(100, 50, { jobs: 5 }), constantReport(100, 50, { jobs: 5 }), options({}, traffic))
    );

    expect(size.costBasis).toBe('job');
    expect(size.monthly!.candidateUsd).toBeCloseTo(10_000_000 * costOf(100), 9);
    expect(size.monthly!.change).toEqual({ estimate: 0, lower: 0, upper: 0, confidence: 0.95 });
  });

  it('is not computed without a traffic figure, whatever the budget', () => {
    const size = onlySize(
      compareRuns(constantReport(100, 50), constantReport(100, 50), options({ maxMonthlyIncreaseUsd: 1 }))
    );

    expect(size.monthly).toBeUndefined();
    expect(size.checks.map((item) => item.budget)).toEqual(['error-rate']);
  });

  it('is inconclusive when the baseline lacks the size', () => {
    const baseline = lognormalReport(100, 50, 2);
    baseline.samples = baseline.samples.map((sample) => ({ ...sample, memoryMb: 2048 }));

    const size = onlySize(
      compareRuns(constantReport(100, 50), baseline, options({ maxMonthlyIncreaseUsd: 1 }, traffic))
    );

    expect(size.monthly).not.toHaveProperty('baselineUsd');
    expect(check(size, 'monthly-increase')).toMatchObject({
      verdict: 'inconclusive',
      reason:
        'monthly bill change cannot be judged: the baseline has no measured invocations at 1024 MB (it measured 2048 MB).'
    });
  });
});

describe('error rate', () => {
  const rate = (errors: number, limit: number, warm = 300 - errors) =>
    check(
      onlySize(compareRuns(constantReport(100, warm, { errors }), undefined, options({ maxErrorRate: limit }))),
      'error-rate'
    );

  it('fails a budget of 0 with one error in 300', () => {
    const result = rate(1, 0);

    expect(result.verdict).toBe('fail');
    expect(result.observed!.estimate).toBeCloseTo(1 / 300, 12);
    expect(result.reason).toBe(
      'error rate 0.33 % (1 of 300 measured invocations failed; 95 % CI 0.01 % to 1.84 %) is beyond the 0 % budget.'
    );
  });

  it('passes no errors against a budget of 0', () => {
    expect(rate(0, 0).verdict).toBe('pass');
  });

  it('passes an observed rate at or under the budget, even when its interval reaches above it', () => {
    const result = rate(2, 0.01);

    expect(result.observed!.upper).toBeGreaterThan(0.01);
    expect(result.verdict).toBe('pass');
    expect(result.reason).toMatch(/is within the 1 % budget\.$/);
  });

  it('is inconclusive when the rate is above the budget but its interval reaches below it', () => {
    const result = rate(4, 0.01);

    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toBe(
      'error rate 1.33 % (4 of 300 measured invocations failed; 95 % CI 0.36 % to 3.38 %) is above the 1 % budget, ' +
        'but its interval reaches below it: more samples are needed to decide.'
    );
  });

  it('fails when even the low end of the interval is above the budget', () => {
    expect(rate(12, 0.01).verdict).toBe('fail');
  });

  it('is judged with or without any other budget, at every gated size', () => {
    const size = onlySize(compareRuns(constantReport(100, 10), undefined, options()));

    expect(size.checks).toHaveLength(1);
    expect(size.verdict).toBe('pass');
  });
});
