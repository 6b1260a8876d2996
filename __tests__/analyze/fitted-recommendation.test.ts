/** The recommendation between sampled sizes: optima on the fitted curve, predictions, the memory floor. */
import { describe, expect, it } from '@jest/globals';
import { predictDurationMs } from '../../src/analyze/duration-model.js';
import {
  type FittedPoint,
  fitRecommendation,
  fitRecommendationFromReport,
  memoryFloor,
  optimaOnGrid
} from '../../src/analyze/fitted-recommendation.js';
import type { SizeSummary } from '../../src/analyze/size-summary.js';
import { invocationTotalUsd } from '../../src/pricing/cost.js';
import { buildRunReport, FIXTURE_PRICES, type FixtureSize } from '../support/report-fixtures.js';

const MODEL = { fixedMs: 30, cpuMs: 200, kneeMb: 1769 };

/** A size whose every warm invocation took the model's duration (rounded as REPORT rounds). */
function exactSize(memoryMb: number, extra: Partial<FixtureSize> = {}, model = MODEL): FixtureSize {
  const ms = Math.round(predictDurationMs(model, memoryMb) * 100) / 100;
  return { memoryMb, durations: Array<number>(20).fill(ms), maxMemoryUsedMb: 60, ...extra };
}

function sizesOf(...sizes: FixtureSize[]): SizeSummary[] {
  return buildRunReport({ sizes }).sizes;
}

function fitted(sizes: SizeSummary[], options: Parameters<typeof fitRecommendation>[2] = {}) {
  const result = fitRecommendation(sizes, FIXTURE_PRICES, options);
  if (!result.fitted) throw new Error(result.reason);
  return result;
}

/** The model's own points from `floor` up, priced as the fit prices them (durations that do not vary). */
function truePoints(floor: number): FittedPoint[] {
  const points: FittedPoint[] = [];
  for (let memoryMb = floor; memoryMb <= 10240; memoryMb++) {
    const mean = predictDurationMs(MODEL, memoryMb);
    const cost = invocationTotalUsd(Math.ceil(mean), memoryMb, undefined, FIXTURE_PRICES);
    points.push({
      memoryMb,
      predictedMeanMs: mean,
      predictedP99Ms: mean,
      predictedBilledMs: Math.ceil(mean),
      predictedCostUsd: cost,
      predictedCostPerMillionUsd: cost * 1e6,
      position: 'between'
    });
  }
  return points;
}

describe('fitRecommendation', () => {
  const sizes = sizesOf(...[128, 256, 1024, 2048].map((memoryMb) => exactSize(memoryMb)));

  it('finds an optimum between sampled sizes, where the true curve has it', () => {
    const result = fitted(sizes, { strategy: 'balanced', balancedWeight: 0.98 });
    const truth = optimaOnGrid(truePoints(result.floor.memoryMb), 0.98);

    expect(result.pick.memoryMb).toBe(result.balanced.memoryMb);
    expect(Math.abs(result.balanced.memoryMb - truth.balanced.memoryMb)).toBeLessThanOrEqual(2);
    expect(result.balanced.memoryMb).toBeGreaterThan(400);
    expect(result.balanced.memoryMb).toBeLessThan(480);
    expect(result.balanced.position).toBe('between');
    expect(result.reason).toMatch(/^Fitted balanced optimum: 4\d\d MB \(between the measured 256 and 1024 MB\)/);
  });

  it('gives each strategy its optimum: speed at the knee, cost where rounding to the ms is kindest', () => {
    const result = fitted(sizes, { strategy: 'speed' });
    const truth = optimaOnGrid(truePoints(result.floor.memoryMb), 0.5);

    expect(result.pick).toBe(result.fastest);
    expect(result.fastest.memoryMb).toBe(1769);
    expect(result.cheapest.memoryMb).toBe(truth.cheapest.memoryMb);
    expect(result.model).toMatchObject({ kneeMb: 1769, kneeIdentified: true });
    expect(result.model.cpuMs).toBeCloseTo(200, 1);
  });

  it('predicts the cost of the billed duration, rounded up to the ms, with the request price', () => {
    const result = fitted(sizes, { strategy: 'cost' });
    const point = result.fastest;

    expect(point.predictedBilledMs).toBe(Math.ceil(point.predictedMeanMs));
    expect(point.predictedCostUsd).toBeCloseTo(
      invocationTotalUsd(point.predictedBilledMs, point.memoryMb, undefined, FIXTURE_PRICES),
      15
    );
    expect(point.predictedCostPerMillionUsd).toBeCloseTo(point.predictedCostUsd * 1e6, 9);
  });

  it('never picks below the memory floor, however cheap: 416 MB used gives 480 MB', () => {
    // Durations that vary by more than a ms are billed about 0.5 ms over their mean: the cost then grows
    // with memory (the fixed part is paid at every size), so the cheapest size is the floor itself.
    const varied = (memoryMb: number): FixtureSize => ({
      memoryMb,
      durations: { median: predictDurationMs(MODEL, memoryMb), sigma: 0.1, n: 50 },
      maxMemoryUsedMb: 416
    });
    const result = fitted(
      sizesOf(
        exactSize(256, { errors: 3, errorKind: 'out-of-memory', maxMemoryUsedMb: 256 }),
        ...[512, 1024, 2048].map(varied)
      ),
      { strategy: 'cost' }
    );

    expect(result.floor).toMatchObject({ memoryMb: 480, maxMemoryUsedMb: 416, marginMb: 64 });
    expect(result.cheapest.memoryMb).toBe(480);
    expect(result.cheapest.position).toBe('below');
    expect(result.sampledSizes).toEqual([512, 1024, 2048]);
  });

  it('predicts the p99 from the pooled p99 / median ratio, and says when no size could estimate a p99', () => {
    const spread = (memoryMb: number): FixtureSize => ({
      memoryMb,
      durations: { median: predictDurationMs(MODEL, memoryMb), sigma: 0.1, n: 400 },
      maxMemoryUsedMb: 60
    });
    const estimated = fitted(sizesOf(spread(256), spread(1024), spread(2048)));
    const rough = fitted(sizesOf(...[256, 1024, 2048].map((memoryMb) => exactSize(memoryMb))));

    expect(estimated.p99Estimated).toBe(true);
    expect(estimated.p99Ratio).toBeGreaterThan(1.2);
    expect(estimated.p99Ratio).toBeLessThan(1.3);
    expect(estimated.pick.predictedP99Ms / estimated.pick.predictedMeanMs).toBeGreaterThan(1.15);
    expect(rough.p99Estimated).toBe(false);
    expect(rough.reason).toContain('(rough: no size had enough samples for a p99)');
  });

  it('says why it cannot fit: one usable size, or a floor above the largest size', () => {
    const one = fitRecommendation(sizesOf(exactSize(1024)), FIXTURE_PRICES);
    const huge = fitRecommendation(
      sizesOf(exactSize(1024, { maxMemoryUsedMb: 10_000 }), exactSize(2048)),
      FIXTURE_PRICES
    );

    expect(one).toMatchObject({
      fitted: false,
      reason: expect.stringMatching(/^No duration model: A duration model needs at least two memory sizes; got 1024/)
    });
    expect(huge).toMatchObject({ fitted: false, reason: 'No memory size is above the memory floor of 11000 MB.' });
  });
});

describe('fitRecommendationFromReport', () => {
  it('uses the report’s sizes, prices, strategy and balanced weight', () => {
    const report = buildRunReport({ sizes: [128, 512, 1024, 3008].map((memoryMb) => exactSize(memoryMb)) });
    const result = fitRecommendationFromReport(report);

    expect(result.fitted).toBe(true);
    expect(result).toMatchObject({ strategy: 'balanced', balancedWeight: 0.5, sampledSizes: [128, 512, 1024, 3008] });
  });
});

describe('memoryFloor', () => {
  const withUse = (maxMemoryUsedMb: number | null, extra: Partial<SizeSummary> = {}) =>
    ({ ...sizesOf(exactSize(1024))[0]!, maxMemoryUsedMb, ...extra }) as SizeSummary;

  it('adds 64 MB to small footprints and 10 % to large ones', () => {
    expect(memoryFloor([withUse(416)])).toEqual({
      memoryMb: 480,
      maxMemoryUsedMb: 416,
      marginMb: 64,
      reason: 'Max Memory Used 416 MB + 64 MB margin'
    });
    expect(memoryFloor([withUse(900), withUse(300)]).memoryMb).toBe(990);
    expect(memoryFloor([withUse(1001)]).memoryMb).toBe(1102);
  });

  it('takes a margin of the caller’s choosing', () => {
    expect(memoryFloor([withUse(1000)], { share: 0.25, minimumMb: 0 }).memoryMb).toBe(1250);
  });

  it('stays above any size that ran out of memory, and at 128 MB at least', () => {
    const outOfMemory = withUse(200, {
      memoryMb: 512,
      errorsByKind: { handled: 0, unhandled: 0, timeout: 0, 'out-of-memory': 2, throttled: 0, client: 0 }
    });

    expect(memoryFloor([outOfMemory]).memoryMb).toBe(513);
    expect(memoryFloor([outOfMemory]).reason).toBe('Max Memory Used 200 MB + 64 MB margin; 512 MB ran out of memory');
    expect(memoryFloor([withUse(20)])).toMatchObject({
      memoryMb: 128,
      reason: expect.stringContaining('128 MB is the smallest size')
    });
    expect(memoryFloor([withUse(null)])).toMatchObject({ memoryMb: 128, maxMemoryUsedMb: null });
  });
});
