/**
 * The grid sweep's section of the pull-request comment (issue 8): what was swept, a grid of cost per job
 * (memory rows × knob columns, one grid per architecture) with the cheapest cell marked, what arm64 would
 * save or cost, the best cell per strategy, the parallelism fit, and every cell's figures collapsed. Pure.
 *
 * Money follows the comment's convention: numbers with "USD", never "$" (GitHub's math extension reads the
 * text between two dollar signs as a formula). Knob names and values come from the user and are escaped.
 */
import type { BestCell, CellFigures, GridCell, GridResult } from '../grid/types.js';
import type { Architecture } from '../sweep/types.js';
import { clip, formatMs, money, plural } from './comment-format.js';
import { details, escapeMarkdown, escapeTableCell, table, type Align } from './markdown.js';

type Basis = GridResult['costBasis'];

/** Knob values are names, not prose: a long one is clipped harder than free text. */
const MAX_VALUE_CHARS = 100;

const STRATEGY_LABEL: Record<BestCell['strategy'], string> = {
  cost: 'Cost',
  throughput: 'Throughput',
  speed: 'Speed',
  balanced: 'Balanced'
};
const STRATEGY_ORDER: Array<BestCell['strategy']> = ['cost', 'throughput', 'balanced', 'speed'];

/** The grid's axes: memory ascending, knob values and architectures in the order the user gave them. */
interface Axes {
  memory: number[];
  /** `[undefined]` when the grid has no knob: one column. */
  knobValues: Array<string | undefined>;
  architectures: Architecture[];
}

/**
 * The grid sweep as markdown: heading, what was swept (and what the cap cut), the cost grid with the best
 * cell for cost marked ★, the arm64 comparison, the best cell per strategy, the parallelism fit and a
 * collapsed "Every cell" table.
 *
 * @example
 * ```ts
 * renderGridSection(grid)
 * // '#### 🧮 Grid sweep\n\nSwept 4 memory sizes (512, 1024, 1769 and 3008 MB) × THREADS = 1, 2, 4, 8 on x86_64: …'
 * ```
 */
export function renderGridSection(grid: GridResult, options: { title?: string } = {}): string {
  const axes = axesOf(grid);
  const marked = markedCell(grid);
  const blocks: string[][] = [
    [`#### 🧮 ${escapeMarkdown(clip(options.title ?? 'Grid sweep'))}`],
    [sweptLine(grid, axes)]
  ];
  for (const architecture of axes.architectures) {
    const heading = axes.architectures.length > 1 ? [`**${architecture}**`, ''] : [];
    blocks.push([...heading, ...gridTable(grid, axes, architecture, marked?.cell)]);
  }
  const unit = grid.costBasis === 'job' ? 'jobs' : 'invocations';
  const star = marked ? ` · ★ ${marked.fromBest ? 'best cell for cost' : 'cheapest measured cell'}` : '';
  blocks.push([`<sub>Cost per 1M ${unit} in USD${star} · — not measured</sub>`]);
  if (axes.architectures.includes('x86_64') && axes.architectures.includes('arm64')) {
    blocks.push([armSentence(grid)]);
  }
  blocks.push(bestList(grid));
  if (grid.parallelism) {
    const { summary, rSquared } = grid.parallelism;
    const r2 = summary.includes('R²') ? '' : ` (R² = ${rSquared.toFixed(2)})`;
    blocks.push([`**Effective parallelism**: ${escapeMarkdown(clip(summary))}${r2}`]);
  }
  blocks.push(everyCell(grid, axes));
  return blocks.map((block) => block.join('\n')).join('\n\n');
}

function sameCell(a: GridCell, b: GridCell): boolean {
  return a.memoryMb === b.memoryMb && a.knobValue === b.knobValue && a.architecture === b.architecture;
}

/** The cost the grid compares, USD per job or per invocation; null when the cell cannot give it. */
function costOf(cell: CellFigures, basis: Basis): number | null {
  return basis === 'job' ? cell.costPerJobUsd : cell.costPerInvocationUsd;
}

function cheapest(cells: CellFigures[], basis: Basis): CellFigures | undefined {
  let best: CellFigures | undefined;
  for (const cell of cells) {
    const cost = costOf(cell, basis);
    if (cost !== null && (best === undefined || cost < costOf(best, basis)!)) best = cell;
  }
  return best;
}

/**
 * Only the axes' values that were planned or measured: a size the cap dropped would be a row of dashes, and
 * the cut note already says it is gone. The spec's order wins; anything it lacks comes after.
 */
function axesOf(grid: GridResult): Axes {
  const seen: GridCell[] = [...grid.plan.cells, ...grid.cells];
  const ordered = <T>(given: T[], present: T[]): T[] => {
    const kept = [...new Set([...given.filter((v) => present.includes(v)), ...present])];
    return kept.length > 0 ? kept : [...new Set(given)];
  };
  const memory = ordered(
    grid.spec.memorySizes,
    seen.map((c) => c.memoryMb)
  ).sort((a, b) => a - b);
  const knob = grid.spec.knob;
  const knobValues = knob
    ? ordered(
        knob.values,
        seen.flatMap((c) => (c.knobValue === undefined ? [] : [c.knobValue]))
      )
    : [undefined];
  const architectures = ordered(
    grid.spec.architectures,
    seen.map((c) => c.architecture)
  );
  return { memory, knobValues, architectures };
}

/** "THREADS=4", escaped; empty without a knob. */
function knobText(grid: GridResult, value: string | undefined, escape: (text: string) => string): string {
  const name = grid.spec.knob?.name;
  if (name === undefined || value === undefined) return '';
  return escape(`${clip(name, MAX_VALUE_CHARS)}=${clip(value, MAX_VALUE_CHARS)}`);
}

/** "1024 MB · THREADS=4 · arm64" (the architecture only when there are several). */
function pairText(grid: GridResult, cell: GridCell, withArchitecture: boolean): string {
  const knob = knobText(grid, cell.knobValue, escapeMarkdown);
  return [`${cell.memoryMb} MB`, ...(knob ? [knob] : []), ...(withArchitecture ? [cell.architecture] : [])].join(' · ');
}

function sweptLine(grid: GridResult, axes: Axes): string {
  const sizes = `${plural(axes.memory.length, 'memory size')} (${listAnd(axes.memory.map(String))} MB)`;
  const knob = grid.spec.knob;
  const values = axes.knobValues.flatMap((v) => (v === undefined ? [] : [escapeMarkdown(clip(v, MAX_VALUE_CHARS))]));
  const knobPart = knob ? ` × ${escapeMarkdown(clip(knob.name, MAX_VALUE_CHARS))} = ${values.join(', ')}` : '';
  const archPart =
    axes.architectures.length > 1 ? ` × ${listAnd(axes.architectures)}` : ` on ${axes.architectures.join('')}`;
  const planned = Math.max(grid.plan.cells.length, grid.cells.length);
  const counts = `${plural(planned, 'cell')}, ${grid.cells.length} measured`;
  const cut = grid.plan.cutNote === undefined ? '' : ` ${escapeMarkdown(clip(grid.plan.cutNote))}`;
  return `Swept ${sizes}${knobPart}${archPart}: ${counts}.${cut}`;
}

function listAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The cell the grid marks: the best cell for cost when it was measured, else the cheapest measured cell. */
function markedCell(grid: GridResult): { cell: CellFigures; fromBest: boolean } | undefined {
  const best = grid.best.find((b) => b.strategy === 'cost');
  const measured = best && grid.cells.find((c) => sameCell(c, best.cell) && costOf(c, grid.costBasis) !== null);
  if (measured) return { cell: measured, fromBest: true };
  const fallback = cheapest(grid.cells, grid.costBasis);
  return fallback && { cell: fallback, fromBest: false };
}

function gridTable(grid: GridResult, axes: Axes, architecture: Architecture, marked?: CellFigures): string[] {
  const header = [
    'Memory',
    ...axes.knobValues.map((v) => (v === undefined ? 'Cost' : knobText(grid, v, escapeTableCell)))
  ];
  const rows = axes.memory.map((memoryMb) => [
    `${memoryMb} MB`,
    ...axes.knobValues.map((knobValue) => {
      const cell = grid.cells.find((c) => sameCell(c, { memoryMb, knobValue, architecture }));
      const cost = cell ? costOf(cell, grid.costBasis) : null;
      if (cost === null) return '—';
      return cell === marked ? `**${money(cost * 1e6)}** ★` : money(cost * 1e6);
    })
  ]);
  return table(header, rows, ['left', ...axes.knobValues.map((): Align => 'right')]);
}

/**
 * What moving to arm64 would save or cost at the best x86_64 cell's (memory, knob) pair. The slowdown is
 * named when arm64 runs slower, because that is why a cheaper rate can still cost more.
 */
function armSentence(grid: GridResult): string {
  const basis = grid.costBasis;
  const x86Cells = grid.cells.filter((c) => c.architecture === 'x86_64');
  const marked = markedCell(grid)?.cell;
  const x86 = marked?.architecture === 'x86_64' ? marked : cheapest(x86Cells, basis);
  if (x86 === undefined) return 'arm64 could not be compared with x86_64: no x86_64 cell gave a cost.';
  const at = pairText(grid, x86, false);
  const arm = grid.cells.find((c) => sameCell(c, { ...x86, architecture: 'arm64' }));
  const armCost = arm ? costOf(arm, basis) : null;
  if (arm === undefined || armCost === null) return `At ${at}, arm64 was not measured, so it cannot be compared.`;
  const x86Cost = costOf(x86, basis)!;
  const unit = basis === 'job' ? 'job' : 'invocation';
  const figures = `(${money(armCost * 1e6)} vs ${money(x86Cost * 1e6)} USD per 1M ${unit}s)`;
  const change = Math.round((armCost / x86Cost - 1) * 100);
  const slower = Math.round((arm.p50InvocationMs / x86.p50InvocationMs - 1) * 100);
  const pace = slower > 0 ? `it runs ${slower} % slower` : '';
  if (change === 0) return `At ${at}, arm64 costs about the same per ${unit} ${figures}.`;
  if (change > 0) {
    return `At ${at}, arm64 costs ${change} % more per ${unit} ${figures}${pace ? `, because ${pace}` : ''}.`;
  }
  return `At ${at}, arm64 costs ${-change} % less per ${unit} ${figures}${pace ? `, though ${pace}` : ''}.`;
}

function bestList(grid: GridResult): string[] {
  if (grid.best.length === 0) return ['**Best cell**: none; no cell gave the figures a strategy needs.'];
  const multiArch = new Set(grid.cells.map((c) => c.architecture)).size > 1;
  const unit = grid.costBasis === 'job' ? 'jobs' : 'invocations';
  const sorted = [...grid.best].sort((a, b) => STRATEGY_ORDER.indexOf(a.strategy) - STRATEGY_ORDER.indexOf(b.strategy));
  const items = sorted.map((best) => {
    const figures = best.figures ?? grid.cells.find((c) => sameCell(c, best.cell));
    const cost = figures ? costOf(figures, grid.costBasis) : null;
    const rate = figures?.jobsPerSecondAverage ?? null;
    const parts = [
      ...(cost === null ? [] : [`${money(cost * 1e6)} USD per 1M ${unit}`]),
      ...(rate === null ? [] : [`${count(rate)} jobs/s`])
    ];
    const fitted = best.fitted
      ? `; fitted: ${Math.round(best.fitted.memoryMb)} MB, predicted ${money(best.fitted.predictedCostPerJobUsd * 1e6)} USD per 1M jobs at ${formatMs(best.fitted.predictedDurationMs)}`
      : '';
    const figuresText = parts.length > 0 ? `, ${parts.join(', ')}` : '';
    return `- ${STRATEGY_LABEL[best.strategy]}: **${pairText(grid, best.cell, multiArch)}**${figuresText}${fitted}. ${escapeMarkdown(clip(best.reason))}`;
  });
  return ['**Best cell**', '', ...items];
}

/** A count or rate with precision that fits its size: "0.42", "12.5", "1,204". */
function count(value: number | null): string {
  if (value === null) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function everyCell(grid: GridResult, axes: Axes): string[] {
  const knob = grid.spec.knob;
  const header = [
    'Memory',
    ...(knob ? [escapeTableCell(clip(knob.name, MAX_VALUE_CHARS))] : []),
    'Arch',
    'Invocations',
    'Jobs / invocation',
    'Jobs/s worst',
    'Jobs/s median',
    'Jobs/s average',
    'Jobs/s per thread',
    'Jobs/s per vCPU',
    'Cost / 1M jobs (USD)',
    'p99 / invocation',
    'p99 / job'
  ];
  const position = (c: CellFigures): number[] => [
    axes.architectures.indexOf(c.architecture),
    c.memoryMb,
    axes.knobValues.indexOf(c.knobValue)
  ];
  const sorted = [...grid.cells].sort((a, b) => {
    const [pa, pb] = [position(a), position(b)];
    return pa.map((v, i) => v - pb[i]!).find((d) => d !== 0) ?? 0;
  });
  const rows = sorted.map((c) => [
    `${c.memoryMb} MB`,
    ...(knob ? [c.knobValue === undefined ? '—' : escapeTableCell(clip(c.knobValue, MAX_VALUE_CHARS))] : []),
    c.architecture,
    c.invocations.toLocaleString('en-US'),
    count(c.jobsPerInvocation),
    count(c.jobsPerSecondWorst),
    count(c.jobsPerSecondMedian),
    count(c.jobsPerSecondAverage),
    count(c.jobsPerSecondPerThread),
    count(c.jobsPerSecondPerVcpu),
    c.costPerJobUsd === null ? '—' : money(c.costPerJobUsd * 1e6),
    formatMs(c.p99InvocationMs),
    c.p99JobMs === null ? '—' : formatMs(c.p99JobMs)
  ]);
  const align: Align[] = header.map((_, i) => (i < (knob ? 3 : 2) ? 'left' : 'right'));
  return details(`Every cell (${grid.cells.length})`, table(header, rows, align));
}
