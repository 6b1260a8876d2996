/**
 * One side's samples at one memory size, sorted into what the comparison counts, and the figures shown for
 * that side. The rules are the sweep's (src/analyze/size-summary.ts), so a comparison never counts a sample
 * the run report's own summary did not:
 * - latency: measured warm successes only (phase 'measure', no error, no Init Duration, a Duration);
 * - cost: measured invocations Lambda billed (a Billed Duration), errors included; throttled and refused
 *   calls never ran and cost nothing;
 * - error rate: failed measured invocations / measured invocations, every kind of failure.
 * Each invocation is priced with the side's own report's prices and ephemeral storage (the free 512 MB when
 * an older report does not record it).
 */
import { estimateQuantile, samplesNeededForInterval } from '../analyze/percentiles.js';
import { interpolateQuantile, sortAscending } from '../analyze/stats.js';
import { invocationTotalUsd, type PriceTable } from '../pricing/cost.js';
import type { RunReport } from '../report/run-report-schema.js';
import type { Sample } from '../sweep/types.js';
import { percentileInterval, resampleCosts, resampleQuantile } from './bootstrap.js';
import type { SideFigures } from './types.js';

/** The p99 is the latency every check reads. */
export const P99 = 0.99;

/** The samples of one side at one size, as the comparison counts them. */
export interface SideData {
  memoryMb: number;
  /** Measured invocations, any outcome. */
  measured: number;
  /** Measured invocations that failed, any kind. */
  errors: number;
  /** Invocations with an Init Duration, either phase (as the size summary counts them). */
  coldStarts: number;
  maxMemoryUsedMb: number | null;
  /** REPORT Duration of the measured warm successes, ascending. */
  warmSorted: Float64Array;
  /** Cost of each billed measured invocation, USD. */
  costs: Float64Array;
  /** Billed duration of the same invocations, same order, ms: the cost of each is an affine function of it. */
  billedMs: Float64Array;
  /** Jobs of each billed measured invocation, same order; undefined unless every one of them counts jobs. */
  jobs?: Float64Array;
  /** Sum of `jobs`; 0 without them. */
  totalJobs: number;
}

/**
 * Collects one side's samples at `memoryMb` by the rules in this module's header.
 *
 * @example
 * ```ts
 * const data = sideData(report, 1024);
 * data.warmSorted.length // warm successes measured at 1024 MB
 * ```
 */
export function sideData(report: RunReport, memoryMb: number): SideData {
  return sideDataFromSamples(report.samples, memoryMb, report.pricing, report.function.ephemeralStorageMb);
}

/**
 * {@link sideData} from raw samples and the prices they are billed at, for a caller that has no run report yet
 * (the sweep engine between two batches). Samples at other sizes are skipped.
 *
 * @example
 * ```ts
 * sideDataFromSamples(samplesSoFar, 1024, priceTable('us-east-1', 'arm64')).costs.length // billed so far
 * ```
 */
export function sideDataFromSamples(
  samples: readonly Sample[],
  memoryMb: number,
  pricing: PriceTable,
  ephemeralStorageMb?: number
): SideData {
  const warm: number[] = [];
  const costs: number[] = [];
  const billed: number[] = [];
  const jobs: number[] = [];
  let everyBilledHasJobs = true;
  let measured = 0;
  let errors = 0;
  let coldStarts = 0;
  let maxMemoryUsedMb: number | null = null;
  for (const sample of samples) {
    if (sample.memoryMb !== memoryMb) continue;
    if (sample.initDurationMs !== undefined) coldStarts++;
    if (sample.maxMemoryUsedMb !== undefined) maxMemoryUsedMb = Math.max(maxMemoryUsedMb ?? 0, sample.maxMemoryUsedMb);
    if (sample.phase !== 'measure') continue;
    measured++;
    if (sample.error !== undefined) errors++;
    const ran = sample.error !== 'throttled' && sample.error !== 'client';
    if (ran && sample.billedDurationMs !== undefined) {
      costs.push(invocationTotalUsd(sample.billedDurationMs, memoryMb, ephemeralStorageMb, pricing));
      billed.push(sample.billedDurationMs);
      if (sample.jobs === undefined) everyBilledHasJobs = false;
      jobs.push(sample.jobs ?? 0);
    }
    if (sample.error === undefined && sample.initDurationMs === undefined && sample.durationMs !== undefined) {
      warm.push(sample.durationMs);
    }
  }
  const countsJobs = everyBilledHasJobs && costs.length > 0;
  return {
    memoryMb,
    measured,
    errors,
    coldStarts,
    maxMemoryUsedMb,
    warmSorted: sortAscending(Float64Array.from(warm)),
    costs: Float64Array.from(costs),
    billedMs: Float64Array.from(billed),
    ...(countsJobs ? { jobs: Float64Array.from(jobs) } : {}),
    totalJobs: countsJobs ? jobs.reduce((sum, count) => sum + count, 0) : 0
  };
}

/** Whether a side can be costed per job: every billed invocation counted jobs, and they did some. */
export function countsJobs(data: SideData): boolean {
  return data.jobs !== undefined && data.totalJobs > 0;
}

/** A side's figures and the bootstrap replicates the changes are built from. */
export interface SideEstimate {
  figures: SideFigures;
  /** Mean cost per billed invocation, USD; undefined when nothing was billed. */
  meanCostUsd?: number;
  meanCostReplicates?: Float64Array;
  /** Cost per invocation or per job (by the basis), USD. */
  unitCostUsd?: number;
  unitCostReplicates?: Float64Array;
  /** Mean billed duration of the billed invocations, ms, and its replicates (the same resamples as the costs). */
  meanBilledMs?: number;
  meanBilledReplicates?: Float64Array;
  /** Warm p99, ms, and its replicates: only when asked for (both sides have enough samples). */
  p99Ms?: number;
  p99Replicates?: Float64Array;
}

/**
 * The figures of one side and its bootstrap replicates. Draws from `random` in a fixed order (costs, then the
 * p99), so the same data and generator give the same output.
 *
 * @param resampleP99 - bootstrap the p99 too (for a p99 change)
 *
 * @example
 * ```ts
 * estimateSide(sideData(report, 1024), 'invocation', { confidence: 0.95, resamples: 2000, random, resampleP99: true })
 * ```
 */
export function estimateSide(
  data: SideData,
  basis: 'invocation' | 'job',
  options: { confidence: number; resamples: number; random: () => number; resampleP99: boolean }
): SideEstimate {
  const { confidence, resamples, random, resampleP99 } = options;
  const warm = data.warmSorted;
  const estimate: SideEstimate = { figures: baseFigures(data, confidence) };
  if (data.costs.length > 0) {
    const perJob = basis === 'job' && data.jobs !== undefined && data.totalJobs > 0;
    const replicates = resampleCosts(data.costs, perJob ? data.jobs : undefined, resamples, random, data.billedMs);
    const totalCost = data.costs.reduce((sum, cost) => sum + cost, 0);
    estimate.meanBilledMs = data.billedMs.reduce((sum, ms) => sum + ms, 0) / data.billedMs.length;
    estimate.meanBilledReplicates = replicates.meanBilled!;
    const billedInterval = percentileInterval(estimate.meanBilledMs, estimate.meanBilledReplicates, confidence);
    if (billedInterval !== undefined) estimate.figures.billedDurationMs = billedInterval;
    estimate.meanCostUsd = totalCost / data.costs.length;
    estimate.meanCostReplicates = replicates.meanCost;
    estimate.unitCostUsd = perJob ? totalCost / data.totalJobs : estimate.meanCostUsd;
    estimate.unitCostReplicates = perJob ? replicates.costPerJob! : replicates.meanCost;
    const perMillion = estimate.unitCostReplicates.map((cost) => cost * 1_000_000);
    estimate.figures.costPerMillionUsd =
      percentileInterval(estimate.unitCostUsd * 1_000_000, perMillion, confidence) ?? null;
  }
  if (resampleP99 && warm.length > 0) {
    estimate.p99Ms = interpolateQuantile(warm, P99);
    estimate.p99Replicates = resampleQuantile(warm, P99, resamples, random);
  }
  return estimate;
}

/** Everything but the cost interval, which needs the bootstrap. */
function baseFigures(data: SideData, confidence: number): SideFigures {
  const warm = data.warmSorted;
  const p99 = warm.length > 0 ? estimateQuantile(warm, P99, confidence) : undefined;
  const enough = p99 !== undefined && p99.enough && p99.lower !== undefined && p99.upper !== undefined;
  return {
    samples: warm.length,
    p50Ms: warm.length > 0 ? interpolateQuantile(warm, 0.5) : null,
    p99Ms: enough ? { estimate: p99.value, lower: p99.lower!, upper: p99.upper!, confidence } : null,
    ...(enough ? {} : { p99SamplesNeeded: samplesNeededForInterval(P99, confidence)! }),
    costPerMillionUsd: null,
    errorRate: data.measured > 0 ? data.errors / data.measured : 0,
    errors: data.errors,
    measured: data.measured,
    maxMemoryUsedMb: data.maxMemoryUsedMb,
    memoryUsedShare: data.maxMemoryUsedMb === null ? null : data.maxMemoryUsedMb / data.memoryMb,
    coldStarts: data.coldStarts
  };
}
