/**
 * The recommendation rules on hand-made figures: a percentage buffer, Lambda's minimum and maximum,
 * an at-risk function whose duration depends on CPU, and functions without figures.
 */
import { describe, expect, it } from '@jest/globals';
import { summarizeUsage } from '../../src/fleet/aggregate.js';
import { recommendMemory, type RuleSettings } from '../../src/fleet/rules.js';
import type { ResultRow } from '../../src/fleet/types.js';
import { fleetFunction } from './helpers.js';

const SETTINGS: RuleSettings = {
  buffer: { kind: 'mb', mb: 100 },
  peakMargin: { kind: 'mb', mb: 32 },
  memoryStepMb: 64,
  minInvocations: 50,
  minDays: 7
};

/** Insights rows: one per day, `peaks[d]` MB on day d, at `sizes[d]` MB with p50 `p50s[d]` ms. */
function rows(peaks: number[], sizes: number[] = [], p50s: number[] = []): ResultRow[] {
  return peaks.map((peak, d) => [
    { field: '@log', value: '123456789012:/aws/lambda/orders' },
    { field: 'bin(1d)', value: `2026-03-${String(d + 1).padStart(2, '0')} 00:00:00.000` },
    { field: 'sizeMb', value: String(sizes[d] ?? 1024) },
    { field: 'invocations', value: '100' },
    { field: 'p50', value: String(p50s[d] ?? 50) },
    { field: 'meanBilled', value: String(p50s[d] ?? 50) },
    { field: 'maxUsedMb', value: String(peak) }
  ]);
}
const week = (mb: number): number[] => Array.from({ length: 7 }, () => mb);

describe('recommendMemory', () => {
  it('takes a percentage buffer of the mean daily peak', () => {
    // 500 × 1.2 = 600 > 500 + 32; ceil(600 / 64) = 10 → 640 MB.
    const rec = recommendMemory(
      fleetFunction(),
      summarizeUsage({ kind: 'rows', rows: rows(week(500)) }),
      { ...SETTINGS, buffer: { kind: 'percent', percent: 20 } },
      undefined
    );

    expect(rec).toMatchObject({ memoryMb: 640, usageFloorMb: 600, rule: 'usage-buffer' });
    expect(rec.reason).toContain('mean daily peak 500 MB + 20 % = 600 MB');
  });

  it("never goes below Lambda's 128 MB nor above 10,240 MB", () => {
    const small = recommendMemory(
      fleetFunction(),
      summarizeUsage({ kind: 'rows', rows: rows(week(10)) }),
      SETTINGS,
      undefined
    );
    const large = recommendMemory(
      fleetFunction({ memoryMb: 10240 }),
      summarizeUsage({ kind: 'rows', rows: rows(week(10200)) }),
      SETTINGS,
      undefined
    );

    expect(small).toMatchObject({ memoryMb: 128, rule: 'minimum-size' });
    expect(large).toMatchObject({ memoryMb: 10240, flags: ['at-risk'] });
  });

  it('raises a CPU-bound function at risk: holding applies only to going down', () => {
    // Ran at 512 MB (p50 400 ms) then 1024 MB (200 ms): CPU-bound. Peak 950 of 1024 MB: 950 + 100 → 1088 MB.
    const usage = summarizeUsage({
      kind: 'rows',
      rows: rows([...week(900), ...week(950)], [...week(512), ...week(1024)], [...week(400), ...week(200)])
    });

    const rec = recommendMemory(fleetFunction(), usage, SETTINGS, undefined);

    expect(rec).toMatchObject({
      memoryMb: 1088,
      rule: 'usage-buffer',
      flags: ['at-risk', 'cpu-bound'],
      confident: true
    });
  });

  it('gives no recommendation without figures, saying why', () => {
    const failed = recommendMemory(
      fleetFunction(),
      summarizeUsage({ kind: 'failed', why: 'the query ended Failed' }),
      SETTINGS,
      undefined
    );
    const silent = recommendMemory(fleetFunction(), summarizeUsage({ kind: 'rows', rows: [] }), SETTINGS, undefined);

    expect(failed).toMatchObject({
      memoryMb: null,
      flags: ['query-failed'],
      reason: 'Could not read its logs: the query ended Failed.'
    });
    expect(silent).toMatchObject({ memoryMb: null, flags: ['no-data'], reason: 'No REPORT record in the window.' });
  });
});
