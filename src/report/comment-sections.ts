/**
 * The body of a function's comment: the per-size table, the monthly bill and the recommendation. Pure.
 *
 * Every swept size gets a row; the gated ones (those the comparison judged) are marked and are the only rows
 * with changes and a verdict. Gated rows show the figures the comparison judged (its SideFigures); the
 * others show the run report's.
 */
import type { SideFigures, SizeComparison } from '../compare/types.js';
import type { FunctionOutcome } from '../gate/types.js';
import { costPerMillion } from './chart.js';
import {
  clip,
  formatMs,
  formatUsd,
  money,
  msInterval,
  percentInterval,
  plainPercent,
  plural,
  signedUsd,
  VERDICT_LABEL
} from './comment-format.js';
import { escapeMarkdown, table } from './markdown.js';
import type { RunReport } from './run-report-schema.js';

type Size = RunReport['sizes'][number];

/** One table row, and whether its size was gated (gated rows are never dropped to fit the comment). */
export interface TableRow {
  memoryMb: number;
  gated: boolean;
  cells: string[];
}

/** The cost basis of a function's comparison: what "cost" means in its table and charts. */
export function costBasisOf(fn: FunctionOutcome): 'invocation' | 'job' {
  return fn.comparison.sizes[0]?.costBasis ?? fn.report.recommendation.costBasis;
}

/**
 * The table's header row for a cost basis.
 *
 * @example
 * ```ts
 * tableHeader('invocation')[3] // 'Cost / 1M invocations (USD)'
 * ```
 */
export function tableHeader(basis: 'invocation' | 'job'): string[] {
  return [
    'Memory',
    'p50',
    'p99 (± CI)',
    `Cost / 1M ${basis === 'job' ? 'jobs' : 'invocations'} (USD)`,
    'Δ cost',
    'Δ p99',
    'Max memory used',
    'Errors',
    'Verdict'
  ];
}

/** Numbers align right; the memory and verdict columns read as text. */
export const TABLE_ALIGN = ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] as const;

/**
 * One row per swept size, ascending, plus any gated size the report lacks.
 *
 * @param judgement - 'accepted': the function failed and the override label accepted it, failed rows say so;
 *   'none': baseline mode judged nothing, so no row has changes or a verdict
 * @example
 * ```ts
 * tableRows(fn, 'judged')[0].cells[0] // '▶ **1024 MB** (current)'
 * ```
 */
export function tableRows(fn: FunctionOutcome, judgement: 'judged' | 'accepted' | 'none'): TableRow[] {
  const basis = costBasisOf(fn);
  const gated = new Map(fn.comparison.sizes.map((s) => [s.memoryMb, s]));
  const bySize = new Map(fn.report.sizes.map((s) => [s.memoryMb, s]));
  const all = [...new Set([...bySize.keys(), ...gated.keys()])].sort((a, b) => a - b);
  return all.map((memoryMb) => {
    const comparison = gated.get(memoryMb);
    const size = bySize.get(memoryMb);
    const figures = comparison?.candidate ?? figuresOf(size!, basis);
    const marks = [
      ...(memoryMb === fn.report.function.memorySizeBefore ? ['current'] : []),
      ...(size?.unusable ? ['unusable'] : [])
    ];
    const memory = comparison ? `▶ **${memoryMb} MB**` : `${memoryMb} MB`;
    return {
      memoryMb,
      gated: comparison !== undefined,
      cells: [
        marks.length > 0 ? `${memory} (${marks.join(', ')})` : memory,
        figures.p50Ms === null ? '—' : formatMs(figures.p50Ms),
        p99Cell(figures),
        figures.costPerMillionUsd === null ? '—' : money(figures.costPerMillionUsd.estimate),
        ...changeCells(judgement === 'none' ? undefined : comparison, fn.comparison.hasBaseline),
        memoryCell(figures),
        figures.errors === 0 ? '0' : `${figures.errors} (${plainPercent(figures.errorRate)})`,
        comparison && judgement !== 'none' ? verdictCell(comparison, judgement === 'accepted') : '—'
      ]
    };
  });
}

/**
 * The table as markdown lines, with a legend; `rows` may be a subset (the rest noted in one row).
 *
 * @example
 * ```ts
 * renderTable(fn, tableRows(fn, 'judged'), 0).join('\n')
 * ```
 */
export function renderTable(fn: FunctionOutcome, rows: TableRow[], omitted: number): string[] {
  const cells = rows.map((row) => row.cells);
  if (omitted > 0) cells.push([`… ${plural(omitted, 'more size')}: see the JSON report`]);
  // An adaptive look judges at a stricter confidence than the nominal one; the legend must not claim 95 %.
  const looked = (fn.report.sampling ?? []).some((s) => s.mode === 'adaptive');
  const confidence = looked
    ? `interval (at the stricter confidence of the look that decided it, overall ${plainPercent(fn.report.plan.confidence)})`
    : `${plainPercent(fn.report.plan.confidence)} interval`;
  return [
    ...table(tableHeader(costBasisOf(fn)), cells, [...TABLE_ALIGN]),
    '',
    `<sub>▶ gated size · Δ: change against the baseline, with its ${confidence} · p99 (lower…upper) · current: the memory size before the run</sub>`
  ];
}

/** A report size in the comparison's shape, so every row is formatted by the same code. */
function figuresOf(size: Size, basis: 'invocation' | 'job'): SideFigures {
  const p99 = size.duration?.p99;
  const cost = costPerMillion(size, basis);
  return {
    samples: size.duration?.count ?? 0,
    p50Ms: size.duration?.p50.value ?? null,
    p99Ms:
      p99 && p99.enough && p99.lower !== undefined && p99.upper !== undefined
        ? { estimate: p99.value, lower: p99.lower, upper: p99.upper, confidence: p99.confidence }
        : null,
    ...(p99 && !p99.enough && p99.samplesNeeded !== undefined ? { p99SamplesNeeded: p99.samplesNeeded } : {}),
    costPerMillionUsd: cost === null ? null : { estimate: cost, lower: cost, upper: cost, confidence: 1 },
    errorRate: size.errorRate,
    errors: size.errors,
    measured: size.measured,
    maxMemoryUsedMb: size.maxMemoryUsedMb,
    memoryUsedShare: size.memoryUsedShare,
    coldStarts: size.coldStarts
  };
}

function p99Cell(figures: SideFigures): string {
  if (figures.p99Ms !== null) return msInterval(figures.p99Ms);
  if (figures.p99SamplesNeeded !== undefined) return `n/a (needs ${figures.p99SamplesNeeded})`;
  return figures.samples === 0 ? '—' : 'n/a';
}

function changeCells(comparison: SizeComparison | undefined, hasBaseline: boolean): string[] {
  if (comparison === undefined || !hasBaseline || comparison.baseline === undefined) return ['—', '—'];
  return [
    comparison.costChange ? percentInterval(comparison.costChange) : 'n/a',
    comparison.p99Change ? percentInterval(comparison.p99Change) : 'n/a'
  ];
}

function memoryCell(figures: SideFigures): string {
  if (figures.maxMemoryUsedMb === null) return '—';
  const share = figures.memoryUsedShare === null ? '' : ` (${Math.round(figures.memoryUsedShare * 100)} %)`;
  return `${figures.maxMemoryUsedMb} MB${share}`;
}

function verdictCell(comparison: SizeComparison, accepted: boolean): string {
  if (comparison.verdict === 'fail' && accepted) return '☑️ accepted';
  const { emoji } = VERDICT_LABEL[comparison.verdict];
  return `${emoji} ${comparison.verdict}`;
}

/**
 * The monthly bill at each gated size that has a traffic figure: now, with this pull request, and the change.
 *
 * @example
 * ```ts
 * renderMonthly(fn)
 * // ['**Monthly cost** at 1024 MB for 12,000,000 invocations a month (traffic from input monthly-invocations):
 * //   now 12.30 USD, with this PR 14.50 USD, a change of +2.20 USD (+1.80…+2.60).']
 * ```
 */
export function renderMonthly(fn: FunctionOutcome): string[] {
  const lines = fn.comparison.sizes.flatMap((size) => {
    const monthly = size.monthly;
    if (monthly === undefined) return [];
    const unit = size.costBasis === 'job' ? 'jobs' : 'invocations';
    const traffic = `${monthly.invocationsPerMonth.toLocaleString('en-US')} ${unit} a month (traffic from ${escapeMarkdown(clip(monthly.source))})`;
    const change = monthly.change
      ? `, a change of ${signedUsd(monthly.change.estimate)} (${signedUsd(monthly.change.lower).replace(' USD', '')}…${signedUsd(monthly.change.upper).replace(' USD', '')})`
      : '';
    const figures =
      monthly.baselineUsd === undefined
        ? `with this PR ${formatUsd(monthly.candidateUsd)} a month`
        : `now ${formatUsd(monthly.baselineUsd)}, with this PR ${formatUsd(monthly.candidateUsd)}${change}`;
    return [`**Monthly cost** at ${size.memoryMb} MB for ${traffic}: ${figures}.`];
  });
  return lines.length > 1 ? lines.map((line) => `- ${line}`) : lines;
}

/**
 * The size each strategy recommends, with what it saves per million invocations (or jobs) against the
 * current size when both are priced.
 *
 * @example
 * ```ts
 * renderRecommendation(fn)[1] // '- Cost: **512 MB**, 0.61 USD per 1M invocations, saves 0.20 USD per 1M against the current 1024 MB'
 * ```
 */
export function renderRecommendation(fn: FunctionOutcome): string[] {
  const { recommendation, function: target } = fn.report;
  const basis = recommendation.costBasis;
  const unit = basis === 'job' ? 'jobs' : 'invocations';
  const bySize = new Map(fn.report.sizes.map((s) => [s.memoryMb, s]));
  const current = target.memorySizeBefore;
  const currentSize = bySize.get(current);
  const currentCost = currentSize ? costPerMillion(currentSize, basis) : null;
  const picks: Array<['cost' | 'speed' | 'balanced', string, number | null]> = [
    ['cost', 'Cost', recommendation.cheapest],
    ['speed', 'Speed', recommendation.fastest],
    ['balanced', 'Balanced', recommendation.balanced]
  ];
  if (picks.every(([, , mb]) => mb === null)) {
    return [`**Recommended size**: none. ${escapeMarkdown(clip(recommendation.reason))}`];
  }
  const items = picks.map(([strategy, label, mb]) => {
    const chosen = strategy === recommendation.strategy ? ' ← your strategy' : '';
    if (mb === null) return `- ${label}: no usable size${chosen}`;
    const size = bySize.get(mb);
    const cost = size ? costPerMillion(size, basis) : null;
    const price = cost === null ? '' : `, ${formatUsd(cost)} per 1M ${unit}`;
    let saving = '';
    if (mb === current) saving = ', the current size';
    else if (cost !== null && currentCost !== null) {
      const diff = currentCost - cost;
      // Below half a cent per million the difference is noise in the last digit, not a saving.
      saving =
        Math.abs(diff) < 0.005
          ? `, about the same cost as the current ${current} MB`
          : diff > 0
            ? `, saves ${formatUsd(diff)} per 1M against the current ${current} MB`
            : `, costs ${formatUsd(-diff)} more per 1M than the current ${current} MB`;
    }
    return `- ${label}: **${mb} MB**${price}${saving}${chosen}`;
  });
  return [
    `**Recommended size** (current: ${current} MB)`,
    '',
    ...items,
    '',
    `<sub>${escapeMarkdown(clip(recommendation.reason))}</sub>`
  ];
}
