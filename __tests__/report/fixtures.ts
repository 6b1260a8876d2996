/** Hand-made gate outcomes for the renderer's tests: no sweep, no comparison code, every figure chosen. */
import type { QuantileEstimate } from '../../src/analyze/percentiles.js';
import type { QuantileSummary } from '../../src/analyze/size-summary.js';
import type { CheckResult, Interval, SideFigures, SizeComparison } from '../../src/compare/types.js';
import type { FunctionOutcome, GateOutcome, RunContext } from '../../src/gate/types.js';
import type { RunReport } from '../../src/report/run-report-schema.js';

type Size = RunReport['sizes'][number];

export const NOW = new Date('2026-03-10T12:00:00Z');
export const MARKER = '<!-- lambda-cost-gate:comment:my-fn -->';
export const RUN: RunContext = {
  repository: 'octo/shop',
  commit: 'fedcba9876543210fedcba9876543210fedcba98',
  runUrl: 'https://github.com/octo/shop/actions/runs/777',
  pullRequest: 42
};

export function interval(estimate: number, lower: number, upper: number): Interval {
  return { estimate, lower, upper, confidence: 0.95 };
}

function estimate(p: number, value: number, enough: boolean): QuantileEstimate {
  return enough
    ? { p, value, lower: value * 0.95, upper: value * 1.05, confidence: 0.95, enough }
    : { p, value, confidence: 0.95, enough, samplesNeeded: 299 };
}

function quantiles(p50: number, p99: number, count: number): QuantileSummary {
  const enough = count >= 299;
  return {
    count,
    mean: p50,
    max: p99,
    p50: estimate(0.5, p50, true),
    p90: estimate(0.9, p50 * 1.2, true),
    p95: estimate(0.95, p50 * 1.3, enough),
    p99: estimate(0.99, p99, enough)
  };
}

/** A usable size: 400 samples (enough for a p99 interval), cost falling with speed. */
export function reportSize(memoryMb: number, overrides: Partial<Size> = {}): Size {
  const p50 = 100_000 / memoryMb;
  return {
    memoryMb,
    version: String(memoryMb),
    measured: 400,
    errors: 0,
    errorRate: 0,
    errorsByKind: { handled: 0, unhandled: 0, timeout: 0, 'out-of-memory': 0, throttled: 0, client: 0 },
    warmupErrors: 0,
    unusable: false,
    duration: quantiles(p50, p50 * 2, 400),
    roundTrip: quantiles(p50 + 10, p50 * 2 + 10, 400),
    billedDurationMeanMs: Math.ceil(p50),
    costPerInvocationUsd: 0.0000002 + (memoryMb / 1024) * (p50 / 1000) * 0.0000166667,
    costPerMillionUsd: 0.2 + (memoryMb / 1024) * (p50 / 1000) * 16.6667,
    maxMemoryUsedMb: 90,
    memoryUsedShare: 90 / memoryMb,
    coldStarts: 2,
    measuredColdStarts: 1,
    init: quantiles(210, 260, 2),
    unpriced: 0,
    totalCostUsd: 0.001,
    ...overrides
  };
}

export function runReport(overrides: Partial<RunReport> = {}, sizes = [512, 1024, 2048]): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'lambda-cost-gate', version: '0.1.0' },
    runId: 'lcg-1',
    startedAt: '2026-03-10T11:00:00.000Z',
    finishedAt: '2026-03-10T11:05:00.000Z',
    git: { commit: '0123456789abcdef0123456789abcdef01234567' },
    function: {
      name: 'my-fn',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn',
      region: 'us-east-1',
      architecture: 'x86_64',
      runtime: 'nodejs22.x',
      memorySizeBefore: 1024,
      codeSha256: 'c29tZS1jb2Rl',
      deployMode: 'temporary-copy'
    },
    plan: {
      memorySizes: sizes,
      invocations: 400,
      warmup: 5,
      concurrency: 4,
      payloadCount: 1,
      payloadWeights: [1],
      strategy: 'balanced',
      balancedWeight: 0.5,
      confidence: 0.95
    },
    pricing: {
      region: 'us-east-1',
      architecture: 'x86_64',
      gbSecondUsd: 0.0000166667,
      requestUsd: 0.0000002,
      storageGbSecondUsd: 0.0000000309,
      source: 'built-in price table',
      readOn: '2026-02-01'
    },
    sizes: sizes.map((mb) => reportSize(mb)),
    recommendation: {
      strategy: 'balanced',
      memoryMb: 1024,
      reason: '1024 MB balances cost and speed best.',
      costBasis: 'invocation',
      balancedWeight: 0.5,
      cheapest: sizes[0] ?? null,
      fastest: sizes[sizes.length - 1] ?? null,
      balanced: 1024,
      candidates: sizes,
      excluded: []
    },
    sweepCost: { invocations: 1215, usd: 0.0123 },
    samples: [],
    warnings: [],
    ...overrides
  };
}

export function side(overrides: Partial<SideFigures> = {}): SideFigures {
  return {
    samples: 400,
    p50Ms: 97.7,
    p99Ms: interval(412, 398, 430),
    costPerMillionUsd: interval(1.83, 1.8, 1.86),
    errorRate: 0,
    errors: 0,
    measured: 400,
    maxMemoryUsedMb: 90,
    memoryUsedShare: 90 / 1024,
    coldStarts: 2,
    ...overrides
  };
}

export function check(
  budget: CheckResult['budget'],
  verdict: CheckResult['verdict'],
  overrides: Partial<CheckResult> = {}
): CheckResult {
  const defaults: Record<CheckResult['budget'], Pick<CheckResult, 'limit' | 'observed'>> = {
    'cost-increase': { limit: 0.05, observed: interval(0.021, 0.01, 0.032) },
    'p99-increase': { limit: 0.1, observed: interval(0.182, 0.12, 0.251) },
    'cost-per-million': { limit: 5, observed: interval(1.83, 1.8, 1.86) },
    'p99-ms': { limit: 500, observed: interval(412, 398, 430) },
    'error-rate': { limit: 0.01, observed: interval(0, 0, 0.009) },
    'monthly-increase': { limit: 100, observed: interval(25, 12, 38) }
  };
  return { budget, verdict, ...defaults[budget], reason: `${budget} judged ${verdict}.`, ...overrides };
}

export function sizeComparison(memoryMb: number, overrides: Partial<SizeComparison> = {}): SizeComparison {
  const checks = overrides.checks ?? [check('p99-increase', 'pass', { observed: interval(0.012, -0.02, 0.04) })];
  const verdict = checks.some((c) => c.verdict === 'fail')
    ? 'fail'
    : checks.some((c) => c.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  return {
    memoryMb,
    costBasis: 'invocation',
    candidate: side(),
    baseline: side({ p99Ms: interval(349, 340, 360), costPerMillionUsd: interval(1.79, 1.76, 1.82) }),
    costChange: interval(0.021, 0.01, 0.032),
    p99Change: interval(0.012, -0.02, 0.04),
    checks,
    verdict,
    ...overrides
  };
}

export function fnOutcome(
  overrides: Partial<FunctionOutcome> = {},
  sizes: SizeComparison[] = [sizeComparison(1024)]
): FunctionOutcome {
  const verdict = sizes.some((s) => s.verdict === 'fail')
    ? 'fail'
    : sizes.some((s) => s.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  return {
    functionName: 'my-fn',
    report: runReport(),
    baseline: {
      kind: 'artifact',
      commit: '0123456789abcdef0123456789abcdef01234567',
      runId: 555,
      runUrl: 'https://github.com/octo/shop/actions/runs/555',
      measuredAt: '2026-03-08T09:00:00Z'
    },
    comparison: { functionName: 'my-fn', sizes, verdict, hasBaseline: true },
    reportPath: 'lambda-cost-gate/my-fn.json',
    ...overrides
  };
}

export function gateOutcome(functions: FunctionOutcome[], overrides: Partial<GateOutcome> = {}): GateOutcome {
  const order = ['pass', 'skipped', 'inconclusive', 'fail'] as const;
  const worst = functions.reduce<(typeof order)[number]>(
    (acc, fn) => (order.indexOf(fn.comparison.verdict) > order.indexOf(acc) ? fn.comparison.verdict : acc),
    'pass'
  );
  return { mode: 'compare', verdict: worst, functions, notices: [], ...overrides };
}

/** A function that breached its p99 budget at 1024 MB. */
export function failingFn(overrides: Partial<FunctionOutcome> = {}): FunctionOutcome {
  return fnOutcome(overrides, [
    sizeComparison(1024, {
      p99Change: interval(0.182, 0.12, 0.251),
      checks: [check('p99-increase', 'fail'), check('cost-increase', 'pass')]
    })
  ]);
}
