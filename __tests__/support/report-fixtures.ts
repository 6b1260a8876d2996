/**
 * Builders of realistic run reports for tests: seeded log-normal durations, billed as Lambda bills them,
 * summarised by the real analysis, so every report passes `parseRunReport`.
 *
 * Each size's warm successes are exactly the durations given (or drawn), so a test knows its latency sample
 * count; errors, cold starts, throttles and warm-ups are added on top and draw from their own stream, so
 * adding them never changes the warm durations.
 */
import { recommend } from '../../src/analyze/recommend.js';
import { summarizeSize } from '../../src/analyze/size-summary.js';
import type { PriceTable } from '../../src/pricing/cost.js';
import type { RunReport } from '../../src/report/run-report-schema.js';
import { mulberry32 } from '../../src/sweep/plan.js';
import type { ErrorKind, Sample } from '../../src/sweep/types.js';
import { VERSION } from '../../src/version.js';

/** us-east-1 arm64 on-demand prices. */
export const FIXTURE_PRICES: PriceTable = {
  gbSecondUsd: 0.0000133334,
  requestUsd: 0.0000002,
  storageGbSecondUsd: 0.0000000309,
  source: 'fixture prices (us-east-1 arm64)'
};

/** Durations drawn from a log-normal distribution: median · e^(sigma·Z). */
export interface LogNormal {
  median: number;
  sigma: number;
  n: number;
}

/** One memory size of a fixture report. */
export interface FixtureSize {
  memoryMb: number;
  /** REPORT Duration of every measured warm success, ms, or the log-normal to draw them from. */
  durations: number[] | LogNormal;
  /** Measured invocations that ran and failed (billed, 0 jobs), on top of the warm successes. */
  errors?: number;
  errorKind?: Exclude<ErrorKind, 'throttled' | 'client'>;
  /** Measured calls that were throttled: never ran, no REPORT, no cost. */
  throttled?: number;
  /** Measured cold starts (billed with INIT), on top of the warm successes. */
  coldStarts?: number;
  /** Warm-up invocations before measuring; the first is a cold start. */
  warmup?: number;
  /** Jobs every successful invocation did; failures did 0. Absent: the run did not count jobs. */
  jobs?: number;
  /** REPORT Max Memory Used of every invocation; 40 % of the size by default. */
  maxMemoryUsedMb?: number;
}

/** What {@link buildRunReport} builds. */
export interface FixtureOptions {
  sizes: FixtureSize[];
  /** 'orders' by default. */
  functionName?: string;
  /** Seed of every draw; 1 by default. */
  seed?: number;
  /** Prices written into the report (and used by its summaries); {@link FIXTURE_PRICES} by default. */
  prices?: Partial<Omit<PriceTable, 'source'>>;
  commit?: string;
}

/**
 * n durations from a log-normal distribution, rounded to REPORT's 0.01 ms, from a seed.
 *
 * @example
 * ```ts
 * logNormalDurations({ median: 100, sigma: 0.2, n: 300 }, 7) // 300 values around 100 ms
 * ```
 */
export function logNormalDurations(distribution: LogNormal, seed: number): number[] {
  const random = mulberry32(seed);
  const values: number[] = [];
  for (let i = 0; i < distribution.n; i++) {
    values.push(Math.max(0.01, round2(distribution.median * Math.exp(distribution.sigma * normal(random)))));
  }
  return values;
}

/**
 * A complete run report (schemaVersion 1) with the given sizes.
 *
 * @example
 * ```ts
 * const report = buildRunReport({
 *   functionName: 'orders',
 *   sizes: [{ memoryMb: 1024, durations: { median: 100, sigma: 0.2, n: 300 }, errors: 1, coldStarts: 2 }],
 *   seed: 7
 * });
 * parseRunReport(report); // passes
 * ```
 */
export function buildRunReport(options: FixtureOptions): RunReport {
  const { sizes, functionName = 'orders', seed = 1, commit = '0123abc' } = options;
  const prices: PriceTable = { ...FIXTURE_PRICES, ...options.prices };
  const samples: Sample[] = [];
  const summaries = sizes.map((size) => {
    const own = buildSamples(size, seed, samples.length);
    samples.push(...own);
    return summarizeSize({ memoryMb: size.memoryMb, version: String(size.memoryMb), samples: own, prices });
  });
  const first = sizes[0];
  return {
    schemaVersion: 1,
    tool: { name: 'lambda-cost-gate', version: VERSION },
    runId: `lcg-fixture-${seed}`,
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:05:00.000Z',
    git: { commit, ref: 'refs/pull/7/merge', repository: 'acme/orders' },
    function: {
      name: functionName,
      arn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
      region: 'us-east-1',
      architecture: 'arm64',
      runtime: 'nodejs22.x',
      memorySizeBefore: first?.memoryMb ?? 128,
      codeSha256: 'fixture=',
      deployMode: 'temporary-copy'
    },
    plan: {
      memorySizes: sizes.map((size) => size.memoryMb),
      invocations: Math.max(1, ...summaries.map((summary) => summary.measured)),
      warmup: Math.max(0, ...sizes.map((size) => size.warmup ?? 0)),
      concurrency: 4,
      payloadCount: 1,
      payloadWeights: [1],
      ...(sizes.some((size) => size.jobs !== undefined)
        ? { jobsPerInvocation: { kind: 'response-path' as const, path: 'jobs' } }
        : {}),
      strategy: 'balanced',
      balancedWeight: 0.5,
      confidence: 0.95
    },
    pricing: {
      region: 'us-east-1',
      architecture: 'arm64',
      gbSecondUsd: prices.gbSecondUsd,
      requestUsd: prices.requestUsd,
      storageGbSecondUsd: prices.storageGbSecondUsd,
      source: prices.source,
      readOn: '2026-11-25'
    },
    sizes: summaries,
    recommendation: recommend(summaries, 'balanced', 0.5),
    sweepCost: {
      invocations: samples.length,
      usd: summaries.reduce((sum, summary) => sum + summary.totalCostUsd, 0)
    },
    samples,
    warnings: []
  };
}

function buildSamples(size: FixtureSize, seed: number, offset: number): Sample[] {
  const { memoryMb } = size;
  const warm = Array.isArray(size.durations)
    ? size.durations
    : logNormalDurations(size.durations, mix(seed, memoryMb, 1));
  // Extras draw from their own stream around the warm median, so adding them leaves the warm durations alone.
  const random = mulberry32(mix(seed, memoryMb, 2));
  const typical = warm.length > 0 ? [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)]! : 100;
  const draw = () => Math.max(0.01, round2(typical * Math.exp(0.2 * normal(random))));
  const maxMemoryUsedMb = size.maxMemoryUsedMb ?? Math.round(memoryMb * 0.4);
  const samples: Sample[] = [];
  const add = (phase: Sample['phase'], extra: Partial<Sample>) => {
    samples.push({
      memoryMb,
      version: String(memoryMb),
      payloadIndex: 0,
      phase,
      requestId: `req-${memoryMb}-${offset + samples.length}`,
      maxMemoryUsedMb,
      roundTripMs: round2((extra.durationMs ?? 0) + (extra.initDurationMs ?? 0) + 15),
      reportSource: 'tail',
      startedAt: 1_767_261_600_000 + (offset + samples.length) * 50,
      ...extra
    });
  };
  const billed = (durationMs: number, initMs = 0) => Math.max(1, Math.ceil(durationMs + initMs));
  const jobs = (count: number) => (size.jobs === undefined ? {} : { jobs: count });
  const cold = (phase: Sample['phase']) => {
    const durationMs = round2(draw() * 1.3);
    const initDurationMs = round2(150 + 100 * random());
    add(phase, {
      durationMs,
      initDurationMs,
      billedDurationMs: billed(durationMs, initDurationMs),
      ...jobs(size.jobs ?? 0)
    });
  };

  for (let i = 0; i < (size.warmup ?? 0); i++) {
    if (i === 0) cold('warmup');
    else {
      const durationMs = draw();
      add('warmup', { durationMs, billedDurationMs: billed(durationMs), ...jobs(size.jobs ?? 0) });
    }
  }
  for (let i = 0; i < (size.coldStarts ?? 0); i++) cold('measure');
  for (const durationMs of warm) {
    add('measure', { durationMs, billedDurationMs: billed(durationMs), ...jobs(size.jobs ?? 0) });
  }
  for (let i = 0; i < (size.errors ?? 0); i++) {
    const durationMs = draw();
    const kind = size.errorKind ?? 'handled';
    add('measure', { durationMs, billedDurationMs: billed(durationMs), error: kind, errorType: 'Error', ...jobs(0) });
  }
  for (let i = 0; i < (size.throttled ?? 0); i++) {
    samples.push({
      memoryMb,
      version: String(memoryMb),
      payloadIndex: 0,
      phase: 'measure',
      roundTripMs: 4,
      error: 'throttled',
      errorType: 'TooManyRequestsException',
      reportSource: 'none',
      startedAt: 1_767_261_600_000 + (offset + samples.length) * 50
    });
  }
  return samples;
}

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Independent seeds per size and stream. */
function mix(seed: number, memoryMb: number, stream: number): number {
  let state = (Math.trunc(seed) >>> 0) ^ Math.imul(memoryMb, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 16), 0x7feb352d);
  state = Math.imul(state ^ (state >>> 15), 0x846ca68b);
  return (state ^ (state >>> 16)) >>> 0;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
