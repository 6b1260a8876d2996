/**
 * The fields of Lambda's REPORT record shared by the tolerant and the fast readers.
 */

/** One invocation's REPORT record, the same whichever log format it came from. */
export interface ReportRecord {
  requestId: string;
  /** Time the handler ran; excludes INIT. */
  durationMs: number;
  /** What Lambda charged for: on a cold start this includes INIT, rounded up to the next ms. */
  billedDurationMs: number;
  memorySizeMb: number;
  /** Peak of the whole execution environment, across every invocation it served so far. */
  maxMemoryUsedMb: number;
  /** Only on a cold start. */
  initDurationMs?: number;
  /** SnapStart only. */
  restoreDurationMs?: number;
  /** SnapStart only. */
  billedRestoreDurationMs?: number;
  status: 'success' | 'error' | 'timeout';
  errorType?: string;
  xrayTraceId?: string;
  format: 'text' | 'json';
}

export type Status = ReportRecord['status'];

/**
 * The labels a text REPORT line may carry, longest first so that `Billed Restore Duration` is not read as
 * `Duration`. The X-Ray labels are here so that a trace id ends where `SegmentId:` begins.
 */
export const TEXT_LABELS = [
  'Billed Restore Duration',
  'Billed Duration',
  'Restore Duration',
  'Init Duration',
  'Max Memory Used',
  'Memory Size',
  'Duration',
  'RequestId',
  'Status',
  'Error Type',
  'XRAY TraceId',
  'SegmentId',
  'Sampled'
] as const;

export type TextLabel = (typeof TEXT_LABELS)[number];

/**
 * Maps Lambda's status words onto ours. JSON says `failure` or `error` for a crash; anything we do not
 * know is treated as an error, because a record that is not plainly a success must not count as one.
 * An error type without a status (older runtimes) is an error too.
 */
export function toStatus(raw: string | undefined, errorType: string | undefined): Status {
  if (raw === undefined) return errorType === undefined ? 'success' : 'error';
  const word = raw.toLowerCase();
  if (word === 'success' || word === 'timeout') return word;
  return 'error';
}
