/**
 * The stopping rule of adaptive sampling: after each batch of invocations at a gated size, decide whether
 * the candidate passes, fails, or needs more samples, with the error rates held across all the looks.
 *
 * In plain words. Every budget is judged by the comparison's rule (fail when the whole interval lies beyond
 * the budget, pass when it lies within, inconclusive otherwise), but a look may use only a share of the error
 * rate 1 − confidence, so each look's interval is wider than a one-shot comparison's. The shares follow a
 * spending function of how far the test has come (spending.ts; O'Brien–Fleming-type by default, which keeps
 * most of the error rate for the last looks) and add up to 1 − confidence. So the chance that any look fails
 * a function that stays within its budget, or passes one regressed beyond it, stays within half of
 * 1 − confidence each, however many looks there were: what one comparison at that confidence allows. Clear
 * cases decide at the first looks; close ones take more samples, up to the cap.
 *
 * How wide, budget by budget (levels.ts):
 * - Means (cost change, cost per million, monthly change) are normal at every look and strongly correlated
 *   between looks; their boundaries are the exact group-sequential ones for that correlation
 *   (boundaries.ts), read on Student's t for small samples, and their progress is measured in information
 *   (a stored baseline's fixed size caps what more candidate samples can add).
 * - The p99 and the error rate spend their share as plain intervals (a union bound: valid whatever the
 *   correlation), with progress measured as invocations / cap.
 * - Run-to-run variation (`runVariation`) widens every interval that compares two runs: a stored baseline
 *   ran on another day, on other hosts, and no number of samples within a run removes that difference. A
 *   live baseline, measured in the same rounds, cancels it (pass 0).
 *
 * Bookkeeping:
 * - A budget spends only at the looks that judge it. The p99 cannot be judged before there are enough warm
 *   samples for a distribution-free interval (at least 299 at 95 %, more at a smaller share), so it keeps its
 *   share until then.
 * - A budget that has passed or failed is settled: its test is over, later looks do not judge it again. The
 *   error rate's pass is not a test (a rate within the budget passes, later failures can undo it), so it is
 *   read again at every look.
 * - The decision is the worst verdict (fail > inconclusive > pass). It stops at a fail, at a pass of every
 *   budget, at the cap, or when no sample up to the cap could decide what is left (a p99 that needs more
 *   warm samples than the cap allows): more invocations would then be spent for nothing.
 *
 * The guarantee holds per budget and per gated size, as the one-shot comparison's does. It rests on each
 * look's interval having its stated coverage (the t interval of a mean is approximate for small, skewed
 * samples, hence `minSamples`; the run variation must not be understated), and on batch sizes that depend
 * on counts only, never on the figures measured (as `nextBatch`).
 */
import { samplesNeededForInterval } from '../analyze/percentiles.js';
import { countsJobs, P99, type SideData, sideDataFromSamples } from '../compare/side-figures.js';
import type { BudgetName, Budgets, CheckResult } from '../compare/types.js';
import { worstCheckVerdict } from '../compare/verdict.js';
import type { Sample } from '../sweep/types.js';
import { activeBudgets, evaluateCheck, type LookContext } from './look-checks.js';
import { checkOptions, DecisionError, explain, nextBatchSize, stale } from './look-helpers.js';
import { type LookSituation, levelFor } from './levels.js';
import { alphaSpent, DEFAULT_SPENDING } from './spending.js';
import type { CheckProgress, LookDecision, SequentialOptions, SideSamples } from './types.js';

export { DecisionError } from './look-helpers.js';
export type * from './types.js';

const baselineCache = new WeakMap<readonly Sample[], Map<string, Float64Array>>();

/**
 * Decides at one look whether the candidate passes, fails or needs another batch at a gated size, by the
 * rules in this module's header.
 *
 * Contract for the sweep engine:
 * - Call it after every batch at each gated size, with every measured sample of that size so far (both
 *   sides, in the order made; warm-ups may be included, they are skipped) and the previous look's decision.
 * - Before the first look make `batchSize` invocations (at least `minSamples` billed ones for a cost budget).
 * - `stop: true`: make no more invocations at this size; `decision` is the verdict of record, with the
 *   intervals in `checks`. Recomputing the comparison at the nominal confidence on the same samples would
 *   lose the guarantee across looks. `stop: false`: make `nextBatch` more invocations (never past the cap)
 *   and look again. Stopping earlier than asked (time, a failure) keeps the last decision valid, only less
 *   decided.
 * - The cap is honoured: the look at which the candidate reaches `cap` measured invocations spends what is
 *   left of the error rate and stops.
 * - One chain of looks per gated size (and per function); the options must not change along a chain.
 * - A stored baseline: pass its samples as they are, keep the default `runVariation` (1 %). A live baseline
 *   measured in the same rounds: pass its samples so far, `baselineCap` (its planned invocations) and
 *   `runVariation: 0`.
 *
 * @throws {@link DecisionError} on options out of range, or samples that shrank since the previous look
 *
 * @example
 * ```ts
 * let previous: LookDecision | undefined;
 * do {
 *   await invokeBatch(previous?.nextBatch ?? 40);
 *   previous = decideAtLook({ samples, pricing }, { samples: baselineSamples, pricing }, budgets, {
 *     memoryMb: 1024, confidence: 0.95, cap: 400, batchSize: 40, seed: 7, ...(previous ? { previous } : {})
 *   });
 * } while (!previous.stop);
 * previous.decision; // 'pass' | 'fail' | 'inconclusive'
 * ```
 */
export function decideAtLook(
  candidate: SideSamples,
  baseline: SideSamples | undefined,
  budgets: Budgets,
  options: SequentialOptions
): LookDecision {
  const { memoryMb, confidence, cap, batchSize, previous } = options;
  const spending = options.spending ?? DEFAULT_SPENDING;
  const minSamples = options.minSamples ?? 20;
  checkOptions(options, minSamples);
  const candidateData = sideDataFromSamples(
    candidate.samples,
    memoryMb,
    candidate.pricing,
    candidate.ephemeralStorageMb
  );
  const found =
    baseline && sideDataFromSamples(baseline.samples, memoryMb, baseline.pricing, baseline.ephemeralStorageMb);
  const baselineData = found !== undefined && found.measured > 0 ? found : undefined;
  const measured = candidateData.measured;
  if (previous !== undefined && measured < previous.candidateMeasured) {
    throw new DecisionError(
      `The candidate has ${measured} measured invocations at ${memoryMb} MB, fewer than the ${previous.candidateMeasured} of the previous look`
    );
  }
  const look = (previous?.look ?? 0) + 1;
  const final = measured >= cap;
  const alpha = 1 - confidence;
  const situation: LookSituation = {
    alpha,
    spending,
    cap,
    baselineCap: Math.max(options.baselineCap ?? 0, baselineData?.measured ?? 0),
    candidateMeasured: measured,
    baselineMeasured: baselineData?.measured ?? 0,
    final
  };
  const context = lookContext(candidateData, baselineData, baseline, budgets, options, minSamples);

  const checks: CheckResult[] = [];
  const progress: CheckProgress[] = [];
  for (const budget of activeBudgets(budgets, baseline !== undefined, options.monthlyInvocations)) {
    const before = previous?.progress.find((item) => item.budget === budget);
    const last = previous?.checks.find((item) => item.budget === budget);
    if (before?.settledAtLook !== undefined && last !== undefined) {
      checks.push(last);
      progress.push(before);
      continue;
    }
    const spent = before?.alphaSpent ?? 0;
    const choice = levelFor(budget, before, context, situation);
    const evaluation = choice.level !== undefined ? evaluateCheck(budget, context, choice.level) : undefined;
    const check = evaluation?.check ?? stale(budget, budgets, last, measured, memoryMb);
    const judged = evaluation?.judged === true;
    const used = judged ? spent + choice.share : spent;
    const left = alpha - used;
    const isP99 = budget === 'p99-increase' || budget === 'p99-ms';
    const needed =
      isP99 && left > 0
        ? samplesNeededForInterval(P99, 1 - left)!
        : evaluation?.judged === false
          ? evaluation.needed
          : undefined;
    const settles = judged && (check.verdict === 'fail' || (check.verdict === 'pass' && budget !== 'error-rate'));
    const relative = budget === 'cost-increase' || budget === 'p99-increase' || budget === 'monthly-increase';
    const { baselineCap } = situation;
    // A figure still waiting for samples (or a p99, whose interval needs more at a smaller error share) is
    // decidable if the cap allows them; any other open figure gains information with every sample.
    const waiting = isP99 || evaluation?.judged === false;
    const decidable =
      !final &&
      !settles &&
      left > 0 &&
      (!waiting || (needed !== undefined && cap >= needed && (!relative || baselineCap >= needed)));
    const judgedLooks = [...(before?.judgedLooks ?? []), ...(judged && choice.record ? [choice.record] : [])];
    checks.push(check);
    progress.push({
      budget,
      alphaSpent: used,
      looks: (before?.looks ?? 0) + (judged ? 1 : 0),
      ...(judgedLooks.length > 0 ? { judgedLooks } : {}),
      ...(settles ? { settledAtLook: look } : {}),
      ...(!judged && needed !== undefined ? { samplesNeeded: needed } : {}),
      decidable
    });
  }

  const decision = worstCheckVerdict(checks.map((check) => check.verdict));
  const open = progress.filter((_, index) => checks[index]!.verdict === 'inconclusive');
  const why: LookDecision['why'] =
    decision !== 'inconclusive'
      ? 'decided'
      : final
        ? 'cap'
        : open.every((item) => !item.decidable)
          ? 'undecidable'
          : 'continue';
  const stop = why !== 'continue';
  const shareAt = (invocations: number, budget: BudgetName) =>
    (invocations >= cap ? alpha : alphaSpent(spending, alpha, invocations / cap)) -
    (progress.find((item) => item.budget === budget)?.alphaSpent ?? 0);
  const nextBatch = stop ? 0 : nextBatchSize(open, candidateData, batchSize, cap, shareAt);
  const base = {
    memoryMb,
    look,
    decision,
    stop,
    why,
    nextBatch,
    candidateMeasured: measured,
    baselineMeasured: baselineData?.measured ?? 0,
    informationFraction: Math.min(1, measured / cap),
    checks,
    progress,
    confidence,
    spending,
    cap
  };
  return { ...base, reason: explain(base) };
}

function lookContext(
  candidate: SideData,
  baseline: SideData | undefined,
  baselineSide: SideSamples | undefined,
  budgets: Budgets,
  options: SequentialOptions,
  minSamples: number
): LookContext {
  const costBasis = countsJobs(candidate) && (baseline === undefined || countsJobs(baseline)) ? 'job' : 'invocation';
  const seed = options.seed;
  const warm = baseline?.warmSorted.length ?? 0;
  return {
    memoryMb: options.memoryMb,
    budgets,
    costBasis,
    candidate,
    ...(baseline !== undefined ? { baseline } : {}),
    hasBaseline: baselineSide !== undefined,
    minSamples,
    runVariation: options.runVariation ?? 0.01,
    seed,
    resamples: options.resamples ?? 2000,
    ...(options.monthlyInvocations !== undefined ? { invocationsPerMonth: options.monthlyInvocations } : {}),
    baselineP99Replicates: (resamples, compute) => {
      // A stored baseline is the same at every look: its replicates are drawn once. The key holds everything
      // they depend on, so a live baseline that grew is drawn again.
      if (baselineSide === undefined) return compute();
      let cache = baselineCache.get(baselineSide.samples);
      if (cache === undefined) baselineCache.set(baselineSide.samples, (cache = new Map()));
      const key = `${options.memoryMb}|${warm}|${resamples}|${seed}`;
      let replicates = cache.get(key);
      if (replicates === undefined) cache.set(key, (replicates = compute()));
      return replicates;
    }
  };
}
