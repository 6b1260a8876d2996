/**
 * The platform's own log lines for an invocation (START, END, REPORT), in Lambda's text or JSON
 * format, and the 4 KB tail that `X-Amz-Log-Type: Tail` returns.
 */
import type { InvocationResult } from '../runtime/types.js';

/** Lambda's tail is the last 4 KB of the invocation's log. */
export const LOG_TAIL_BYTES = 4096;

export interface PlatformLogInput {
  requestId: string;
  version: string;
  memorySize: number;
  format: 'Text' | 'JSON';
  result: InvocationResult;
  /** When the invocation started and ended (epoch ms). */
  startedAt: number;
  endedAt: number;
}

/** Billed duration: the invocation's duration plus init on a cold start, rounded up to 1 ms. */
export function billedDurationMs(result: Pick<InvocationResult, 'durationMs' | 'initDurationMs'>): number {
  return Math.max(1, Math.ceil(result.durationMs + (result.initDurationMs ?? 0)));
}

/** Every line the invocation writes, in order, each with its timestamp. */
export function invocationLog(input: PlatformLogInput): Array<{ timestamp: number; message: string }> {
  const { requestId, result, format, startedAt, endedAt } = input;
  const lines: Array<{ timestamp: number; message: string }> = [];
  if (format === 'JSON') {
    lines.push({ timestamp: startedAt, message: JSON.stringify(jsonStart(input)) });
    for (const line of result.logLines) {
      lines.push({ timestamp: startedAt, message: JSON.stringify(jsonApplicationLine(line, requestId, startedAt)) });
    }
    lines.push({ timestamp: endedAt, message: JSON.stringify(jsonReport(input)) });
    return lines;
  }
  lines.push({ timestamp: startedAt, message: `START RequestId: ${requestId} Version: ${input.version}` });
  for (const line of result.logLines) lines.push({ timestamp: startedAt, message: line });
  lines.push({ timestamp: endedAt, message: `END RequestId: ${requestId}` });
  lines.push({ timestamp: endedAt, message: textReport(input) });
  return lines;
}

/** `REPORT RequestId: … Duration: … Billed Duration: …` with the fields Lambda adds when they apply. */
export function textReport(input: PlatformLogInput): string {
  const { requestId, result, memorySize } = input;
  const fields = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${result.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(result)} ms`,
    `Memory Size: ${memorySize} MB`,
    `Max Memory Used: ${result.maxMemoryUsedMb} MB`
  ];
  if (result.initDurationMs !== undefined) fields.push(`Init Duration: ${result.initDurationMs.toFixed(2)} ms`);
  if (result.status === 'timeout') fields.push('Status: timeout');
  else if (result.status === 'error' && result.errorType === 'Runtime.OutOfMemory') {
    fields.push('Status: error', `Error Type: ${result.errorType}`);
  }
  // Lambda ends the line with a tab too.
  return `${fields.join('\t')}\t`;
}

function jsonStart(input: PlatformLogInput): Record<string, unknown> {
  return {
    time: new Date(input.startedAt).toISOString(),
    type: 'platform.start',
    record: { requestId: input.requestId, version: input.version }
  };
}

function jsonReport(input: PlatformLogInput): Record<string, unknown> {
  const { result } = input;
  const metrics: Record<string, number> = {
    durationMs: round2(result.durationMs),
    billedDurationMs: billedDurationMs(result),
    memorySizeMB: input.memorySize,
    maxMemoryUsedMB: result.maxMemoryUsedMb
  };
  if (result.initDurationMs !== undefined) metrics.initDurationMs = round2(result.initDurationMs);
  const status = result.status === 'success' ? 'success' : result.status === 'timeout' ? 'timeout' : 'error';
  return {
    time: new Date(input.endedAt).toISOString(),
    type: 'platform.report',
    record: {
      requestId: input.requestId,
      metrics,
      status,
      ...(result.status !== 'success' && result.errorType ? { errorType: result.errorType } : {})
    }
  };
}

function jsonApplicationLine(line: string, requestId: string, at: number): Record<string, unknown> {
  // Text lines from the runtime look like `<time>\t<requestId>\t<LEVEL>\t<message>`.
  const parts = line.split('\t');
  const level = parts.length >= 4 ? parts[2] : 'INFO';
  const message = parts.length >= 4 ? parts.slice(3).join('\t') : line;
  return { timestamp: new Date(at).toISOString(), level, requestId, message };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Base64 of the last 4 KB of the log, cut on a line boundary where possible, like Lambda's tail. */
export function logTail(lines: Array<{ message: string }>): string {
  const text = Buffer.from(lines.map((line) => `${line.message}\n`).join(''));
  return text.subarray(Math.max(0, text.length - LOG_TAIL_BYTES)).toString('base64');
}
