/** Builders of hand-made samples, summaries and prices for the sweep core's tests. */
import type { QuantileEstimate } from '../../../src/analyze/percentiles.js';
import type { QuantileSummary, SizeSummary } from '../../../src/analyze/size-summary.js';
import type { PriceTable } from '../../../src/pricing/cost.js';
import type { Sample } from '../../../src/sweep/types.js';
import { recommend } from '../../../src/analyze/recommend.js';
import { summarizeSize } from '../../../src/analyze/size-summary.js';
import type { RunReport } from '../../../src/report/run-report.js';
import { VERSION } from '../../../src/version.js';

/** us-east-1 x86 on-demand prices, written out so the expected costs can be worked by hand. */
export const PRICES: PriceTable = {
  gbSecondUsd: 0.0000166667,
  requestUsd: 0.0000002,
  storageGbSecondUsd: 0.0000000309,
  source: 'test prices'
};

/** A measured warm success at 1024 MB unless told otherwise. */
export function sample(overrides: Partial<Sample> = {}): Sample {
  return {
    memoryMb: 1024,
    version: '3',
    payloadIndex: 0,
    phase: 'measure',
    durationMs: 100,
    billedDurationMs: 100,
    maxMemoryUsedMb: 70,
    roundTripMs: 110,
    reportSource: 'tail',
    startedAt: 1_700_000_000_000,
    ...overrides
  };
}

/** A throttled or refused call: no REPORT at all. */
export function failedCall(kind: 'throttled' | 'client', overrides: Partial<Sample> = {}): Sample {
  return {
    memoryMb: 1024,
    version: '3',
    payloadIndex: 0,
    phase: 'measure',
    roundTripMs: 5,
    error: kind,
    reportSource: 'none',
    startedAt: 1_700_000_000_000,
    ...overrides
  };
}

function estimate(p: number, value: number): QuantileEstimate {
  return { p, value, confidence: 0.95, enough: false, samplesNeeded: 299 };
}

export function quantiles(mean: number, p99 = mean * 1.5): QuantileSummary {
  return {
    count: 10,
    mean,
    max: p99,
    p50: estimate(0.5, mean),
    p90: estimate(0.9, mean * 1.2),
    p95: estimate(0.95, mean * 1.3),
    p99: estimate(0.99, p99)
  };
}

/** A usable size with the given cost per invocation (USD) and mean duration (ms). */
export function sizeSummary(
  memoryMb: number,
  costPerInvocationUsd: number,
  meanMs: number,
  overrides: Partial<SizeSummary> = {}
): SizeSummary {
  return {
    memoryMb,
    version: String(memoryMb),
    measured: 10,
    errors: 0,
    errorRate: 0,
    errorsByKind: { handled: 0, unhandled: 0, timeout: 0, 'out-of-memory': 0, throttled: 0, client: 0 },
    warmupErrors: 0,
    unusable: false,
    duration: quantiles(meanMs),
    roundTrip: quantiles(meanMs + 10),
    billedDurationMeanMs: Math.ceil(meanMs),
    costPerInvocationUsd,
    costPerMillionUsd: costPerInvocationUsd * 1_000_000,
    maxMemoryUsedMb: 60,
    memoryUsedShare: 60 / memoryMb,
    coldStarts: 1,
    measuredColdStarts: 0,
    init: quantiles(200),
    unpriced: 0,
    totalCostUsd: costPerInvocationUsd * 11,
    ...overrides
  };
}

/** A small but complete run report: one size, a cold warm-up, jobs, a throttle. */
export function exampleReport(): RunReport {
  const samples = [
    sample({ phase: 'warmup', initDurationMs: 180.5, billedDurationMs: 281 }),
    sample({ requestId: 'a', jobs: 2 }),
    sample({ requestId: 'b', jobs: 2, durationMs: 120, billedDurationMs: 120 }),
    failedCall('throttled')
  ];
  const size = summarizeSize({ memoryMb: 1024, version: '3', samples, prices: PRICES });
  return {
    schemaVersion: 1,
    tool: { name: 'lambda-cost-gate', version: VERSION },
    runId: 'lcg-20260101-abc',
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:03:12Z',
    git: { commit: '0123abc', ref: 'refs/pull/7/merge' },
    function: {
      name: 'orders',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      region: 'us-east-1',
      architecture: 'arm64',
      runtime: 'nodejs22.x',
      memorySizeBefore: 512,
      codeSha256: 'abc=',
      deployMode: 'temporary-copy'
    },
    plan: {
      memorySizes: [1024],
      invocations: 3,
      warmup: 1,
      concurrency: 2,
      payloadCount: 1,
      payloadWeights: [1],
      jobsPerInvocation: { kind: 'fixed', count: 2 },
      strategy: 'balanced',
      balancedWeight: 0.5,
      confidence: 0.95
    },
    pricing: {
      region: 'us-east-1',
      architecture: 'arm64',
      gbSecondUsd: PRICES.gbSecondUsd,
      requestUsd: PRICES.requestUsd,
      storageGbSecondUsd: PRICES.storageGbSecondUsd,
      source: PRICES.source,
      readOn: '2026-11-25'
    },
    sizes: [size],
    recommendation: recommend([size], 'balanced', 0.5),
    sweepCost: { invocations: samples.length, usd: size.totalCostUsd },
    samples,
    warnings: ['p99 of 2 samples is no better than the sample maximum'],
    payloads: ['{}']
  };
}
