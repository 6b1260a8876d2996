/**
 * The one rule every budget check follows, and how verdicts combine.
 *
 * A check compares an interval with a limit that the figure must not exceed:
 * - fail when the whole interval lies beyond the limit (lower > limit): the regression is real at the
 *   stated confidence;
 * - pass when the whole interval lies within it (upper ≤ limit);
 * - inconclusive otherwise: the samples cannot tell, and more of them would.
 * The error rate is the one exception (see `errorRateVerdict`).
 */
import type { CheckVerdict, Interval, Verdict } from './types.js';

/**
 * Judges an interval against a limit by the rule in this module's header.
 *
 * @example
 * ```ts
 * judge({ estimate: 0.18, lower: 0.12, upper: 0.25, confidence: 0.95 }, 0.1) // 'fail'
 * judge({ estimate: 0.08, lower: 0.05, upper: 0.12, confidence: 0.95 }, 0.1) // 'inconclusive'
 * judge({ estimate: 0.02, lower: -0.01, upper: 0.05, confidence: 0.95 }, 0.1) // 'pass'
 * ```
 */
export function judge(interval: Interval, limit: number): CheckVerdict {
  if (interval.lower > limit) return 'fail';
  if (interval.upper <= limit) return 'pass';
  return 'inconclusive';
}

/**
 * The error rate's rule: fail when the whole interval lies beyond the limit; pass when the observed rate is
 * within it; inconclusive when the observed rate is above the limit but the interval reaches back under it.
 * Errors are not noise: a rate at or under the budget passes even if its interval reaches above, and a rate
 * above it never passes, however few samples there were.
 *
 * @example
 * ```ts
 * errorRateVerdict(clopperPearson(1, 300, 0.95), 0)    // 'fail'
 * errorRateVerdict(clopperPearson(2, 300, 0.95), 0.01) // 'pass'
 * errorRateVerdict(clopperPearson(4, 300, 0.95), 0.01) // 'inconclusive'
 * ```
 */
export function errorRateVerdict(interval: Interval, limit: number): CheckVerdict {
  if (interval.lower > limit) return 'fail';
  if (interval.estimate <= limit) return 'pass';
  return 'inconclusive';
}

const SEVERITY: Record<Verdict, number> = { skipped: 0, pass: 1, inconclusive: 2, fail: 3 };

/**
 * The worst of some verdicts: fail > inconclusive > pass > skipped; no verdicts at all is 'skipped'.
 *
 * @example
 * ```ts
 * worstVerdict(['pass', 'inconclusive', 'pass']) // 'inconclusive'
 * worstVerdict([])                               // 'skipped'
 * ```
 */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  let worst: Verdict = 'skipped';
  for (const verdict of verdicts) if (SEVERITY[verdict] > SEVERITY[worst]) worst = verdict;
  return worst;
}

/**
 * {@link worstVerdict} of check verdicts, which is itself a check verdict: pass for none.
 *
 * @example
 * ```ts
 * worstCheckVerdict(['pass', 'fail']) // 'fail'
 * ```
 */
export function worstCheckVerdict(verdicts: readonly CheckVerdict[]): CheckVerdict {
  const worst = worstVerdict(verdicts);
  return worst === 'skipped' ? 'pass' : worst;
}
