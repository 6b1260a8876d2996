/**
 * Functions whose duration depends on CPU, on the emulator: the memory floor alone would slow them
 * down, so the recommendation says which rule decided — the floor, the sweep's cost/speed optimum, or
 * holding the size until a sweep says more. Hand calculations below (30 invocations a day for 14 days:
 * 900 a month; x86_64 $0.0000166667 per GB-s, $0.0000002 per request).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SweepReportError } from '../../src/fleet/errors.js';
import type { FunctionReport } from '../../src/fleet/report.js';
import { runRightSize, type RightSizeResult } from '../../src/fleet/run.js';
import { buildRunReport } from '../support/report-fixtures.js';
import { settingsFrom, startFleetTestBed, type FleetTestBed } from './helpers.js';

const model = { cpuMs: 1 };
const twenty = (ms: number): number[] => Array.from({ length: 20 }, () => ms);
const HALF = [0, 1, 2, 3, 4, 5, 6];

/** Sweep run reports, as files a workflow would have downloaded. */
const files: Record<string, string> = {
  // Duration halves when memory doubles, and 1536 MB is a little cheaper too: the balanced pick is 1536 MB.
  'encoder.json': JSON.stringify(
    buildRunReport({
      functionName: 'encoder',
      sizes: [
        { memoryMb: 512, durations: twenty(600) },
        { memoryMb: 1024, durations: twenty(300) },
        { memoryMb: 1536, durations: twenty(190) }
      ]
    })
  ),
  // Waits on I/O: the same 100 ms at every size.
  'io.json': JSON.stringify(
    buildRunReport({
      functionName: 'io',
      sizes: [
        { memoryMb: 256, durations: twenty(100) },
        { memoryMb: 1024, durations: twenty(100) }
      ]
    })
  ),
  'other.json': JSON.stringify(
    buildRunReport({ functionName: 'not-selected', sizes: [{ memoryMb: 128, durations: twenty(5) }] })
  )
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};

describe('CPU-dependent functions', () => {
  let bed: FleetTestBed;
  let result: RightSizeResult;
  const fn = (name: string): FunctionReport => result.report.functions.find((f) => f.function.name === name)!;

  beforeAll(async () => {
    bed = await startFleetTestBed(
      {
        functions: [
          { name: 'thumbs', model, memorySize: 1024 },
          { name: 'encoder', model, memorySize: 1024 },
          { name: 'io', model, memorySize: 1024 }
        ]
      },
      [
        // Its memory was raised from 512 to 1024 MB after a week: p50 went from 400 to 200 ms.
        {
          name: 'thumbs',
          memorySizeMb: [...HALF.map(() => 512), ...HALF.map(() => 1024)],
          invocationsPerDay: 30,
          durationMs: [...HALF.map(() => 400), ...HALF.map(() => 200)],
          maxMemoryUsedMb: 150
        },
        { name: 'encoder', memorySizeMb: 1024, invocationsPerDay: 30, durationMs: 300, maxMemoryUsedMb: 200 },
        { name: 'io', memorySizeMb: 1024, invocationsPerDay: 30, durationMs: 100, maxMemoryUsedMb: 100 }
      ]
    );
    result = await runRightSize(
      settingsFrom({ functions: 'thumbs,encoder,io', 'sweep-reports': 'encoder.json\nio.json\nother.json' }),
      bed.deps({ readFile })
    );
  });
  afterAll(async () => {
    await bed.close();
  });

  it('holds the size of a function that production shows to be CPU-bound, and asks for a sweep', () => {
    // ln(400 / 200) / ln(1024 / 512) = 1: duration ∝ memory^-1. The floor (150 + 100 = 250 → 256 MB) is
    // below its 1024 MB, so the size is held.
    const thumbs = fn('thumbs');
    expect(thumbs.recommendation.cpu).toMatchObject({ source: 'production', elasticity: 1, dependent: true });
    expect(thumbs.recommendation).toMatchObject({
      memoryMb: 1024,
      rule: 'cpu-hold',
      confident: false,
      flags: ['over-provisioned', 'cpu-bound'],
      doubts: ['duration depends on CPU: sweep it before changing its memory']
    });
    expect(thumbs.recommendation.reason).toContain('sweep it to find the cost/speed optimum');
    // Priced from the invocations at its current 1024 MB (200 ms): 900 × 0.2 s × 1 GB = 180 GB-s
    // → 180 × 0.0000166667 + 900 × 0.0000002 = 0.003180006; nothing to save.
    expect(thumbs.cost?.meanBilledNowMs).toBe(200);
    expect(thumbs.cost?.nowUsd).toBeCloseTo(0.003180006, 12);
    expect(thumbs.cost?.savingsUsd).toBe(0);
    expect(thumbs.days.map((d) => d.memorySizeMb)).toEqual([...HALF.map(() => 512), ...HALF.map(() => 1024)]);
  });

  it("takes the sweep's cost/speed optimum when it is above the memory floor, and says so", () => {
    // Least squares of ln(duration) on ln(memory) over (512, 600), (1024, 300), (1536, 190): slope −1.0417.
    // Floor: 200 + 100 = 300 → 320 MB; the sweep's optimum 1536 MB is above it and decides.
    const encoder = fn('encoder');
    expect(encoder.recommendation.cpu.source).toBe('sweep');
    expect(encoder.recommendation.cpu.elasticity).toBeCloseTo(1.0416615838761, 9);
    expect(encoder.recommendation).toMatchObject({
      memoryMb: 1536,
      rule: 'sweep-optimum',
      sweepOptimumMb: 1536,
      confident: true
    });
    expect(encoder.recommendation.reason).toMatch(/^The sweep's optimum decided: 1536 MB, above the memory floor/);
    expect(encoder.sweepReport).toBe('encoder.json');
    // Billed duration scales as the sweep's: 300 ms × 190 / 300 = 190 ms. Now 900 × 0.3 s × 1 GB = 270 GB-s
    // → 0.004680009; at 1536 MB 900 × 0.19 s × 1.5 GB = 256.5 GB-s → 0.00445500855; savings 13.5 GB-s.
    expect(encoder.cost?.meanBilledRecommendedMs).toBeCloseTo(190, 9);
    expect(encoder.cost?.nowUsd).toBeCloseTo(0.004680009, 12);
    expect(encoder.cost?.recommendedUsd).toBeCloseTo(0.00445500855, 12);
    expect(encoder.cost?.savingsUsd).toBeCloseTo(0.00022500045, 12);
  });

  it('lets the memory floor decide when the sweep shows no CPU dependence', () => {
    // Same duration at 256 and 1024 MB: elasticity 0. Floor 100 + 100 = 200 → 256 MB.
    const io = fn('io');
    expect(io.recommendation.cpu).toMatchObject({ source: 'sweep', dependent: false });
    expect(io.recommendation.cpu.elasticity).toBeCloseTo(0, 12);
    expect(io.recommendation).toMatchObject({ memoryMb: 256, rule: 'usage-buffer', flags: ['over-provisioned'] });
    expect(io.recommendation.reason).toContain('The sweep shows no CPU dependence');
  });

  it('warns about a sweep report for a function it did not select', () => {
    expect(result.report.warnings).toContain('A sweep report names not-selected, which was not selected.');
  });

  it('refuses a sweep report it cannot read, naming the file, before touching AWS', async () => {
    const error = await runRightSize(
      settingsFrom({ functions: 'io', 'sweep-reports': 'missing.json' }),
      bed.deps({ readFile })
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SweepReportError);
    expect((error as Error).message).toBe('Could not read the sweep report missing.json');
  });
});
