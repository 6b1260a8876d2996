/**
 * How wide each budget's interval is at a look: the share of the error rate the look may spend on it, and,
 * for a mean, the exact group-sequential boundary that share buys.
 *
 * - A mean (cost change, cost per million, monthly change) is normal at every look with the canonical joint
 *   distribution, so its boundary accounts for the correlation between looks (boundaries.ts), and its
 *   information fraction is its information over the information at the cap: with a stored baseline, extra
 *   candidate samples add less and less, and the fraction says so.
 * - The p99 and the error rate are not normal statistics: each look spends its share as a plain interval at
 *   confidence 1 − share (Bonferroni: conservative, valid whatever the correlation), with the fraction
 *   invocations so far / the cap.
 */
import type { BudgetName } from '../compare/types.js';
import { nextBoundary } from './boundaries.js';
import { type LookContext, unitStats } from './look-checks.js';
import { type Level, levelAt, levelAtBoundary, meanStats } from './mean-intervals.js';
import { alphaSpent, type SpendingFunction } from './spending.js';
import type { CheckProgress, JudgedLook } from './types.js';

/** The look's situation, as every budget sees it. */
export interface LookSituation {
  alpha: number;
  spending: SpendingFunction;
  cap: number;
  /** The most measured baseline invocations there will be. */
  baselineCap: number;
  /** Measured invocations so far, per side. */
  candidateMeasured: number;
  baselineMeasured: number;
  /** The candidate has reached the cap: spend what is left. */
  final: boolean;
}

/** A budget's level at this look; no level when the look has nothing to spend on it. */
export interface LevelChoice {
  level?: Level;
  /** The share of α this look spends if it judges the budget. */
  share: number;
  /** What to remember of the look if it judges the budget (means only). */
  record?: JudgedLook;
}

/**
 * The level of `budget` at this look, by the rules in this module's header.
 *
 * @example
 * ```ts
 * levelFor('cost-increase', before, context, situation) // { level: { confidence: 0.993, critical }, share: 0.008, record }
 * ```
 */
export function levelFor(
  budget: BudgetName,
  before: CheckProgress | undefined,
  context: LookContext,
  situation: LookSituation
): LevelChoice {
  const { alpha, spending, cap, final } = situation;
  const spent = before?.alphaSpent ?? 0;
  const byCount = () => {
    const share = (final ? alpha : alphaSpent(spending, alpha, situation.candidateMeasured / cap)) - spent;
    return share > 0 ? { level: levelAt(1 - share), share } : { share };
  };
  const info = meanInformation(budget, context);
  if (info === undefined) return byCount();
  const information = (candidate: number, baseline: number) =>
    1 /
    (info.candidateVariance / candidate +
      (info.baselineVariance > 0 ? info.baselineVariance / baseline : 0) +
      info.runVariance);
  const now = information(info.candidateCount, info.baselineCount);
  // Every observation the same: no variance, no information to speak of; a plain interval (of width 0) does.
  if (!Number.isFinite(now)) return byCount();
  const candidateYield = info.candidateCount / Math.max(1, situation.candidateMeasured);
  const baselineYield = info.baselineCount / Math.max(1, situation.baselineMeasured);
  const atCap = information(
    Math.max(info.candidateCount, cap * candidateYield),
    Math.max(info.baselineCount, situation.baselineCap * baselineYield)
  );
  const fraction = final ? 1 : Math.min(1, now / atCap);
  const share = alphaSpent(spending, alpha, fraction) - spent;
  const judged = before?.judgedLooks ?? [];
  const informations = judged.map((look) => information(look.candidate, look.baseline));
  if (!(share > 0) || (informations.length > 0 && !(now > informations[informations.length - 1]!))) return { share: 0 };
  const boundary = nextBoundary(
    [...informations, now],
    judged.map((look) => look.boundary),
    share
  );
  if (!Number.isFinite(boundary)) return { share: 0 };
  return {
    level: levelAtBoundary(boundary),
    share,
    record: { candidate: info.candidateCount, baseline: info.baselineCount, boundary }
  };
}

/** Per-observation variances of a mean check's statistic, from which a look's information follows. */
export interface MeanInformation {
  /** Observations so far on each side (billed invocations); baseline 0 for an absolute budget. */
  candidateCount: number;
  baselineCount: number;
  /** Variance of one observation on the statistic's scale (relative for a change), per side. */
  candidateVariance: number;
  baselineVariance: number;
  /** Variance that no number of samples removes: the runs' levels (runVariation). */
  runVariance: number;
}

/**
 * The information of a mean check (cost-increase, cost-per-million, monthly-increase) once it can be judged:
 * the statistic's variance is candidateVariance / n_c + baselineVariance / n_b, its information the inverse.
 * Undefined for other checks, or while the check waits for samples.
 *
 * @example
 * ```ts
 * meanInformation('cost-increase', context) // { candidateCount: 80, baselineCount: 400, candidateVariance: 0.02, … }
 * ```
 */
export function meanInformation(budget: BudgetName, context: LookContext): MeanInformation | undefined {
  const { candidate, baseline, minSamples } = context;
  if (candidate.costs.length < minSamples) return undefined;
  const c = unitStats(candidate, context.costBasis);
  if (c === undefined) return undefined;
  if (budget === 'cost-per-million') {
    return {
      candidateCount: c.n,
      baselineCount: 0,
      candidateVariance: c.variance * c.n,
      baselineVariance: 0,
      runVariance: (context.runVariation * c.estimate) ** 2
    };
  }
  if (budget !== 'cost-increase' && budget !== 'monthly-increase') return undefined;
  if (baseline === undefined || baseline.costs.length < minSamples) return undefined;
  if (budget === 'monthly-increase') {
    const cm = meanStats(candidate.costs)!;
    const bm = meanStats(baseline.costs)!;
    return {
      candidateCount: cm.n,
      baselineCount: bm.n,
      candidateVariance: cm.variance * cm.n,
      baselineVariance: bm.variance * bm.n,
      runVariance: context.runVariation ** 2 * (cm.estimate ** 2 + bm.estimate ** 2)
    };
  }
  const b = unitStats(baseline, context.costBasis);
  if (b === undefined || !(c.estimate > 0 && b.estimate > 0)) return undefined;
  return {
    candidateCount: c.n,
    baselineCount: b.n,
    candidateVariance: (c.variance * c.n) / c.estimate ** 2,
    baselineVariance: (b.variance * b.n) / b.estimate ** 2,
    runVariance: 2 * context.runVariation ** 2
  };
}
