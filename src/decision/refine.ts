/**
 * The refine step of adaptive sampling for the recommendation: after a first, coarse sweep has been fitted
 * (src/analyze/fitted-recommendation.ts), a second, smaller sweep around the fitted optimum checks the curve
 * where the choice is made, at sizes the first sweep did not measure.
 */
import { type FittedRecommendation, MAX_MEMORY_MB } from '../analyze/fitted-recommendation.js';

/**
 * A second, smaller sweep around the fitted pick: the pick and ±spread of it, rounded to whole MB, within
 * the floor and 10,240 MB, leaving out sizes within 2 % of a measured one (they would add little), at most
 * `count`, ascending.
 *
 * @example
 * ```ts
 * proposeRefinement(fitted) // [410, 480, 550] around a 480 MB pick measured at 256 and 512 MB
 * ```
 */
export function proposeRefinement(
  fitted: FittedRecommendation,
  options: { count?: number; spread?: number } = {}
): number[] {
  const count = options.count ?? 3;
  const spread = options.spread ?? 0.15;
  const pick = fitted.pick.memoryMb;
  const near = (a: number, b: number) => Math.abs(a - b) <= 0.02 * Math.max(a, b);
  const proposals: number[] = [];
  for (const factor of [1, 1 - spread, 1 + spread, 1 - 2 * spread, 1 + 2 * spread]) {
    const size = Math.min(MAX_MEMORY_MB, Math.max(fitted.floor.memoryMb, Math.round(pick * factor)));
    if (fitted.sampledSizes.some((sampled) => near(sampled, size)) || proposals.some((other) => near(other, size)))
      continue;
    proposals.push(size);
    if (proposals.length === count) break;
  }
  return proposals.sort((a, b) => a - b);
}
