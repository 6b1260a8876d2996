/** Builders of Lambda log lines for the logs tests. */

/** A deterministic lowercase UUID from a number. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export interface ReportSpec {
  requestId: string;
  durationMs: number;
  billedMs?: number;
  memoryMb?: number;
  maxMemoryMb?: number;
  initMs?: number;
  /** Appended after the numbers, e.g. `\tStatus: timeout`. */
  extra?: string;
}

/** A text-format REPORT line as Lambda writes it (tab-separated, trailing tab and newline). */
export function reportLine(spec: ReportSpec): string {
  const init = spec.initMs === undefined ? '' : `Init Duration: ${spec.initMs.toFixed(2)} ms\t`;
  return (
    `REPORT RequestId: ${spec.requestId}\tDuration: ${spec.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${spec.billedMs ?? Math.ceil(spec.durationMs)} ms\tMemory Size: ${spec.memoryMb ?? 128} MB\t` +
    `Max Memory Used: ${spec.maxMemoryMb ?? 64} MB\t${init}${spec.extra ?? ''}\n`
  );
}

/** START, END and REPORT of one invocation at `timestamp`. */
export function invocation(timestamp: number, spec: ReportSpec): { timestamp: number; message: string }[] {
  return [
    { timestamp, message: `START RequestId: ${spec.requestId} Version: $LATEST\n` },
    { timestamp: timestamp + Math.ceil(spec.durationMs), message: `END RequestId: ${spec.requestId}\n` },
    { timestamp: timestamp + Math.ceil(spec.durationMs), message: reportLine(spec) }
  ];
}

/** A JSON-format platform.report event (Lambda's JSON log format). */
export function jsonReport(time: number, spec: ReportSpec, status = 'success'): string {
  return JSON.stringify({
    time: new Date(time).toISOString(),
    type: 'platform.report',
    record: {
      requestId: spec.requestId,
      metrics: {
        durationMs: spec.durationMs,
        billedDurationMs: spec.billedMs ?? Math.ceil(spec.durationMs),
        memorySizeMB: spec.memoryMb ?? 128,
        maxMemoryUsedMB: spec.maxMemoryMb ?? 64,
        ...(spec.initMs === undefined ? {} : { initDurationMs: spec.initMs })
      },
      status
    }
  });
}

/** The nearest-rank percentile, computed independently of the emulator. */
export function nearestRankPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1] as number;
}

export const DAY = 86_400_000;
