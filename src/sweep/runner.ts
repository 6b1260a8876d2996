/**
 * Runs a planned schedule of invocations against published versions: a fixed number in flight,
 * taken in the schedule's interleaved order, each read back from its REPORT line (from the log
 * tail, or from CloudWatch Logs when the tail lacks it), with progress as it goes.
 */
import { performance } from 'node:perf_hooks';
import { decodeLogTail, findReport, parseReportLine, type ReportRecord } from '../analyze/report-line.js';
import { classify } from './classify.js';
import type { PlannedInvocation } from './plan.js';
import type { JobsPerInvocation, LambdaPort, LogsPort, ProgressEvent, Sample, WeightedPayload } from './types.js';

export interface RunnerOptions {
  lambda: LambdaPort;
  /** Used only when a log tail has no REPORT line. */
  logs?: LogsPort;
  functionName: string;
  logGroup: string;
  /** The published version for each memory size in the schedule. */
  versions: ReadonlyMap<number, string>;
  /** What the schedule's live-baseline invocations call: the deployed function and its alias or version. */
  baseline?: { functionName: string; qualifier: string };
  schedule: readonly PlannedInvocation[];
  payloads: readonly WeightedPayload[];
  concurrency: number;
  jobsPerInvocation?: JobsPerInvocation;
  onProgress?: (event: ProgressEvent) => void;
  /** Stops taking new invocations; those in flight finish. */
  signal?: AbortSignal;
  /** How often, and how long apart, CloudWatch Logs is asked for a missing REPORT. */
  logLookup?: { attempts: number; delayMs: number };
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_LOG_LOOKUP = { attempts: 5, delayMs: 1000 };

/** Runs the schedule and returns one sample per invocation made, in the order they started. */
export async function runSchedule(options: RunnerOptions): Promise<Sample[]> {
  return (await runScheduleWithBaseline(options)).samples;
}

/**
 * Runs the schedule; the live baseline's samples (planned with `arm: 'baseline'`) come back apart from the
 * candidate's, each list in the order the invocations started.
 */
export async function runScheduleWithBaseline(
  options: RunnerOptions
): Promise<{ samples: Sample[]; baselineSamples: Sample[] }> {
  const samples: Array<Sample | undefined> = new Array<Sample | undefined>(options.schedule.length);
  const progress = new ProgressTracker(options.schedule, options.onProgress);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.schedule.length && !options.signal?.aborted) {
      const index = next;
      next += 1;
      const planned = options.schedule[index]!;
      const sample = await invokeOnce(options, planned);
      samples[index] = sample;
      if (planned.arm !== 'baseline') progress.record(sample);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.schedule.length));
  await Promise.all(Array.from({ length: workers }, worker));
  progress.finish();
  const candidate: Sample[] = [];
  const baseline: Sample[] = [];
  for (const [index, sample] of samples.entries()) {
    if (sample) (options.schedule[index]!.arm === 'baseline' ? baseline : candidate).push(sample);
  }
  return { samples: candidate, baselineSamples: baseline };
}

async function invokeOnce(options: RunnerOptions, planned: PlannedInvocation): Promise<Sample> {
  const live = planned.arm === 'baseline' ? options.baseline : undefined;
  if (planned.arm === 'baseline' && !live) throw new Error('The schedule has a live baseline but no qualifier to call');
  const version = live ? live.qualifier : options.versions.get(planned.memoryMb);
  if (version === undefined) throw new Error(`No version was published for ${planned.memoryMb} MB`);
  const payload = options.payloads[planned.payloadIndex]?.json ?? '{}';
  const startedAt = Date.now();
  const started = performance.now();
  const outcome = await options.lambda.invoke(live ? live.functionName : options.functionName, version, payload);
  const roundTripMs = performance.now() - started;
  let report = outcome.failure ? undefined : findReport(decodeLogTail(outcome.logResult), outcome.requestId);
  let reportSource: Sample['reportSource'] = report ? 'tail' : 'none';
  if (!report && !outcome.failure && outcome.requestId && options.logs) {
    report = await reportFromLogs(options, outcome.requestId, startedAt);
    if (report) reportSource = 'logs';
  }
  return classify({
    memoryMb: planned.memoryMb,
    plannedVersion: version,
    payloadIndex: planned.payloadIndex,
    phase: planned.phase,
    outcome,
    report,
    reportSource,
    roundTripMs,
    startedAt,
    ...(options.jobsPerInvocation ? { jobsPerInvocation: options.jobsPerInvocation } : {})
  });
}

/** Log delivery lags the invocation by a second or more, so the lookup is retried. */
async function reportFromLogs(
  options: RunnerOptions,
  requestId: string,
  since: number
): Promise<ReportRecord | undefined> {
  const { attempts, delayMs } = options.logLookup ?? DEFAULT_LOG_LOOKUP;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await sleep(delayMs);
    const line = await options.logs!.findReportLine(options.logGroup, requestId, since - 1000);
    const report = line === undefined ? undefined : parseReportLine(line);
    if (report) return report;
  }
  return undefined;
}

/**
 * Reports each size's progress at 25 % steps and when it completes: readable in CI logs, where a
 * line per invocation would bury everything else.
 */
class ProgressTracker {
  private readonly totals = new Map<number, number>();
  private readonly done = new Map<number, number>();
  private readonly errors = new Map<number, number>();
  private readonly reportedStep = new Map<number, number>();

  constructor(
    schedule: readonly PlannedInvocation[],
    private readonly emit: ((event: ProgressEvent) => void) | undefined
  ) {
    for (const planned of schedule) {
      if (planned.arm === 'baseline') continue;
      this.totals.set(planned.memoryMb, (this.totals.get(planned.memoryMb) ?? 0) + 1);
    }
  }

  record(sample: Sample): void {
    const memory = sample.memoryMb;
    const done = (this.done.get(memory) ?? 0) + 1;
    this.done.set(memory, done);
    if (sample.error) this.errors.set(memory, (this.errors.get(memory) ?? 0) + 1);
    const total = this.totals.get(memory) ?? done;
    const step = Math.floor((done / total) * 4);
    if (step > (this.reportedStep.get(memory) ?? 0)) {
      this.reportedStep.set(memory, step);
      this.emit?.({ type: 'size', memoryMb: memory, done, total, errors: this.errors.get(memory) ?? 0 });
    }
  }

  finish(): void {
    const done = [...this.done.values()].reduce((a, b) => a + b, 0);
    const errors = [...this.errors.values()].reduce((a, b) => a + b, 0);
    this.emit?.({ type: 'phase', message: `${done} invocations made, ${errors} with errors` });
  }
}
