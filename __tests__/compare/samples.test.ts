/** Which samples count where: latency, cost, error rate, jobs; and the side figures built from them. */
import { describe, expect, it } from '@jest/globals';
import { compareRuns } from '../../src/compare/compare.js';
import { estimateQuantile } from '../../src/analyze/percentiles.js';
import type { Sample } from '../../src/sweep/types.js';
import { buildRunReport } from '../support/report-fixtures.js';
import { check, constantReport, costOf, lognormalReport, onlySize, options } from './helpers.js';

function extra(overrides: Partial<Sample>): Sample {
  return {
    memoryMb: 1024,
    version: '1024',
    payloadIndex: 0,
    phase: 'measure',
    roundTripMs: 20,
    reportSource: 'tail',
    startedAt: 1_767_261_700_000,
    ...overrides
  };
}

describe('what the comparison counts', () => {
  it('keeps cold starts, warm-ups and errors out of latency, but bills errors and cold starts', () => {
    const report = constantReport(100, 300);
    report.samples.push(
      extra({ phase: 'warmup', durationMs: 900, initDurationMs: 300, billedDurationMs: 5000 }),
      extra({ durationMs: 350, initDurationMs: 250, billedDurationMs: 400 }),
      extra({ durationMs: 999.5, billedDurationMs: 1000, error: 'unhandled' })
    );

    const size = onlySize(compareRuns(report, undefined, options()));

    expect(size.candidate).toMatchObject({ samples: 300, p50Ms: 100, measured: 302, errors: 1, coldStarts: 2 });
    expect(size.candidate.p99Ms).toEqual({ estimate: 100, lower: 100, upper: 100, confidence: 0.95 });
    // The warm-up is not measured; the cold start and the error are billed and counted.
    const mean = (300 * costOf(100) + costOf(400) + costOf(1000)) / 302;
    expect(size.candidate.costPerMillionUsd!.estimate).toBeCloseTo(mean * 1e6, 9);
    expect(size.candidate.errorRate).toBeCloseTo(1 / 302, 12);
  });

  it('charges nothing for throttled or refused calls, but counts them as errors', () => {
    const plain = constantReport(100, 300);
    const throttled = constantReport(100, 300, { throttled: 40 });
    throttled.samples.push(
      extra({ error: 'client', billedDurationMs: 5000 }),
      extra({ error: 'throttled', billedDurationMs: 5000 })
    );

    const before = onlySize(compareRuns(plain, undefined, options())).candidate;
    const after = onlySize(compareRuns(throttled, undefined, options())).candidate;

    expect(after.costPerMillionUsd).toEqual(before.costPerMillionUsd);
    expect(after.costPerMillionUsd!.estimate).toBeCloseTo(costOf(100) * 1e6, 9);
    expect(after).toMatchObject({ measured: 342, errors: 42, samples: 300 });
  });

  it('takes the p99 interval from the order statistics of the warm durations', () => {
    const report = lognormalReport(100, 400, 4, { coldStarts: 3, errors: 2 });
    const warm = report.samples
      .filter((s) => s.phase === 'measure' && s.error === undefined && s.initDurationMs === undefined)
      .map((s) => s.durationMs!)
      .sort((a, b) => a - b);
    const expected = estimateQuantile(warm, 0.99, 0.95);

    const figures = onlySize(compareRuns(report, undefined, options())).candidate;

    expect(figures.p99Ms).toEqual({
      estimate: expected.value,
      lower: expected.lower,
      upper: expected.upper,
      confidence: 0.95
    });
    expect(figures.p99SamplesNeeded).toBeUndefined();
  });

  it('reports memory use from every invocation', () => {
    const report = constantReport(100, 20, { maxMemoryUsedMb: 300 });
    report.samples.push(extra({ phase: 'warmup', durationMs: 50, billedDurationMs: 50, maxMemoryUsedMb: 512 }));

    const figures = onlySize(compareRuns(report, undefined, options())).candidate;

    expect(figures.maxMemoryUsedMb).toBe(512);
    expect(figures.memoryUsedShare).toBe(0.5);
  });

  it('has no cost and no monthly figure when nothing measured was billed', () => {
    const report = constantReport(100, 0, { throttled: 10 });

    const size = onlySize(
      compareRuns(
        report,
        undefined,
        options({ maxCostPerMillionUsd: 3 }, { monthlyInvocations: { perMonth: 1e6, source: 'input' } })
      )
    );

    expect(size.candidate).toMatchObject({ costPerMillionUsd: null, p50Ms: null, p99Ms: null, samples: 0 });
    expect(size.monthly).toBeUndefined();
    expect(check(size, 'cost-per-million')).toMatchObject({
      verdict: 'inconclusive',
      reason: 'cost per 1M invocations cannot be estimated: no measured invocation at 1024 MB was billed.'
    });
    expect(check(size, 'error-rate').verdict).toBe('fail');
  });
});

describe('cost per job', () => {
  it('is the basis when every billed invocation on both sides counts jobs', () => {
    const candidate = constantReport(100, 300, { jobs: 4, errors: 3 });
    const baseline = constantReport(100, 300, { jobs: 4 });

    const size = onlySize(compareRuns(candidate, baseline, options({ maxCostIncrease: 0.1, maxCostPerMillionUsd: 1 })));

    expect(size.costBasis).toBe('job');
    expect(size.baseline!.costPerMillionUsd!.estimate).toBeCloseTo((costOf(100) / 4) * 1e6, 9);
    // The failures did no job but were billed: they raise the cost of each job done.
    const errorCosts = candidate.samples.filter((s) => s.error !== undefined).map((s) => costOf(s.billedDurationMs!));
    const total = 300 * costOf(100) + errorCosts.reduce((sum, cost) => sum + cost, 0);
    expect(size.candidate.costPerMillionUsd!.estimate).toBeCloseTo((total / 1200) * 1e6, 9);
    expect(check(size, 'cost-increase').reason).toMatch(/^cost per job rose /);
    expect(check(size, 'cost-per-million').reason).toMatch(/^cost per 1M jobs \$0\.3\d\d \(95 % CI /);
  });

  it('falls back to invocations when the baseline did not count jobs', () => {
    const size = onlySize(compareRuns(constantReport(100, 50, { jobs: 4 }), constantReport(100, 50), options()));

    expect(size.costBasis).toBe('invocation');
    expect(size.candidate.costPerMillionUsd!.estimate).toBeCloseTo(costOf(100) * 1e6, 9);
  });

  it('falls back to invocations when no job was done', () => {
    const size = onlySize(compareRuns(constantReport(100, 50, { jobs: 0 }), undefined, options()));

    expect(size.costBasis).toBe('invocation');
  });

  it('is per job without a baseline when the candidate counts jobs', () => {
    const size = onlySize(compareRuns(constantReport(100, 50, { jobs: 2 }), undefined, options()));

    expect(size.costBasis).toBe('job');
    expect(size.candidate.costPerMillionUsd!.estimate).toBeCloseTo((costOf(100) / 2) * 1e6, 9);
  });
});

describe('several gated sizes', () => {
  it('judges each size and takes the worst verdict for the function', () => {
    const report = (slow: number) =>
      buildRunReport({
        sizes: [
          { memoryMb: 512, durations: { median: 200, sigma: 0.15, n: 300 } },
          { memoryMb: 1024, durations: { median: 100 * slow, sigma: 0.15, n: 300 } }
        ],
        seed: slow === 1 ? 2 : 1
      });

    const comparison = compareRuns(
      report(1.3),
      report(1),
      options({ maxCostIncrease: 0.1 }, { gatedSizes: [512, 1024] })
    );

    expect(comparison.sizes.map((size) => [size.memoryMb, size.verdict])).toEqual([
      [512, 'pass'],
      [1024, 'fail']
    ]);
    expect(comparison.verdict).toBe('fail');
  });
});
