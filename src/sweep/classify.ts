/**
 * Turns what an Invoke call returned (and the REPORT line found for it) into a sample: the
 * numbers Lambda billed and the kind of error, if any. Pure.
 *
 * Of the function's own words, only its error type is kept (secret-looking values masked, at most
 * {@link MAX_ERROR_TYPE_LENGTH} characters): never its error message or its result, which may echo
 * the payload or the function's configuration.
 */
import type { ReportRecord } from '../analyze/report-line.js';
import { redact } from '../security/redact.js';
import { readJobs } from './jobs.js';
import type { ErrorKind, InvokeOutcome, JobsPerInvocation, Sample } from './types.js';

export interface ClassifyInput {
  memoryMb: number;
  plannedVersion: string;
  payloadIndex: number;
  phase: Sample['phase'];
  outcome: InvokeOutcome;
  report: ReportRecord | undefined;
  reportSource: Sample['reportSource'];
  roundTripMs: number;
  startedAt: number;
  jobsPerInvocation?: JobsPerInvocation;
}

/**
 * @example
 * classify({ memoryMb: 128, plannedVersion: '3', payloadIndex: 0, phase: 'measure', outcome, report,
 *            reportSource: 'tail', roundTripMs: 12.5, startedAt: Date.now() })
 */
export function classify(input: ClassifyInput): Sample {
  const { outcome, report } = input;
  const error = errorKind(outcome, report);
  let sample: Sample;
  if (report !== undefined && report.requestId) {
    // The usual case, built in one literal so that every such sample shares one compact shape (the keys in
    // the same order as below, which is the order a report has always written them in).
    sample = {
      memoryMb: input.memoryMb,
      version: outcome.executedVersion ?? input.plannedVersion,
      payloadIndex: input.payloadIndex,
      phase: input.phase,
      roundTripMs: input.roundTripMs,
      reportSource: input.reportSource,
      startedAt: input.startedAt,
      requestId: report.requestId,
      durationMs: report.durationMs,
      billedDurationMs: report.billedDurationMs,
      maxMemoryUsedMb: report.maxMemoryUsedMb
    };
    if (report.initDurationMs !== undefined) sample.initDurationMs = report.initDurationMs;
  } else {
    sample = {
      memoryMb: input.memoryMb,
      version: outcome.executedVersion ?? input.plannedVersion,
      payloadIndex: input.payloadIndex,
      phase: input.phase,
      roundTripMs: input.roundTripMs,
      reportSource: input.reportSource,
      startedAt: input.startedAt
    };
    const requestId = report?.requestId ?? outcome.requestId;
    if (requestId) sample.requestId = requestId;
    if (report) {
      sample.durationMs = report.durationMs;
      sample.billedDurationMs = report.billedDurationMs;
      sample.maxMemoryUsedMb = report.maxMemoryUsedMb;
      if (report.initDurationMs !== undefined) sample.initDurationMs = report.initDurationMs;
    }
  }
  if (error) {
    sample.error = error.kind;
    const type = error.type ?? failureType(outcome);
    if (type) sample.errorType = safeErrorType(type);
  } else if (input.jobsPerInvocation) {
    // The count, and the per-job figures when the response reports them (a fixed count reads no response).
    Object.assign(sample, readJobs(input.jobsPerInvocation, outcome.payload));
  }
  return sample;
}

/** An error type is a name (`Runtime.OutOfMemory`, `TypeError`); anything longer is not one. */
export const MAX_ERROR_TYPE_LENGTH = 120;

/** The function's error type as it may be shown: secrets masked, cut to a name's length. */
function safeErrorType(type: string): string {
  const masked = redact(type);
  return masked.length > MAX_ERROR_TYPE_LENGTH ? `${masked.slice(0, MAX_ERROR_TYPE_LENGTH - 1)}…` : masked;
}

/**
 * A call that failed has no Lambda error type; what stands in for it is the exception (throttled) or the
 * call's own words ("socket hang up", "Function not found: …"), so that the report can say why the
 * function never ran.
 */
function failureType(outcome: InvokeOutcome): string | undefined {
  if (!outcome.failure) return undefined;
  if (outcome.failure.kind === 'throttled') return 'TooManyRequestsException';
  return outcome.failure.message.trim() || undefined;
}

/** The error kind, from the REPORT's status first (it is Lambda's word), then the response. */
export function errorKind(
  outcome: InvokeOutcome,
  report: ReportRecord | undefined
): { kind: ErrorKind; type?: string } | undefined {
  if (outcome.failure) return { kind: outcome.failure.kind };
  if (!outcome.functionError) {
    // The function returned normally: its payload is its result, not an error, and is not read. A timeout or
    // an out-of-memory kill still shows in the REPORT (a message-based check only matters for an error body).
    if (report?.status === 'timeout') return { kind: 'timeout', type: report.errorType ?? 'Sandbox.Timedout' };
    if (report?.errorType === 'Runtime.OutOfMemory') return { kind: 'out-of-memory', type: 'Runtime.OutOfMemory' };
    return undefined;
  }
  const body = responseError(outcome.payload);
  if (report?.status === 'timeout' || /Task timed out after/.test(body.message ?? '')) {
    return { kind: 'timeout', type: report?.errorType ?? 'Sandbox.Timedout' };
  }
  if (report?.errorType === 'Runtime.OutOfMemory' || isOutOfMemoryKill(body.message, report)) {
    return { kind: 'out-of-memory', type: 'Runtime.OutOfMemory' };
  }
  if (outcome.functionError === 'Handled') return { kind: 'handled', ...(body.type ? { type: body.type } : {}) };
  if (outcome.functionError) return { kind: 'unhandled', ...(body.type ? { type: body.type } : {}) };
  return undefined;
}

/**
 * Runtimes that predate the `Status` field only say the process was killed; when it used all of
 * its memory, that was the out-of-memory killer.
 */
function isOutOfMemoryKill(message: string | undefined, report: ReportRecord | undefined): boolean {
  if (!message || !/Runtime exited with error: signal: killed/.test(message) || !report) return false;
  return report.maxMemoryUsedMb >= report.memorySizeMb;
}

function responseError(payload: Uint8Array): { type?: string; message?: string } {
  try {
    // A view of the payload's bytes, not a copy.
    const bytes =
      payload instanceof Uint8Array
        ? Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
        : Buffer.from(payload);
    const text = bytes.toString('utf8');
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      return {
        ...(typeof record.errorType === 'string' ? { type: record.errorType } : {}),
        ...(typeof record.errorMessage === 'string' ? { message: record.errorMessage } : {})
      };
    }
  } catch {
    // Not JSON: a function may return anything; it carries no error details then.
  }
  return {};
}
