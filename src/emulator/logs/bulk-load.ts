/**
 * Seeds the emulator's CloudWatch Logs with weeks of production-like Lambda REPORT records, for many
 * functions at once, straight into the {@link LogStore} (no HTTP, no invocations): what fleet
 * right-sizing tests and `npm run bench:fleet` query with Logs Insights.
 *
 * Every figure is deterministic, so a test can work the expected answer out by hand:
 * - a day holds `invocationsPerDay` records, spread evenly over the UTC day, in one log stream;
 * - record 0 of each day uses exactly that day's `maxMemoryUsedMb`; record i uses
 *   `peak − (i × 37 mod (memoryDipMb + 1))`, so no record exceeds the day's peak;
 * - durations run linearly from `durationMs × (1 − spread)` to `durationMs × (1 + spread)` (mean
 *   `durationMs`), rounded to 0.01 ms; billed duration is ceil(duration + init), as Lambda bills INIT;
 * - the first `coldStartsPerDay` records carry an Init Duration; the last `oomKillsPerDay` records are
 *   out-of-memory kills (Max Memory Used = Memory Size, `Runtime.OutOfMemory`), the `timeoutsPerDay`
 *   before them timed out, and the `errorsPerDay` before those failed with `Runtime.ExitError`.
 *
 * Per-day values may be lists (oldest day first, cycled), e.g. a memory size changed mid-window.
 */
import { LambdaCostGateError } from '../../errors.js';
import type { LogStore } from './store.js';

export const DAY_MS = 86_400_000;

/** A per-day figure: one value for every day, or a list read oldest day first and cycled. */
export type PerDay = number | readonly number[];

/** One function's seeded traffic. */
export interface SeededFunction {
  name: string;
  /** Default `/aws/lambda/<name>`; another group gets Lambda's custom-group stream names (with the function name). */
  logGroup?: string;
  /** Lambda's log format: text REPORT lines or JSON `platform.report` records (default Text). */
  format?: 'Text' | 'JSON';
  memorySizeMb: PerDay;
  invocationsPerDay: PerDay;
  durationMs: PerDay;
  /** Relative half-width of the linear duration spread, 0 ≤ spread < 1 (default 0: every record alike). */
  durationSpread?: number;
  /** The day's largest Max Memory Used, in MB. */
  maxMemoryUsedMb: PerDay;
  /** How far below the peak other records may be, in MB (default 0). */
  memoryDipMb?: number;
  coldStartsPerDay?: PerDay;
  /** Init Duration of a cold start, in ms (default 200). */
  initDurationMs?: number;
  errorsPerDay?: PerDay;
  timeoutsPerDay?: PerDay;
  oomKillsPerDay?: PerDay;
  /** Also write START and END lines (text) or a `platform.start` record (JSON), as Lambda does. */
  withStartEnd?: boolean;
}

export interface BulkLoadSpec {
  functions: readonly SeededFunction[];
  /** Days of records per function, ending at `endAt`. */
  days: number;
  /** Where the last day ends, in epoch ms; default the start of the current UTC day. Floored to a UTC day. */
  endAt?: number;
}

/** What was written. */
export interface BulkLoadResult {
  functions: number;
  days: number;
  /** REPORT (or platform.report) records written. */
  reports: number;
  /** Every event written, START/END included. */
  events: number;
  /** Epoch ms of the first seeded day's start and of the last day's end. */
  startAt: number;
  endAt: number;
}

/** A seeding spec that cannot be loaded. */
export class BulkLoadError extends LambdaCostGateError {}

/**
 * Writes the records of every function and day into `store` (creating groups and streams).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ config: { functions: [{ name: 'orders', model: { cpuMs: 5 } }] } });
 * bulkLoadReports(emulator.logs, {
 *   days: 14,
 *   functions: [{ name: 'orders', memorySizeMb: 1024, invocationsPerDay: 30, durationMs: 120, maxMemoryUsedMb: 300 }]
 * }); // { functions: 1, days: 14, reports: 420, events: 420, … }
 * ```
 * @throws {@link BulkLoadError} for a spec out of range (no days, negative counts, more failures than records)
 */
export function bulkLoadReports(store: LogStore, spec: BulkLoadSpec): BulkLoadResult {
  if (!Number.isInteger(spec.days) || spec.days < 1 || spec.days > 400) {
    throw new BulkLoadError(`days must be a whole number from 1 to 400; got ${spec.days}`);
  }
  const endAt = Math.floor((spec.endAt ?? Date.now()) / DAY_MS) * DAY_MS;
  const startAt = endAt - spec.days * DAY_MS;
  let reports = 0;
  let events = 0;
  spec.functions.forEach((fn, index) => {
    for (let day = 0; day < spec.days; day++) {
      const lines = dayOfRecords(fn, index, day, startAt + day * DAY_MS);
      if (lines.events.length === 0) continue;
      store.append(fn.logGroup ?? `/aws/lambda/${fn.name}`, streamName(fn, index, day, startAt), lines.events);
      reports += lines.reports;
      events += lines.events.length;
    }
  });
  return { functions: spec.functions.length, days: spec.days, reports, events, startAt, endAt };
}

/** The value of a per-day figure on day `day` (0 = oldest). */
function onDay(value: PerDay | undefined, day: number, fallback = 0): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  if (value.length === 0) return fallback;
  return value[day % value.length] as number;
}

function wholeAtLeast(name: string, fn: SeededFunction, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new BulkLoadError(`${fn.name}: ${name} must be a whole number ≥ ${min}; got ${value}`);
  }
  return value;
}

type Outcome = 'success' | 'error' | 'timeout' | 'oom';

function dayOfRecords(
  fn: SeededFunction,
  fnIndex: number,
  day: number,
  dayStart: number
): { reports: number; events: Array<{ timestamp: number; message: string }> } {
  const n = wholeAtLeast('invocationsPerDay', fn, onDay(fn.invocationsPerDay, day), 0);
  const memorySize = wholeAtLeast('memorySizeMb', fn, onDay(fn.memorySizeMb, day), 128);
  const peak = onDay(fn.maxMemoryUsedMb, day);
  const base = onDay(fn.durationMs, day);
  const spread = fn.durationSpread ?? 0;
  if (!(spread >= 0 && spread < 1)) throw new BulkLoadError(`${fn.name}: durationSpread must be in [0, 1)`);
  if (!(base >= 0) || !(peak >= 0)) throw new BulkLoadError(`${fn.name}: durationMs and maxMemoryUsedMb must be ≥ 0`);
  const cold = wholeAtLeast('coldStartsPerDay', fn, onDay(fn.coldStartsPerDay, day), 0);
  const oom = wholeAtLeast('oomKillsPerDay', fn, onDay(fn.oomKillsPerDay, day), 0);
  const timeouts = wholeAtLeast('timeoutsPerDay', fn, onDay(fn.timeoutsPerDay, day), 0);
  const errors = wholeAtLeast('errorsPerDay', fn, onDay(fn.errorsPerDay, day), 0);
  if (cold > n || oom + timeouts + errors > n) {
    throw new BulkLoadError(`${fn.name}: day ${day} has more cold starts or failures than its ${n} records`);
  }
  const dip = fn.memoryDipMb ?? 0;
  const init = fn.initDurationMs ?? 200;
  const json = fn.format === 'JSON';
  const events: Array<{ timestamp: number; message: string }> = [];
  for (let i = 0; i < n; i++) {
    const outcome: Outcome =
      i >= n - oom
        ? 'oom'
        : i >= n - oom - timeouts
          ? 'timeout'
          : i >= n - oom - timeouts - errors
            ? 'error'
            : 'success';
    const durationMs = round2(n === 1 ? base : base * (1 + spread * ((2 * i) / (n - 1) - 1)));
    const initMs = i < cold ? init : undefined;
    const record: ReportRecord = {
      requestId: requestId(fnIndex, day, i),
      durationMs,
      billedMs: Math.max(1, Math.ceil(durationMs + (initMs ?? 0))),
      memorySize,
      maxMemoryUsed: outcome === 'oom' ? memorySize : Math.max(0, Math.round(peak - ((i * 37) % (dip + 1)))),
      ...(initMs !== undefined ? { initMs } : {}),
      outcome
    };
    const at = dayStart + Math.floor(((i + 0.5) * DAY_MS) / n);
    if (fn.withStartEnd) {
      const startedAt = Math.max(dayStart, at - Math.ceil(durationMs));
      events.push({ timestamp: startedAt, message: json ? jsonStart(record, startedAt) : startLine(record) });
      if (!json) events.push({ timestamp: at, message: `END RequestId: ${record.requestId}\n` });
    }
    events.push({ timestamp: at, message: json ? jsonReport(record, at) : textReport(record) });
  }
  return { reports: n, events };
}

interface ReportRecord {
  requestId: string;
  durationMs: number;
  billedMs: number;
  memorySize: number;
  maxMemoryUsed: number;
  initMs?: number;
  outcome: Outcome;
}

function textReport(r: ReportRecord): string {
  const fields = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${r.billedMs} ms`,
    `Memory Size: ${r.memorySize} MB`,
    `Max Memory Used: ${r.maxMemoryUsed} MB`
  ];
  if (r.initMs !== undefined) fields.push(`Init Duration: ${r.initMs.toFixed(2)} ms`);
  if (r.outcome === 'timeout') fields.push('Status: timeout');
  if (r.outcome === 'oom') fields.push('Status: error', 'Error Type: Runtime.OutOfMemory');
  if (r.outcome === 'error') fields.push('Status: error', 'Error Type: Runtime.ExitError');
  // Lambda ends the line with a tab and a newline.
  return `${fields.join('\t')}\t\n`;
}

function jsonReport(r: ReportRecord, at: number): string {
  const status = r.outcome === 'success' ? 'success' : r.outcome === 'timeout' ? 'timeout' : 'error';
  const errorType =
    r.outcome === 'oom' ? 'Runtime.OutOfMemory' : r.outcome === 'error' ? 'Runtime.ExitError' : undefined;
  return JSON.stringify({
    time: new Date(at).toISOString(),
    type: 'platform.report',
    record: {
      requestId: r.requestId,
      metrics: {
        durationMs: r.durationMs,
        billedDurationMs: r.billedMs,
        memorySizeMB: r.memorySize,
        maxMemoryUsedMB: r.maxMemoryUsed,
        ...(r.initMs !== undefined ? { initDurationMs: r.initMs } : {})
      },
      status,
      ...(errorType ? { errorType } : {})
    }
  });
}

function startLine(r: ReportRecord): string {
  return `START RequestId: ${r.requestId} Version: $LATEST\n`;
}

function jsonStart(r: ReportRecord, at: number): string {
  return JSON.stringify({
    time: new Date(at).toISOString(),
    type: 'platform.start',
    record: { requestId: r.requestId, version: '$LATEST' }
  });
}

/** A lowercase UUID unique per function, day and record, so the store keeps it packed (16 bytes). */
function requestId(fn: number, day: number, i: number): string {
  return `${hex(fn, 8)}-${hex(day, 4)}-4000-8000-${hex(i, 12)}`;
}

/** `YYYY/MM/DD/[$LATEST]<id>`, or `YYYY/MM/DD/<name>[$LATEST][<id>]` in a custom (possibly shared) group. */
function streamName(fn: SeededFunction, fnIndex: number, day: number, startAt: number): string {
  const date = new Date(startAt + day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '/');
  const id = `${hex(fnIndex, 16)}${hex(day, 16)}`;
  const custom = fn.logGroup !== undefined && fn.logGroup !== `/aws/lambda/${fn.name}`;
  return custom ? `${date}/${fn.name}[$LATEST][${id}]` : `${date}/[$LATEST]${id}`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
