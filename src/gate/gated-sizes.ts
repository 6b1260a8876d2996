/**
 * Which sizes a gate sweeps and which it judges. Pure.
 *
 * The gated sizes are always swept, even when `memory-sizes` leaves them out: the configured size is the
 * one production runs at, so it is the one a regression hurts. They get `gate-invocations` measured
 * invocations (a p99 interval needs 299 at 95 %); the other sizes, which only draw the curve and the
 * recommendation, keep `invocations`.
 */
import type { GateMemory } from '../inputs/gate-fields.js';
import type { SweepOptions } from '../sweep/types.js';

export interface GatePlan {
  /** Every size to sweep, ascending. */
  memorySizes: number[];
  /** The sizes judged against the budgets, ascending. */
  gatedSizes: number[];
  /** Sizes measured more often than `invocations`. */
  sizeInvocations: NonNullable<SweepOptions['sizeInvocations']>;
}

/**
 * @example
 * ```ts
 * planGate({ kind: 'current' }, 1024, [128, 512], 50, 300)
 * // { memorySizes: [128, 512, 1024], gatedSizes: [1024], sizeInvocations: [{ memoryMb: 1024, invocations: 300 }] }
 * ```
 */
export function planGate(
  gateMemory: GateMemory,
  currentMemoryMb: number,
  memorySizes: readonly number[],
  invocations: number,
  gateInvocations: number
): GatePlan {
  const gated =
    gateMemory.kind === 'current'
      ? [currentMemoryMb]
      : gateMemory.kind === 'sizes'
        ? [...gateMemory.sizes]
        : [...memorySizes];
  const all = [...new Set([...memorySizes, ...gated])].sort((a, b) => a - b);
  const gatedSizes = [...new Set(gated)].sort((a, b) => a - b);
  const sizeInvocations =
    gateInvocations > invocations ? gatedSizes.map((memoryMb) => ({ memoryMb, invocations: gateInvocations })) : [];
  return { memorySizes: all, gatedSizes, sizeInvocations };
}
