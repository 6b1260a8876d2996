/**
 * The first lines of a function's comment: the verdict in one sentence, and where the baseline came from.
 * A reader should know within ten seconds whether the pull request is fine and why. Pure.
 */
import type { CheckResult, SizeComparison, Verdict } from '../compare/types.js';
import type { BaselineSource, FunctionOutcome, GateOutcome } from '../gate/types.js';
import {
  BUDGET_LABEL,
  clip,
  formatAge,
  formatLimit,
  formatObserved,
  listSizes,
  plural,
  shortSha,
  signedPercent,
  VERDICT_LABEL
} from './comment-format.js';
import { escapeMarkdown, inlineCode, link } from './markdown.js';

/**
 * One function's verdict as the comment shows it. A function with no gated size, or a run the gate skipped
 * as a whole, is skipped; otherwise its comparison decides.
 *
 * @example
 * ```ts
 * functionVerdict(outcome, outcome.functions[0]) // 'fail'
 * ```
 */
export function functionVerdict(outcome: GateOutcome, fn: FunctionOutcome): Verdict {
  if (outcome.verdict === 'skipped' || fn.comparison.sizes.length === 0) return 'skipped';
  return fn.comparison.verdict;
}

/** True when the override label turns this function's failure into an accepted regression. */
export function isAccepted(outcome: GateOutcome, fn: FunctionOutcome): boolean {
  return outcome.mode === 'compare' && outcome.override !== undefined && functionVerdict(outcome, fn) === 'fail';
}

/**
 * The headline: emoji, bold verdict word, function name and one sentence.
 *
 * @example
 * ```ts
 * renderHeadline(outcome, fn)
 * // '❌ **Fail** · `my-fn`: p99 +18.2 % at 1024 MB (budget +10 %)'
 * ```
 */
export function renderHeadline(outcome: GateOutcome, fn: FunctionOutcome): string {
  const name = inlineCode(clip(fn.functionName, 200));
  if (outcome.mode === 'baseline') {
    const commit = fn.report.git?.commit;
    const at = commit === undefined ? '' : ` at commit ${inlineCode(shortSha(commit))}`;
    return `📏 **Baseline recorded** · ${name}: ${plural(fn.report.sizes.length, 'size')} measured${at}; later pull requests are compared with it.`;
  }
  const verdict = functionVerdict(outcome, fn);
  const { emoji, word } = VERDICT_LABEL[verdict];
  if (verdict === 'skipped') return `${emoji} **${word}** · ${name}: no memory size was gated, so nothing was judged.`;
  const sizes = fn.comparison.sizes;
  const failed = checksWith(sizes, 'fail');
  const undecided = checksWith(sizes, 'inconclusive');
  // A verdict no check explains (a comparison built by hand, say) still gets a headline, not a crash.
  if ((verdict === 'fail' && failed.length === 0) || (verdict === 'inconclusive' && undecided.length === 0)) {
    return `${emoji} **${word}** · ${name}: see the checks below.`;
  }
  if (verdict === 'fail') {
    const first = failed[0]!;
    const more = failed.length > 1 ? `; ${plural(failed.length - 1, 'more check')} failed` : '';
    const fact = `${checkFact(first.check, first.size)}${more}`;
    if (outcome.override !== undefined) {
      return `☑️ **Regression accepted** with label ${inlineCode(clip(outcome.override.label, 200))} · ${name}: ${fact}.`;
    }
    return `${emoji} **${word}** · ${name}: ${fact}.`;
  }
  if (verdict === 'inconclusive') {
    const { check, size } = undecided[0]!;
    const decide =
      check.observed === null
        ? `the ${BUDGET_LABEL[check.budget]} budget at ${size.memoryMb} MB: ${escapeMarkdown(clip(check.reason).replace(/[.\s]+$/, ''))}`
        : `${checkFact(check, size, true)}`;
    return `${emoji} **${word}** · ${name}: the samples cannot decide ${decide}.`;
  }
  const gated = listSizes(sizes.map((s) => s.memoryMb));
  if (!fn.comparison.hasBaseline) {
    return `${emoji} **${word}** · ${name}: within the absolute budgets at ${gated}; there was no baseline to compare with.`;
  }
  const only = sizes.length === 1 ? sizes[0]! : undefined;
  const changes = only === undefined ? [] : changeFacts(only);
  return `${emoji} **${word}** · ${name}: within every budget at ${gated}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}.`;
}

function checksWith(
  sizes: SizeComparison[],
  verdict: 'fail' | 'inconclusive'
): Array<{ check: CheckResult; size: SizeComparison }> {
  return sizes.flatMap((size) => size.checks.filter((c) => c.verdict === verdict).map((check) => ({ check, size })));
}

/** "p99 +18.2 % at 1024 MB (budget +10 %)", the interval included when asked. */
function checkFact(check: CheckResult, size: SizeComparison, withInterval = false): string {
  const perJob = size.costBasis === 'job';
  const subject: Record<CheckResult['budget'], string> = {
    'cost-increase': perJob ? 'cost per job' : 'cost per invocation',
    'p99-increase': 'p99',
    'cost-per-million': perJob ? 'cost per 1M jobs' : 'cost per 1M invocations',
    'p99-ms': 'p99',
    'error-rate': 'error rate',
    'monthly-increase': 'monthly bill'
  };
  const observed = check.observed === null ? 'cannot be estimated' : formatObserved(check, withInterval);
  return `${subject[check.budget]} ${observed} at ${size.memoryMb} MB (budget ${formatLimit(check)})`;
}

function changeFacts(size: SizeComparison): string[] {
  return [
    ...(size.p99Change ? [`p99 ${signedPercent(size.p99Change.estimate)}`] : []),
    ...(size.costChange ? [`cost ${signedPercent(size.costChange.estimate)}`] : [])
  ];
}

/**
 * Where the baseline came from, in one or two sentences. Baseline mode has none to describe.
 *
 * @example
 * ```ts
 * renderBaselineSource({ kind: 'live', qualifier: 'prod' }, 'pass', now)
 * // 'Baseline: measured side by side with qualifier `prod` in this run.'
 * ```
 */
export function renderBaselineSource(source: BaselineSource, verdict: Verdict, now: Date): string {
  const note = source.note === undefined || source.note.trim() === '' ? '' : ` ${escapeMarkdown(clip(source.note))}`;
  const age = formatAge(source.measuredAt, now);
  const commit = source.commit === undefined ? '' : ` of commit ${inlineCode(clip(shortSha(source.commit), 100))}`;
  const ageText = age === undefined ? '' : `, ${age}`;
  switch (source.kind) {
    case 'artifact': {
      const run = source.runId === undefined ? '' : ` from ${link(`run ${source.runId}`, source.runUrl)}`;
      return `Baseline: the stored report${commit}${run}${ageText}.${note}`;
    }
    case 'file': {
      const path = source.path === undefined ? 'a baseline file' : `the baseline file ${inlineCode(clip(source.path))}`;
      return `Baseline: ${path}${commit}${ageText}.${note}`;
    }
    case 'live': {
      const qualifier =
        source.qualifier === undefined ? '' : ` with qualifier ${inlineCode(clip(source.qualifier, 200))}`;
      return `Baseline: measured side by side${qualifier} in this run.${note}`;
    }
    case 'none': {
      const consequence =
        verdict === 'fail' || verdict === 'inconclusive'
          ? 'Without one, only the absolute budgets were judged.'
          : verdict === 'pass'
            ? 'Without one there is nothing to compare with, so the check passes; the relative budgets apply once a baseline exists.'
            : 'Without one there is nothing to compare with.';
      return `No baseline.${note} ${consequence}`;
    }
  }
}
