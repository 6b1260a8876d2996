/**
 * Reads Lambda's own REPORT record, the one place that says what an invocation was billed.
 *
 * Lambda writes it in one of two shapes, chosen by the function's `LoggingConfig.LogFormat`:
 * - text: `REPORT RequestId: <id>\tDuration: 102.25 ms\tBilled Duration: 103 ms\t…` (tab-separated, though
 *   some samples use runs of spaces, and fields come and go with cold starts, SnapStart, errors and X-Ray);
 * - JSON: `{"type":"platform.report","record":{"requestId":…,"metrics":{…},"status":…}}`.
 *
 * Everything here is tolerant by design: a line that is not a well-formed REPORT gives `undefined`, never
 * an exception, because the input is whatever a user's function and the 4 KB log tail happen to contain.
 */
import { Buffer } from 'node:buffer';

import { TEXT_LABELS, toStatus, type ReportRecord, type TextLabel } from './report-fields.js';
import { parseReportLineFast } from './report-line-fast.js';

export type { ReportRecord } from './report-fields.js';

/**
 * A label starts the line or follows white space; words inside a label may be separated by any white
 * space, since some samples pad fields with spaces instead of tabs.
 */
const LABEL_PATTERN = new RegExp(
  `(?<!\\S)(${TEXT_LABELS.map((label) => label.replace(/ /g, '\\s+')).join('|')}):`,
  'g'
);

/** `102.25 ms`, `128 MB` or a bare number; anything after the first token (an unknown field) is ignored. */
const NUMBER_VALUE = /^(\d+(?:\.\d+)?)(?:[ \t]*([A-Za-z]+))?(?=\s|$)/;

/** X-Ray writes its fields on the line after REPORT in the text format. */
const XRAY_LINE = /^\s*XRAY\s+TraceId:\s*(\S+)/;

/**
 * Parses one log line (a CloudWatch event's message, or one line of the invoke log tail).
 *
 * Returns `undefined` for any line that is not a complete REPORT record, in either format. It never
 * throws. A CloudWatch event whose message also carries the X-Ray fields after a newline is accepted.
 *
 * @example
 * ```ts
 * parseReportLine('REPORT RequestId: 8f5a…\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t')
 * // { requestId: '8f5a…', durationMs: 102.25, billedDurationMs: 103, memorySizeMb: 128, maxMemoryUsedMb: 70,
 * //   status: 'success', format: 'text' }
 * parseReportLine('START RequestId: 8f5a… Version: $LATEST') // undefined
 * ```
 */
export function parseReportLine(line: string): ReportRecord | undefined {
  if (typeof line !== 'string') return undefined;
  // The canonical text form, as Lambda and the emulator write it, is checked by one regular expression and
  // read in place (allocating only the record and its request id); anything else goes the tolerant way.
  return parseReportLineFast(line) ?? parseReportLineTolerant(line);
}

/**
 * The tolerant reader behind {@link parseReportLine}: any spacing, repeated labels, X-Ray fields, JSON.
 * Same contract; exported so that tests can prove the canonical fast path gives exactly what this gives.
 */
export function parseReportLineTolerant(line: string): ReportRecord | undefined {
  if (typeof line !== 'string') return undefined;
  const trimmed = line.trimStart();
  if (trimmed.startsWith('{')) return parseJsonReport(trimmed);
  if (/^REPORT\s/.test(trimmed)) return parseTextReport(trimmed);
  return undefined;
}

/**
 * Finds the REPORT record for `requestId` in a multi-line log, such as the decoded `X-Amz-Log-Result`.
 *
 * Without `requestId` it returns the last REPORT in the log, which for an invoke tail is the invocation
 * just made. The tail is the last 4 KB only, so its first line may be cut: that line simply does not
 * parse. An `XRAY TraceId:` line right after a text REPORT fills in `xrayTraceId`.
 *
 * @example
 * ```ts
 * const log = decodeLogTail(response.LogResult)
 * const report = findReport(log, response.$metadata.requestId)
 * if (report === undefined) {
 *   // no REPORT: a hard out-of-memory kill can drop it
 * }
 * ```
 */
export function findReport(log: string, requestId?: string): ReportRecord | undefined {
  const lines = log.split(/\r?\n/);
  let found: ReportRecord | undefined;
  for (const [index, line] of lines.entries()) {
    const record = parseReportLine(line);
    if (record === undefined) continue;
    if (requestId !== undefined && record.requestId !== requestId) continue;
    // Keep going: the last match wins, which is the newest record in the log.
    found = record;
    const xray = XRAY_LINE.exec(lines[index + 1] ?? '');
    if (found.xrayTraceId === undefined && xray !== null) found.xrayTraceId = xray[1];
  }
  return found;
}

/**
 * Decodes the base64 `X-Amz-Log-Result` (the SDK's `LogResult`) into text.
 *
 * Missing or empty input gives `''`. Characters that are not base64 are skipped rather than rejected: the
 * log is only ever scanned for REPORT lines, and a damaged tail should cost one record, not the run.
 * Because the tail is cut at 4 KB, a multi-byte character at its start may decode as U+FFFD.
 *
 * @example
 * ```ts
 * decodeLogTail('UkVQT1JUIFJlcXVlc3RJZDogYWJj') // 'REPORT RequestId: abc'
 * decodeLogTail(undefined) // ''
 * ```
 */
export function decodeLogTail(base64: string | undefined): string {
  if (base64 === undefined || base64 === '') return '';
  return Buffer.from(base64, 'base64').toString('utf8');
}

function parseTextReport(line: string): ReportRecord | undefined {
  const fields = textFields(line);
  if (fields === undefined) return undefined;

  const requestId = firstToken(fields.get('RequestId'));
  const durationMs = numberField(fields.get('Duration'), 'ms');
  const billedDurationMs = numberField(fields.get('Billed Duration'), 'ms');
  const memorySizeMb = numberField(fields.get('Memory Size'), 'MB');
  const maxMemoryUsedMb = numberField(fields.get('Max Memory Used'), 'MB');
  if (
    requestId === undefined ||
    durationMs === undefined ||
    billedDurationMs === undefined ||
    memorySizeMb === undefined ||
    maxMemoryUsedMb === undefined
  ) {
    return undefined;
  }

  const optional: Partial<ReportRecord> = {};
  for (const [label, key] of [
    ['Init Duration', 'initDurationMs'],
    ['Restore Duration', 'restoreDurationMs'],
    ['Billed Restore Duration', 'billedRestoreDurationMs']
  ] as const) {
    const raw = fields.get(label);
    if (raw === undefined) continue;
    const value = numberField(raw, 'ms');
    // A field that is present but unreadable means the line is not what we think it is.
    if (value === undefined) return undefined;
    optional[key] = value;
  }

  const errorType = firstToken(fields.get('Error Type'));
  const xrayTraceId = firstToken(fields.get('XRAY TraceId'));
  return {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb,
    ...optional,
    status: toStatus(firstToken(fields.get('Status')), errorType),
    ...(errorType !== undefined ? { errorType } : {}),
    ...(xrayTraceId !== undefined ? { xrayTraceId } : {}),
    format: 'text'
  };
}

/** Splits a text REPORT into label → raw value (the text up to the next label). Undefined on a repeated label. */
function textFields(line: string): Map<TextLabel, string> | undefined {
  const matches = [...line.matchAll(LABEL_PATTERN)];
  const fields = new Map<TextLabel, string>();
  for (const [index, match] of matches.entries()) {
    const label = match[1]!.replace(/\s+/g, ' ') as TextLabel;
    // Two REPORT records glued together, or one with a doubled field: neither can be trusted.
    if (fields.has(label)) return undefined;
    const start = match.index + match[0].length;
    const end = matches[index + 1]?.index ?? line.length;
    fields.set(label, line.slice(start, end));
  }
  return fields;
}

/** The number at the start of a raw value, if its unit (when written) is the expected one. */
function numberField(raw: string | undefined, unit: 'ms' | 'MB'): number | undefined {
  if (raw === undefined) return undefined;
  const match = NUMBER_VALUE.exec(raw.trimStart());
  if (match === null) return undefined;
  if (match[2] !== undefined && match[2] !== unit) return undefined;
  return finiteOrUndefined(Number(match[1]));
}

function firstToken(raw: string | undefined): string | undefined {
  return raw?.trim().split(/\s+/)[0] || undefined;
}

function finiteOrUndefined(value: number): number | undefined {
  // A run of hundreds of digits parses as Infinity: not a duration anyone was billed for.
  return Number.isFinite(value) ? value : undefined;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonReport(line: string): ReportRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // Not JSON (an application line that starts with `{`, or a line cut by the 4 KB tail): not a REPORT.
    return undefined;
  }
  if (!isObject(value) || value.type !== 'platform.report' || !isObject(value.record)) return undefined;
  const { record } = value;
  const { metrics } = record;
  if (typeof record.requestId !== 'string' || record.requestId === '' || !isObject(metrics)) return undefined;

  const durationMs = jsonNumber(metrics.durationMs);
  const billedDurationMs = jsonNumber(metrics.billedDurationMs);
  const memorySizeMb = jsonNumber(metrics.memorySizeMB);
  const maxMemoryUsedMb = jsonNumber(metrics.maxMemoryUsedMB);
  if (
    durationMs === undefined ||
    billedDurationMs === undefined ||
    memorySizeMb === undefined ||
    maxMemoryUsedMb === undefined
  ) {
    return undefined;
  }

  const optional: Partial<ReportRecord> = {};
  for (const key of ['initDurationMs', 'restoreDurationMs', 'billedRestoreDurationMs'] as const) {
    // Absent on warm invocations (the crash a peer tool had): absence is normal, a wrong type is not.
    if (metrics[key] === undefined || metrics[key] === null) continue;
    const metric = jsonNumber(metrics[key]);
    if (metric === undefined) return undefined;
    optional[key] = metric;
  }

  const { status, errorType } = record;
  if (status !== undefined && typeof status !== 'string') return undefined;
  if (errorType !== undefined && typeof errorType !== 'string') return undefined;
  const xrayTraceId = jsonTraceId(record.tracing);
  return {
    requestId: record.requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb,
    ...optional,
    status: toStatus(status, errorType),
    ...(errorType !== undefined ? { errorType } : {}),
    ...(xrayTraceId !== undefined ? { xrayTraceId } : {}),
    format: 'json'
  };
}

function jsonNumber(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 0 && Number.isFinite(value) ? value : undefined;
}

/** JSON logs carry the trace header (`Root=1-…;Parent=…;Sampled=1`); the trace id is its Root. */
function jsonTraceId(tracing: unknown): string | undefined {
  if (!isObject(tracing) || typeof tracing.value !== 'string') return undefined;
  return /(?:^|;)\s*Root=([^;\s]+)/.exec(tracing.value)?.[1];
}
