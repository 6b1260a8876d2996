/**
 * Mermaid `xychart-beta` charts of a sweep: cost per million invocations (or jobs) and warm p99, each against
 * memory size. GitHub renders ```` ```mermaid ```` blocks in comments and job summaries. Pure.
 *
 * Every label is ours (no user text reaches Mermaid), memory sizes are quoted categories, and numbers are
 * written in plain decimal, never in exponent form, which the Mermaid grammar does not read.
 */
import type { RunReport } from './run-report-schema.js';

type Size = RunReport['sizes'][number];

interface Series {
  title: string;
  axis: string;
  kind: 'bar' | 'line';
  points: Array<{ memoryMb: number; value: number }>;
}

/**
 * The charts' markdown lines: a bar chart of cost and a line chart of p99 against memory. Empty when fewer
 * than two sizes are priced (one bar says nothing a table row does not); the p99 chart is left out when fewer
 * than two sizes have durations.
 *
 * @param costBasis - 'job' charts the cost of a million jobs, as the comparison does
 * @example
 * ```ts
 * renderCharts(report, 'invocation').join('\n')
 * // ```mermaid
 * // xychart-beta
 * //   title "Cost per 1M invocations by memory size"
 * //   x-axis "Memory (MB)" ["128", "256", "512"]
 * //   y-axis "USD" 0 --> 1
 * //   bar [0.412, 0.45, 0.6]
 * // ```
 * ```
 */
export function renderCharts(report: RunReport, costBasis: 'invocation' | 'job'): string[] {
  const sizes = [...report.sizes].sort((a, b) => a.memoryMb - b.memoryMb);
  const cost = sizes.flatMap((size) => {
    const value = costPerMillion(size, costBasis);
    return value === null ? [] : [{ memoryMb: size.memoryMb, value }];
  });
  if (cost.length < 2) return [];
  const p99 = sizes.flatMap((size) =>
    size.duration ? [{ memoryMb: size.memoryMb, value: size.duration.p99.value }] : []
  );
  const unit = costBasis === 'job' ? 'jobs' : 'invocations';
  const charts: Series[] = [
    { title: `Cost per 1M ${unit} by memory size`, axis: 'USD', kind: 'bar', points: cost },
    ...(p99.length >= 2
      ? [{ title: 'Warm p99 duration by memory size', axis: 'ms', kind: 'line' as const, points: p99 }]
      : [])
  ];
  return charts.flatMap((series, i) => [...(i > 0 ? [''] : []), ...chart(series)]);
}

/** Cost of a million invocations, or of a million jobs; null when the size was not priced. */
export function costPerMillion(size: Size, costBasis: 'invocation' | 'job'): number | null {
  if (costBasis === 'job') return size.costPerJobUsd === undefined ? null : size.costPerJobUsd * 1_000_000;
  return size.costPerMillionUsd;
}

function chart(series: Series): string[] {
  const max = Math.max(...series.points.map((p) => p.value));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${series.title}"`,
    `  x-axis "Memory (MB)" [${series.points.map((p) => `"${p.memoryMb}"`).join(', ')}]`,
    `  y-axis "${series.axis}" 0 --> ${decimal(niceCeiling(max))}`,
    `  ${series.kind} [${series.points.map((p) => decimal(roundSignificant(p.value))).join(', ')}]`,
    '```'
  ];
}

/**
 * The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at or above the value plus a little
 * headroom, so the tallest bar does not touch the top of the chart.
 *
 * @example
 * ```ts
 * niceCeiling(0.43) // 0.5
 * niceCeiling(412)  // 500
 * ```
 */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const target = value * 1.05;
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= target) ?? 10;
  return roundSignificant(step * power);
}

/** Three significant digits: charts are read by eye, the table has the exact figures. */
function roundSignificant(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(3));
}

/** Plain decimal notation (String(1e-7) would give "1e-7"). */
function decimal(value: number): string {
  if (value === 0) return '0';
  const decimals = Math.min(12, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value)))));
  const text = value.toFixed(decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
