/**
 * Turns a sweep's samples into the run report: price, summarise and recommend per size, with the
 * warnings a reader needs to trust the numbers. Pure: no I/O.
 */
import { fittedSummary } from '../analyze/fitted-summary.js';
import { recommend } from '../analyze/recommend.js';
import { summarizeSize, type SizeSummary } from '../analyze/size-summary.js';
import type { PreparedDeployment } from '../deploy/deployer.js';
import { priceTable } from '../pricing/cost.js';
import { PRICES_READ_ON } from '../pricing/prices.js';
import { RUN_REPORT_SCHEMA_VERSION, type RunReport } from '../report/run-report-schema.js';
import type { SweepDependencies, SweepRequest } from './engine.js';
import type { Sample } from './types.js';

/** What was measured: the deployment (or, for a live baseline, its stand-in) and the code's SHA-256. */
export type MeasuredDeployment = PreparedDeployment & { codeSha256: string; qualifier?: string };

export function buildReport(
  request: SweepRequest,
  deps: SweepDependencies,
  prepared: MeasuredDeployment,
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
  const report: RunReport = {
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
      deployMode: options.mode,
      ephemeralStorageMb: target.ephemeralStorageMb,
      ...(prepared.qualifier ? { qualifier: prepared.qualifier } : {})
    },
    plan: {
      memorySizes: sizes.map((s) => s.memoryMb),
      invocations: options.invocations,
      ...(options.sizeInvocations ? { sizeInvocations: options.sizeInvocations } : {}),
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
  // A live baseline measures one size: there is no curve to fit.
  if (sizes.length > 1) report.fittedRecommendation = fittedSummary(report);
  return report;
}

/**
 * Invocations that never ran say nothing about the code, only about the run: say how many, and why, so an
 * error rate made of them is not read as the code's. Throttles (429) and failed calls (a 5xx, a dropped
 * connection, a function that vanished) are counted apart.
 */
function callFailures(size: SizeSummary, samples: Sample[]): string[] {
  const lines: string[] = [];
  const of = (kind: 'throttled' | 'client') => {
    const failed = samples.filter((s) => s.error === kind);
    const warmups = failed.filter((s) => s.phase === 'warmup').length;
    const measured = failed.length - warmups;
    const count = `${measured} of ${size.measured} measured invocations${warmups > 0 ? ` (and ${warmups} warm-ups)` : ''}`;
    return { failed, count };
  };
  const throttled = of('throttled');
  if (throttled.failed.length > 0) {
    lines.push(
      `${size.memoryMb} MB: ${throttled.count} were throttled (429 TooManyRequestsException) and never ran; they count ` +
        "as errors and cost nothing. Lower the concurrency, or raise the function's reserved concurrency " +
        "or the account's concurrency limit."
    );
  }
  const client = of('client');
  if (client.failed.length > 0) {
    const why = [...new Set(client.failed.map((s) => s.errorType ?? 'no answer'))].slice(0, 3).join('; ');
    lines.push(
      `${size.memoryMb} MB: ${client.count} failed before the function ran (${why}); they count as errors and cost nothing.`
    );
  }
  return lines;
}

/** What a reader must know to trust the numbers, in words. */
function warningsFor(
  sizes: SizeSummary[],
  samples: Sample[],
  prepared: MeasuredDeployment,
  confidence: number
): string[] {
  const warnings: string[] = [];
  for (const refused of prepared.refused) {
    warnings.push(
      `${refused.memoryMb} MB was not measured: Lambda refused it (${refused.reason}). ` +
        "The account's memory quota may be below 10,240 MB."
    );
  }
  for (const size of sizes) {
    if (size.unusable) warnings.push(`${size.memoryMb} MB is unusable: ${size.unusableReason ?? 'it failed'}.`);
    warnings.push(
      ...callFailures(
        size,
        samples.filter((s) => s.memoryMb === size.memoryMb)
      )
    );
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
  const reused = prepared.qualifier ? [] : prepared.versions.filter((v) => !v.created);
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
