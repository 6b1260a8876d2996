/**
 * Plans a sweep's invocations: which memory size, which payload, in which order. Pure and seeded: the same
 * options and seed always give the same schedule, so a run can be reproduced and tested.
 *
 * Why this order:
 * - Warm-ups come first, one round per warm-up, each round visiting every size, so every version has had
 *   its cold start before any measurement.
 * - Measured invocations are interleaved: round r invokes every size once. Whatever drifts during a run
 *   (noisy neighbours, a cold S3 cache, a downstream slowing down) then hits every size alike instead of
 *   whichever size happened to be measured last.
 * - The order inside a round is balanced per block of k rounds (k sizes): a seeded permutation of the sizes,
 *   rotated by a seeded offset each round, so within a block every size takes every position exactly once.
 *   No size is always first (first after a pause, or first to meet a throttle).
 * - Payloads: one seeded sequence per phase whose counts follow the weights by largest remainder, and round r
 *   sends the same payload to every size. Every size then gets exactly the same payload mix, and a heavy
 *   payload never lands on one size more than another.
 */
import { LambdaCostGateError } from '../errors.js';
import type { WeightedPayload } from './types.js';

/** A schedule that cannot be built from the options given. */
export class PlanError extends LambdaCostGateError {}

/** The sizes swept when the user names none: AWS Lambda Power Tuning's defaults plus 2048 MB. */
export const DEFAULT_MEMORY_SIZES: readonly number[] = Object.freeze([128, 256, 512, 1024, 1536, 2048, 3008]);

/** One invocation of the schedule. */
export interface PlannedInvocation {
  memoryMb: number;
  phase: 'warmup' | 'measure';
  /** Index into the sweep's payloads. */
  payloadIndex: number;
  /**
   * The round, counted from 0 over the whole schedule: warm-up rounds are 0 … warmup − 1, measured rounds
   * follow. Every round has one invocation per size, until a size (or the live baseline) has had
   * all its measured invocations.
   */
  round: number;
  /** Set on the live baseline's invocations (an alias or version of the deployed code), absent otherwise. */
  arm?: 'baseline';
}

/** The deployed code, measured in the same rounds as the candidate: a live A/B without a stored baseline. */
export interface BaselineArm {
  /** The memory size the baseline runs at (its qualifier's configured size), MB. */
  memoryMb: number;
  /** Measured invocations of the baseline, ≥ 1. */
  invocations: number;
}

/** What {@link buildSchedule} needs. */
export interface ScheduleOptions {
  memorySizes: readonly number[];
  /** Measured invocations per size, ≥ 1. */
  invocations: number;
  /** Warm-up invocations per size, ≥ 0. */
  warmup: number;
  payloads: readonly WeightedPayload[];
  /** Any finite number; the same seed gives the same schedule. */
  seed: number;
  /**
   * Measured invocations for some sizes instead of `invocations` (e.g. the gated sizes, which need enough
   * samples for a p99 interval). A size takes part in measured round r while r is below its count.
   */
  invocationsBySize?: ReadonlyMap<number, number>;
  /** A live baseline invoked in the same rounds as the sizes, warm-ups included. */
  baselineArm?: BaselineArm;
}

/** One thing invoked in a round: a candidate size, or the live baseline. */
interface Slot {
  memoryMb: number;
  arm?: 'baseline';
  measured: number;
}

/**
 * The schedule: all warm-up rounds, then the measured rounds, each round invoking every size once.
 *
 * @throws {@link PlanError} on no or repeated sizes, a size that is not a whole number ≥ 1, counts that are
 *   not whole numbers (invocations ≥ 1, warmup ≥ 0), no payloads, weights that are negative or sum to 0,
 *   or a seed that is not finite
 *
 * @example
 * ```ts
 * buildSchedule({ memorySizes: [128, 256], invocations: 2, warmup: 1, payloads: [{ json: '{}', weight: 1 }], seed: 7 })
 * // [ { memoryMb: 128, phase: 'warmup', payloadIndex: 0, round: 0 }, { memoryMb: 256, phase: 'warmup', … round: 0 },
 * //   { memoryMb: 128, phase: 'measure', … round: 1 }, { memoryMb: 256, phase: 'measure', … round: 1 },
 * //   { memoryMb: 256, phase: 'measure', … round: 2 }, { memoryMb: 128, phase: 'measure', … round: 2 } ]
 * ```
 */
export function buildSchedule(options: ScheduleOptions): PlannedInvocation[] {
  const { memorySizes, invocations, warmup, payloads, seed } = options;
  checkOptions(options);
  const random = mulberry32(seed);
  const weights = payloads.map((payload) => payload.weight);
  const slots: Slot[] = memorySizes.map((memoryMb) => ({
    memoryMb,
    measured: options.invocationsBySize?.get(memoryMb) ?? invocations
  }));
  if (options.baselineArm) {
    slots.push({ memoryMb: options.baselineArm.memoryMb, arm: 'baseline', measured: options.baselineArm.invocations });
  }
  const slotIndexes = slots.map((_, index) => index);
  const schedule: PlannedInvocation[] = [];
  let round = 0;
  for (const [phase, count] of [
    ['warmup', warmup],
    ['measure', Math.max(...slots.map((slot) => slot.measured))]
  ] as const) {
    const payloadSequence = shuffle(expand(allocate(count, weights)), random);
    const orders = roundOrders(slotIndexes, count, random);
    for (const [index, order] of orders.entries()) {
      for (const slotIndex of order) {
        const slot = slots[slotIndex]!;
        if (phase === 'measure' && index >= slot.measured) continue;
        schedule.push({
          memoryMb: slot.memoryMb,
          phase,
          payloadIndex: payloadSequence[index]!,
          round,
          ...(slot.arm ? { arm: slot.arm } : {})
        });
      }
      round++;
    }
  }
  return schedule;
}

/**
 * Splits `count` draws among weights by largest remainder (Hamilton): each gets ⌊count·w/Σw⌋, and the draws
 * left go to the largest fractional parts, the earlier payload winning a tie. No allocation is further than
 * one from its exact share.
 *
 * @throws {@link PlanError} when count is not a whole number ≥ 0 or the weights are negative or sum to 0
 *
 * @example
 * ```ts
 * allocate(10, [1, 1, 1]) // [4, 3, 3]
 * allocate(7, [3, 1])     // [5, 2]  (5.25 and 1.75: the larger remainder gets the spare draw)
 * ```
 */
export function allocate(count: number, weights: readonly number[]): number[] {
  if (!(Number.isInteger(count) && count >= 0)) throw new PlanError(`Count must be a whole number ≥ 0; got ${count}`);
  checkWeights(weights);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const shares = weights.map((weight) => (count * weight) / total);
  const counts = shares.map((share) => Math.floor(share));
  const spare = count - counts.reduce((sum, n) => sum + n, 0);
  const byRemainder = shares
    .map((share, index) => ({ index, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder.slice(0, spare)) counts[index]!++;
  return counts;
}

/**
 * mulberry32: a tiny seeded generator of uniform numbers in [0, 1). Statistically plain but plenty for
 * shuffling a schedule; the core may not import the emulator's generator.
 */
export function mulberry32(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per round, the order in which to invoke the sizes: balanced within each block of k rounds. */
function roundOrders(sizes: readonly number[], rounds: number, random: () => number): number[][] {
  const k = sizes.length;
  const orders: number[][] = [];
  let base: number[] = [];
  let offsets: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % k === 0) {
      base = shuffle([...sizes], random);
      offsets = shuffle(
        Array.from({ length: k }, (_, index) => index),
        random
      );
    }
    const offset = offsets[round % k]!;
    orders.push([...base.slice(offset), ...base.slice(0, offset)]);
  }
  return orders;
}

/** [2, 0, 1] → [0, 0, 2]: each index repeated its count. */
function expand(counts: number[]): number[] {
  return counts.flatMap((count, index) => Array.from({ length: count }, () => index));
}

/** Fisher–Yates, in place. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function checkOptions(options: ScheduleOptions): void {
  const { memorySizes, invocations, warmup, payloads, seed } = options;
  if (memorySizes.length === 0) throw new PlanError('No memory sizes to sweep');
  const seen = new Set<number>();
  for (const size of memorySizes) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new PlanError(`Memory size must be a whole number of MB; got ${size}`);
    if (seen.has(size)) throw new PlanError(`Memory size ${size} MB is listed twice`);
    seen.add(size);
  }
  if (!(Number.isInteger(invocations) && invocations >= 1)) {
    throw new PlanError(`Invocations per size must be a whole number ≥ 1; got ${invocations}`);
  }
  if (!(Number.isInteger(warmup) && warmup >= 0)) {
    throw new PlanError(`Warm-up invocations per size must be a whole number ≥ 0; got ${warmup}`);
  }
  if (payloads.length === 0) throw new PlanError('No payloads to send');
  if (!Number.isFinite(seed)) throw new PlanError(`Seed must be a finite number; got ${seed}`);
  for (const [memoryMb, count] of options.invocationsBySize ?? []) {
    if (!seen.has(memoryMb)) throw new PlanError(`Invocations are set for ${memoryMb} MB, which is not swept`);
    if (!(Number.isInteger(count) && count >= 1)) {
      throw new PlanError(`Invocations for ${memoryMb} MB must be a whole number ≥ 1; got ${count}`);
    }
  }
  const arm = options.baselineArm;
  if (
    arm &&
    !(Number.isInteger(arm.memoryMb) && arm.memoryMb >= 1 && Number.isInteger(arm.invocations) && arm.invocations >= 1)
  ) {
    throw new PlanError(`The live baseline needs a memory size and invocations that are whole numbers ≥ 1`);
  }
}

function checkWeights(weights: readonly number[]): void {
  for (const [index, weight] of weights.entries()) {
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new PlanError(`Payload #${index}'s weight must be a finite number ≥ 0; got ${weight}`);
    }
  }
  if (!weights.some((weight) => weight > 0)) throw new PlanError('Payload weights must not all be 0');
}
