/** How a gated size's sampling is summarised for the report, from the looks or from one go. */
import { describe, expect, it } from '@jest/globals';
import { samplingSummary } from '../../src/gate/sampling.js';
import { buildRunReport } from '../support/report-fixtures.js';

describe('samplingSummary without looks', () => {
  const report = buildRunReport({ sizes: [{ memoryMb: 1024, durations: Array<number>(120).fill(50) }] });

  it('says the cap was reached when one go measured it', () => {
    const [size] = samplingSummary(report, [1024], new Map(), 'fixed', 120);

    expect(size).toMatchObject({ memoryMb: 1024, mode: 'fixed', looks: 1, invocations: 120, stoppedBecause: 'cap' });
    expect(size!.reason).toBe('Measured 120 invocations in one go (sampling: fixed).');
  });

  it('says the run stopped when one go measured less than the cap', () => {
    const [size] = samplingSummary(report, [1024], new Map(), 'fixed', 300);

    expect(size!.stoppedBecause).toBe('continue');
  });

  it('leaves out a gated size the sweep did not measure', () => {
    expect(samplingSummary(report, [2048], new Map(), 'fixed', 300)).toEqual([]);
  });
});
