/**
 * The recommendation between sampled sizes: fit the duration model (duration-model.ts) to a sweep's sizes,
 * predict cost, mean and p99 at every memory size from the floor up to 10,240 MB in 1 MB steps, and pick the
 * optimum of each strategy there, also where no size was measured (480 MB is a common optimum that lies on
 * no default grid).
 *
 * How, and why:
 * - The model is fitted to the per-size medians (robust to outliers), weighted by their sample counts.
 *   Durations scatter multiplicatively, so mean / median and p99 / median are nearly the same at every size:
 *   the mean and the p99 are predicted as the fitted median times those ratios, pooled over the sizes
 *   (weighted by samples; the p99 ratio only from sizes whose p99 had enough samples for an interval, when
 *   any did, and marked as a rough estimate otherwise).
 * - Cost per invocation as Lambda bills it: each duration rounded up to the next 1 ms (the expected rounding
 *   is computed for the duration's spread: about +0.5 ms unless durations are very tight), GB-seconds at the
 *   report's price, the request price and ephemeral storage. Cold starts are left out: their rate is a
 *   property of the traffic, not of the memory size.
 * - Memory floor: the largest Max Memory Used any invocation reported plus a safety margin (10 %, at least
 *   64 MB), and above any size that ran out of memory. Nothing below it is recommended, however cheap.
 * - Strategies as in recommend.ts: cost (cheapest; ties to the faster), speed (lowest mean; ties to the
 *   cheaper, so the plateau above the knee yields its smallest size), balanced (cost and mean duration each
 *   scaled to [0, 1] over the sizes searched, score = w·cost + (1 − w)·duration).
 */
import type { RunReport } from '../report/run-report-schema.js';
import type { Strategy } from '../sweep/types.js';
import { invocationTotalUsd, type PriceTable } from '../pricing/cost.js';
import {
  type DurationFit,
  DurationFitError,
  expectedBilledMs,
  fitDurationModel,
  predictDurationMs
} from './duration-model.js';
import type { SizeSummary } from './size-summary.js';

/** The largest memory size Lambda offers, MB. */
export const MAX_MEMORY_MB = 10240;

/** The predictions at one memory size. */
export interface FittedPoint {
  memoryMb: number;
  predictedMeanMs: number;
  predictedP99Ms: number;
  /** Expected billed duration (rounded up to the ms), ms. */
  predictedBilledMs: number;
  predictedCostUsd: number;
  predictedCostPerMillionUsd: number;
  /** Whether this size was measured, lies between measured sizes, or beyond them (extrapolated). */
  position: 'sampled' | 'between' | 'below' | 'above';
}

/** The smallest size the recommendation may pick, and why. */
export interface MemoryFloor {
  memoryMb: number;
  /** The largest Max Memory Used reported at any size; null when no REPORT came back. */
  maxMemoryUsedMb: number | null;
  marginMb: number;
  reason: string;
}

/** The safety margin above Max Memory Used: a share of it, at least some MB. */
export interface MarginOptions {
  /** Default 0.1. */
  share?: number;
  /** Default 64. */
  minimumMb?: number;
}

/** A fitted recommendation. */
export interface FittedRecommendation {
  fitted: true;
  strategy: Strategy;
  balancedWeight: number;
  model: DurationFit;
  floor: MemoryFloor;
  /** Pooled mean / median and p99 / median of the sizes. */
  meanRatio: number;
  p99Ratio: number;
  /** False when no size had enough warm samples for a p99 interval: the predicted p99 is then rough. */
  p99Estimated: boolean;
  cheapest: FittedPoint;
  fastest: FittedPoint;
  balanced: FittedPoint;
  /** The pick of `strategy`. */
  pick: FittedPoint;
  /** The sizes the fit used, ascending. */
  sampledSizes: number[];
  reason: string;
}

/** Why no fitted recommendation could be made. */
export interface NoFittedRecommendation {
  fitted: false;
  reason: string;
  floor?: MemoryFloor;
}

/** What {@link fitRecommendation} needs besides the sizes. */
export interface FitOptions {
  strategy?: Strategy;
  /** Weight of cost against speed for balanced, 0 (speed) to 1 (cost); default 0.5. */
  balancedWeight?: number;
  ephemeralStorageMb?: number;
  margin?: MarginOptions;
}

/**
 * Fits the duration model to a sweep's sizes and finds each strategy's optimum on a 1 MB grid, by the rules
 * in this module's header.
 *
 * @example
 * ```ts
 * const fitted = fitRecommendation(report.sizes, report.pricing, { strategy: 'cost' });
 * if (fitted.fitted) fitted.pick // { memoryMb: 480, predictedCostPerMillionUsd: 0.83, position: 'between', … }
 * ```
 */
export function fitRecommendation(
  sizes: readonly SizeSummary[],
  pricing: PriceTable,
  options: FitOptions = {}
): FittedRecommendation | NoFittedRecommendation {
  const strategy = options.strategy ?? 'balanced';
  const balancedWeight = options.balancedWeight ?? 0.5;
  const floor = memoryFloor(sizes, options.margin);
  const usable = sizes
    .filter((size) => !size.unusable && size.duration !== null && size.duration.p50.value > 0)
    .sort((a, b) => a.memoryMb - b.memoryMb);
  if (floor.memoryMb > MAX_MEMORY_MB) {
    return { fitted: false, reason: `No memory size is above the memory floor of ${floor.memoryMb} MB.`, floor };
  }
  let model: DurationFit;
  try {
    model = fitDurationModel(
      usable.map((size) => ({
        memoryMb: size.memoryMb,
        durationMs: size.duration!.p50.value,
        samples: size.duration!.count
      }))
    );
  } catch (error) {
    if (!(error instanceof DurationFitError)) throw error;
    return { fitted: false, reason: `No duration model: ${error.message}.`, floor };
  }
  const ratios = pooledRatios(usable);
  const sampled = usable.map((size) => size.memoryMb);
  const predict = (memoryMb: number): FittedPoint => {
    const median = predictDurationMs(model, memoryMb);
    const mean = median * ratios.mean;
    const billed = expectedBilledMs(mean, mean * ratios.cv);
    const cost = invocationTotalUsd(billed, memoryMb, options.ephemeralStorageMb, pricing);
    return {
      memoryMb,
      predictedMeanMs: mean,
      predictedP99Ms: median * ratios.p99,
      predictedBilledMs: billed,
      predictedCostUsd: cost,
      predictedCostPerMillionUsd: cost * 1_000_000,
      position: position(memoryMb, sampled)
    };
  };
  const grid: FittedPoint[] = [];
  for (let memoryMb = floor.memoryMb; memoryMb <= MAX_MEMORY_MB; memoryMb++) grid.push(predict(memoryMb));
  const picks = optimaOnGrid(grid, balancedWeight);
  const pick = strategy === 'cost' ? picks.cheapest : strategy === 'speed' ? picks.fastest : picks.balanced;
  const result = {
    fitted: true as const,
    strategy,
    balancedWeight,
    model,
    floor,
    meanRatio: ratios.mean,
    p99Ratio: ratios.p99,
    p99Estimated: ratios.p99Estimated,
    ...picks,
    pick,
    sampledSizes: sampled
  };
  return { ...result, reason: describeFit(result) };
}

/**
 * {@link fitRecommendation} of a run report, with its prices, storage, strategy and balanced weight.
 *
 * @example
 * ```ts
 * fitRecommendationFromReport(report).reason
 * // 'Fitted cost optimum: 480 MB (between the measured 256 and 512 MB), $0.83 per 1M invocations, …'
 * ```
 */
export function fitRecommendationFromReport(
  report: RunReport,
  margin?: MarginOptions
): FittedRecommendation | NoFittedRecommendation {
  return fitRecommendation(report.sizes, report.pricing, {
    strategy: report.plan.strategy,
    balancedWeight: report.plan.balancedWeight,
    ...(report.function.ephemeralStorageMb !== undefined
      ? { ephemeralStorageMb: report.function.ephemeralStorageMb }
      : {}),
    ...(margin !== undefined ? { margin } : {})
  });
}

/**
 * The optimum of each strategy over predicted points (ascending memory), by the rules in this module's header.
 *
 * @example
 * ```ts
 * optimaOnGrid(points, 0.5).cheapest.memoryMb // 480
 * ```
 */
export function optimaOnGrid(
  grid: readonly FittedPoint[],
  balancedWeight: number
): { cheapest: FittedPoint; fastest: FittedPoint; balanced: FittedPoint } {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const better = (a: number, b: number) => a < b && !close(a, b);
  let cheapest = grid[0]!;
  let fastest = grid[0]!;
  let minCost = Infinity;
  let maxCost = -Infinity;
  let minMean = Infinity;
  let maxMean = -Infinity;
  for (const point of grid) {
    const cost = point.predictedCostUsd;
    const mean = point.predictedMeanMs;
    if (
      better(cost, cheapest.predictedCostUsd) ||
      (close(cost, cheapest.predictedCostUsd) && better(mean, cheapest.predictedMeanMs))
    ) {
      cheapest = point;
    }
    if (
      better(mean, fastest.predictedMeanMs) ||
      (close(mean, fastest.predictedMeanMs) && better(cost, fastest.predictedCostUsd))
    ) {
      fastest = point;
    }
    minCost = Math.min(minCost, cost);
    maxCost = Math.max(maxCost, cost);
    minMean = Math.min(minMean, mean);
    maxMean = Math.max(maxMean, mean);
  }
  const scale = (value: number, low: number, high: number) => (high > low ? (value - low) / (high - low) : 0);
  let balanced = grid[0]!;
  let bestScore = Infinity;
  for (const point of grid) {
    const score =
      balancedWeight * scale(point.predictedCostUsd, minCost, maxCost) +
      (1 - balancedWeight) * scale(point.predictedMeanMs, minMean, maxMean);
    // Scores lie in [0, 1]: an absolute tolerance; the first (smallest) of equals stays.
    if (score < bestScore - 1e-12) {
      bestScore = score;
      balanced = point;
    }
  }
  return { cheapest, fastest, balanced };
}

/** Mean / median, p99 / median and the coefficient of variation, pooled over the sizes by sample count. */
function pooledRatios(sizes: readonly SizeSummary[]): { mean: number; p99: number; cv: number; p99Estimated: boolean } {
  const withP99 = sizes.filter((size) => size.duration!.p99.enough);
  const p99Sizes = withP99.length > 0 ? withP99 : sizes;
  const pooled = (of: readonly SizeSummary[], value: (size: SizeSummary) => number) => {
    let weight = 0;
    let sum = 0;
    for (const size of of) {
      weight += size.duration!.count;
      sum += size.duration!.count * value(size);
    }
    return sum / weight;
  };
  // Log-normal spread from the p90 / p50 ratio: sigma = ln(p90 / p50) / z(0.9).
  const sigma = pooled(
    sizes,
    (size) => Math.log(size.duration!.p90.value / size.duration!.p50.value) / 1.2815515655446004
  );
  return {
    mean: pooled(sizes, (size) => size.duration!.mean / size.duration!.p50.value),
    p99: pooled(p99Sizes, (size) => size.duration!.p99.value / size.duration!.p50.value),
    cv: Math.sqrt(Math.expm1(Math.max(0, sigma) ** 2)),
    p99Estimated: withP99.length > 0
  };
}

function position(memoryMb: number, sampled: readonly number[]): FittedPoint['position'] {
  if (sampled.includes(memoryMb)) return 'sampled';
  if (memoryMb < sampled[0]!) return 'below';
  if (memoryMb > sampled[sampled.length - 1]!) return 'above';
  return 'between';
}

/**
 * The memory floor: the largest Max Memory Used of any size plus max(share × it, minimumMb), rounded up, at
 * least 128 MB and above every size that ran out of memory.
 *
 * @example
 * ```ts
 * memoryFloor(sizes) // { memoryMb: 480, maxMemoryUsedMb: 416, marginMb: 64, reason: 'Max Memory Used 416 MB + 64 MB margin' }
 * ```
 */
export function memoryFloor(sizes: readonly SizeSummary[], margin: MarginOptions = {}): MemoryFloor {
  const share = margin.share ?? 0.1;
  const minimumMb = margin.minimumMb ?? 64;
  let used: number | null = null;
  let outOfMemory = 0;
  for (const size of sizes) {
    if (size.maxMemoryUsedMb !== null) used = Math.max(used ?? 0, size.maxMemoryUsedMb);
    if (size.errorsByKind['out-of-memory'] > 0 || /out of memory/.test(size.unusableReason ?? '')) {
      outOfMemory = Math.max(outOfMemory, size.memoryMb);
    }
  }
  const marginMb = used === null ? 0 : Math.max(share * used, minimumMb);
  const fromUse = used === null ? 128 : Math.ceil(used + marginMb);
  const memoryMb = Math.max(128, fromUse, outOfMemory + 1);
  const parts = [
    used === null ? 'no Max Memory Used was reported' : `Max Memory Used ${used} MB + ${Math.round(marginMb)} MB margin`
  ];
  if (outOfMemory + 1 > fromUse) parts.push(`${outOfMemory} MB ran out of memory`);
  if (memoryMb === 128 && fromUse < 128) parts.push('128 MB is the smallest size');
  return { memoryMb, maxMemoryUsedMb: used, marginMb, reason: parts.join('; ') };
}

function describeFit(fitted: Omit<FittedRecommendation, 'reason'>): string {
  const { pick, model, floor, strategy } = fitted;
  const where =
    pick.position === 'sampled'
      ? 'a measured size'
      : pick.position === 'between'
        ? `between the measured ${below(fitted.sampledSizes, pick.memoryMb)} and ${above(fitted.sampledSizes, pick.memoryMb)} MB`
        : `${pick.position} the measured sizes, extrapolated`;
  const money = `$${round3(pick.predictedCostPerMillionUsd)} per 1M invocations`;
  const p99 = `p99 ${round3(pick.predictedP99Ms)} ms${fitted.p99Estimated ? '' : ' (rough: no size had enough samples for a p99)'}`;
  const knee = model.kneeIdentified
    ? `speed-up stops at ${model.kneeMb} MB`
    : `no speed-up assumed above ${model.kneeMb} MB`;
  const shape = `${round3(model.fixedMs)} ms fixed + ${round3(model.cpuMs)} ms of CPU on one vCPU, ${knee}, R² ${model.r2.toFixed(3)}`;
  return (
    `Fitted ${strategy} optimum: ${pick.memoryMb} MB (${where}), ${money}, mean ${round3(pick.predictedMeanMs)} ms, ${p99}. ` +
    `Model: ${shape}. Memory floor ${floor.memoryMb} MB (${floor.reason}).`
  );
}

function below(sizes: readonly number[], memoryMb: number): number {
  return Math.max(...sizes.filter((size) => size < memoryMb));
}

function above(sizes: readonly number[], memoryMb: number): number {
  return Math.min(...sizes.filter((size) => size > memoryMb));
}

function round3(value: number): string {
  return String(Number(value.toPrecision(3)));
}
