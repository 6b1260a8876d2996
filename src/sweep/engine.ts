/**
 * One sweep, end to end: deploy the candidate as one version per memory size, run the interleaved
 * schedule, put the function back and delete what the run made (always, also on failure), then
 * price, summarise and recommend into a run report. AWS is reached only through the ports.
 */
import { recommend } from '../analyze/recommend.js';
import { summarizeSize, type SizeSummary } from '../analyze/size-summary.js';
import { Deployment, type PreparedDeployment } from '../deploy/deployer.js';
import { LambdaCostGateError, errorMessage } from '../errors.js';
import { priceTable, type PriceOverrides } from '../pricing/cost.js';
import { PRICES_READ_ON } from '../pricing/prices.js';
import { RUN_REPORT_SCHEMA_VERSION, type RunReport } from '../report/run-report-schema.js';
import { buildSchedule } from './plan.js';
import { runSchedule } from './runner.js';
import type { LambdaPort, LogsPort, ProgressEvent, Sample, SweepOptions } from './types.js';

export interface SweepRequest {
  options: SweepOptions;
  confidence: number;
  includePayloads: boolean;
  priceOverrides: PriceOverrides;
  /** Seed of the schedule's order; the same seed gives the same order. */
  seed?: number;
}

export interface SweepDependencies {
  lambda: LambdaPort;
  logs?: LogsPort;
  toolVersion: string;
  log?: (line: string) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** Stops starting invocations (e.g. on SIGTERM); the run still cleans up. */
  signal?: AbortSignal;
  git?: { commit?: string; ref?: string; repository?: string };
  now?: () => Date;
}

/** The sweep failed, and cleaning up after it failed too: both are in the message. */
export class SweepFailedError extends LambdaCostGateError {
  constructor(
    cause: unknown,
    readonly cleanupError: unknown
  ) {
    super(`${errorMessage(cause)}. Cleaning up afterwards also failed: ${errorMessage(cleanupError)}`, { cause });
  }
}

export async function runSweep(request: SweepRequest, deps: SweepDependencies): Promise<RunReport> {
  const { options } = request;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const startedAt = now();
  const deployment = new Deployment(deps.lambda, options.functionName, options, {
    log,
    ...(deps.onProgress ? { progress: deps.onProgress } : {})
  });
  let prepared: PreparedDeployment;
  let samples: Sample[];
  let codeSha256: string;
  try {
    prepared = await deployment.prepare();
    codeSha256 = await measuredCode(deps.lambda, prepared);
    samples = await measure(request, deps, prepared);
  } catch (error) {
    await deployment.cleanup().catch((cleanupError: unknown) => {
      throw new SweepFailedError(error, cleanupError);
    });
    throw error;
  }
  await deployment.cleanup();
  return buildReport(request, deps, { ...prepared, codeSha256 }, samples, startedAt, now());
}

/** The versions hold the code measured (the candidate, when one was deployed); `$LATEST` may not. */
async function measuredCode(lambda: LambdaPort, prepared: PreparedDeployment): Promise<string> {
  const first = prepared.versions[0];
  if (!first) return prepared.target.codeSha256;
  return (await lambda.getFunction(prepared.target.name, first.version)).codeSha256;
}

async function measure(
  request: SweepRequest,
  deps: SweepDependencies,
  prepared: PreparedDeployment
): Promise<Sample[]> {
  const { options } = request;
  const schedule = buildSchedule({
    memorySizes: prepared.versions.map((v) => v.memoryMb),
    invocations: options.invocations,
    warmup: options.warmup,
    payloads: options.payloads,
    seed: request.seed ?? 1
  });
  deps.onProgress?.({
    type: 'phase',
    message: `Invoking ${prepared.versions.length} versions ${schedule.length} times, ${options.concurrency} at a time`
  });
  return runSchedule({
    lambda: deps.lambda,
    ...(deps.logs ? { logs: deps.logs } : {}),
    functionName: prepared.target.name,
    logGroup: prepared.target.logGroup,
    versions: new Map(prepared.versions.map((v) => [v.memoryMb, v.version])),
    schedule,
    payloads: options.payloads,
    concurrency: options.concurrency,
    ...(options.jobsPerInvocation ? { jobsPerInvocation: options.jobsPerInvocation } : {}),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    ...(deps.signal ? { signal: deps.signal } : {})
  });
}

function buildReport(
  request: SweepRequest,
  deps: SweepDependencies,
  prepared: PreparedDeployment & { codeSha256: string },
  samples: Sample[],
  startedAt: Date,
  finishedAt: Date
): RunReport {
  const { options } = request;
  const { target, original } = prepared;
  const prices = priceTable(target.region, target.architecture, request.priceOverrides);
  const sizes = prepared.versions
    .map((v) =>
      summarizeSize({
        memoryMb: v.memoryMb,
        version: v.version,
        samples: samples.filter((s) => s.memoryMb === v.memoryMb),
        prices,
        ephemeralStorageMb: target.ephemeralStorageMb,
        confidence: request.confidence
      })
    )
    .sort((a, b) => a.memoryMb - b.memoryMb);
  return {
    schemaVersion: RUN_REPORT_SCHEMA_VERSION,
    tool: { name: 'lambda-cost-gate', version: deps.toolVersion },
    runId: options.runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    ...(deps.git ? { git: deps.git } : {}),
    function: {
      name: original.name,
      arn: original.arn,
      region: target.region,
      architecture: target.architecture,
      runtime: target.runtime,
      memorySizeBefore: original.memorySize,
      codeSha256: prepared.codeSha256,
      deployMode: options.mode
    },
    plan: {
      memorySizes: sizes.map((s) => s.memoryMb),
      invocations: options.invocations,
      warmup: options.warmup,
      concurrency: options.concurrency,
      payloadCount: options.payloads.length,
      payloadWeights: options.payloads.map((p) => p.weight),
      ...(options.jobsPerInvocation ? { jobsPerInvocation: options.jobsPerInvocation } : {}),
      strategy: options.strategy,
      balancedWeight: options.balancedWeight,
      confidence: request.confidence
    },
    pricing: {
      region: target.region,
      architecture: target.architecture,
      gbSecondUsd: prices.gbSecondUsd,
      requestUsd: prices.requestUsd,
      storageGbSecondUsd: prices.storageGbSecondUsd,
      source: prices.source,
      readOn: PRICES_READ_ON
    },
    sizes,
    recommendation: recommend(sizes, options.strategy, options.balancedWeight),
    sweepCost: { invocations: samples.length, usd: sizes.reduce((sum, s) => sum + s.totalCostUsd, 0) },
    samples,
    warnings: [
      ...(deps.signal?.aborted
        ? [`The run was cancelled after ${samples.length} invocations; the figures cover those only.`]
        : []),
      ...warningsFor(sizes, samples, prepared, request.confidence)
    ],
    ...(request.includePayloads ? { payloads: options.payloads.map((p) => p.json) } : {})
  };
}

/** What a reader must know to trust the numbers, in words. */
function warningsFor(
  sizes: SizeSummary[],
  samples: Sample[],
  prepared: PreparedDeployment,
  confidence: number
): string[] {
  const warnings: string[] = [];
  for (const size of sizes) {
    if (size.unusable) warnings.push(`${size.memoryMb} MB is unusable: ${size.unusableReason ?? 'it failed'}.`);
    if (size.unpriced > 0) {
      warnings.push(`${size.memoryMb} MB: ${size.unpriced} invocations had no REPORT line, so their cost is unknown.`);
    }
  }
  const p99 = sizes.find((s) => s.duration && !s.duration.p99.enough)?.duration?.p99;
  if (p99) {
    warnings.push(
      `p99 is not estimated: ${p99.note ?? `more samples are needed for a ${Math.round(confidence * 100)} % interval`}.`
    );
  }
  const reused = prepared.versions.filter((v) => !v.created);
  if (reused.length > 0) {
    warnings.push(
      `Lambda returned existing versions (${reused.map((v) => v.version).join(', ')}) because nothing had changed; they were measured and kept.`
    );
  }
  const strays = samples.filter(
    (s) => !prepared.versions.some((v) => v.version === s.version && v.memoryMb === s.memoryMb)
  );
  if (strays.length > 0) warnings.push(`${strays.length} invocations ran a version other than the one invoked.`);
  return warnings;
}
