/** Ephemeral storage above the free 512 MB is billed, and the comparison prices it from each report. */
import { describe, expect, it } from '@jest/globals';
import { compareRuns } from '../../src/compare/compare.js';
import { invocationTotalUsd } from '../../src/pricing/cost.js';
import { constantReport, onlySize, options } from './helpers.js';

describe('ephemeral storage', () => {
  it('prices storage above 512 MB, so a run at 10 GB of /tmp costs more per million than at 512 MB', () => {
    const small = constantReport(100, 300);
    const large = constantReport(100, 300);
    large.function.ephemeralStorageMb = 10240;
    const memoryMb = small.sizes[0]!.memoryMb;
    const at = (report: typeof small) =>
      onlySize(compareRuns(report, undefined, options({}))).candidate.costPerMillionUsd!.estimate;
    expect(at(large)).toBeGreaterThan(at(small));
    const billed = small.samples.find((s) => s.phase === 'measure')!.billedDurationMs!;
    expect(at(large)).toBeCloseTo(invocationTotalUsd(billed, memoryMb, 10240, large.pricing) * 1e6, 6);
  });
});
