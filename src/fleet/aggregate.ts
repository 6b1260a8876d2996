/**
 * Turns the Insights rows of one function (one per UTC day and memory size) into its figures over the
 * window. Pure.
 *
 * Counts add up; maxima take the maximum; means are weighted by the invocations (or cold starts) they
 * were taken over, so a day with 3 invocations does not weigh as much as one with 3,000. Percentiles of
 * separate days cannot be combined exactly, so the window shows the worst day's p99 and the per-day
 * figures keep the rest.
 */
import type { GroupResult } from './insights.js';
import type { DayFigures, FunctionUsage, ResultRow } from './types.js';

/**
 * Reads one GetQueryResults row of the fleet query.
 *
 * @example
 * ```ts
 * dayFigures([{ field: 'bin(1d)', value: '2026-03-02 00:00:00.000' }, { field: 'invocations', value: '30' }, …])
 * // { day: '2026-03-02', invocations: 30, … }
 * ```
 */
export function dayFigures(row: ResultRow): DayFigures {
  const cells = new Map(row.map((cell) => [cell.field, cell.value]));
  const num = (field: string): number | null => {
    const raw = cells.get(field);
    if (raw === undefined || raw.trim() === '') return null;
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  };
  const count = (field: string): number => Math.round(num(field) ?? 0);
  return {
    // Insights prints bin() as `YYYY-MM-DD HH:MM:SS.mmm` (UTC).
    day: (cells.get('bin(1d)') ?? '').slice(0, 10),
    memorySizeMb: Math.round(num('sizeMb') ?? 0),
    invocations: count('invocations'),
    errors: count('errors'),
    timeouts: count('timeouts'),
    oomKills: count('oomKills'),
    p50DurationMs: num('p50'),
    p99DurationMs: num('p99'),
    meanDurationMs: num('meanDuration'),
    meanBilledDurationMs: num('meanBilled'),
    maxMemoryUsedMb: num('maxUsedMb'),
    coldStarts: count('coldStarts'),
    meanInitDurationMs: num('meanInit')
  };
}

/** Figures of a function with nothing to show. */
function emptyUsage(status: FunctionUsage['status'], problem?: string): FunctionUsage {
  return {
    status,
    ...(problem ? { problem } : {}),
    days: [],
    invocations: 0,
    errors: 0,
    timeouts: 0,
    oomKills: 0,
    coldStarts: 0,
    daysWithData: 0,
    dailyPeaksMb: [],
    meanDailyPeakMb: null,
    peakMb: null,
    meanBilledDurationMs: null,
    meanBilledBySizeMb: {},
    meanInitDurationMs: null,
    worstDayP99Ms: null
  };
}

/**
 * A function's figures from what its query returned.
 *
 * @example
 * ```ts
 * summarizeUsage({ kind: 'rows', rows }) // { status: 'ok', invocations: 420, meanDailyPeakMb: 301.4, … }
 * summarizeUsage({ kind: 'missing' })    // { status: 'no-log-group', invocations: 0, … }
 * ```
 */
export function summarizeUsage(result: GroupResult | undefined): FunctionUsage {
  if (result === undefined || result.kind === 'missing') return emptyUsage('no-log-group');
  if (result.kind === 'failed') return emptyUsage('query-failed', result.why);
  const days = result.rows
    .map(dayFigures)
    .filter((d) => d.invocations > 0 && d.day !== '')
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.memorySizeMb - b.memorySizeMb));
  const usage = emptyUsage('ok');
  usage.days = days;
  const peaks = new Map<string, number>();
  const billed = new Weighted();
  const init = new Weighted();
  const bySize = new Map<number, Weighted>();
  for (const d of days) {
    usage.invocations += d.invocations;
    usage.errors += d.errors;
    usage.timeouts += d.timeouts;
    usage.oomKills += d.oomKills;
    usage.coldStarts += d.coldStarts;
    if (d.maxMemoryUsedMb !== null) peaks.set(d.day, Math.max(peaks.get(d.day) ?? 0, d.maxMemoryUsedMb));
    billed.add(d.meanBilledDurationMs, d.invocations);
    init.add(d.meanInitDurationMs, d.coldStarts);
    const size = bySize.get(d.memorySizeMb) ?? new Weighted();
    size.add(d.meanBilledDurationMs, d.invocations);
    bySize.set(d.memorySizeMb, size);
    if (d.p99DurationMs !== null) usage.worstDayP99Ms = Math.max(usage.worstDayP99Ms ?? 0, d.p99DurationMs);
  }
  usage.daysWithData = new Set(days.map((d) => d.day)).size;
  usage.dailyPeaksMb = [...peaks.keys()].sort().map((day) => peaks.get(day) as number);
  if (usage.dailyPeaksMb.length > 0) {
    usage.meanDailyPeakMb = usage.dailyPeaksMb.reduce((a, b) => a + b, 0) / usage.dailyPeaksMb.length;
    usage.peakMb = Math.max(...usage.dailyPeaksMb);
  }
  usage.meanBilledDurationMs = billed.mean();
  usage.meanInitDurationMs = init.mean();
  for (const [size, weighted] of bySize) {
    const mean = weighted.mean();
    if (mean !== null) usage.meanBilledBySizeMb[String(size)] = mean;
  }
  return usage;
}

/** A weighted mean that skips missing values. */
class Weighted {
  private sum = 0;
  private weight = 0;
  add(value: number | null, weight: number): void {
    if (value === null || weight <= 0) return;
    this.sum += value * weight;
    this.weight += weight;
  }
  mean(): number | null {
    return this.weight > 0 ? this.sum / this.weight : null;
  }
}
