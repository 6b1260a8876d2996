/**
 * The right-size report in markdown: for the job summary, a pull-request comment or an issue body.
 * Sorted by savings; every name and message from AWS is escaped (src/report/markdown.ts). A table of
 * a thousand functions would pass GitHub's 65,536-character comment limit, so it shows the first
 * `maxRows` and points to the JSON report for the rest. Pure.
 */
import { details, escapeMarkdown, escapeTableCell, inlineCode, table } from '../report/markdown.js';
import type { ApplyResult } from './apply.js';
import type { FunctionReport, RightSizeReport } from './report.js';
import { ruleName, type Flag } from './rules.js';

/** Rows of the main table by default. */
export const DEFAULT_MARKDOWN_ROWS = 50;

const FLAG_TEXT: Record<Flag, string> = {
  'at-risk': '⚠️ at risk',
  'over-provisioned': 'over-provisioned',
  'oom-kills': 'OOM kills',
  timeouts: 'timeouts',
  'cpu-bound': 'CPU-bound',
  'insufficient-data': 'little data',
  'no-data': 'no data',
  'query-failed': 'query failed'
};

/**
 * USD with two decimals, or four significant digits below a cent so small functions do not all show $0.00.
 *
 * @example
 * ```ts
 * usd(1234.5)   // '$1,234.50'
 * usd(0.00123)  // '$0.00123'
 * usd(-3)       // '−$3.00'
 * ```
 */
export function usd(amount: number): string {
  const sign = amount < 0 ? '−' : '';
  const abs = Math.abs(amount);
  if (abs !== 0 && abs < 0.01) return `${sign}$${Number(abs.toPrecision(3))}`;
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

function row(f: FunctionReport): string[] {
  const rec = f.recommendation;
  const share =
    rec.usedShare === null ? '–' : `${Math.round(f.usage.peakMb ?? 0)} MB (${Math.round(rec.usedShare * 100)} %)`;
  return [
    inlineCode(f.function.name, { table: true }),
    `${f.function.memoryMb} MB`,
    rec.memoryMb === null ? '–' : `**${rec.memoryMb} MB**`,
    escapeTableCell(ruleName(rec.rule)) + (rec.confident || rec.memoryMb === null ? '' : ' (not confident)'),
    share,
    escapeTableCell(rec.flags.map((flag) => FLAG_TEXT[flag]).join(', ')),
    f.cost ? count(f.cost.monthlyInvocations) : '–',
    f.cost ? usd(f.cost.nowUsd) : '–',
    f.cost ? usd(f.cost.recommendedUsd) : '–',
    f.cost ? usd(f.cost.savingsUsd) : '–'
  ];
}

/** Changes made or to make first, then failures, then what was skipped. */
const APPLY_ORDER: Record<ApplyResult['status'], number> = { applied: 0, 'would-apply': 0, failed: 1, skipped: 2 };

function applyLines(enabled: boolean, results: readonly ApplyResult[], maxRows: number): string[] {
  if (results.length === 0) return [];
  const title = enabled ? 'Applied changes' : 'Changes a run with `apply: true` would make (dry run)';
  const shown = [...results].sort((a, b) => APPLY_ORDER[a.status] - APPLY_ORDER[b.status]).slice(0, maxRows);
  const rows = shown.map((r) => [
    inlineCode(r.name, { table: true }),
    `${r.fromMb} MB → ${r.toMb} MB` + (r.toMb === r.recommendedMb ? '' : ` (recommended ${r.recommendedMb} MB)`),
    r.status,
    escapeTableCell(r.reason)
  ]);
  const more = results.length - shown.length;
  return [
    '',
    `### ${title}`,
    '',
    ...table(['Function', 'Memory', 'Status', 'Why'], rows),
    ...(more > 0 ? ['', `${count(more)} more in the JSON report.`] : [])
  ];
}

/**
 * @example
 * ```ts
 * renderRightSizeMarkdown(report).split('\n')[0]
 * // '## Lambda right-size: 1,000 functions, $812.40 a month to save'
 * ```
 */
export function renderRightSizeMarkdown(report: RightSizeReport, maxRows = DEFAULT_MARKDOWN_ROWS): string {
  const t = report.totals;
  const lines = [
    `## Lambda right-size: ${count(t.functions)} functions, ${usd(t.monthlySavingsUsd)} a month to save`,
    '',
    `From ${report.window.days} days of REPORT records (${report.window.start.slice(0, 10)} to ` +
      `${report.window.end.slice(0, 10)}, UTC) in ${escapeMarkdown(report.region)}: ` +
      `${count(t.withData)} functions ran, ${count(t.atRisk)} at risk, ${count(t.overProvisioned)} over-provisioned, ` +
      `${count(t.confident)} confident recommendations.`,
    '',
    `Monthly cost now ${usd(t.monthlyNowUsd)}, at the recommendations ${usd(t.monthlyRecommendedUsd)}, ` +
      `savings ${usd(t.monthlySavingsUsd)} (30-day months, from the invocations seen).`,
    ''
  ];
  const shown = report.functions.slice(0, maxRows);
  lines.push(
    ...table(
      [
        'Function',
        'Now',
        'Recommended',
        'Decided by',
        'Peak used',
        'Flags',
        'Invocations/mo',
        'Cost now/mo',
        'Cost then/mo',
        'Savings/mo'
      ],
      shown.map(row),
      ['left', 'right', 'right', 'left', 'right', 'left', 'right', 'right', 'right', 'right']
    )
  );
  if (report.functions.length > shown.length) {
    lines.push('', `${count(report.functions.length - shown.length)} more functions are in the JSON report.`);
  }
  const atRisk = report.functions.filter((f) => f.recommendation.flags.includes('at-risk'));
  if (atRisk.length > 0) {
    lines.push('', '### At risk', '');
    for (const f of atRisk.slice(0, maxRows)) {
      lines.push(`- ${inlineCode(f.function.name)}: ${escapeMarkdown(f.recommendation.reason)}`);
    }
  }
  lines.push(...applyLines(report.apply.enabled, report.apply.results, maxRows));
  const notes = [
    ...report.warnings.map((w) => `- ${escapeMarkdown(w)}`),
    ...(report.missing.length > 0 ? [`- Not found: ${report.missing.map((name) => inlineCode(name)).join(', ')}`] : []),
    `- Queries: ${report.queries.issued} Logs Insights queries, at most ${report.queries.peakConcurrent} at once` +
      `${report.queries.splits > 0 ? `, ${report.queries.splits} batches split` : ''}.`,
    `- Prices: ${escapeMarkdown(report.pricing.source)}.`,
    '- Memory changes apply to `$LATEST`: functions invoked through an alias or version need a new version to pick them up.'
  ];
  lines.push('', ...details('Notes', notes));
  return `${lines.join('\n')}\n`;
}
