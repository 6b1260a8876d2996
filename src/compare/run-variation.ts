/**
 * Run-to-run variation: a whole run's level differs from the truth by a few per cent (other hosts, other
 * neighbours, another time of day), and no number of samples within a run removes that. Two runs compared
 * (a candidate against a baseline stored days ago) each carry it, so an interval of their relative change
 * must be widened for it; a live baseline measured in the same rounds as the candidate shares the run's
 * level, and nothing is added.
 */
import { normalQuantile } from '../decision/distributions.js';
import type { Interval } from './types.js';

/** The run-to-run variation assumed for a stored baseline: 1 % of a run's level (relative standard deviation). */
export const STORED_BASELINE_RUN_VARIATION = 0.01;

/**
 * A relative change's interval widened for both runs' levels: on the log scale, each end moves out to
 * √(its distance² + (z·√2·τ)²), z the normal quantile of the interval's tail and τ the run variation.
 *
 * @example
 * ```ts
 * widenForRunVariation({ estimate: 0.05, lower: 0.04, upper: 0.06, confidence: 0.95 }, 0.01)
 * // { estimate: 0.05, lower: ≈0.0197, upper: ≈0.0812, confidence: 0.95 }
 * ```
 */
export function widenForRunVariation(interval: Interval, runVariation: number): Interval {
  if (!(runVariation > 0)) return interval;
  const spread = normalQuantile(1 - (1 - interval.confidence) / 2) * Math.SQRT2 * runVariation;
  const center = Math.log1p(interval.estimate);
  const below = center - Math.log1p(interval.lower);
  const above = Math.log1p(interval.upper) - center;
  return {
    ...interval,
    lower: Math.expm1(center - Math.hypot(below, spread)),
    upper: Math.expm1(center + Math.hypot(above, spread))
  };
}
