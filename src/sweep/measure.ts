/**
 * The measuring part of a sweep: the interleaved schedule over the published versions and, with adaptive
 * sampling, the batches that follow it at the sizes still open. Every batch is planned by the same seeded
 * interleaving, so drift during the run hits every size of a batch alike; batch sizes come from the caller's
 * stopping rule, which sees counts and figures but never changes what was already measured.
 */
import type { PreparedDeployment } from '../deploy/deployer.js';
import type { AdaptiveSampling, SweepDependencies, SweepRequest } from './engine.js';
import { type BaselineArm, buildSchedule } from './plan.js';
import { runScheduleWithBaseline } from './runner.js';
import type { FunctionState, Sample } from './types.js';

/** What the sweep measured: the candidate's samples and the live baseline's, each in the order made. */
export interface Measured {
  samples: Sample[];
  baselineSamples: Sample[];
  /** Batches after the first schedule (adaptive sampling only). */
  extraBatches: number;
}

/**
 * Runs the first schedule and, with adaptive sampling, the batches the looks ask for, until every adaptive
 * size has stopped or the signal aborts.
 *
 * @example
 * ```ts
 * const { samples } = await measure(request, deps, prepared, undefined);
 * ```
 */
export async function measure(
  request: SweepRequest,
  deps: SweepDependencies,
  prepared: PreparedDeployment,
  live: FunctionState | undefined
): Promise<Measured> {
  const { options, adaptive } = request;
  const swept = new Set(prepared.versions.map((v) => v.memoryMb));
  const adaptiveSizes = new Set((adaptive?.sizes ?? []).filter((size) => swept.has(size)));
  const invocationsBySize = new Map(
    (options.sizeInvocations ?? []).filter((s) => swept.has(s.memoryMb)).map((s) => [s.memoryMb, s.invocations])
  );
  for (const size of adaptiveSizes) invocationsBySize.set(size, adaptive!.firstBatch);
  const liveArm = live && options.liveBaseline ? { memoryMb: live.memorySize } : undefined;
  const livePlanned = options.liveBaseline?.invocations ?? 0;
  const firstLive = adaptive && adaptiveSizes.size > 0 ? Math.min(livePlanned, adaptive.firstBatch) : livePlanned;
  const seed = request.seed ?? 1;
  const schedule = buildSchedule({
    memorySizes: prepared.versions.map((v) => v.memoryMb),
    invocations: options.invocations,
    warmup: options.warmup,
    payloads: options.payloads,
    seed,
    invocationsBySize,
    ...(liveArm ? { baselineArm: { ...liveArm, invocations: firstLive } } : {})
  });
  const versionCount = prepared.versions.length + (live ? 1 : 0);
  deps.onProgress?.({
    type: 'phase',
    message: `Invoking ${versionCount} versions ${schedule.length} times, ${options.concurrency} at a time`
  });
  const first = await runBatch(request, deps, prepared, live, schedule);
  const measured: Measured = { ...first, extraBatches: 0 };
  if (!adaptive || adaptiveSizes.size === 0) return measured;

  let liveLeft = livePlanned - firstLive;
  const open = new Set(adaptiveSizes);
  while (open.size > 0 && !deps.signal?.aborted) {
    const batches = nextBatches(adaptive, open, measured);
    if (batches.size === 0) break;
    const liveBatch = liveArm ? Math.min(liveLeft, Math.max(...batches.values())) : 0;
    liveLeft -= liveBatch;
    const baselineArm: BaselineArm | undefined =
      liveArm && liveBatch > 0 ? { ...liveArm, invocations: liveBatch } : undefined;
    measured.extraBatches += 1;
    const batch = await runBatch(
      request,
      deps,
      prepared,
      live,
      buildSchedule({
        memorySizes: [...batches.keys()],
        invocations: 1,
        warmup: 0,
        payloads: options.payloads,
        seed: seed + measured.extraBatches,
        invocationsBySize: batches,
        ...(baselineArm ? { baselineArm } : {})
      })
    );
    measured.samples.push(...batch.samples);
    measured.baselineSamples.push(...batch.baselineSamples);
  }
  return measured;
}

/** Asks each open size's look for its next batch; a size whose look says 0 is closed. */
function nextBatches(adaptive: AdaptiveSampling, open: Set<number>, measured: Measured): Map<number, number> {
  const batches = new Map<number, number>();
  for (const size of [...open].sort((a, b) => a - b)) {
    const atSize = measured.samples.filter((sample) => sample.memoryMb === size);
    const next = adaptive.look(size, atSize, measured.baselineSamples);
    if (Number.isInteger(next) && next > 0) batches.set(size, next);
    else open.delete(size);
  }
  return batches;
}

/**
 * Runs one planned batch against the prepared versions (or, for a grid, against `slots`: the version of each
 * schedule slot, whose numbers are then not memory sizes and are kept out of the progress by size).
 *
 * @example
 * ```ts
 * const { samples } = await runBatch(request, deps, prepared, undefined, schedule);
 * ```
 */
export async function runBatch(
  request: SweepRequest,
  deps: SweepDependencies,
  prepared: PreparedDeployment,
  live: FunctionState | undefined,
  schedule: ReturnType<typeof buildSchedule>,
  slots?: ReadonlyMap<number, string>
): Promise<{ samples: Sample[]; baselineSamples: Sample[] }> {
  const { options } = request;
  return runScheduleWithBaseline({
    lambda: deps.lambda,
    ...(deps.logs ? { logs: deps.logs } : {}),
    functionName: prepared.target.name,
    logGroup: prepared.target.logGroup,
    versions: slots ?? new Map(prepared.versions.map((v) => [v.memoryMb, v.version])),
    ...(live && options.liveBaseline
      ? { baseline: { functionName: options.functionName, qualifier: options.liveBaseline.qualifier } }
      : {}),
    schedule,
    payloads: options.payloads,
    concurrency: options.concurrency,
    ...(options.jobsPerInvocation ? { jobsPerInvocation: options.jobsPerInvocation } : {}),
    ...(deps.onProgress && !slots ? { onProgress: deps.onProgress } : {}),
    ...(deps.signal ? { signal: deps.signal } : {})
  });
}
