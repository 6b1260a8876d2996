/**
 * A run report as a terminal or CI log shows it: one fixed-width table of the sizes, the
 * recommendation, and the warnings. Pure.
 */
import type { QuantileEstimate } from '../analyze/percentiles.js';
import type { RunReport } from './run-report-schema.js';

type Size = RunReport['sizes'][number];

/**
 * @example
 * for (const line of renderTextSummary(report)) console.log(line);
 */
export function renderTextSummary(report: RunReport): string[] {
  const perJob = report.sizes.some((s) => s.costPerJobUsd !== undefined);
  const header = [
    'memory MB',
    'n',
    'errors',
    'p50 ms',
    'p99 ms',
    'cold',
    'max mem',
    'USD / 1M',
    ...(perJob ? ['USD / job'] : []),
    ''
  ];
  const rows = report.sizes.map((size) => [
    String(size.memoryMb),
    String(size.measured),
    size.errors === 0 ? '0' : `${size.errors} (${percent(size.errorRate)})`,
    ms(size.duration?.p50),
    ms(size.duration?.p99),
    String(size.coldStarts),
    size.maxMemoryUsedMb === null ? '-' : `${size.maxMemoryUsedMb} MB`,
    size.costPerMillionUsd === null ? '-' : size.costPerMillionUsd.toFixed(2),
    ...(perJob ? [size.costPerJobUsd === undefined ? '-' : size.costPerJobUsd.toPrecision(3)] : []),
    marks(size, report)
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      // Numbers align right; the last column (the marks) reads left to right.
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const { recommendation, sweepCost } = report;
  return [
    `${report.function.name} (${report.function.region}, ${report.function.architecture}, ${report.function.runtime}); code ${report.function.codeSha256}`,
    '',
    line(header),
    ...rows.map(line),
    ...(rows.some((row) => row.some((cell) => cell.startsWith('~')))
      ? ['~ too few samples for a confidence interval: see the warnings']
      : []),
    '',
    recommendation.memoryMb === null
      ? `No recommendation: ${recommendation.reason}`
      : `Recommended (${recommendation.strategy}): ${recommendation.memoryMb} MB. ${recommendation.reason}`,
    `The sweep made ${sweepCost.invocations} invocations costing $${sweepCost.usd.toFixed(6)} (${report.pricing.source}).`,
    ...report.warnings.map((warning) => `Warning: ${warning}`)
  ];
}

/** `~` marks a quantile the samples cannot bound (p99 of 50 samples is only their maximum). */
function ms(estimate: QuantileEstimate | undefined): string {
  if (!estimate) return '-';
  return `${estimate.enough ? '' : '~'}${estimate.value.toFixed(1)}`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}

function marks(size: Size, report: RunReport): string {
  const tags: string[] = [];
  if (size.unusable) tags.push('unusable');
  const { cheapest, fastest, balanced } = report.recommendation;
  if (size.memoryMb === cheapest) tags.push('cheapest');
  if (size.memoryMb === fastest) tags.push('fastest');
  if (size.memoryMb === balanced) tags.push('balanced');
  if (size.memoryMb === report.function.memorySizeBefore) tags.push('current');
  return tags.join(', ');
}
