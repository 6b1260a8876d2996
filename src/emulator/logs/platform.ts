/**
 * Lambda's text-format platform lines (START, END, REPORT): parsed once when they are stored, so
 * Logs Insights reads numbers instead of re-parsing strings, and rebuilt on demand, so the store
 * can drop the message text when the rebuilt line is byte-for-byte the original.
 */

/** What kind of platform line an event is (0 = an ordinary log line). */
export const LineType = { Other: 0, Start: 1, End: 2, Report: 3 } as const;
export type LineType = (typeof LineType)[keyof typeof LineType];

/** The numbers of a REPORT line, as Lambda prints them (ms and MB). */
export interface ReportFields {
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** NaN when the line has no Init Duration (a warm start). */
  initDurationMs: number;
}

/** A parsed platform line. `canonical` says the line can be rebuilt exactly from the other fields. */
export interface PlatformLine {
  type: LineType;
  requestId: string;
  /** START only: the version number, or NaN for `$LATEST`. */
  version: number;
  report?: ReportFields;
  /** Index into {@link SUFFIXES} of what follows the canonical text, or -1 if it cannot be rebuilt. */
  suffix: number;
}

/** What may trail a platform line that the store can still rebuild (Lambda ends lines with `\t\n`). */
export const SUFFIXES = ['', '\t', '\n', '\t\n'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A lowercase UUID, the only request id form {@link packUuid} can store. */
export const isUuid = (s: string): boolean => UUID.test(s);

// Field order is fixed in Lambda's output; whitespace between fields is tabs, but copies pasted
// through other tools often have spaces, so any run of whitespace is accepted.
const REPORT_LINE =
  /^REPORT RequestId:\s*(\S+)\s+Duration:\s*(\d+(?:\.\d+)?)\s*ms\s+Billed Duration:\s*(\d+(?:\.\d+)?)\s*ms\s+Memory Size:\s*(\d+)\s*MB\s+Max Memory Used:\s*(\d+)\s*MB(?:\s+Init Duration:\s*(\d+(?:\.\d+)?)\s*ms)?/;
const START_LINE = /^START RequestId:\s*(\S+)(?:\s+Version:\s*(\S+))?/;
const END_LINE = /^END RequestId:\s*(\S+)/;

// The exact form Lambda writes. A line matching it is rebuilt byte for byte by
// formatPlatformCore: integers have no leading zeros and at most 15 digits (String(Number(x)) === x)
// and decimals have exactly two places (Number(x).toFixed(2) === x at these magnitudes), so the
// check needs no formatting, which keeps appends cheap.
const U = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const INT = '(0|[1-9]\\d{0,14})';
const DEC = '((?:0|[1-9]\\d{0,12})\\.\\d\\d)';
const END_OF_LINE = '(\\t\\n|\\t|\\n)?$';
const CANONICAL_REPORT = new RegExp(
  `^REPORT RequestId: ${U}\\tDuration: ${DEC} ms\\tBilled Duration: ${INT} ms\\tMemory Size: ${INT} MB\\t` +
    `Max Memory Used: ${INT} MB(?:\\tInit Duration: ${DEC} ms)?${END_OF_LINE}`
);
const CANONICAL_START = new RegExp(`^START RequestId: ${U} Version: (\\$LATEST|[1-9]\\d{0,8})${END_OF_LINE}`);
const CANONICAL_END = new RegExp(`^END RequestId: ${U}${END_OF_LINE}`);

const suffixIndex = (captured: string | undefined): number =>
  SUFFIXES.indexOf((captured ?? '') as (typeof SUFFIXES)[number]);

/** Parses a START/END/REPORT line; undefined for anything else (including JSON-format logs). */
export function parsePlatformLine(message: string): PlatformLine | undefined {
  const c = message.charCodeAt(0);
  // A cheap first-character test keeps ordinary application lines off the regex engine.
  if (c === 82 /* R */ && message.startsWith('REPORT ')) {
    const strict = CANONICAL_REPORT.exec(message);
    const m = strict ?? REPORT_LINE.exec(message);
    if (!m) return undefined;
    const report: ReportFields = {
      durationMs: Number(m[2]),
      billedDurationMs: Number(m[3]),
      memorySizeMb: Number(m[4]),
      maxMemoryUsedMb: Number(m[5]),
      initDurationMs: m[6] === undefined ? NaN : Number(m[6])
    };
    return {
      type: LineType.Report,
      requestId: m[1] ?? '',
      version: NaN,
      report,
      suffix: strict ? suffixIndex(m[7]) : -1
    };
  }
  if (c === 83 /* S */ && message.startsWith('START ')) {
    const strict = CANONICAL_START.exec(message);
    if (strict) {
      const version = strict[2] === '$LATEST' ? NaN : Number(strict[2]);
      return { type: LineType.Start, requestId: strict[1] ?? '', version, suffix: suffixIndex(strict[3]) };
    }
    const m = START_LINE.exec(message);
    return m ? { type: LineType.Start, requestId: m[1] ?? '', version: NaN, suffix: -1 } : undefined;
  }
  if (c === 69 /* E */ && message.startsWith('END ')) {
    const strict = CANONICAL_END.exec(message);
    const m = strict ?? END_LINE.exec(message);
    return m
      ? { type: LineType.End, requestId: m[1] ?? '', version: NaN, suffix: strict ? suffixIndex(m[2]) : -1 }
      : undefined;
  }
  return undefined;
}

/** The canonical text of a platform line without its trailing whitespace. */
export function formatPlatformCore(line: Omit<PlatformLine, 'suffix'>): string {
  switch (line.type) {
    case LineType.Start:
      return `START RequestId: ${line.requestId} Version: ${Number.isNaN(line.version) ? '$LATEST' : line.version}`;
    case LineType.End:
      return `END RequestId: ${line.requestId}`;
    case LineType.Report: {
      const r = line.report as ReportFields;
      const init = Number.isNaN(r.initDurationMs) ? '' : `\tInit Duration: ${r.initDurationMs.toFixed(2)} ms`;
      return (
        `REPORT RequestId: ${line.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ` +
        `${r.billedDurationMs} ms\tMemory Size: ${r.memorySizeMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB${init}`
      );
    }
    default:
      return '';
  }
}

/** Packs a lowercase UUID into 4 words (16 bytes instead of a ~56-byte string per event). */
export function packUuid(uuid: string, into: Uint32Array, at: number): void {
  let word = 0;
  let digits = 0;
  let k = at;
  for (let i = 0; i < uuid.length; i++) {
    const c = uuid.charCodeAt(i);
    if (c === 45 /* - */) continue;
    word = word * 16 + (c <= 57 ? c - 48 : c - 87);
    if (++digits === 8) {
      into[k++] = word;
      word = 0;
      digits = 0;
    }
  }
}

/** Inverse of {@link packUuid}. */
export function unpackUuid(from: Uint32Array, at: number): string {
  let hex = '';
  for (let k = 0; k < 4; k++) hex += (from[at + k] ?? 0).toString(16).padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Insights reports `@memorySize` and `@maxMemoryUsed` in bytes. AWS's own sample queries convert
 * them back with `/1000/1000` (AWS Lambda Operator Guide, "Useful Insights queries",
 * serverlessland.com/content/service/lambda/guides/aws-lambda-operator-guide/useful-queries, and the
 * CloudWatch Logs sample query "Determine the amount of overprovisioned memory"), so a REPORT
 * line's `128 MB` is 128 × 1,000,000 here, not × 1,048,576.
 */
export const BYTES_PER_REPORTED_MB = 1_000_000;
