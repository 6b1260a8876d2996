/**
 * The pull-request comment (one per function) and the job summary (every function), as GitHub markdown.
 * Pure: the caller posts, updates and writes them.
 *
 * Order, so a reader has the answer in ten seconds: the verdict in one sentence, where the baseline came
 * from, the per-size table, the monthly bill, the recommendation, charts, then collapsed details and a footer.
 *
 * GitHub refuses a comment over 65,536 characters. When one would be longer, the details are cut first (with
 * a visible note pointing to the JSON report), then the table rows of sizes that were not gated; the headline,
 * the verdict, the table header and the gated rows always stay.
 */
import type { FunctionOutcome, GateOutcome, RunContext } from '../gate/types.js';
import { VERSION } from '../version.js';
import { renderCharts } from './chart.js';
import { renderGridSection } from './comment-grid.js';
import { renderFitted, renderSampling } from './comment-sampling.js';
import { detailSections, fitDetails, type DetailSection } from './comment-details.js';
import { clip, listSizes, plural, shortSha, VERDICT_LABEL } from './comment-format.js';
import { functionVerdict, isAccepted, renderBaselineSource, renderHeadline } from './comment-headline.js';
import {
  costBasisOf,
  renderMonthly,
  renderRecommendation,
  renderTable,
  tableRows,
  type TableRow
} from './comment-sections.js';
import { escapeMarkdown, inlineCode, link, safeUrl, table } from './markdown.js';

/** The longest comment body GitHub accepts. */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * What the job summary may take in total. GitHub caps a step's summary at 1 MiB of UTF-8; escaped text can
 * take 3 bytes a character (the zero-width spaces), so a third of that, less room for the overview.
 */
export const MAX_SUMMARY_CHARS = 330_000;

/** Notices shown at most; the rest are counted. */
const MAX_NOTICES = 10;

/** The parts of one function's body, kept apart so that the cut can shorten the right ones. */
interface FunctionParts {
  top: string[];
  rows: TableRow[];
  table: (rows: TableRow[], omitted: number) => string[];
  middle: string[][];
  charts: string[];
  sections: DetailSection[];
  note: string;
}

/**
 * One function's pull-request comment; `marker` (a hidden HTML comment that finds the comment again) is its
 * first line, verbatim. Never longer than {@link MAX_COMMENT_CHARS}.
 *
 * @example
 * ```ts
 * const body = renderFunctionComment({ marker: '<!-- lambda-cost-gate:my-fn -->', outcome, fn, run, now: new Date() });
 * // '<!-- lambda-cost-gate:my-fn -->\n❌ **Fail** · `my-fn`: p99 +18.2 % at 1024 MB (budget +10 %).\n…'
 * ```
 */
export function renderFunctionComment(input: {
  marker: string;
  outcome: GateOutcome;
  fn: FunctionOutcome;
  run: RunContext;
  now: Date;
}): string {
  const { marker, outcome, fn, run, now } = input;
  const footer = renderFooter(run, fn.report.git?.commit, now);
  const limit = MAX_COMMENT_CHARS - marker.length - footer.length - 4;
  return `${marker}\n${fitFunction(functionParts(outcome, fn, now, true), limit)}\n\n${footer}`;
}

/**
 * The job summary: an overview of every function, then each function's section as its comment shows it.
 *
 * @example
 * ```ts
 * await core.summary.addRaw(renderJobSummary(outcome, run, new Date())).write();
 * ```
 */
export function renderJobSummary(outcome: GateOutcome, run: RunContext, now: Date): string {
  const count = outcome.functions.length;
  const perFunction = Math.min(MAX_COMMENT_CHARS, Math.floor(MAX_SUMMARY_CHARS / Math.max(1, count)));
  const lines = [`## ${overallTitle(outcome)}`, '', overallSentence(outcome)];
  // In a comment the notices sit under each function; here they are said once, for the whole run.
  const notices = renderNotices(outcome.notices);
  if (notices.length > 0) lines.push('', ...notices);
  if (count > 0) {
    const rows = outcome.functions.map((fn) => [
      inlineCode(clip(fn.functionName, 200), { table: true }),
      verdictText(outcome, fn),
      fn.comparison.sizes.length === 0 ? '—' : listSizes(fn.comparison.sizes.map((s) => s.memoryMb)),
      outcome.mode === 'baseline' ? '—' : baselineKind(fn)
    ]);
    lines.push('', ...table(['Function', 'Verdict', 'Gated sizes', 'Baseline'], rows));
  }
  for (const fn of outcome.functions) {
    lines.push('', '---', '', `### ${inlineCode(clip(fn.functionName, 200))}`, '');
    lines.push(fitFunction(functionParts(outcome, fn, now, false), perFunction));
  }
  lines.push('', renderFooter(run, undefined, now));
  return lines.join('\n');
}

function functionParts(outcome: GateOutcome, fn: FunctionOutcome, now: Date, withNotices: boolean): FunctionParts {
  const verdict = functionVerdict(outcome, fn);
  const top = [renderHeadline(outcome, fn)];
  if (outcome.mode === 'compare') top.push('', renderBaselineSource(fn.baseline, verdict, now));
  const notices = withNotices ? renderNotices(outcome.notices) : [];
  if (notices.length > 0) top.push('', ...notices);
  const monthly = renderMonthly(fn);
  const path = fn.reportPath === undefined ? '' : ` (${inlineCode(clip(fn.reportPath))})`;
  return {
    top,
    rows: tableRows(fn, outcome.mode === 'baseline' ? 'none' : isAccepted(outcome, fn) ? 'accepted' : 'judged'),
    table: (rows, omitted) => renderTable(fn, rows, omitted),
    middle: [
      renderSampling(fn),
      monthly,
      renderRecommendation(fn),
      renderFitted(fn),
      fn.report.grid ? [renderGridSection(fn.report.grid)] : []
    ],
    charts: renderCharts(fn.report, costBasisOf(fn)),
    sections: detailSections(fn, outcome.mode === 'compare'),
    note: `**… truncated, see the JSON report${path}.**`
  };
}

/**
 * The function's markdown within `limit` characters: everything if it fits; else the details cut to fit;
 * else no details and only as many non-gated rows as fit; as a last resort (huge notices) a hard cut.
 */
function fitFunction(parts: FunctionParts, limit: number): string {
  const compose = (rows: TableRow[], omitted: number, details: string[], charts: boolean): string =>
    [parts.top, parts.table(rows, omitted), ...parts.middle, charts ? parts.charts : [], details]
      .filter((block) => block.length > 0)
      .map((block) => block.join('\n'))
      .join('\n\n');
  const full = compose(parts.rows, 0, fitDetails(parts.sections, Infinity, parts.note).lines, true);
  if (full.length <= limit) return full;
  // The charts only redraw the table: when the table itself is at stake they go before any row does.
  for (const charts of [true, false]) {
    const bare = compose(parts.rows, 0, [], charts);
    if (bare.length + parts.note.length + 2 <= limit) {
      return compose(parts.rows, 0, fitDetails(parts.sections, limit - bare.length - 2, parts.note).lines, charts);
    }
  }
  const gated = parts.rows.filter((row) => row.gated);
  const ungated = parts.rows.filter((row) => !row.gated);
  const base = compose(gated, ungated.length, [parts.note], false);
  if (base.length <= limit) {
    // Every row costs its line; the "… more sizes" row is already counted in `base`.
    let room = limit - base.length;
    const kept = new Set<TableRow>(gated);
    for (const row of ungated) {
      room -= row.cells.join(' | ').length + 5;
      if (room < 0) break;
      kept.add(row);
    }
    const rows = parts.rows.filter((row) => kept.has(row));
    const text = compose(rows, parts.rows.length - rows.length, [parts.note], false);
    return text.length <= limit ? text : base;
  }
  // Only when the gated rows alone are too many: cut at a line, the headline and the table header first.
  const cut = base.slice(0, Math.max(0, limit - parts.note.length - 2));
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}\n\n${parts.note}`;
}

function renderNotices(notices: string[]): string[] {
  const shown = notices.slice(0, MAX_NOTICES).map((notice) => `> ℹ️ ${escapeMarkdown(clip(notice))}`);
  const more =
    notices.length > MAX_NOTICES
      ? [`> … and ${plural(notices.length - MAX_NOTICES, 'more notice')} in the job log`]
      : [];
  // One quote line per notice; `>` on the blank line between keeps them one quote block.
  return [...shown, ...more].flatMap((line, i) => (i === 0 ? [line] : ['>', line]));
}

function overallTitle(outcome: GateOutcome): string {
  if (outcome.mode === 'baseline') return '📏 Lambda cost gate: baseline recorded';
  if (outcome.override !== undefined && outcome.verdict === 'fail') {
    return `☑️ Lambda cost gate: regression accepted with label ${inlineCode(clip(outcome.override.label, 200))}`;
  }
  const { emoji, word } = VERDICT_LABEL[outcome.verdict];
  return `${emoji} Lambda cost gate: ${word}`;
}

const PAST = { fail: 'failed', inconclusive: 'inconclusive', pass: 'passed', skipped: 'skipped' } as const;

function overallSentence(outcome: GateOutcome): string {
  const total = outcome.functions.length;
  if (total === 0) return 'No function was measured.';
  if (outcome.mode === 'baseline') return `Recorded the baseline of ${plural(total, 'function')}.`;
  const counts = (['fail', 'inconclusive', 'pass', 'skipped'] as const)
    .map(
      (verdict) => [verdict, outcome.functions.filter((fn) => functionVerdict(outcome, fn) === verdict).length] as const
    )
    .filter(([, n]) => n > 0)
    .map(([verdict, n]) => `${n} ${verdict === 'fail' && outcome.override ? 'accepted' : PAST[verdict]}`);
  return `${counts.join(', ')} of ${plural(total, 'function')}.`;
}

function verdictText(outcome: GateOutcome, fn: FunctionOutcome): string {
  if (outcome.mode === 'baseline') return '📏 recorded';
  if (isAccepted(outcome, fn)) return '☑️ accepted';
  const { emoji, word } = VERDICT_LABEL[functionVerdict(outcome, fn)];
  return `${emoji} ${word}`;
}

function baselineKind(fn: FunctionOutcome): string {
  const source = fn.baseline;
  const commit =
    source.commit === undefined ? '' : ` ${inlineCode(clip(shortSha(source.commit), 100), { table: true })}`;
  switch (source.kind) {
    case 'artifact':
      return `stored report${commit}`;
    case 'file':
      return source.path === undefined ? 'file' : `file ${inlineCode(clip(source.path, 200), { table: true })}`;
    case 'live':
      return source.qualifier === undefined
        ? 'side by side'
        : `side by side with ${inlineCode(clip(source.qualifier, 200), { table: true })}`;
    case 'none':
      return 'none';
  }
}

/**
 * The footer: tool version, the workflow run, the commit (linked on the run's GitHub host when the
 * repository is known) and when the text was rendered, so an older run's comment is recognisable.
 */
function renderFooter(run: RunContext, reportCommit: string | undefined, now: Date): string {
  const parts = [`lambda-cost-gate ${VERSION}`];
  if (safeUrl(run.runUrl) !== undefined) parts.push(link('workflow run', run.runUrl));
  const commit = run.commit ?? reportCommit;
  if (commit !== undefined) {
    const origin = originOf(run.runUrl);
    const repository =
      run.repository !== undefined && /^[\w.-]+\/[\w.-]+$/.test(run.repository) ? run.repository : undefined;
    const sha = /^[0-9a-f]{7,64}$/i.test(commit) ? commit : undefined;
    const url = origin && repository && sha ? `${origin}/${repository}/commit/${sha}` : undefined;
    parts.push(`commit ${link(inlineCode(clip(shortSha(commit), 100)), url)}`);
  }
  parts.push(`rendered ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  return `<sub>${parts.join(' · ')}</sub>`;
}

function originOf(url: string | undefined): string | undefined {
  if (safeUrl(url) === undefined) return undefined;
  try {
    return new URL(url!).origin;
  } catch {
    // Not a URL after all: the commit is shown without a link.
    return undefined;
  }
}
