/**
 * Whether a function's duration depends on CPU, and by how much. Lambda gives CPU in proportion to
 * memory, so a CPU-bound function slows down when its memory shrinks and the memory floor alone would
 * mislead. Pure.
 *
 * The measure is the elasticity e of duration to memory: duration ∝ memory^(−e). e ≈ 1 is CPU-bound
 * (half the memory, twice the duration), e ≈ 0 does not care (waits on I/O). It is read from:
 * - a sweep report of the function (controlled: the same payloads at every size), fitted by least
 *   squares of ln(mean duration) against ln(memory) over its usable sizes; or
 * - production itself, when the function ran at two or more memory sizes in the window (its size was
 *   changed): the invocation-weighted mean of the daily p50 durations at the smallest and the largest
 *   size with enough invocations.
 * Duration is taken as CPU-dependent from e ≥ {@link CPU_ELASTICITY_THRESHOLD}.
 */
import type { RunReport } from '../report/run-report-schema.js';
import type { DayFigures } from './types.js';

/** From this elasticity on, a function's duration counts as depending on CPU. */
export const CPU_ELASTICITY_THRESHOLD = 0.3;
/** Invocations a memory size needs in the window to count as production evidence. */
export const MIN_INVOCATIONS_PER_SIZE = 20;

export interface CpuEvidence {
  source: 'sweep' | 'production' | 'none';
  /** The elasticity, null when there is no evidence. */
  elasticity: number | null;
  dependent: boolean;
  /** One sentence for the report. */
  detail: string;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Evidence from a sweep report, or else from the production figures.
 *
 * @example
 * ```ts
 * cpuEvidence(days, undefined)
 * // { source: 'production', elasticity: 0.98, dependent: true, detail: 'ran at 512 and 1024 MB: …' }
 * ```
 */
export function cpuEvidence(days: readonly DayFigures[], sweep: RunReport | undefined): CpuEvidence {
  if (sweep) {
    const fromSweep = sweepElasticity(sweep);
    if (fromSweep) return fromSweep;
  }
  return productionElasticity(days);
}

function sweepElasticity(sweep: RunReport): CpuEvidence | undefined {
  const points = sweep.sizes
    .filter((s) => !s.unusable && s.duration !== null && s.duration.mean > 0)
    .map((s) => ({ x: Math.log(s.memoryMb), y: Math.log(s.duration!.mean) }));
  if (points.length < 2) return undefined;
  const mx = points.reduce((a, p) => a + p.x, 0) / points.length;
  const my = points.reduce((a, p) => a + p.y, 0) / points.length;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const elasticity = sxx > 0 ? -sxy / sxx : 0;
  return {
    source: 'sweep',
    elasticity,
    dependent: elasticity >= CPU_ELASTICITY_THRESHOLD,
    detail: `the sweep of ${points.length} sizes gives duration ∝ memory^${round2(-elasticity)}`
  };
}

function productionElasticity(days: readonly DayFigures[]): CpuEvidence {
  const bySize = new Map<number, { invocations: number; weighted: number }>();
  for (const d of days) {
    if (d.p50DurationMs === null || d.p50DurationMs <= 0) continue;
    const entry = bySize.get(d.memorySizeMb) ?? { invocations: 0, weighted: 0 };
    entry.invocations += d.invocations;
    entry.weighted += d.p50DurationMs * d.invocations;
    bySize.set(d.memorySizeMb, entry);
  }
  const sizes = [...bySize]
    .filter(([, e]) => e.invocations >= MIN_INVOCATIONS_PER_SIZE)
    .map(([size, e]) => ({ size, p50: e.weighted / e.invocations }))
    .sort((a, b) => a.size - b.size);
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  if (!small || !large || small === large) {
    return { source: 'none', elasticity: null, dependent: false, detail: 'one memory size only in the window' };
  }
  const elasticity = Math.log(small.p50 / large.p50) / Math.log(large.size / small.size);
  return {
    source: 'production',
    elasticity,
    dependent: elasticity >= CPU_ELASTICITY_THRESHOLD,
    detail:
      `ran at ${small.size} and ${large.size} MB in the window: p50 ${round2(small.p50)} ms and ` +
      `${round2(large.p50)} ms, duration ∝ memory^${round2(-elasticity)}`
  };
}

/**
 * The factor by which billed duration changes from `fromMb` to `toMb`: from the sweep's mean billed
 * durations (interpolated in ln(memory), held flat beyond its sizes) when there is one, else from the
 * elasticity, else 1 (duration assumed not to depend on memory).
 *
 * @example
 * ```ts
 * billedDurationFactor(1024, 512, { source: 'production', elasticity: 1, … }, undefined) // 2
 * ```
 */
export function billedDurationFactor(
  fromMb: number,
  toMb: number,
  evidence: CpuEvidence,
  sweep: RunReport | undefined
): number {
  if (fromMb === toMb || !evidence.dependent) return 1;
  if (evidence.source === 'sweep' && sweep) {
    const points = sweep.sizes
      .filter((s) => !s.unusable && s.billedDurationMeanMs !== null && s.billedDurationMeanMs > 0)
      .map((s) => ({ x: Math.log(s.memoryMb), y: s.billedDurationMeanMs as number }))
      .sort((a, b) => a.x - b.x);
    const from = interpolate(points, Math.log(fromMb));
    const to = interpolate(points, Math.log(toMb));
    if (from !== undefined && to !== undefined && from > 0) return to / from;
  }
  return Math.pow(fromMb / toMb, evidence.elasticity ?? 0);
}

function interpolate(points: Array<{ x: number; y: number }>, x: number): number | undefined {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return undefined;
  if (x <= first.x) return first.y;
  if (x >= last.x) return last.y;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as { x: number; y: number };
    const b = points[i] as { x: number; y: number };
    if (x <= b.x) return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
  }
  return last.y;
}
