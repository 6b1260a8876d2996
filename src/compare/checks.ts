/**
 * The budget checks of one size: which run, what each measures, and its one-sentence reason.
 *
 * Every check but the error rate is judged by `judge` (verdict.ts): fail when the whole interval lies beyond
 * the limit, pass when it lies within, inconclusive otherwise. A figure that cannot be estimated (a p99 from
 * too few samples, a size the baseline did not measure, nothing billed) makes its check inconclusive, with a
 * reason that says what is missing.
 */
import type { SideData, SideEstimate } from './side-figures.js';
import { formatConfidence, formatUsd } from './format.js';
import {
  absoluteCheck,
  cannotCheck,
  errorRateCheck,
  monthlyCheck,
  p99MsCheck,
  relativeCheck
} from './check-sentences.js';
import type { Budgets, CheckResult, Interval } from './types.js';

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
    return cannotCheck('cost-increase', limit, `${subject} change ${costChangeMissing(input)}`);
  }
  return relativeCheck('cost-increase', limit, subject, input.costChange);
}

function p99Increase(input: ChecksInput, limit: number): CheckResult {
  if (input.p99Change !== undefined) return relativeCheck('p99-increase', limit, 'p99', input.p99Change);
  const { baseline, candidate, memoryMb, p99SamplesNeeded, confidence } = input;
  if (baseline === undefined) return cannotCheck('p99-increase', limit, `p99 change ${baselineMissing(input)}`);
  const have = `${candidate.data.warmSorted.length} warm samples in the candidate and ${baseline.data.warmSorted.length} in the baseline`;
  return cannotCheck(
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
    return cannotCheck('cost-per-million', limit, `${subject} cannot be estimated: ${nothingBilled(input.memoryMb)}.`);
  }
  return absoluteCheck('cost-per-million', limit, `${subject} ${formatUsd(observed.estimate)}`, observed, formatUsd);
}

function p99Ms(input: ChecksInput, limit: number): CheckResult {
  const { candidate, memoryMb, p99SamplesNeeded, confidence } = input;
  const observed = candidate.estimate.figures.p99Ms;
  if (observed === null) {
    const warm = candidate.data.warmSorted.length;
    return cannotCheck(
      'p99-ms',
      limit,
      `p99 cannot be estimated: ${warm} warm sample${warm === 1 ? '' : 's'} at ${memoryMb} MB, ` +
        `${p99SamplesNeeded} are needed for a ${formatConfidence(confidence)} interval.`
    );
  }
  return p99MsCheck(observed, limit);
}

function monthlyIncrease(input: ChecksInput, limit: number): CheckResult {
  const change = input.monthlyChange;
  if (change === undefined) {
    return cannotCheck('monthly-increase', limit, `monthly bill change ${costChangeMissing(input)}`);
  }
  return monthlyCheck(change, limit, input.invocationsPerMonth!);
}

function errorRate(input: ChecksInput, limit: number): CheckResult {
  return errorRateCheck(input.candidate.data.errors, input.candidate.data.measured, limit, input.confidence);
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
