/**
 * Alpha spending: how much of the error rate a sequential test may use by each look.
 *
 * A test that looks at the data several times and stops at the first look that decides would err far more
 * often than the confidence of each look says, if every look used the full error rate α: each look is another
 * chance to be fooled by noise. A spending function F(t) says how much of α may have been used by the time a
 * share t of the planned samples (the information fraction, samples so far / the cap) is in: F(0) = 0 and
 * F(1) = α. A look at fraction t_k may use α_k = F(t_k) − (what earlier looks used). Because the α_k sum to at
 * most α, the chance that any look errs is at most α, whatever the correlation between looks (Bonferroni).
 * That is conservative (exact group-sequential boundaries would be narrower), but it needs no assumption
 * about how the looks' statistics are related, and it allows looks at any fractions, uneven batches included.
 *
 * Two families (Lan and DeMets, 1983):
 * - Pocock-type, F(t) = α·ln(1 + (e − 1)·t): spends early, so clear cases stop at the first looks.
 * - O'Brien–Fleming-type, F(t) = 2 − 2Φ(z_{1−α/2} / √t): spends almost nothing early and keeps nearly all of
 *   α for the last looks, so a close case decided at the cap gets an interval nearly as narrow as a one-look
 *   test's, while only an overwhelming difference stops early.
 */
import { normalCdf, normalQuantile } from './distributions.js';

export type SpendingFunction = 'pocock' | 'obrien-fleming';

/**
 * The stopping rule's default. In the decision benchmark it detected more regressions and passed more
 * unchanged functions than Pocock-type spending for the same invocations against a stored baseline.
 */
export const DEFAULT_SPENDING: SpendingFunction = 'obrien-fleming';

/**
 * The error rate a test may have used by information fraction `t` (clamped to [0, 1]).
 *
 * @param alpha - the total error rate, 1 − confidence, within (0, 1)
 *
 * @example
 * ```ts
 * alphaSpent('pocock', 0.05, 0.5)         // 0.0310
 * alphaSpent('obrien-fleming', 0.05, 0.5) // 0.0056
 * alphaSpent('pocock', 0.05, 1)           // 0.05
 * ```
 */
export function alphaSpent(kind: SpendingFunction, alpha: number, t: number): number {
  const fraction = Math.min(1, Math.max(0, t));
  if (fraction === 0) return 0;
  if (fraction === 1) return alpha;
  if (kind === 'pocock') return alpha * Math.log(1 + (Math.E - 1) * fraction);
  return Math.min(alpha, 2 - 2 * normalCdf(normalQuantile(1 - alpha / 2) / Math.sqrt(fraction)));
}
