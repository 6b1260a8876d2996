/** The fixture builder other tests rely on: valid reports, exact warm counts, seeded draws. */
import { describe, expect, it } from '@jest/globals';
import { parseRunReport } from '../../src/report/run-report.js';
import { buildRunReport, logNormalDurations } from '../support/report-fixtures.js';

describe('buildRunReport', () => {
  const report = buildRunReport({
    functionName: 'checkout',
    sizes: [
      {
        memoryMb: 512,
        durations: { median: 200, sigma: 0.2, n: 40 },
        errors: 2,
        coldStarts: 1,
        warmup: 3,
        throttled: 1
      },
      { memoryMb: 1024, durations: [100, 110, 120], jobs: 3 }
    ],
    seed: 5
  });

  it('passes the run report schema, through JSON', () => {
    expect(() => parseRunReport(JSON.parse(JSON.stringify(report)), 'fixture')).not.toThrow();
    expect(report.function.name).toBe('checkout');
  });

  it('summarises each size with the real analysis', () => {
    const [small, large] = report.sizes;

    expect(small).toMatchObject({ memoryMb: 512, measured: 44, errors: 3, measuredColdStarts: 1, coldStarts: 2 });
    expect(small!.duration!.count).toBe(40);
    expect(large!.duration!.count).toBe(3);
    expect(large!.costPerJobUsd).toBeDefined();
  });

  it('keeps the warm durations the same when extras are added', () => {
    const warm = (errors: number) =>
      buildRunReport({ sizes: [{ memoryMb: 512, durations: { median: 200, sigma: 0.2, n: 40 }, errors }], seed: 5 })
        .samples.filter((sample) => sample.error === undefined)
        .map((sample) => sample.durationMs);

    expect(warm(5)).toEqual(warm(0));
  });

  it('draws the same durations from the same seed, and others from another', () => {
    const distribution = { median: 100, sigma: 0.3, n: 20 };

    expect(logNormalDurations(distribution, 1)).toEqual(logNormalDurations(distribution, 1));
    expect(logNormalDurations(distribution, 1)).not.toEqual(logNormalDurations(distribution, 2));
  });

  it('draws durations around the median', () => {
    const values = logNormalDurations({ median: 100, sigma: 0.3, n: 2001 }, 3).sort((a, b) => a - b);

    expect(values[1000]).toBeGreaterThan(95);
    expect(values[1000]).toBeLessThan(105);
  });
});
