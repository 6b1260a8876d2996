/**
 * One budget judged at one look of the sequential test, at the error rate the look may spend on it: the
 * interval, the verdict (by the same rule and in the same words as the one-shot comparison), or why the
 * figure cannot be estimated yet and how many samples it needs.
 *
 * Intervals: means by mean-intervals.ts (exact t quantiles at the small error rate a look gets); the p99
 * change by the comparison's seeded percentile bootstrap (its resampled p99s drawn by tail-bootstrap.ts,
 * same distribution, faster), only when both sides have the warm samples a distribution-free p99 interval
 * needs at that confidence; the p99 itself by its exact order-statistic interval; the error rate by
 * Clopper–Pearson.
 */
import { estimateQuantile, samplesNeededForInterval } from '../analyze/percentiles.js';
import { interpolateQuantile } from '../analyze/stats.js';
import { combine, percentileInterval, sideRandom } from '../compare/bootstrap.js';
import {
  absoluteCheck,
  cannotCheck,
  errorRateCheck,
  monthlyCheck,
  p99MsCheck,
  relativeCheck
} from '../compare/check-sentences.js';
import { formatConfidence, formatUsd } from '../compare/format.js';
import { widenForRunVariation } from '../compare/run-variation.js';
import { P99, type SideData } from '../compare/side-figures.js';
import type { BudgetName, Budgets, CheckResult } from '../compare/types.js';
import { resampleUpperQuantile } from './tail-bootstrap.js';
import {
  changeInterval,
  differenceInterval,
  type Level,
  meanInterval,
  meanStats,
  type MeanStats
} from './mean-intervals.js';

/** What every check of one look reads. */
export interface LookContext {
  memoryMb: number;
  budgets: Budgets;
  costBasis: 'invocation' | 'job';
  candidate: SideData;
  /** Undefined when there is no baseline, or it has no measured invocation at this size. */
  baseline?: SideData;
  /** Whether a baseline was given at all: relative checks run only then. */
  hasBaseline: boolean;
  /** Billed invocations a mean needs on each side before its interval is trusted. */
  minSamples: number;
  /** Relative standard deviation of a whole run's level; 0 when both sides ran in the same rounds. */
  runVariation: number;
  seed: number;
  resamples: number;
  invocationsPerMonth?: number;
  /** Replicates of the baseline's p99, kept between looks by the caller's cache. */
  baselineP99Replicates: (resamples: number, compute: () => Float64Array) => Float64Array;
}

/** A check judged at a look, or waiting for samples. */
export type LookEvaluation =
  | { judged: true; check: CheckResult }
  | {
      judged: false;
      check: CheckResult;
      /** Samples the figure needs on each side (the candidate alone for an absolute budget) at that error rate. */
      needed?: number;
    };

/**
 * The budgets a look judges, in the comparison's order.
 *
 * @example
 * ```ts
 * activeBudgets({ maxCostIncrease: 0.05, maxErrorRate: 0.01 }, true, undefined) // ['cost-increase', 'error-rate']
 * ```
 */
export function activeBudgets(budgets: Budgets, hasBaseline: boolean, perMonth: number | undefined): BudgetName[] {
  const active: BudgetName[] = [];
  if (hasBaseline && budgets.maxCostIncrease !== undefined) active.push('cost-increase');
  if (hasBaseline && budgets.maxP99Increase !== undefined) active.push('p99-increase');
  if (budgets.maxCostPerMillionUsd !== undefined) active.push('cost-per-million');
  if (budgets.maxP99Ms !== undefined) active.push('p99-ms');
  if (hasBaseline && perMonth !== undefined && budgets.maxMonthlyIncreaseUsd !== undefined) {
    active.push('monthly-increase');
  }
  active.push('error-rate');
  return active;
}

/**
 * Judges `budget` with intervals at `level` (means use its critical values; the p99 and the error rate its
 * confidence).
 *
 * @example
 * ```ts
 * evaluateCheck('cost-increase', context, levelAt(0.992)) // { judged: true, check: { verdict: 'pass', … } }
 * ```
 */
export function evaluateCheck(budget: BudgetName, context: LookContext, level: Level): LookEvaluation {
  const confidence = level.confidence;
  const alpha = 1 - confidence;
  const { budgets, candidate, baseline, memoryMb, minSamples } = context;
  const unit = context.costBasis === 'job' ? 'job' : 'invocation';
  switch (budget) {
    case 'cost-increase': {
      const limit = budgets.maxCostIncrease!;
      const subject = `cost per ${unit}`;
      if (baseline === undefined) return missingBaseline(budget, limit, `${subject} change`, memoryMb, minSamples);
      const waiting = tooFewBilled(budget, limit, `${subject} change`, context, baseline);
      if (waiting !== undefined) return waiting;
      const c = unitStats(candidate, context.costBasis);
      const b = unitStats(baseline, context.costBasis);
      const change = c && b ? changeInterval(c, b, level, context.runVariation) : undefined;
      if (change === undefined) {
        const reason = `${subject} change cannot be estimated: the baseline's cost at ${memoryMb} MB is ${formatUsd(0)}, so no ratio exists.`;
        return { judged: false, check: cannotCheck(budget, limit, reason) };
      }
      return { judged: true, check: relativeCheck(budget, limit, subject, change) };
    }
    case 'p99-increase': {
      const limit = budgets.maxP99Increase!;
      const needed = samplesNeededForInterval(P99, confidence)!;
      if (baseline === undefined) return missingBaseline(budget, limit, 'p99 change', memoryMb, needed);
      const warmC = candidate.warmSorted.length;
      const warmB = baseline.warmSorted.length;
      if (warmC < needed || warmB < needed) {
        const have = `${warmC} warm samples in the candidate and ${warmB} in the baseline`;
        const reason =
          `p99 change cannot be estimated yet: ${have} at ${memoryMb} MB, ${needed} are needed on each side ` +
          `for a ${formatConfidence(confidence)} interval.`;
        return { judged: false, check: cannotCheck(budget, limit, reason), needed };
      }
      const resamples = Math.min(50_000, Math.max(context.resamples, Math.ceil(40 / alpha)));
      const replicatesC = resampleUpperQuantile(
        candidate.warmSorted,
        P99,
        resamples,
        sideRandom(context.seed, memoryMb, 'candidate')
      );
      const replicatesB = context.baselineP99Replicates(resamples, () =>
        resampleUpperQuantile(baseline.warmSorted, P99, resamples, sideRandom(context.seed, memoryMb, 'baseline'))
      );
      const estimate =
        interpolateQuantile(candidate.warmSorted, P99) / interpolateQuantile(baseline.warmSorted, P99) - 1;
      const sampled = percentileInterval(
        estimate,
        combine(replicatesC, replicatesB, (x, y) => x / y - 1),
        confidence
      )!;
      const change = widenForRunVariation(sampled, context.runVariation);
      return { judged: true, check: relativeCheck(budget, limit, 'p99', change) };
    }
    case 'cost-per-million': {
      const limit = budgets.maxCostPerMillionUsd!;
      const subject = `cost per 1M ${unit}s`;
      const stats = candidate.costs.length >= minSamples ? unitStats(candidate, context.costBasis) : undefined;
      if (stats === undefined) {
        const billed = candidate.costs.length;
        const reason = `${subject} cannot be estimated yet: ${billed} billed invocation${billed === 1 ? '' : 's'} at ${memoryMb} MB, ${minSamples} are needed.`;
        return { judged: false, check: cannotCheck(budget, limit, reason), needed: minSamples };
      }
      const observed = meanInterval(stats, level, 1_000_000, context.runVariation);
      return {
        judged: true,
        check: absoluteCheck(budget, limit, `${subject} ${formatUsd(observed.estimate)}`, observed, formatUsd)
      };
    }
    case 'p99-ms': {
      const limit = budgets.maxP99Ms!;
      const warm = candidate.warmSorted;
      const needed = samplesNeededForInterval(P99, confidence)!;
      if (warm.length < needed) {
        const reason =
          `p99 cannot be estimated yet: ${warm.length} warm sample${warm.length === 1 ? '' : 's'} at ${memoryMb} MB, ` +
          `${needed} are needed for a ${formatConfidence(confidence)} interval.`;
        return { judged: false, check: cannotCheck(budget, limit, reason), needed };
      }
      const p99 = estimateQuantile(warm, P99, confidence);
      return {
        judged: true,
        check: p99MsCheck({ estimate: p99.value, lower: p99.lower!, upper: p99.upper!, confidence }, limit)
      };
    }
    case 'monthly-increase': {
      const limit = budgets.maxMonthlyIncreaseUsd!;
      if (baseline === undefined) return missingBaseline(budget, limit, 'monthly bill change', memoryMb, minSamples);
      const waiting = tooFewBilled(budget, limit, 'monthly bill change', context, baseline);
      if (waiting !== undefined) return waiting;
      const perMonth = context.invocationsPerMonth!;
      const change = differenceInterval(
        meanStats(candidate.costs)!,
        meanStats(baseline.costs)!,
        level,
        perMonth,
        context.runVariation
      );
      return { judged: true, check: monthlyCheck(change, limit, perMonth) };
    }
    case 'error-rate':
      return {
        judged: true,
        check: errorRateCheck(candidate.errors, candidate.measured, budgets.maxErrorRate, confidence)
      };
  }
}

/** A side's cost per invocation (a mean) or per job (a ratio estimator), with its variance. */
export function unitStats(side: SideData, basis: 'invocation' | 'job'): MeanStats | undefined {
  return basis === 'job' && side.jobs !== undefined ? meanStats(side.costs, side.jobs) : meanStats(side.costs);
}

function tooFewBilled(
  budget: BudgetName,
  limit: number,
  subject: string,
  context: LookContext,
  baseline: SideData
): LookEvaluation | undefined {
  const { candidate, minSamples, memoryMb } = context;
  if (candidate.costs.length >= minSamples && baseline.costs.length >= minSamples) return undefined;
  const have = `${candidate.costs.length} billed invocations in the candidate and ${baseline.costs.length} in the baseline`;
  const reason = `${subject} cannot be estimated yet: ${have} at ${memoryMb} MB, ${minSamples} are needed on each side.`;
  return { judged: false, check: cannotCheck(budget, limit, reason), needed: minSamples };
}

/** A relative check without baseline samples at this size: it waits for a live baseline's, if one comes. */
function missingBaseline(
  budget: BudgetName,
  limit: number,
  subject: string,
  memoryMb: number,
  needed: number
): LookEvaluation {
  const reason = `${subject} cannot be judged: the baseline has no measured invocations at ${memoryMb} MB.`;
  return { judged: false, check: cannotCheck(budget, limit, reason), needed };
}
