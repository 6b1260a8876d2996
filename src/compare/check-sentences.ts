/**
 * One budget check from an interval: its verdict by the rule in verdict.ts and its one-sentence reason. The
 * comparison (checks.ts) and the sequential stopping rule (src/decision) both build their checks here, so a
 * check reads the same in a pull-request comment whichever of them judged it.
 */
import { clopperPearson } from './binomial.js';
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
import type { BudgetName, CheckResult, CheckVerdict, Interval } from './types.js';
import { errorRateVerdict, judge } from './verdict.js';

/**
 * A relative change against a budget in percent.
 *
 * @example
 * ```ts
 * relativeCheck('p99-increase', 0.1, 'p99', { estimate: 0.182, lower: 0.12, upper: 0.251, confidence: 0.95 }).reason
 * // 'p99 rose 18.2 % (95 % CI +12.0 % to +25.1 %), beyond the 10 % budget.'
 * ```
 */
export function relativeCheck(budget: BudgetName, limit: number, subject: string, change: Interval): CheckResult {
  const size = formatChange(Math.abs(change.estimate)).slice(1);
  const moved = size === '0.0 %' ? 'did not change' : `${change.estimate > 0 ? 'rose' : 'fell'} ${size}`;
  const sentence = `${subject} ${moved} ${formatInterval(change, formatChange, ' to ')}`;
  return relativeSentence(budget, limit, sentence, change, formatShare(limit));
}

/**
 * The monthly bill's change in USD against its budget.
 *
 * @example
 * ```ts
 * monthlyCheck({ estimate: 3.1, lower: 2.2, upper: 4.0, confidence: 0.95 }, 1, 10_000_000).verdict // 'fail'
 * ```
 */
export function monthlyCheck(change: Interval, limit: number, invocationsPerMonth: number): CheckResult {
  const verb = change.estimate > 0 ? 'rise by' : change.estimate < 0 ? 'fall by' : 'change by';
  const traffic = `at ${formatCount(invocationsPerMonth)} invocations a month`;
  const sentence =
    `the monthly bill would ${verb} ${formatUsd(Math.abs(change.estimate))} ` +
    `${formatInterval(change, formatUsd, ' to ')} ${traffic}`;
  return relativeSentence('monthly-increase', limit, sentence, change, `${formatUsd(limit)} a month`);
}

/**
 * An absolute figure against its budget: "cost per 1M invocations $2.08 (95 % CI …) is within the $3.00 budget."
 *
 * @example
 * ```ts
 * absoluteCheck('cost-per-million', 3, 'cost per 1M invocations $2.08', interval, formatUsd).verdict // 'pass'
 * ```
 */
export function absoluteCheck(
  budget: BudgetName,
  limit: number,
  subject: string,
  observed: Interval,
  format: (value: number) => string
): CheckResult {
  return absoluteWith(budget, limit, `${subject} ${formatInterval(observed, format)}`, observed, format(limit));
}

/**
 * The candidate's p99 in ms against its budget.
 *
 * @example
 * ```ts
 * p99MsCheck({ estimate: 120, lower: 112, upper: 131, confidence: 0.95 }, 100).reason
 * // 'p99 120 ms (95 % CI 112–131 ms) is beyond the 100 ms budget.'
 * ```
 */
export function p99MsCheck(observed: Interval, limit: number): CheckResult {
  const range = `(${formatConfidence(observed.confidence)} CI ${formatMsNumber(observed.lower)}–${formatMs(observed.upper)})`;
  return absoluteWith('p99-ms', limit, `p99 ${formatMs(observed.estimate)} ${range}`, observed, formatMs(limit));
}

/**
 * The error rate against its budget, by `errorRateVerdict` on the Clopper–Pearson interval.
 *
 * @example
 * ```ts
 * errorRateCheck(0, 300, 0.01, 0.95).verdict // 'pass'
 * errorRateCheck(1, 300, 0, 0.95).verdict    // 'fail'
 * ```
 */
export function errorRateCheck(errors: number, measured: number, limit: number, confidence: number): CheckResult {
  const observed = clopperPearson(errors, measured, confidence);
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

/**
 * A check whose figure cannot be computed: inconclusive, never a pass by default.
 *
 * @example
 * ```ts
 * cannotCheck('p99-ms', 100, 'p99 cannot be estimated: …').verdict // 'inconclusive'
 * ```
 */
export function cannotCheck(budget: BudgetName, limit: number, reason: string): CheckResult {
  return { budget, limit, observed: null, verdict: 'inconclusive', reason };
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
