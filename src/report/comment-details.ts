/**
 * The collapsed `<details>` sections of a function's comment: the checks and their reasons, the plan, what
 * the sweep cost and the prices used, cold starts, sizes the recommendation left out, and the warnings.
 * They are the first thing cut when the comment would be too long, item by item. Pure.
 */
import type { SideFigures } from '../compare/types.js';
import type { FunctionOutcome } from '../gate/types.js';
import {
  BUDGET_LABEL,
  clip,
  formatLimit,
  formatMs,
  formatObserved,
  formatUsd,
  money,
  msInterval,
  plainPercent,
  plural,
  VERDICT_LABEL
} from './comment-format.js';
import { details, escapeMarkdown, inlineCode, table } from './markdown.js';

/** One `<details>` block: lines that always come with it (`head`) and items that may be cut from the end. */
export interface DetailSection {
  summary: string;
  head: string[];
  items: string[];
}

/**
 * The sections of one function, in the order they are shown (and kept when the comment must be cut).
 * `judged: false` (baseline mode) leaves the checks out.
 *
 * @example
 * ```ts
 * detailSections(fn).map((s) => s.summary) // ['Checks: 5 passed, 1 failed', 'Plan', …]
 * ```
 */
export function detailSections(fn: FunctionOutcome, judged = true): DetailSection[] {
  const { report } = fn;
  const sections: DetailSection[] = [];
  const checks = fn.comparison.sizes.flatMap((size) => size.checks.map((check) => ({ check, size })));
  if (judged && fn.comparison.sizes.length > 0) {
    const counts = (['pass', 'fail', 'inconclusive'] as const)
      .map((v) => [v, checks.filter((c) => c.check.verdict === v).length] as const)
      .filter(([, n]) => n > 0)
      .map(([v, n]) => `${n} ${v === 'pass' ? 'passed' : v === 'fail' ? 'failed' : 'inconclusive'}`);
    sections.push({
      summary: `Checks${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`,
      head: [],
      items: [
        ...checks.map(
          ({ check, size }) =>
            `- ${VERDICT_LABEL[check.verdict].emoji} **${BUDGET_LABEL[check.budget]}** at ${size.memoryMb} MB: ${formatObserved(check, true)} against ${formatLimit(check)}. ${escapeMarkdown(clip(check.reason))}`
        ),
        ...fn.comparison.sizes.map(
          (size) =>
            `- At ${size.memoryMb} MB, this PR: ${sideText(size.candidate)}; baseline: ${size.baseline ? sideText(size.baseline) : 'none'}`
        )
      ]
    });
  }
  const { plan, pricing, function: target } = report;
  const jobs = plan.jobsPerInvocation;
  sections.push({
    summary: 'Plan',
    head: [],
    items: [
      `- Sizes swept: ${plan.memorySizes.join(', ')} MB`,
      `- ${plural(plan.invocations, 'measured invocation')} per size after ${plural(plan.warmup, 'warm-up')}, ${plan.concurrency} in flight at once`,
      `- ${plural(plan.payloadCount, 'payload')}${jobs === undefined ? '' : jobs.kind === 'fixed' ? `; ${jobs.count} jobs per invocation` : `; jobs read from the response at ${inlineCode(jobs.path)}`}`,
      `- Strategy ${plan.strategy}${plan.strategy === 'balanced' ? ` (cost weight ${plan.balancedWeight})` : ''}; confidence ${plainPercent(plan.confidence)}`,
      `- Function: ${escapeMarkdown(target.runtime)}, ${target.architecture}, ${escapeMarkdown(target.region)}, ${target.deployMode}; code ${inlineCode(target.codeSha256)}`
    ]
  });
  sections.push({
    summary: 'Cost of this run and prices',
    head: [],
    items: [
      `- The sweep made ${plural(report.sweepCost.invocations, 'invocation')} costing ${formatUsd(report.sweepCost.usd)}.`,
      `- Prices of ${escapeMarkdown(pricing.region)} (${pricing.architecture}) read on ${escapeMarkdown(pricing.readOn)} from ${escapeMarkdown(clip(pricing.source))}: ${decimal(pricing.gbSecondUsd)} USD per GB-second, ${money(pricing.requestUsd * 1_000_000)} USD per 1M requests.`
    ]
  });
  const [header, rule] = table(
    ['Memory', 'Cold starts', 'Of them measured', 'Init p50'],
    [],
    ['left', 'right', 'right', 'right']
  );
  sections.push({
    summary: 'Cold starts',
    head: [header!, rule!],
    items: report.sizes.map(
      (s) =>
        `| ${s.memoryMb} MB | ${s.coldStarts} | ${s.measuredColdStarts} | ${s.init ? formatMs(s.init.p50.value) : '—'} |`
    )
  });
  if (report.recommendation.excluded.length > 0) {
    sections.push({
      summary: 'Sizes not considered for the recommendation',
      head: [],
      items: report.recommendation.excluded.map((e) => `- ${e.memoryMb} MB: ${escapeMarkdown(clip(e.reason))}`)
    });
  }
  if (report.warnings.length > 0) {
    sections.push({
      summary: `Warnings (${report.warnings.length})`,
      head: [],
      items: report.warnings.map((w) => `- ${escapeMarkdown(clip(w))}`)
    });
  }
  return sections;
}

/** A price in plain decimal notation, all its digits kept (String(2e-7) would print an exponent). */
function decimal(value: number): string {
  return value.toFixed(12).replace(/\.?0+$/, '');
}

function sideText(side: SideFigures): string {
  const p99 =
    side.p99Ms !== null
      ? msInterval(side.p99Ms)
      : side.p99SamplesNeeded !== undefined
        ? `n/a (needs ${side.p99SamplesNeeded})`
        : 'n/a';
  const cost = side.costPerMillionUsd === null ? 'unpriced' : `${formatUsd(side.costPerMillionUsd.estimate)} per 1M`;
  const successes = `${side.samples.toLocaleString('en-US')} warm ${side.samples === 1 ? 'success' : 'successes'}`;
  return `${successes}, p99 ${p99}, ${cost}, ${side.errors} of ${side.measured} failed`;
}

/**
 * The sections as markdown lines within `budget` characters. Items are added in order until the next one
 * would not fit; then `note` (e.g. "… truncated, see the JSON report") closes the cut section and nothing
 * after it is shown. `budget: Infinity` renders everything.
 *
 * @example
 * ```ts
 * fitDetails(detailSections(fn), 20_000, '_… truncated, see the JSON report_')
 * ```
 */
export function fitDetails(sections: DetailSection[], budget: number, note: string): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  const size = (block: string[]): number => block.reduce((n, line) => n + line.length + 1, 0);
  for (const section of sections) {
    // Sections are separated by a blank line so that each `<details>` starts an HTML block of its own.
    const gap = lines.length > 0 ? [''] : [];
    const used = size(lines) + size(gap);
    let rest = budget - used - size(details(section.summary, [...section.head, '', note]));
    if (rest < 0) return { lines: [...lines, ...gap, note], cut: true };
    const kept: string[] = [];
    for (const item of section.items) {
      rest -= item.length + 1;
      if (rest < 0) break;
      kept.push(item);
    }
    const cut = kept.length < section.items.length;
    // The blank line keeps the note out of the list item or table row before it.
    lines.push(...gap, ...details(section.summary, [...section.head, ...kept, ...(cut ? ['', note] : [])]));
    if (cut) return { lines, cut: true };
  }
  return { lines, cut: false };
}
