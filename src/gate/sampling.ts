/**
 * Adaptive sampling at the gated sizes: the sweep engine invokes a first batch, then asks this sampler after
 * every batch whether the decision is made (decision/sequential.ts holds the rule and its guarantee across
 * looks). Clear regressions and clear passes stop early; close ones go on up to the cap (`gate-invocations`).
 * The last look's decision is the verdict of record at that size: recomputing a one-shot comparison on the
 * same samples would lose the error control across looks.
 *
 * With `sampling: fixed`, or a cap too small for two looks, every gated size gets the cap in one go and the
 * one-shot comparison (compare/compare.ts) judges it.
 */
import { STORED_BASELINE_RUN_VARIATION } from '../compare/run-variation.js';
import type { Budgets, FunctionComparison, SizeComparison } from '../compare/types.js';
import { worstCheckVerdict } from '../compare/verdict.js';
import { decideAtLook, type LookDecision, type SideSamples } from '../decision/index.js';
import type { SamplingMode } from '../inputs/gate-fields.js';
import type { PriceTable } from '../pricing/cost.js';
import type { SizeSampling } from '../report/run-report-extras.js';
import type { RunReport } from '../report/run-report-schema.js';
import type { AdaptiveSampling } from '../sweep/engine.js';
import type { Sample } from '../sweep/types.js';

/** Billed invocations the first look needs on each side before it judges a mean. */
const MIN_SAMPLES = 20;
/** About this many looks up to the cap: enough to stop clear cases early, few enough to keep each look sharp. */
const LOOKS = 6;

/** What {@link createSampler} needs. */
export interface SamplerSettings {
  gatedSizes: readonly number[];
  budgets: Budgets;
  confidence: number;
  /** The most measured invocations at a gated size. */
  cap: number;
  mode: SamplingMode;
  seed: number;
  /** The candidate's prices (as its report will have them) and ephemeral storage. */
  pricing: PriceTable;
  ephemeralStorageMb?: number;
  /** A baseline stored by an earlier run; its samples are fixed. */
  stored?: RunReport;
  /** A live baseline invoked in the same rounds (its samples come from the engine); its planned invocations. */
  live?: { invocations: number };
  monthlyInvocations?: number;
  log?: (line: string) => void;
}

/** The batch size for a cap: about {@link LOOKS} looks, never fewer than the samples a mean needs. */
export function batchSizeFor(cap: number): number {
  return Math.max(MIN_SAMPLES, Math.ceil(cap / LOOKS));
}

/** A sampler: the engine's hook, and the looks it made. */
export interface Sampler {
  /** Undefined when the sizes are sampled in one go (fixed, or a cap too small for two looks). */
  adaptive?: AdaptiveSampling;
  /** The last look at each gated size. */
  decisions: Map<number, LookDecision>;
}

/**
 * @example
 * ```ts
 * const sampler = createSampler({ gatedSizes: [1024], budgets, confidence: 0.95, cap: 300, mode: 'adaptive',
 *   seed: 1, pricing, stored });
 * await runSweepWithBaseline({ ...request, ...(sampler.adaptive ? { adaptive: sampler.adaptive } : {}) }, deps);
 * sampler.decisions.get(1024)?.decision // 'fail' after the first look, for a clear regression
 * ```
 */
export function createSampler(settings: SamplerSettings): Sampler {
  const batch = batchSizeFor(settings.cap);
  const decisions = new Map<number, LookDecision>();
  if (settings.mode === 'fixed' || settings.cap < 2 * batch) return { decisions };
  const storedSide: SideSamples | undefined = settings.stored && {
    samples: settings.stored.samples,
    pricing: settings.stored.pricing,
    ephemeralStorageMb: settings.stored.function.ephemeralStorageMb
  };
  const look = (memoryMb: number, candidate: readonly Sample[], liveSamples: readonly Sample[]): number => {
    const previous = decisions.get(memoryMb);
    const baseline: SideSamples | undefined = settings.live
      ? { samples: liveSamples, pricing: settings.pricing, ...storage(settings) }
      : storedSide;
    const decision = decideAtLook(
      { samples: candidate, pricing: settings.pricing, ...storage(settings) },
      baseline,
      settings.budgets,
      {
        memoryMb,
        confidence: settings.confidence,
        cap: settings.cap,
        batchSize: batch,
        seed: settings.seed + memoryMb,
        minSamples: MIN_SAMPLES,
        runVariation: settings.live ? 0 : STORED_BASELINE_RUN_VARIATION,
        ...(settings.live ? { baselineCap: settings.live.invocations } : {}),
        ...(settings.monthlyInvocations !== undefined ? { monthlyInvocations: settings.monthlyInvocations } : {}),
        ...(previous ? { previous } : {})
      }
    );
    decisions.set(memoryMb, decision);
    settings.log?.(
      `Look ${decision.look} at ${memoryMb} MB after ${decision.candidateMeasured} invocations: ${decision.reason}`
    );
    return decision.nextBatch;
  };
  return { adaptive: { sizes: settings.gatedSizes, firstBatch: batch, look }, decisions };
}

function oneGo(measured: number, mode: SamplingMode | 'baseline' | 'grid', cap: number): string {
  if (mode === 'grid') return `Measured ${measured} invocations in one go: a grid sweep measures every cell alike.`;
  if (mode === 'baseline') {
    return `Measured ${measured} invocations in one go: a baseline is measured in full, so later pull requests have the samples a p99 comparison needs.`;
  }
  if (mode === 'adaptive') {
    return `Measured ${measured} invocations in one go: a cap of ${cap} leaves no room for two looks of ${batchSizeFor(cap)}.`;
  }
  return `Measured ${measured} invocations in one go (sampling: fixed).`;
}

function storage(settings: SamplerSettings): { ephemeralStorageMb?: number } {
  return settings.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: settings.ephemeralStorageMb } : {};
}

/**
 * The comparison with the looks' verdicts: at each size that was looked at, the last look's checks and
 * decision replace the one-shot ones, and the relative changes shown are the look's intervals (each carries
 * the confidence it was judged at). Sizes without a look keep the one-shot comparison.
 *
 * @example
 * ```ts
 * const judged = withLookVerdicts(compareRuns(report, baseline, options), sampler.decisions);
 * ```
 */
export function withLookVerdicts(
  comparison: FunctionComparison,
  decisions: ReadonlyMap<number, LookDecision>
): FunctionComparison {
  const sizes = comparison.sizes.map((size): SizeComparison => {
    const decision = decisions.get(size.memoryMb);
    if (!decision) return size;
    const observed = (budget: string) => decision.checks.find((check) => check.budget === budget)?.observed;
    const cost = observed('cost-increase');
    const p99 = observed('p99-increase');
    return {
      ...size,
      ...(cost ? { costChange: cost } : {}),
      ...(p99 ? { p99Change: p99 } : {}),
      checks: decision.checks,
      verdict: decision.decision
    };
  });
  return { ...comparison, sizes, verdict: worstCheckVerdict(sizes.map((size) => size.verdict)) };
}

/**
 * How each gated size was sampled, from the report's samples and the looks.
 *
 * @example
 * ```ts
 * samplingSummary(report, [1024], sampler.decisions, 'adaptive', 300)
 * // [{ memoryMb: 1024, mode: 'adaptive', looks: 1, invocations: 50, cap: 300, stoppedBecause: 'decided', … }]
 * ```
 */
export function samplingSummary(
  report: RunReport,
  gatedSizes: readonly number[],
  decisions: ReadonlyMap<number, LookDecision>,
  mode: SamplingMode | 'baseline' | 'grid',
  cap: number
): SizeSampling[] {
  return gatedSizes.flatMap((memoryMb) => {
    const size = report.sizes.find((item) => item.memoryMb === memoryMb);
    if (!size) return [];
    const decision = decisions.get(memoryMb);
    return [
      {
        memoryMb,
        mode: decision ? 'adaptive' : 'fixed',
        looks: decision?.look ?? 1,
        invocations: size.measured,
        cap,
        // In one go, fewer than the cap means the run stopped early (cancelled).
        stoppedBecause: decision?.why ?? (size.measured >= cap ? 'cap' : 'continue'),
        costUsd: size.totalCostUsd,
        reason: decision?.reason ?? oneGo(size.measured, mode, cap)
      }
    ];
  });
}
