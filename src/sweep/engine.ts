/**
 * One sweep, end to end: deploy the candidate as one version per memory size, run the interleaved
 * schedule, put the function back and delete what the run made (always, also on failure), then
 * price, summarise and recommend into a run report. AWS is reached only through the ports.
 *
 * With a live baseline (an alias or version of the deployed function), that qualifier is invoked in the
 * same rounds as the candidate, so both meet the same noise: a second report holds its figures.
 */
import type { PriceOverrides } from '../pricing/cost.js';
import type { RunReport } from '../report/run-report-schema.js';
import { buildReport } from './build-report.js';
import { withDeployment } from './deployed.js';
import { runGridSweep } from './grid-sweep.js';
import { refineSweep } from './refine-sweep.js';
import { measure } from './measure.js';
import type { FunctionState, LambdaPort, LogsPort, ProgressEvent, Sample, SweepOptions } from './types.js';

export { SweepFailedError } from './deployed.js';

export interface SweepRequest {
  options: SweepOptions;
  confidence: number;
  includePayloads: boolean;
  priceOverrides: PriceOverrides;
  /** Seed of the schedule's order; the same seed gives the same order. */
  seed?: number;
  /** Sample some sizes adaptively, batch by batch, until a look says stop (the gated sizes of a gate run). */
  adaptive?: AdaptiveSampling;
}

/**
 * Adaptive sampling: the sizes named get `firstBatch` measured invocations in the interleaved schedule; then,
 * after each batch, `look` is asked per size how many more to make (0 = stop), and the next batch invokes
 * the sizes still open (and the live baseline, up to its planned invocations) in the same interleaved rounds.
 * The engine knows nothing of statistics: the stopping rule lives with the caller.
 */
export interface AdaptiveSampling {
  sizes: readonly number[];
  /** Measured invocations at each adaptive size before the first look, ≥ 1. */
  firstBatch: number;
  /**
   * Called after every batch for each open size with every sample so far (candidate's, then the live
   * baseline's; warm-ups included); returns the next batch's measured invocations at that size, 0 to stop.
   */
  look: (memoryMb: number, candidate: readonly Sample[], liveBaseline: readonly Sample[]) => number;
}

export interface SweepDependencies {
  lambda: LambdaPort;
  logs?: LogsPort;
  toolVersion: string;
  log?: (line: string) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** Called with the function as it was, before any change (for a post step that may have to restore it). */
  onOriginal?: (original: FunctionState) => void;
  /** Stops starting invocations (e.g. on SIGTERM); the run still cleans up. */
  signal?: AbortSignal;
  git?: { commit?: string; ref?: string; repository?: string };
  now?: () => Date;
}

/** What a sweep returns: the candidate's report, and the live baseline's when one was measured. */
export interface SweepResult {
  report: RunReport;
  liveBaseline?: RunReport;
}

/** Runs a sweep and returns the candidate's report. See {@link runSweepWithBaseline}. */
export async function runSweep(request: SweepRequest, deps: SweepDependencies): Promise<RunReport> {
  return (await runSweepWithBaseline(request, deps)).report;
}

/**
 * Runs a sweep, with the live baseline when the options ask for one.
 *
 * @example
 * ```ts
 * const { report, liveBaseline } = await runSweepWithBaseline({ options, confidence: 0.95, includePayloads: false,
 *   priceOverrides: {} }, { lambda, logs, toolVersion: VERSION });
 * ```
 */
export async function runSweepWithBaseline(request: SweepRequest, deps: SweepDependencies): Promise<SweepResult> {
  const { options } = request;
  if (options.grid) return runGridSweep(request, deps);
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  // Read before anything changes: a missing alias must stop the run while nothing has been touched.
  const live = options.liveBaseline
    ? await deps.lambda.getFunction(options.functionName, options.liveBaseline.qualifier)
    : undefined;
  const { prepared, codeSha256, measured } = await withDeployment(deps, options.functionName, options, (ready) =>
    measure(request, deps, ready, live)
  );
  const finishedAt = now();
  const swept = buildReport(request, deps, { ...prepared, codeSha256 }, measured.samples, startedAt, finishedAt);
  const report = options.refine
    ? await refineSweep(request, deps, { report: swept, prepared, codeSha256, samples: measured.samples, startedAt })
    : swept;
  if (!live || !options.liveBaseline) return { report };
  const standIn = {
    target: { ...prepared.target, memorySize: live.memorySize },
    original: prepared.original,
    versions: [{ memoryMb: live.memorySize, version: options.liveBaseline.qualifier, created: false }],
    refused: [],
    codeSha256: live.codeSha256,
    qualifier: options.liveBaseline.qualifier
  };
  const baselineRequest = {
    ...request,
    options: { ...options, invocations: options.liveBaseline.invocations, memorySizes: [live.memorySize] }
  };
  delete baselineRequest.options.sizeInvocations;
  const liveBaseline = buildReport(baselineRequest, deps, standIn, measured.baselineSamples, startedAt, finishedAt);
  return { report, liveBaseline };
}
