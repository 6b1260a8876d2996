/**
 * A model of duration against memory, fitted to a sweep's sizes, so the recommendation can look between the
 * sizes that were measured.
 *
 * The model. Lambda gives a function CPU in proportion to its memory, one full vCPU at 1,769 MB and up to six
 * at 10,240 MB. Code that runs on P threads stops getting faster once it has P vCPUs, at 1,769·P MB; below
 * that, its CPU time shrinks in proportion to memory. So:
 *
 *   duration(m) = fixed + cpu · 1769 / min(m, knee)
 *
 * - fixed: what does not depend on CPU (I/O waits, calls to other services), ms;
 * - cpu: the CPU work on one full vCPU, ms (the duration's CPU part at 1,769 MB);
 * - knee: where more memory stops buying speed, 1,769 MB for single-threaded code, 1,769·P MB for P threads,
 *   at most 1,769 × 6 MB.
 * It is the emulator's physics (src/emulator/model/duration.ts) for any parallelism, and what AWS documents.
 *
 * The fit. For a given knee the model is linear in (fixed, cpu): weighted least squares with both kept ≥ 0.
 * The knee is searched in 1 MB steps from 1,769 MB to the largest size sampled; without a size above
 * 1,769 MB nothing shows where speed-up stops, and the fit assumes single-threaded code (knee 1,769 MB).
 * When the data show no plateau, the smallest knee that fits as well is taken: no speed-up is promised beyond
 * what was measured. Noise on durations is multiplicative, so a point's weight is samples / duration² (its
 * relative error); and the fit is robust: Huber weights on the standardised residuals (scale: the median
 * absolute residual), refitted until they settle, so one disturbed size cannot bend the curve.
 */
import { LambdaCostGateError } from '../errors.js';

/** Memory that buys one full vCPU, MB (AWS: 1,769 MB = 1 vCPU). Kept here: the core does not import the emulator. */
export const MB_PER_VCPU = 1769;
/** The furthest a knee can be: six vCPUs. */
export const MAX_KNEE_MB = 6 * MB_PER_VCPU;

/** Too few sizes, or a figure that is not a positive duration. */
export class DurationFitError extends LambdaCostGateError {}

/** One size's duration to fit, and how many samples it rests on. */
export interface DurationPoint {
  memoryMb: number;
  /** A typical duration at that size (the median is robust to outliers), ms. */
  durationMs: number;
  samples: number;
}

/** The model's parameters. */
export interface DurationModel {
  fixedMs: number;
  /** CPU work on one full vCPU, ms. */
  cpuMs: number;
  /** Above this memory size the duration stops falling, MB. */
  kneeMb: number;
}

/** A fitted model, with how well it fits. */
export interface DurationFit extends DurationModel {
  /** 1 − Σ(observed − fitted)² / Σ(observed − mean)², over the points, in ms. */
  r2: number;
  /** Whether the data located the knee (a size above it and one below were measured). */
  kneeIdentified: boolean;
  /** Each point with its fitted value and its final robust weight (1 = fully counted). */
  points: Array<DurationPoint & { fittedMs: number; robustWeight: number }>;
}

/**
 * The model's duration at `memoryMb`: fixed + cpu · 1769 / min(memory, knee).
 *
 * @example
 * ```ts
 * predictDurationMs({ fixedMs: 20, cpuMs: 100, kneeMb: 1769 }, 884.5) // 220
 * predictDurationMs({ fixedMs: 20, cpuMs: 100, kneeMb: 1769 }, 4096)  // 120
 * ```
 */
export function predictDurationMs(model: DurationModel, memoryMb: number): number {
  return model.fixedMs + (model.cpuMs * MB_PER_VCPU) / Math.min(memoryMb, model.kneeMb);
}

/**
 * Fits the model to per-size durations, by the method in this module's header.
 *
 * @throws {@link DurationFitError} with fewer than two distinct sizes, or a duration, size or sample count
 *   that is not positive
 *
 * @example
 * ```ts
 * // 10 ms fixed + 100 ms of CPU on one vCPU, single-threaded: 701.02 ms at 256 MB, 182.75 at 1024, 110 at 3008.
 * fitDurationModel([
 *   { memoryMb: 256, durationMs: 701.02, samples: 10 },
 *   { memoryMb: 1024, durationMs: 182.75, samples: 10 },
 *   { memoryMb: 3008, durationMs: 110, samples: 10 }
 * ]) // { fixedMs: ≈ 10, cpuMs: ≈ 100, kneeMb: 1769, r2: ≈ 1, kneeIdentified: true, points: […] }
 * ```
 */
export function fitDurationModel(points: readonly DurationPoint[]): DurationFit {
  for (const point of points) {
    const valid = point.memoryMb > 0 && point.durationMs > 0 && point.samples > 0;
    if (!(valid && Number.isFinite(point.memoryMb + point.durationMs + point.samples))) {
      throw new DurationFitError(
        `Cannot fit a duration of ${point.durationMs} ms at ${point.memoryMb} MB from ${point.samples} samples: all must be positive`
      );
    }
  }
  const sizes = [...new Set(points.map((point) => point.memoryMb))].sort((a, b) => a - b);
  if (sizes.length < 2) {
    throw new DurationFitError(`A duration model needs at least two memory sizes; got ${sizes.join(', ') || 'none'}`);
  }
  const base = points.map((point) => point.samples / point.durationMs ** 2);
  let robust = points.map(() => 1);
  let model = bestKnee(points, base, robust, sizes);
  // Huber re-weighting; with three points or fewer every residual is needed to pin three parameters.
  for (let round = 0; round < 20 && points.length > 3; round++) {
    const next = huberWeights(points, base, model);
    const settled = next.every((weight, index) => Math.abs(weight - robust[index]!) < 1e-6);
    robust = next;
    model = bestKnee(points, base, robust, sizes);
    if (settled) break;
  }
  const largest = sizes[sizes.length - 1]!;
  const fitted = points.map((point) => predictDurationMs(model, point.memoryMb));
  return {
    ...model,
    r2: rSquared(
      points.map((point) => point.durationMs),
      fitted
    ),
    kneeIdentified: sizes[0]! < model.kneeMb && model.kneeMb < largest,
    points: points.map((point, index) => ({ ...point, fittedMs: fitted[index]!, robustWeight: robust[index]! }))
  };
}

/**
 * The knee with the least weighted squared error, the smallest of equals: every 16 MB, then every 1 MB around
 * the best (the error changes smoothly with the knee, and 16 MB is far finer than the sizes swept).
 */
function bestKnee(points: readonly DurationPoint[], base: number[], robust: number[], sizes: number[]): DurationModel {
  const memory = Float64Array.from(points, (point) => point.memoryMb);
  const durations = Float64Array.from(points, (point) => point.durationMs);
  const weights = Float64Array.from(base, (weight, index) => weight * robust[index]!);
  const top = Math.max(MB_PER_VCPU, Math.min(MAX_KNEE_MB, sizes[sizes.length - 1]!));
  const search = (from: number, to: number, step: number, best?: FitAtKnee): FitAtKnee => {
    for (let knee = from; knee <= to; knee += step) {
      const candidate = fitAtKnee(memory, durations, weights, knee);
      if (best === undefined || candidate.error < best.error * (1 - 1e-9)) best = candidate;
    }
    return best!;
  };
  let best = search(MB_PER_VCPU, top, 16);
  best = search(MB_PER_VCPU, top, top - MB_PER_VCPU || 1, best);
  const around = best.model.kneeMb;
  best = search(Math.max(MB_PER_VCPU, around - 15), Math.min(top, around + 15), 1, best);
  return best.model;
}

interface FitAtKnee {
  model: DurationModel;
  error: number;
}

/** Weighted least squares of duration = fixed + cpu · x, x = 1769 / min(m, knee), with fixed, cpu ≥ 0. */
function fitAtKnee(memory: Float64Array, durations: Float64Array, weights: Float64Array, knee: number): FitAtKnee {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < memory.length; i++) {
    const w = weights[i]!;
    const x = MB_PER_VCPU / Math.min(memory[i]!, knee);
    const y = durations[i]!;
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
  }
  const candidates: Array<[number, number]> = [
    // Only fixed; only cpu; both (when the points can tell them apart and both come out ≥ 0).
    [sy / sw, 0],
    [0, sxx > 0 ? sxy / sxx : 0]
  ];
  const determinant = sw * sxx - sx * sx;
  if (determinant > 1e-12 * sw * sxx) {
    const cpu = (sw * sxy - sx * sy) / determinant;
    const fixed = (sy - cpu * sx) / sw;
    if (cpu >= 0 && fixed >= 0) candidates.push([fixed, cpu]);
  }
  let best: FitAtKnee | undefined;
  for (const [fixed, cpu] of candidates) {
    let error = 0;
    for (let i = 0; i < memory.length; i++) {
      error += weights[i]! * (durations[i]! - fixed - (cpu * MB_PER_VCPU) / Math.min(memory[i]!, knee)) ** 2;
    }
    if (best === undefined || error < best.error) best = { model: { fixedMs: fixed, cpuMs: cpu, kneeMb: knee }, error };
  }
  return best!;
}

/** Huber weights (k = 1.345) of the residuals standardised by their weights and their median absolute size. */
function huberWeights(points: readonly DurationPoint[], base: number[], model: DurationModel): number[] {
  const standardised = points.map(
    (point, index) => (point.durationMs - predictDurationMs(model, point.memoryMb)) * Math.sqrt(base[index]!)
  );
  const sorted = standardised.map(Math.abs).sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  // A residual scale below 0.1 % (per √sample) is closer than any measured duration gets: it is the fit's own
  // rounding, and weighting points down for it would only chase noise.
  const scale = Math.max(1.4826 * median, 1e-3);
  return standardised.map((residual) => {
    const size = Math.abs(residual) / (1.345 * scale);
    return size <= 1 ? 1 : 1 / size;
  });
}

function rSquared(observed: number[], fitted: number[]): number {
  const mean = observed.reduce((sum, value) => sum + value, 0) / observed.length;
  let residual = 0;
  let total = 0;
  observed.forEach((value, index) => {
    residual += (value - fitted[index]!) ** 2;
    total += (value - mean) ** 2;
  });
  // A flat curve has nothing to explain: a fit through it (up to rounding) explains it all.
  const size = observed.reduce((sum, value) => sum + value * value, 0);
  if (total <= 1e-12 * size) return residual <= 1e-12 * size ? 1 : 0;
  return 1 - residual / total;
}

/**
 * The expected billed duration of durations with this mean and standard deviation: each is rounded up to
 * the next whole ms (at least 1). E[⌈X⌉] = K + Σ_{k ≥ K} P(X > k) for X above K, X taken as normal; with a
 * spread of 2 ms or more that is the mean + 0.5 ms to far below a microsecond.
 *
 * @example
 * ```ts
 * expectedBilledMs(100.2, 0)  // 101
 * expectedBilledMs(100.2, 10) // 100.7
 * ```
 */
export function expectedBilledMs(meanMs: number, sdMs: number): number {
  if (!(sdMs > 1e-6)) return Math.max(1, Math.ceil(meanMs));
  if (sdMs >= 2) return Math.max(1, meanMs + 0.5);
  const start = Math.max(0, Math.floor(meanMs - 8 * sdMs));
  let expected = start;
  for (let k = start; k <= meanMs + 8 * sdMs; k++) expected += normalSurvival((k - meanMs) / sdMs);
  return Math.max(1, expected);
}

/** P(Z > z) for a standard normal Z (Abramowitz–Stegun 7.1.26, error below 1.5·10⁻⁷: plenty for a ms). */
function normalSurvival(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}
