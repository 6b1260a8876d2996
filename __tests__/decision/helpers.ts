/** Builders for the stopping rule's tests: seeded samples of one size, and the loop the engine would run. */
import { type LookDecision, decideAtLook, type SequentialOptions } from '../../src/decision/sequential.js';
import type { Budgets } from '../../src/compare/types.js';
import { mulberry32 } from '../../src/sweep/plan.js';
import type { Sample } from '../../src/sweep/types.js';
import { FIXTURE_PRICES } from '../support/report-fixtures.js';

/** What to put in a run of samples. */
export interface SampleSpec {
  median: number;
  sigma: number;
  seed: number;
  memoryMb?: number;
  /** Every k-th invocation fails (handled error); 0 for none. */
  errorEvery?: number;
}

/**
 * n measured invocations at one size, log-normal durations, billed as Lambda bills them.
 *
 * @example
 * ```ts
 * samples(400, { median: 100, sigma: 0.1, seed: 1 }).length // 400
 * ```
 */
export function samples(n: number, spec: SampleSpec): Sample[] {
  const random = mulberry32(spec.seed);
  const memoryMb = spec.memoryMb ?? 1024;
  return Array.from({ length: n }, (_, index) => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const durationMs = Math.round(spec.median * Math.exp(spec.sigma * z) * 100) / 100;
    const failed = spec.errorEvery !== undefined && spec.errorEvery > 0 && (index + 1) % spec.errorEvery === 0;
    return {
      memoryMb,
      version: '1',
      payloadIndex: 0,
      phase: 'measure',
      durationMs,
      billedDurationMs: Math.ceil(durationMs),
      maxMemoryUsedMb: 80,
      roundTripMs: durationMs + 5,
      ...(failed ? { error: 'handled' as const } : {}),
      reportSource: 'tail',
      startedAt: index
    };
  });
}

/** One side as the rule reads it. */
export function side(list: readonly Sample[]) {
  return { samples: list, pricing: FIXTURE_PRICES };
}

/** The options of these tests: 1024 MB, 95 %, cap 400 in batches of 40, no run-to-run variation. */
export function lookOptions(extra: Partial<SequentialOptions> = {}): SequentialOptions {
  return { memoryMb: 1024, confidence: 0.95, cap: 400, batchSize: 40, seed: 7, runVariation: 0, ...extra };
}

/**
 * Runs the rule as the engine would: a first batch, then `nextBatch` more until it stops. Returns every look.
 *
 * @example
 * ```ts
 * const looks = runLooks(candidate, baseline, { maxCostIncrease: 0.05, maxErrorRate: 0.01 });
 * looks.at(-1)!.decision // 'pass'
 * ```
 */
export function runLooks(
  candidate: readonly Sample[],
  baseline: readonly Sample[] | undefined,
  budgets: Budgets,
  extra: Partial<SequentialOptions> = {}
): LookDecision[] {
  const options = lookOptions(extra);
  const looks: LookDecision[] = [];
  let made = options.batchSize;
  for (;;) {
    const previous = looks.at(-1);
    const decision = decideAtLook(
      side(candidate.slice(0, made)),
      baseline === undefined ? undefined : side(baseline),
      budgets,
      { ...options, ...(previous ? { previous } : {}) }
    );
    looks.push(decision);
    if (decision.stop) return looks;
    made += decision.nextBatch;
  }
}
