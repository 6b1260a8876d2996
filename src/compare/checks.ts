/**
 * The budget checks of one size: which run, what each measures, and its one-sentence reason.
 *
 * Every check but the error rate is judged by `judge` (verdict.ts): fail when the whole interval lies beyond
 * the limit, pass when it lies within, inconclusive otherwise. A figure that cannot be estimated (a p99 from
 * too few samples, a size the baseline did not measure, nothing billed) makes its check inconclusive, with a
 * reason that says what is missing.
 */
import type { SideData, SideEstimate } from './side-figures.js';
import {
  formatChange,
  formatConfidence,
  formatCount,
  formatInterval,
  formatMs,
  formatMsNumber,
  formatShare,
  formatUsd
} from './format.js';
import { clopperPearson } from './binomial.js';
import type { BudgetName, Budgets, CheckResult, CheckVerdict, Interval } from './types.js';
import { errorRateVerdict, judge } from './verdict.js';

/** One side as the checks see it. */
export interface CheckedSide {
  data: SideData;
  estimate: SideEstimate;
}

/** Everything the checks of one size read. */
export interface ChecksInput {
  memoryMb: number;
  budgets: Budgets;
  confidence: number;
  costBasis: 'invocation' | 'job';
  candidate: CheckedSide;
  /** Whether a baseline report was given at all: relative checks run only then. */
  hasBaseline: boolean;
  /** The baseline at this size; undefined when it has no measured invocation here (or there is none). */
  baseline?: CheckedSide;
  /** Sizes the baseline did measure, for the reason when it lacks this one. */
  baselineSizes: number[];
  costChange?: Interval;
  p99Change?: Interval;
  /** Monthly bill change, USD, and the traffic it assumes. */
  monthlyChange?: Interval;
  invocationsPerMonth?: number;
  /** Warm samples a p99 interval needs at this confidence. */
  p99SamplesNeeded: number;
}

/**
 * The checks of one size, in a fixed order: cost-increase, p99-increase, cost-per-million, p99-ms,
 * monthly-increase, error-rate. Relative ones only with a baseline and their budget; absolute ones only with
 * their budget; the error rate always.
 *
 * @example
 * ```ts
 * buildChecks(input).map((check) => check.verdict) // e.g. ['fail', 'inconclusive', 'pass']
 * ```
 */
export function buildChecks(input: ChecksInput): CheckResult[] {
  const { budgets, hasBaseline } = input;
  const checks: CheckResult[] = [];
  if (hasBaseline && budgets.maxCostIncrease !== undefined) checks.push(costIncrease(input, budgets.maxCostIncrease));
  if (hasBaseline && budgets.maxP99Increase !== undefined) checks.push(p99Increase(input, budgets.maxP99Increase));
  if (budgets.maxCostPerMillionUsd !== undefined) checks.push(costPerMillion(input, budgets.maxCostPerMillionUsd));
  if (budgets.maxP99Ms !== undefined) checks.push(p99Ms(input, budgets.maxP99Ms));
  if (hasBaseline && input.invocationsPerMonth !== undefined && budgets.maxMonthlyIncreaseUsd !== undefined) {
    checks.push(monthlyIncrease(input, budgets.maxMonthlyIncreaseUsd));
  }
  checks.push(errorRate(input, budgets.maxErrorRate));
  return checks;
}

function unitName(input: ChecksInput): string {
  return input.costBasis === 'job' ? 'job' : 'invocation';
}

function costIncrease(input: ChecksInput, limit: number): CheckResult {
  const subject = `cost per ${unitName(input)}`;
  if (input.costChange === undefined) {
    return cannot('cost-increase', limit, `${subject} change ${costChangeMissing(input)}`);
  }
  return relative('cost-increase', limit, subject, input.costChange);
}

function p99Increase(input: ChecksInput, limit: number): CheckResult {
  if (input.p99Change !== undefined) return relative('p99-increase', limit, 'p99', input.p99Change);
  const { baseline, candidate, memoryMb, p99SamplesNeeded, confidence } = input;
  if (baseline === undefined) return cannot('p99-increase', limit, `p99 change ${baselineMissing(input)}`);
  const have = `${candidate.data.warmSorted.length} warm samples in the candidate and ${baseline.data.warmSorted.length} in the baseline`;
  return cannot(
    'p99-increase',
    limit,
    `p99 change cannot be estimated: ${have} at ${memoryMb} MB, ${p99SamplesNeeded} are needed on each side ` +
      `for a ${formatConfidence(confidence)} interval.`
  );
}

function costPerMillion(input: ChecksInput, limit: number): CheckResult {
  const subject = `cost per 1M ${unitName(input)}s`;
  const observed = input.candidate.estimate.figures.costPerMillionUsd;
  if (observed === null) {
    return cannot('cost-per-million', limit, `${subject} cannot be estimated: ${nothingBilled(input.memoryMb)}.`);
  }
  return absolute('cost-per-million', limit, `${subject} ${formatUsd(observed.estimate)}`, observed, formatUsd);
}

function p99Ms(input: ChecksInput, limit: number): CheckResult {
  const { candidate, memoryMb, p99SamplesNeeded, confidence } = input;
  const observed = candidate.estimate.figures.p99Ms;
  if (observed === null) {
    const warm = candidate.data.warmSorted.length;
    return cannot(
      'p99-ms',
      limit,
      `p99 cannot be estimated: ${warm} warm sample${warm === 1 ? '' : 's'} at ${memoryMb} MB, ` +
        `${p99SamplesNeeded} are needed for a ${formatConfidence(confidence)} interval.`
    );
  }
  const range = `(${formatConfidence(observed.confidence)} CI ${formatMsNumber(observed.lower)}–${formatMs(observed.upper)})`;
  return absoluteWith('p99-ms', limit, `p99 ${formatMs(observed.estimate)} ${range}`, observed, formatMs(limit));
}

function monthlyIncrease(input: ChecksInput, limit: number): CheckResult {
  const change = input.monthlyChange;
  if (change === undefined) {
    return cannot('monthly-increase', limit, `monthly bill change ${costChangeMissing(input)}`);
  }
  const verb = change.estimate > 0 ? 'rise by' : change.estimate < 0 ? 'fall by' : 'change by';
  const traffic = `at ${formatCount(input.invocationsPerMonth!)} invocations a month`;
  const sentence =
    `the monthly bill would ${verb} ${formatUsd(Math.abs(change.estimate))} ` +
    `${formatInterval(change, formatUsd, ' to ')} ${traffic}`;
  return relativeSentence('monthly-increase', limit, sentence, change, `${formatUsd(limit)} a month`);
}

function errorRate(input: ChecksInput, limit: number): CheckResult {
  const { errors, measured } = input.candidate.data;
  const observed = clopperPearson(errors, measured, input.confidence);
  const verdict = errorRateVerdict(observed, limit);
  const what =
    `error rate ${formatShare(observed.estimate)} (${errors} of ${measured} measured invocations failed; ` +
    `${formatConfidence(observed.confidence)} CI ${formatShare(observed.lower)} to ${formatShare(observed.upper)})`;
  const budget = `the ${formatShare(limit)} budget`;
  const ending =
    verdict === 'fail'
      ? `is beyond ${budget}.`
      : verdict === 'pass'
        ? `is within ${budget}.`
        : `is above ${budget}, but its interval reaches below it: more samples are needed to decide.`;
  return { budget: 'error-rate', limit, observed, verdict, reason: `${what} ${ending}` };
}

/** A relative change against a budget in percent: "p99 rose 18.2 % (95 % CI …), beyond the 10 % budget." */
function relative(budget: BudgetName, limit: number, subject: string, change: Interval): CheckResult {
  const size = formatChange(Math.abs(change.estimate)).slice(1);
  const moved = size === '0.0 %' ? 'did not change' : `${change.estimate > 0 ? 'rose' : 'fell'} ${size}`;
  const sentence = `${subject} ${moved} ${formatInterval(change, formatChange, ' to ')}`;
  return relativeSentence(budget, limit, sentence, change, formatShare(limit));
}

function relativeSentence(
  budget: BudgetName,
  limit: number,
  sentence: string,
  observed: Interval,
  limitText: string
): CheckResult {
  const verdict = judge(observed, limit);
  const ending = `${verdict === 'fail' ? 'beyond' : verdict === 'pass' ? 'within' : 'straddling'} the ${limitText} budget`;
  const advice = verdict === 'inconclusive' ? ': more samples are needed to decide' : '';
  return { budget, limit, observed, verdict, reason: `${sentence}, ${ending}${advice}.` };
}

/** An absolute figure against its budget: "cost per 1M invocations $2.08 (95 % CI …) is within the $3.00 budget." */
function absolute(
  budget: BudgetName,
  limit: number,
  subject: string,
  observed: Interval,
  format: (value: number) => string
): CheckResult {
  return absoluteWith(budget, limit, `${subject} ${formatInterval(observed, format)}`, observed, format(limit));
}

function absoluteWith(
  budget: BudgetName,
  limit: number,
  sentence: string,
  observed: Interval,
  limitText: string
): CheckResult {
  const verdict: CheckVerdict = judge(observed, limit);
  const ending =
    verdict === 'fail'
      ? `is beyond the ${limitText} budget.`
      : verdict === 'pass'
        ? `is within the ${limitText} budget.`
        : `straddles the ${limitText} budget: more samples are needed to decide.`;
  return { budget, limit, observed, verdict, reason: `${sentence} ${ending}` };
}

/** A check whose figure cannot be computed: inconclusive, never a pass by default. */
function cannot(budget: BudgetName, limit: number, reason: string): CheckResult {
  return { budget, limit, observed: null, verdict: 'inconclusive', reason };
}

/** Why a cost change is missing, as the end of "… change <this>". */
function costChangeMissing(input: ChecksInput): string {
  const { baseline, candidate, memoryMb } = input;
  if (baseline === undefined) return baselineMissing(input);
  if (candidate.estimate.meanCostUsd === undefined) {
    return `cannot be estimated: in the candidate, ${nothingBilled(memoryMb)}.`;
  }
  if (baseline.estimate.meanCostUsd === undefined) {
    return `cannot be estimated: in the baseline, ${nothingBilled(memoryMb)}.`;
  }
  return `cannot be estimated: the baseline's cost at ${memoryMb} MB is ${formatUsd(0)}, so no ratio exists.`;
}

function baselineMissing(input: ChecksInput): string {
  const measured =
    input.baselineSizes.length > 0 ? `it measured ${input.baselineSizes.join(', ')} MB` : 'it measured none';
  return `cannot be judged: the baseline has no measured invocations at ${input.memoryMb} MB (${measured}).`;
}

function nothingBilled(memoryMb: number): string {
  return `no measured invocation at ${memoryMb} MB was billed`;
}
