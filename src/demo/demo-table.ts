/**
 * The demo's printed table: per memory size, latency from REPORT durations and cost from billed
 * durations, with the cheapest and fastest sizes marked. Pure: no I/O.
 */
import type { ReportRecord } from '../analyze/report-line.js';
import { summarize } from '../analyze/stats.js';
import { invocationCost, priceTable } from '../pricing/cost.js';

export interface DemoRow {
  memoryMb: number;
  /** Warm invocations that produced a REPORT line. */
  reports: ReportRecord[];
  initDurationMs?: number;
}

/** Lines of a fixed-width table, a blank line and a one-line verdict. */
export function renderDemoTable(rows: DemoRow[], region: string): string[] {
  const prices = priceTable(region, 'x86_64');
  const measured = rows
    .filter((row) => row.reports.length > 0)
    .map((row) => {
      const ok = row.reports.filter((r) => r.status === 'success');
      const durations = summarize(ok.length > 0 ? ok.map((r) => r.durationMs) : [0]);
      const billed = summarize(row.reports.map((r) => r.billedDurationMs));
      const cost = invocationCost({ billedDurationMs: billed.mean, memoryMb: row.memoryMb }, prices);
      return {
        row,
        errors: row.reports.length - ok.length,
        p50: durations.p50,
        p99: durations.p99,
        perMillion: cost.totalUsd * 1e6
      };
    });
  if (measured.length === 0) return ['No invocation produced a REPORT line: nothing to compare.'];
  const cheapest = measured.reduce((a, b) => (b.perMillion < a.perMillion ? b : a));
  const fastest = measured.reduce((a, b) => (b.p50 < a.p50 ? b : a));
  const header = ['memory MB', 'n', 'errors', 'p50 ms', 'p99 ms', 'cold init ms', 'USD per 1M', ''];
  const body = measured.map((m) => [
    String(m.row.memoryMb),
    String(m.row.reports.length),
    String(m.errors),
    m.p50.toFixed(1),
    m.p99.toFixed(1),
    m.row.initDurationMs === undefined ? '-' : m.row.initDurationMs.toFixed(1),
    m.perMillion.toFixed(2),
    [m === cheapest ? 'cheapest' : '', m === fastest ? 'fastest' : ''].filter(Boolean).join(', ')
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell.padStart(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    '',
    line(header),
    ...body.map(line),
    '',
    `Cheapest: ${cheapest.row.memoryMb} MB at $${cheapest.perMillion.toFixed(2)} per million invocations; fastest: ${fastest.row.memoryMb} MB at p50 ${fastest.p50.toFixed(1)} ms (${prices.source}).`
  ];
}
