/**
 * The run report's schema: what `lambda-cost-gate` writes after a sweep and reads back as a baseline.
 *
 * The zod schema is the single source: the TypeScript type is inferred from it, and
 * `schema/run-report.v1.schema.json` is generated from it (`npm run schema`), so every `.describe()` here is
 * the published documentation. Readers ignore properties they do not know, so a later tool may add optional
 * fields within schemaVersion 1; removing or changing a field needs schemaVersion 2.
 */
import { z } from 'zod';
import type { QuantileEstimate } from '../analyze/percentiles.js';
import type { Recommendation } from '../analyze/recommend.js';
import type { QuantileSummary, SizeSummary } from '../analyze/size-summary.js';
import type { Sample } from '../sweep/types.js';
import { fittedRecommendationSchema, sizeSamplingSchema } from './run-report-extras.js';
import { gridSchema } from './run-report-grid.js';

/** The version this tool writes. */
export const RUN_REPORT_SCHEMA_VERSION = 1;

/** The versions this tool reads. */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1];

/** The JSON Schema's `$id`: a URN, since the schema is published in the repository, not at a URL. */
export const RUN_REPORT_SCHEMA_ID = 'urn:lambda-cost-gate:schema:run-report:v1';

const count = () => z.number().int().min(0);
const amount = () => z.number().min(0);
const CURRENCY = ", in the price table's currency (USD unless overridden)";
const ms = (what: string) => amount().describe(`${what}, in ms`);
const usd = (what: string) => amount().describe(`${what}${CURRENCY}`);
const architecture = z.enum(['x86_64', 'arm64']).describe('Instruction set architecture');
const strategy = z.enum(['cost', 'speed', 'balanced']).describe('What the recommendation optimises');
const errorKind = z
  .enum(['handled', 'unhandled', 'timeout', 'out-of-memory', 'throttled', 'client'])
  .meta({ id: 'ErrorKind', description: 'Why an invocation did not count as a success' });

export const quantileEstimateSchema = z
  .object({
    p: z.number().min(0).max(1).describe('The probability: 0.99 for p99'),
    value: z.number().describe('The sample quantile, by linear interpolation between order statistics (type 7)'),
    lower: z.number().optional().describe('Lower end of the distribution-free interval (a sample value)'),
    upper: z.number().optional().describe('Upper end of the distribution-free interval (a sample value)'),
    confidence: z.number().gt(0).lt(1).describe('Confidence of the interval, e.g. 0.95'),
    enough: z.boolean().describe('Whether the samples bracket the quantile at that confidence'),
    note: z.string().optional().describe('Why the estimate is weak, when it is'),
    samplesNeeded: z.number().int().min(1).optional().describe('The fewest samples for which an interval exists')
  })
  .meta({ id: 'QuantileEstimate', description: 'A quantile with its order-statistic confidence interval' });

export const quantileSummarySchema = z
  .object({
    count: z.number().int().min(1).describe('Values summarised'),
    mean: z.number().describe('Arithmetic mean'),
    max: z.number().describe('Largest value'),
    p50: quantileEstimateSchema,
    p90: quantileEstimateSchema,
    p95: quantileEstimateSchema,
    p99: quantileEstimateSchema
  })
  .meta({
    id: 'QuantileSummary',
    description: 'Count, mean, maximum and quantiles of a set of values; null where there were none'
  });

export const sampleSchema = z
  .object({
    memoryMb: z.number().int().min(1).describe('Memory size of the version invoked, in MB'),
    version: z.string().describe('The version that ran (X-Amz-Executed-Version)'),
    payloadIndex: count().describe('Index of the payload sent, into plan.payloadWeights'),
    phase: z.enum(['warmup', 'measure']).describe('Warm-ups are not in the latency statistics'),
    requestId: z.string().optional().describe('Lambda request id'),
    durationMs: ms('REPORT Duration (excludes INIT)').optional(),
    billedDurationMs: ms('REPORT Billed Duration (includes INIT on a cold start)').optional(),
    initDurationMs: ms('REPORT Init Duration; present on cold starts only').optional(),
    maxMemoryUsedMb: z.number().min(0).optional().describe('REPORT Max Memory Used, in MB'),
    roundTripMs: ms('Client-side wall time of the Invoke call'),
    error: errorKind.optional(),
    errorType: z.string().optional().describe("Lambda's error type, e.g. Runtime.OutOfMemory"),
    jobs: z.number().min(0).optional().describe('Jobs the invocation did, when the sweep counts jobs'),
    jobDurationsMs: z
      .array(amount())
      .optional()
      .describe("Each job's own duration in ms, from the response's jobDurationsMs (when the sweep counts jobs)"),
    threads: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Worker threads the function used, from the response's threads"),
    elapsedMs: ms("Wall time of the batch inside the handler, from the response's elapsedMs").optional(),
    reportSource: z.enum(['tail', 'logs', 'none']).describe('Where the REPORT line came from'),
    startedAt: z.number().describe('When the call started, in epoch ms')
  })
  .meta({ id: 'Sample', description: 'One invocation, as measured' });

export const sizeSummarySchema = z
  .object({
    memoryMb: z.number().int().min(1).describe('Memory size, in MB'),
    version: z.string().describe('The published version that was measured'),
    measured: count().describe('Measured invocations, whatever their outcome'),
    errors: count().describe('Measured invocations that failed'),
    errorRate: z.number().min(0).max(1).describe('errors / measured; 0 when nothing was measured'),
    errorsByKind: z.record(errorKind, count()).describe('Measured failures by kind'),
    warmupErrors: count().describe('Warm-up invocations that failed'),
    unusable: z.boolean().describe('An out-of-memory or timeout in any phase disqualifies the size'),
    unusableReason: z.string().optional().describe('Why the size is unusable'),
    duration: quantileSummarySchema.nullable().describe('REPORT Duration of measured successes, in ms'),
    roundTrip: quantileSummarySchema.nullable().describe('Client round trip of measured successes, in ms'),
    billedDurationMeanMs: amount().nullable().describe('Mean billed duration of billed measured invocations, in ms'),
    costPerInvocationUsd: amount().nullable().describe(`Mean cost of a billed measured invocation${CURRENCY}`),
    costPerMillionUsd: amount().nullable().describe(`Cost of a million such invocations${CURRENCY}`),
    costPerJobUsd: usd('Measured cost / measured jobs').optional(),
    jobsPerInvocationMean: z.number().min(0).optional().describe('Jobs per billed measured invocation'),
    maxMemoryUsedMb: z.number().min(0).nullable().describe('Peak Max Memory Used of any invocation, in MB'),
    memoryUsedShare: z.number().min(0).nullable().describe('maxMemoryUsedMb / memoryMb'),
    coldStarts: count().describe('Invocations with an Init Duration, either phase'),
    measuredColdStarts: count().describe('Cold starts among the measured invocations'),
    init: quantileSummarySchema.nullable().describe('Init Duration of the cold starts, in ms'),
    unpriced: count().describe('Invocations that ran but whose REPORT was lost: billed, amount unknown'),
    totalCostUsd: usd("What this size's priced invocations cost, warm-ups included")
  })
  .meta({ id: 'SizeSummary', description: "One memory size's results" });

export const recommendationSchema = z
  .object({
    strategy,
    memoryMb: z.number().int().min(1).nullable().describe('The recommended size, in MB; null when none is usable'),
    reason: z.string().describe('One sentence saying why'),
    costBasis: z.enum(['invocation', 'job']).describe('Whether cost was compared per job or per invocation'),
    balancedWeight: z.number().min(0).max(1).describe('Weight of cost against speed, 0 to 1'),
    cheapest: z.number().int().nullable().describe('The cost strategy pick, in MB'),
    fastest: z.number().int().nullable().describe('The speed strategy pick, in MB'),
    balanced: z.number().int().nullable().describe('The balanced strategy pick, in MB'),
    candidates: z.array(z.number().int()).describe('Sizes considered, ascending'),
    excluded: z
      .array(
        z.object({
          memoryMb: z.number().int().describe('The size, in MB'),
          reason: z.string().describe('Why it was not considered')
        })
      )
      .describe('Sizes not considered, and why')
  })
  .meta({ id: 'Recommendation', description: 'The memory size to use, and the picks of every strategy' });

const jobsPerInvocation = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('fixed').describe('Every invocation does the same number of jobs'),
      count: z.number().min(0).describe('Jobs per invocation')
    }),
    z.object({
      kind: z.literal('response-path').describe("Jobs are read from each invocation's response"),
      path: z.string().describe('Where in the response JSON the count is')
    })
  ])
  .describe('How jobs per invocation were counted');

export const runReportSchema = z
  .object({
    schemaVersion: z.literal(RUN_REPORT_SCHEMA_VERSION).describe('Version of this format; readers refuse others'),
    tool: z
      .object({ name: z.string().describe('Always lambda-cost-gate'), version: z.string().describe('Its version') })
      .describe('The tool that wrote the report'),
    runId: z.string().describe('Identifies the run in version descriptions and tags'),
    startedAt: z.iso.datetime().describe('When the run started (ISO 8601, UTC)'),
    finishedAt: z.iso.datetime().describe('When the run finished (ISO 8601, UTC)'),
    git: z
      .object({
        commit: z.string().optional().describe('Commit SHA'),
        ref: z.string().optional().describe('Git ref, e.g. refs/pull/7/merge'),
        repository: z.string().optional().describe('owner/name')
      })
      .optional()
      .describe('The code measured, when known'),
    function: z
      .object({
        name: z.string().describe('Function name'),
        arn: z.string().describe('Unqualified ARN'),
        region: z.string().describe('AWS region'),
        architecture,
        runtime: z.string().describe('Lambda runtime, e.g. nodejs22.x'),
        memorySizeBefore: z.number().int().min(1).describe('Memory size before the run, in MB'),
        codeSha256: z.string().describe('CodeSha256 of the code measured'),
        deployMode: z.enum(['in-place', 'temporary-copy']).describe('Where the versions were made'),
        ephemeralStorageMb: z
          .number()
          .int()
          .min(512)
          .optional()
          .describe('Ephemeral storage (/tmp) of the function, in MB; storage above 512 MB is billed'),
        qualifier: z
          .string()
          .optional()
          .describe('For a live baseline: the alias or version of the deployed function that was measured')
      })
      .describe('The function swept'),
    plan: z
      .object({
        memorySizes: z.array(z.number().int().min(1)).describe('Sizes swept, in MB'),
        invocations: z.number().int().min(1).describe('Measured invocations per size'),
        sizeInvocations: z
          .array(
            z.object({
              memoryMb: z.number().int().min(1).describe('The size, in MB'),
              invocations: z.number().int().min(1).describe('Measured invocations at that size')
            })
          )
          .optional()
          .describe('Sizes measured more often than `invocations` (the gated sizes)'),
        warmup: count().describe('Warm-up invocations per size'),
        concurrency: z.number().int().min(1).describe('Invocations in flight at once'),
        payloadCount: count().describe('Payloads sent'),
        payloadWeights: z.array(z.number().min(0)).describe('Relative weight of each payload'),
        jobsPerInvocation: jobsPerInvocation.optional(),
        strategy,
        balancedWeight: z.number().min(0).max(1).describe('Weight of cost against speed, 0 to 1'),
        confidence: z.number().gt(0).lt(1).describe('Confidence of the quantile intervals')
      })
      .describe('What the run was asked to do'),
    pricing: z
      .object({
        region: z.string().describe('The region priced'),
        architecture,
        gbSecondUsd: usd('Per GB-second of duration'),
        requestUsd: usd('Per request'),
        storageGbSecondUsd: usd('Per GB-second of ephemeral storage above 512 MB'),
        source: z.string().describe('Where the prices came from'),
        readOn: z.iso.date().describe('The day the price table was read (YYYY-MM-DD)')
      })
      .describe('The prices every cost was computed with'),
    sizes: z.array(sizeSummarySchema).describe('One summary per memory size, ascending'),
    recommendation: recommendationSchema,
    sweepCost: z
      .object({ invocations: count().describe('Invocations the sweep made'), usd: usd('What the sweep cost') })
      .describe("The run's own invocations and their cost"),
    grid: gridSchema.optional().describe('A grid sweep: every cell of memory × knob × architecture (issue 8)'),
    sampling: z.array(sizeSamplingSchema).optional().describe('How each gated size was sampled (gate runs only)'),
    fittedRecommendation: fittedRecommendationSchema
      .optional()
      .describe('The duration model fitted over the sizes, and each strategy’s optimum between them'),
    samples: z.array(sampleSchema).describe('Every invocation, in the order made'),
    warnings: z.array(z.string()).describe('Things a reader should know, in words'),
    payloads: z.array(z.string()).optional().describe('The payloads sent; only when the user asked to include them')
  })
  .describe('What a lambda-cost-gate sweep measured and recommends');

/** The run report, as written and as read back. */
export type RunReport = z.infer<typeof runReportSchema>;

/**
 * The JSON Schema of the run report (draft 2020-12), with `$id` and title, from {@link runReportSchema}.
 *
 * @example
 * ```ts
 * JSON.stringify(runReportJsonSchema(), null, 2) // what scripts/write-schema.ts formats and writes
 * ```
 */
export function runReportJsonSchema(): Record<string, unknown> {
  // io 'input' describes what a reader accepts: unknown properties are allowed (and ignored).
  const { $schema, ...rest } = z.toJSONSchema(runReportSchema, { io: 'input' }) as Record<string, unknown>;
  return { $schema, $id: RUN_REPORT_SCHEMA_ID, title: 'lambda-cost-gate run report, schemaVersion 1', ...rest };
}

// The hand-written interfaces of the analysis and this schema must not drift apart: these fail to compile if
// either side gains, loses or retypes a field.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameEstimate: Same<z.infer<typeof quantileEstimateSchema>, QuantileEstimate> = true;
const _sameQuantiles: Same<z.infer<typeof quantileSummarySchema>, QuantileSummary> = true;
const _sameSize: Same<z.infer<typeof sizeSummarySchema>, SizeSummary> = true;
const _sameRecommendation: Same<z.infer<typeof recommendationSchema>, Recommendation> = true;
const _sameSample: Same<z.infer<typeof sampleSchema>, Sample> = true;
