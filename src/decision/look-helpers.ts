/**
 * The stopping rule's bookkeeping: the size of the next batch, the one-sentence reason, and the checks of its
 * options. Split from sequential.ts, which holds the rule itself.
 */
import { samplesNeededForInterval } from '../analyze/percentiles.js';
import { formatConfidence } from '../compare/format.js';
import { P99, type SideData } from '../compare/side-figures.js';
import type { BudgetName, Budgets, CheckResult, CheckVerdict } from '../compare/types.js';
import { LambdaCostGateError } from '../errors.js';
import { DEFAULT_SPENDING } from './spending.js';
import type { CheckProgress, LookDecision, SequentialOptions } from './types.js';

/** Options out of range, or a look that does not follow its previous one. */
export class DecisionError extends LambdaCostGateError {}

/** A check no error rate is left for at this look (no new samples since the last): its last state. */
export function stale(
  budget: BudgetName,
  budgets: Budgets,
  last: CheckResult | undefined,
  measured: number,
  memoryMb: number
): CheckResult {
  if (last !== undefined) return last;
  const reason = `${budget} cannot be judged: no error rate is left to spend at ${measured} invocations at ${memoryMb} MB.`;
  return { budget, limit: limitOf(budget, budgets), observed: null, verdict: 'inconclusive', reason };
}

export function limitOf(budget: BudgetName, budgets: Budgets): number {
  const limits: Record<BudgetName, number | undefined> = {
    'cost-increase': budgets.maxCostIncrease,
    'p99-increase': budgets.maxP99Increase,
    'cost-per-million': budgets.maxCostPerMillionUsd,
    'p99-ms': budgets.maxP99Ms,
    'error-rate': budgets.maxErrorRate,
    'monthly-increase': budgets.maxMonthlyIncreaseUsd
  };
  return limits[budget] ?? 0;
}

/**
 * A batch; or, when every undecided budget is waiting for samples before it can be estimated at all, a jump
 * to the first invocation count at which one of them can (looks in between could decide nothing). Only counts
 * are read here, never the figures measured, so the looks' error rates are unaffected.
 */
export function nextBatchSize(
  open: CheckProgress[],
  candidate: SideData,
  batchSize: number,
  cap: number,
  shareAt: (invocations: number, budget: BudgetName) => number
): number {
  const room = cap - candidate.measured;
  const decidable = open.filter((item) => item.decidable);
  const waiting = decidable.filter((item) => item.samplesNeeded !== undefined);
  if (waiting.length === 0 || waiting.length < decidable.length) return Math.min(batchSize, room);
  let first = cap;
  for (const item of waiting) {
    const p99 = item.budget === 'p99-increase' || item.budget === 'p99-ms';
    const have = p99 ? candidate.warmSorted.length : candidate.costs.length;
    // The share of invocations that yield a usable sample (warm successes for a p99, billed ones for a mean).
    const yieldRate = candidate.measured > 0 && have > 0 ? have / candidate.measured : 1;
    for (let invocations = candidate.measured + 1; invocations < first; invocations++) {
      const share = shareAt(invocations, item.budget);
      const needed = p99 ? (share > 0 ? samplesNeededForInterval(P99, 1 - share)! : Infinity) : item.samplesNeeded!;
      if (Math.floor(invocations * yieldRate) >= needed) {
        first = invocations;
        break;
      }
    }
  }
  return Math.min(room, Math.max(batchSize, first - candidate.measured));
}

export function explain(decision: Omit<LookDecision, 'reason'>): string {
  const { look, candidateMeasured: n, memoryMb, checks, why, cap, confidence } = decision;
  const where = `at look ${look} after ${n} invocations at ${memoryMb} MB`;
  const first = (verdict: CheckVerdict) => checks.find((check) => check.verdict === verdict)?.reason ?? '';
  const undecided = checks.filter((check) => check.verdict === 'inconclusive').map((check) => check.budget);
  if (why === 'decided' && decision.decision === 'fail') return `Fail ${where}: ${first('fail')}`;
  if (why === 'decided') {
    return `Pass ${where}: every budget is within its limit (${formatConfidence(confidence)} overall confidence across looks).`;
  }
  if (why === 'cap') return `Inconclusive at the cap of ${cap} invocations at ${memoryMb} MB: ${first('inconclusive')}`;
  if (why === 'undecidable') {
    return `Inconclusive ${where}: no sample up to the cap of ${cap} can decide ${undecided.join(', ')}: ${first('inconclusive')}`;
  }
  return `Undecided ${where} (${undecided.join(', ')}); ${decision.nextBatch} more invocations before the next look.`;
}

export function checkOptions(options: SequentialOptions, minSamples: number): void {
  const { confidence, cap, batchSize, seed, memoryMb, previous } = options;
  if (!(confidence > 0 && confidence < 1))
    throw new DecisionError(`Confidence must be within (0, 1); got ${confidence}`);
  if (!(Number.isInteger(cap) && cap >= 1)) throw new DecisionError(`The cap must be a whole number ≥ 1; got ${cap}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new DecisionError(`The batch size must be a whole number ≥ 1; got ${batchSize}`);
  }
  if (!(Number.isInteger(minSamples) && minSamples >= 2)) {
    throw new DecisionError(`minSamples must be a whole number ≥ 2; got ${minSamples}`);
  }
  if (!Number.isFinite(seed)) throw new DecisionError(`The seed must be a finite number; got ${seed}`);
  const runVariation = options.runVariation ?? 0.01;
  if (!(runVariation >= 0 && runVariation < 1)) {
    throw new DecisionError(`runVariation must be within [0, 1); got ${runVariation}`);
  }
  if (previous !== undefined && previous.memoryMb !== memoryMb) {
    throw new DecisionError(`The previous look was at ${previous.memoryMb} MB, not ${memoryMb} MB`);
  }
  if (previous?.stop) throw new DecisionError(`The previous look at ${memoryMb} MB already stopped (${previous.why})`);
  if (
    previous !== undefined &&
    (previous.cap !== cap ||
      previous.confidence !== confidence ||
      previous.spending !== (options.spending ?? DEFAULT_SPENDING))
  ) {
    throw new DecisionError('The cap, the confidence and the spending function must stay the same across looks');
  }
}
