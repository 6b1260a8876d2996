/**
 * Fleet right-sizing against the emulator, end to end through the real SDK ports: six functions with
 * 14 days of seeded REPORT records (2026-03-01 to 2026-03-14), whose recommendations, flags, costs and
 * savings are worked out by hand below.
 *
 * Defaults: buffer 100 MB, peak margin 32 MB, step 64 MB, confident from 50 invocations on 7 days.
 * Prices (us-east-1): x86_64 $0.0000166667 and arm64 $0.0000133334 per GB-s, $0.0000002 per request.
 * Months have 30 days: 30 invocations a day for 14 days (420) is 420 × 30 / 14 = 900 a month.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runRightSize, type RightSizeResult } from '../../src/fleet/run.js';
import type { FunctionReport } from '../../src/fleet/report.js';
import { renderRightSizeMarkdown } from '../../src/fleet/markdown.js';
import { settingsFrom, startFleetTestBed, type FleetTestBed } from './helpers.js';

const model = { cpuMs: 1 };
const EVERY_DAY = 30;

describe('right-size a fleet with known usage', () => {
  let bed: FleetTestBed;
  let result: RightSizeResult;
  const fn = (name: string): FunctionReport => {
    const found = result.report.functions.find((f) => f.function.name === name);
    if (!found) throw new Error(`no report for ${name}`);
    return found;
  };

  beforeAll(async () => {
    bed = await startFleetTestBed(
      {
        functions: [
          { name: 'checkout', model, memorySize: 1024 },
          { name: 'resizer', model, memorySize: 512, architecture: 'arm64', logFormat: 'JSON' },
          { name: 'reporter', model, memorySize: 2048 },
          { name: 'rare', model, memorySize: 256 },
          { name: 'idle', model, memorySize: 128 },
          { name: 'oom', model, memorySize: 256, logFormat: 'JSON' }
        ]
      },
      [
        // Peaks alternate 300, 320 MB; 3 cold starts a day (init 100 ms): billed (3 × 200 + 27 × 100) / 30 = 110 ms.
        {
          name: 'checkout',
          memorySizeMb: 1024,
          invocationsPerDay: EVERY_DAY,
          durationMs: 100,
          maxMemoryUsedMb: [300, 320],
          memoryDipMb: 50,
          coldStartsPerDay: 3,
          initDurationMs: 100
        },
        // JSON platform.report records, peak 470 MB of 512 every day.
        {
          name: 'resizer',
          format: 'JSON',
          memorySizeMb: 512,
          invocationsPerDay: EVERY_DAY,
          durationMs: 200,
          maxMemoryUsedMb: 470,
          memoryDipMb: 30
        },
        // 150 MB every day but one spike of 400 MB on day 6; one timeout on day 3.
        {
          name: 'reporter',
          memorySizeMb: 2048,
          invocationsPerDay: EVERY_DAY,
          durationMs: 50,
          maxMemoryUsedMb: [150, 150, 150, 150, 150, 150, 400, 150, 150, 150, 150, 150, 150, 150],
          timeoutsPerDay: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        },
        // Five invocations a day on the last three days only.
        {
          name: 'rare',
          memorySizeMb: 256,
          invocationsPerDay: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5],
          durationMs: 20,
          maxMemoryUsedMb: 60
        },
        // One out-of-memory kill on the last day: its REPORT shows Max Memory Used = 256 MB.
        {
          name: 'oom',
          format: 'JSON',
          memorySizeMb: 256,
          invocationsPerDay: EVERY_DAY,
          durationMs: 80,
          maxMemoryUsedMb: 200,
          oomKillsPerDay: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        }
      ]
    );
    result = await runRightSize(settingsFrom({ 'all-functions': 'true' }), bed.deps());
  });
  afterAll(async () => {
    await bed.close();
  });

  it('recommends from the mean daily peak + buffer, never below the largest peak + margin', () => {
    // checkout: mean of daily peaks (300 + 320) / 2 = 310; 310 + 100 = 410 > 320 + 32 = 352; ceil(410 / 64) × 64 = 448.
    expect(fn('checkout').recommendation).toMatchObject({
      memoryMb: 448,
      usageFloorMb: 410,
      peakFloorMb: 352,
      rule: 'usage-buffer',
      confident: true
    });
    // resizer: 470 + 100 = 570 > 470 + 32 = 502; ceil(570 / 64) = 9 → 576 MB, up from 512.
    expect(fn('resizer').recommendation).toMatchObject({ memoryMb: 576, rule: 'usage-buffer', confident: true });
    // reporter: mean (13 × 150 + 400) / 14 = 167.857…; + 100 = 267.9 < 400 + 32 = 432; ceil(432 / 64) = 7 → 448.
    const reporter = fn('reporter').recommendation;
    expect(reporter).toMatchObject({ memoryMb: 448, rule: 'peak-margin', peakFloorMb: 432 });
    expect(reporter.usageFloorMb).toBeCloseTo(2350 / 14 + 100, 9);
    // rare: 60 + 100 = 160 > 92; ceil(160 / 64) = 3 → 192 MB.
    expect(fn('rare').recommendation).toMatchObject({ memoryMb: 192, rule: 'usage-buffer' });
    // oom: daily peaks 13 × 200 and 256 (the kill): mean 204; 304 > 256 + 32 = 288; ceil(304 / 64) = 5 → 320.
    expect(fn('oom').recommendation).toMatchObject({ memoryMb: 320, rule: 'usage-buffer', usageFloorMb: 304 });
    // idle never ran: no log group, no recommendation.
    expect(fn('idle').recommendation).toMatchObject({ memoryMb: null, rule: 'no-data', flags: ['no-data'] });
    expect(fn('idle').recommendation.reason).toContain('/aws/lambda/idle does not exist');
    // One query for all six: refused for idle's missing group, which one DescribeLogGroups finds; run again without it.
    expect(result.report.queries).toMatchObject({ issued: 1, batches: 1, splits: 0, groupLookups: 1 });
  });

  it('flags at risk (OOM kills, peak > 90 %) and over-provisioned (peak < 60 %), and says why it is not confident', () => {
    // 320 / 1024 = 31 %; 470 / 512 = 92 %; 400 / 2048 = 20 %; 60 / 256 = 23 %; 256 / 256 = 100 % with a kill.
    expect(fn('checkout').recommendation.flags).toEqual(['over-provisioned']);
    expect(fn('resizer').recommendation.flags).toEqual(['at-risk']);
    expect(fn('reporter').recommendation.flags).toEqual(['over-provisioned', 'timeouts']);
    expect(fn('rare').recommendation.flags).toEqual(['over-provisioned', 'insufficient-data']);
    expect(fn('oom').recommendation.flags).toEqual(['at-risk', 'oom-kills']);

    expect(fn('reporter').recommendation.doubts).toEqual(['1 timeouts: less memory also means less CPU']);
    expect(fn('rare').recommendation.doubts).toEqual([
      'only 15 invocations in the window (fewer than 50)',
      'invoked on 3 days only (fewer than 7)'
    ]);
    expect(fn('oom').recommendation.confident).toBe(false);
    expect(fn('oom').recommendation.doubts[0]).toMatch(/^1 out-of-memory kills/);
  });

  it('prices each function now and at the recommendation from its observed invocations', () => {
    // checkout: 900 × 0.110 s × 1 GB = 99 GB-s → 99 × 0.0000166667 + 900 × 0.0000002 = 0.0018300033;
    // at 448 MB: 99 × 0.4375 = 43.3125 GB-s → 0.00090187644375; savings 55.6875 × 0.0000166667.
    expect(fn('checkout').cost).toMatchObject({ monthlyInvocations: 900, meanBilledNowMs: 110 });
    expect(fn('checkout').cost?.nowUsd).toBeCloseTo(0.0018300033, 12);
    expect(fn('checkout').cost?.recommendedUsd).toBeCloseTo(0.00090187644375, 12);
    expect(fn('checkout').cost?.savingsUsd).toBeCloseTo(0.00092812685625, 12);
    // resizer (arm64): 900 × 0.2 s × 0.5 GB = 90 GB-s → 0.001380006; at 576 MB 101.25 GB-s → 0.00153000675.
    expect(fn('resizer').cost?.savingsUsd).toBeCloseTo(-0.00015000075, 12);
    // reporter: 900 × 0.05 s × 2 GB = 90 GB-s; at 448 MB 19.6875 GB-s; savings 70.3125 × 0.0000166667.
    expect(fn('reporter').cost?.savingsUsd).toBeCloseTo(0.00117187734375, 12);
    // rare: 15 × 30 / 14 = 32.142857… a month × 0.02 s × (0.25 − 0.1875) GB × 0.0000166667.
    expect(fn('rare').cost?.monthlyInvocations).toBeCloseTo(450 / 14, 9);
    expect(fn('rare').cost?.savingsUsd).toBeCloseTo(6.696441964e-7, 15);
    // oom: 900 × 0.08 s × (0.25 − 0.3125) GB = −4.5 GB-s × 0.0000166667.
    expect(fn('oom').cost?.savingsUsd).toBeCloseTo(-0.00007500015, 12);
    expect(fn('idle').cost).toBeNull();
  });

  it('totals the fleet and sorts it by savings, for the report and the outputs', () => {
    const t = result.report.totals;
    expect(t).toMatchObject({ functions: 6, withData: 5, atRisk: 2, overProvisioned: 3, confident: 2, applied: 0 });
    // Sum of the five functions' figures above.
    expect(t.monthlyNowUsd).toBeCloseTo(0.005379120048214, 12);
    expect(t.monthlySavingsUsd).toBeCloseTo(0.001875672944196, 12);
    expect(result.report.functions.map((f) => f.function.name)).toEqual([
      'reporter',
      'checkout',
      'rare',
      'oom',
      'resizer',
      'idle'
    ]);
    expect(result.outputs).toEqual({
      'functions-analysed': '6',
      'at-risk-count': '2',
      'over-provisioned-count': '3',
      'monthly-cost-now': '0.01',
      'monthly-cost-recommended': '0.00',
      'monthly-savings': '0.00',
      'applied-count': '0'
    });
  });

  it('reads per-day figures from text REPORT lines and JSON platform.report records alike', () => {
    const checkout = fn('checkout');
    expect(checkout.days).toHaveLength(14);
    expect(checkout.days[0]).toEqual({
      day: '2026-03-01',
      memorySizeMb: 1024,
      invocations: 30,
      errors: 0,
      timeouts: 0,
      oomKills: 0,
      p50DurationMs: 100,
      p99DurationMs: 100,
      meanDurationMs: 100,
      meanBilledDurationMs: 110,
      maxMemoryUsedMb: 300,
      coldStarts: 3,
      meanInitDurationMs: 100
    });
    expect(checkout.days[1]).toMatchObject({ day: '2026-03-02', maxMemoryUsedMb: 320 });
    expect(checkout.days[13]?.day).toBe('2026-03-14');
    expect(fn('resizer').days[5]).toMatchObject({ invocations: 30, p50DurationMs: 200, maxMemoryUsedMb: 470 });
    expect(fn('reporter').usage).toMatchObject({ invocations: 420, errors: 1, timeouts: 1, oomKills: 0 });
    expect(fn('oom').days[13]).toMatchObject({ day: '2026-03-14', errors: 1, oomKills: 1, maxMemoryUsedMb: 256 });
    expect(fn('rare').usage).toMatchObject({ invocations: 15, daysWithData: 3, dailyPeaksMb: [60, 60, 60] });
  });

  it('is a dry run by default: lists what apply would change and changes nothing', () => {
    expect(result.report.apply.enabled).toBe(false);
    expect(result.report.apply.results.filter((r) => r.status === 'would-apply')).toEqual([
      { name: 'checkout', fromMb: 1024, toMb: 448, recommendedMb: 448, status: 'would-apply', reason: 'dry run' },
      { name: 'resizer', fromMb: 512, toMb: 576, recommendedMb: 576, status: 'would-apply', reason: 'dry run' }
    ]);
    const sizes = Object.fromEntries(bed.emulator.state().map((s) => [s.name, s.memorySize]));
    expect(sizes).toEqual({ checkout: 1024, idle: 128, oom: 256, rare: 256, reporter: 2048, resizer: 512 });
  });

  it('renders markdown sorted by savings, escaping text that came from outside', () => {
    const markdown = result.markdown;
    expect(markdown.split('\n')[0]).toBe('## Lambda right-size: 6 functions, $0.00188 a month to save');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows[0]).toMatch(
      /^\| `reporter` \| 2048 MB \| \*\*448 MB\*\* \| Largest peak \+ margin \(not confident\) \|/
    );
    expect(rows[1]).toContain('| `checkout` | 1024 MB | **448 MB** | Mean daily peak + buffer | 320 MB (31 %) |');
    const hostile = renderRightSizeMarkdown({
      ...result.report,
      warnings: ['see [x](https://evil.example) @org/team #12 <img src=x>']
    });
    expect(hostile).toContain(
      'see \\[x\\]\\(https:\u200B//evil.example\\) @\u200Borg/team \\#\u200B12 &lt;img src=x&gt;'
    );
  });

  it('keeps a long fleet within a comment by listing the largest savings and pointing to the JSON', () => {
    const short = renderRightSizeMarkdown(result.report, 2);

    expect(short).toContain('| `checkout` | 1024 MB | **448 MB** |');
    expect(short).not.toContain('| `rare` | 256 MB |');
    expect(short).toContain('4 more functions are in the JSON report.');
    // The changes to make come first; the three skipped ones are left to the JSON.
    expect(short).toContain('| `checkout` | 1024 MB → 448 MB | would-apply | dry run |');
    expect(short).toContain('3 more in the JSON report.');
  });
});
