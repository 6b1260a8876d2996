/**
 * What one memory size did in a sweep: latency with confidence intervals, errors, cold starts and cost.
 *
 * The rules (from the product spec), and why:
 * - Latency counts only measured (`phase: 'measure'`) warm successes. Cold starts (in either phase) are
 *   reported on their own (count and init percentiles): their round trip carries INIT and their handler runs
 *   cold code. Failed invocations often end early (or at the timeout) and would distort either way.
 * - Every invocation Lambda billed counts in cost, errors included, because the bill includes them. Cost per
 *   invocation is the mean over measured invocations that have a REPORT line; throttled and client errors
 *   never ran, cost nothing and are left out of that mean (they would make a throttled size look cheap).
 * - Error rate = failed measured invocations / measured invocations, every kind of failure included.
 * - A cold start's REPORT already bills INIT (billed = ceil(duration + init)): `billedDurationMs` is priced
 *   as Lambda wrote it, never with init added again.
 * - Any `out-of-memory` or `timeout` sample, warm-up included, makes the size unusable: such a size fails
 *   real traffic however cheap its successes were.
 */
import type { ErrorKind, Sample } from '../sweep/types.js';
import { invocationTotalUsd, type PriceTable } from '../pricing/cost.js';
import { estimateAtRanks, neededRanks, type QuantileEstimate, quantileRanks } from './percentiles.js';
import { InvalidSampleError, selectRanks, sortAscending } from './stats.js';

/**
 * Count, mean, maximum and p50/p90/p95/p99 with their intervals. Where there is nothing to summarise the
 * field holding a QuantileSummary is `null` (never a summary with `count: 0`), so a reader cannot mistake
 * a missing latency for a latency of 0 ms.
 */
export interface QuantileSummary {
  count: number;
  mean: number;
  max: number;
  p50: QuantileEstimate;
  p90: QuantileEstimate;
  p95: QuantileEstimate;
  p99: QuantileEstimate;
}

/** One memory size's results. Durations in ms, memory in MB, money in the price table's currency (USD). */
export interface SizeSummary {
  memoryMb: number;
  /** The published version that was measured. */
  version: string;
  /** Measured-phase invocations, whatever their outcome (warm-ups excluded). */
  measured: number;
  /** Measured invocations that failed, any kind. */
  errors: number;
  /** errors / measured; 0 when nothing was measured. */
  errorRate: number;
  /** Measured failures by kind; every kind is present, most with 0. */
  errorsByKind: Record<ErrorKind, number>;
  /** Warm-up invocations that failed (not in the error rate, but they can make the size unusable). */
  warmupErrors: number;
  /** An out-of-memory or timeout sample, in either phase, disqualifies the size. */
  unusable: boolean;
  unusableReason?: string;
  /** REPORT duration of measured warm successes; null when there is none. */
  duration: QuantileSummary | null;
  /** Client-side round trip of measured warm successes; null when there is none. */
  roundTrip: QuantileSummary | null;
  /** Mean billed duration of the measured invocations that were billed; null when none was. */
  billedDurationMeanMs: number | null;
  /** Mean cost of a billed measured invocation (duration, request, ephemeral storage); null when none was. */
  costPerInvocationUsd: number | null;
  costPerMillionUsd: number | null;
  /** Measured cost / measured jobs, when the samples count jobs and did at least one. */
  costPerJobUsd?: number;
  /** Jobs per billed measured invocation, when the samples count jobs. */
  jobsPerInvocationMean?: number;
  /** Peak Max Memory Used of any invocation; null when no REPORT came back. */
  maxMemoryUsedMb: number | null;
  /** maxMemoryUsedMb / memoryMb: how close the size came to running out. */
  memoryUsedShare: number | null;
  /** Invocations with an Init Duration, either phase. */
  coldStarts: number;
  /** Of those, how many were measured: billed and counted, but kept out of the warm latency. */
  measuredColdStarts: number;
  /** Init Duration of every cold start; null when there was none. */
  init: QuantileSummary | null;
  /** Invocations Lambda ran (not throttled or refused) whose REPORT was lost: billed, but for an unknown amount. */
  unpriced: number;
  /** What every priced invocation of this size cost, warm-ups included: the sweep's own cost. */
  totalCostUsd: number;
}

const ERROR_KINDS: readonly ErrorKind[] = ['handled', 'unhandled', 'timeout', 'out-of-memory', 'throttled', 'client'];

/**
 * Count, mean, max and the four quantile estimates of values in any order; `null` for no values.
 *
 * @example
 * ```ts
 * summarizeQuantiles([120, 100, 110])?.p50 // { p: 0.5, value: 110, confidence: 0.95, enough: false, … }
 * summarizeQuantiles([]) // null
 * ```
 */
export function summarizeQuantiles(values: ArrayLike<number>, confidence = 0.95): QuantileSummary | null {
  if (values.length === 0) return null;
  // Checked before the copy, which would turn a value that is not a number into one.
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (!Number.isFinite(value)) throw new InvalidSampleError(`Value #${index} is not a finite number: ${value}`);
  }
  // The one copy: the input is not modified.
  return summarizeOwned(new Float64Array(values), confidence);
}

/** The quantiles every summary reports, in the order of {@link QuantileSummary}. */
const SUMMARY_PS = [0.5, 0.9, 0.95, 0.99] as const;

/**
 * {@link summarizeQuantiles} of values the caller hands over (they are reordered in place). Same checks, same
 * numbers as `summarize()` (stats.ts) and `estimateQuantile()` (percentiles.ts) on the sorted values, but
 * without sorting: only the order statistics the summary reads (the maximum, and for each quantile the two
 * it interpolates between and its interval's ends) are put in place, in O(n); and the values are checked
 * once, not once per quantile.
 */
function summarizeOwned(values: Float64Array, confidence: number): QuantileSummary | null {
  const count = values.length;
  if (count === 0) return null;
  let mean = 0;
  let hasZero = false;
  for (let index = 0; index < count; index++) {
    const value = values[index]!;
    if (!Number.isFinite(value)) throw new InvalidSampleError(`Value #${index} is not a finite number: ${value}`);
    if (value === 0) hasZero = true;
    // Welford's update, as summarize() computes the mean.
    mean += (value - mean) / (index + 1);
  }
  // Validates confidence, as estimateQuantile would on its first call.
  const ranks = SUMMARY_PS.map((p) => quantileRanks(count, p, confidence));
  if (hasZero) {
    // Selection cannot tell −0 from +0 apart the way a comparator sort leaves them: sort.
    sortAscending(values);
  } else {
    const needed = new Set<number>([count - 1]);
    SUMMARY_PS.forEach((p, index) => {
      for (const rank of neededRanks(count, p, ranks[index]!)) needed.add(rank);
    });
    selectRanks(
      values,
      [...needed].sort((a, b) => a - b)
    );
  }
  return {
    count,
    mean,
    max: values[count - 1]!,
    p50: estimateAtRanks(values, 0.5, confidence, ranks[0]!),
    p90: estimateAtRanks(values, 0.9, confidence, ranks[1]!),
    p95: estimateAtRanks(values, 0.95, confidence, ranks[2]!),
    p99: estimateAtRanks(values, 0.99, confidence, ranks[3]!)
  };
}

/**
 * Summarises one memory size's samples by the rules in this module's header.
 *
 * @throws {@link InvalidSampleError} when a sample belongs to another memory size or holds a non-finite number
 * @throws `PricingError` (pricing/cost.ts) when a billed duration cannot be priced
 *
 * @example
 * ```ts
 * const summary = summarizeSize({ memoryMb: 512, version: '7', samples, prices: priceTable('us-east-1', 'arm64') });
 * summary.duration?.p99.enough // false with 50 samples: see summary.duration.p99.note
 * summary.costPerMillionUsd    // e.g. 0.61
 * ```
 */
export function summarizeSize(input: {
  memoryMb: number;
  version: string;
  samples: Sample[];
  prices: PriceTable;
  ephemeralStorageMb?: number;
  confidence?: number;
}): SizeSummary {
  const { memoryMb, version, samples, prices, ephemeralStorageMb, confidence = 0.95 } = input;
  const errorsByKind = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, 0])) as Record<ErrorKind, number>;
  // At most one value per sample: filled from the start, then summarised through a view of the filled part.
  const durations = new Float64Array(samples.length);
  const roundTrips = new Float64Array(samples.length);
  // Cold starts are few: collected as they come.
  const inits: number[] = [];
  let durationCount = 0;
  let roundTripCount = 0;
  let measured = 0;
  let warmupErrors = 0;
  let measuredColdStarts = 0;
  let unpriced = 0;
  let totalCostUsd = 0;
  let measuredCostUsd = 0;
  let measuredBilled = 0;
  let measuredBilledMs = 0;
  let jobs = 0;
  let countsJobs = false;
  let maxMemoryUsedMb: number | null = null;
  let outOfMemory = 0;
  let timedOut = 0;

  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index]!;
    if (sample.memoryMb !== memoryMb) {
      throw new InvalidSampleError(`Sample #${index} ran at ${sample.memoryMb} MB, not ${memoryMb} MB`);
    }
    const isMeasured = sample.phase === 'measure';
    if (isMeasured) measured++;
    if (sample.error === 'out-of-memory') outOfMemory++;
    if (sample.error === 'timeout') timedOut++;
    if (sample.error !== undefined) {
      if (isMeasured) errorsByKind[sample.error]++;
      else warmupErrors++;
    }
    if (sample.initDurationMs !== undefined) {
      inits.push(sample.initDurationMs);
      if (isMeasured) measuredColdStarts++;
    }
    if (sample.maxMemoryUsedMb !== undefined) {
      maxMemoryUsedMb = Math.max(maxMemoryUsedMb ?? 0, sample.maxMemoryUsedMb);
    }

    // Throttled and refused calls never ran: no REPORT, no charge.
    const ran = sample.error !== 'throttled' && sample.error !== 'client';
    if (ran && sample.billedDurationMs !== undefined) {
      const costUsd = invocationTotalUsd(sample.billedDurationMs, memoryMb, ephemeralStorageMb, prices);
      totalCostUsd += costUsd;
      if (isMeasured) {
        measuredCostUsd += costUsd;
        measuredBilled++;
        measuredBilledMs += sample.billedDurationMs;
        if (sample.jobs !== undefined) countsJobs = true;
        jobs += sample.jobs ?? 0;
      }
    } else if (ran) {
      unpriced++;
    }

    // Warm latency only: a cold start's round trip carries INIT and its handler runs un-JITted code.
    if (isMeasured && sample.error === undefined && sample.initDurationMs === undefined) {
      roundTrips[roundTripCount++] = sample.roundTripMs;
      if (sample.durationMs !== undefined) durations[durationCount++] = sample.durationMs;
    }
  }

  const errors = ERROR_KINDS.reduce((sum, kind) => sum + errorsByKind[kind], 0);
  const costPerInvocationUsd = measuredBilled > 0 ? measuredCostUsd / measuredBilled : null;
  const unusableReason = describeUnusable(outOfMemory, timedOut, samples.length);
  return {
    memoryMb,
    version,
    measured,
    errors,
    errorRate: measured > 0 ? errors / measured : 0,
    errorsByKind,
    warmupErrors,
    unusable: unusableReason !== undefined,
    ...(unusableReason !== undefined ? { unusableReason } : {}),
    duration: summarizeOwned(durations.subarray(0, durationCount), confidence),
    roundTrip: summarizeOwned(roundTrips.subarray(0, roundTripCount), confidence),
    billedDurationMeanMs: measuredBilled > 0 ? measuredBilledMs / measuredBilled : null,
    costPerInvocationUsd,
    costPerMillionUsd: costPerInvocationUsd === null ? null : costPerInvocationUsd * 1_000_000,
    // An error's cost with 0 jobs belongs in the cost per job: it is what failed jobs add to the bill.
    ...(countsJobs && jobs > 0 ? { costPerJobUsd: measuredCostUsd / jobs } : {}),
    ...(countsJobs ? { jobsPerInvocationMean: jobs / measuredBilled } : {}),
    maxMemoryUsedMb,
    memoryUsedShare: maxMemoryUsedMb === null ? null : maxMemoryUsedMb / memoryMb,
    coldStarts: inits.length,
    measuredColdStarts,
    init: summarizeOwned(new Float64Array(inits), confidence),
    unpriced,
    totalCostUsd
  };
}

/** A sentence for the report, or undefined when the size is usable. */
function describeUnusable(outOfMemory: number, timedOut: number, total: number): string | undefined {
  const parts: string[] = [];
  if (outOfMemory > 0) parts.push(`ran out of memory in ${outOfMemory} of ${total} invocations`);
  if (timedOut > 0) parts.push(`timed out in ${timedOut} of ${total} invocations`);
  if (parts.length === 0) return undefined;
  const sentence = parts.join(' and ');
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)} (warm-ups included)`;
}
