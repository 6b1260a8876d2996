/**
 * A function's monthly cost now and at the recommended size, from the invocations it really had and
 * the price table. Pure.
 *
 * - Monthly invocations: the window's invocations scaled to 30 days (as the gate's `monthly-invocations:
 *   auto` does), so a 14-day window with 420 invocations is 900 a month.
 * - Now: the mean billed duration of the invocations at the current size (all of them when the size was
 *   changed since), × current GB × the GB-second price, plus the request price.
 * - At the recommendation: the same mean billed duration times the duration factor of cpu-evidence.ts
 *   (1 when duration does not depend on CPU), × the recommended GB.
 * No free tier and no volume tiers: both belong to the whole account, not to one function.
 */
import { monthlyCost, type PriceTable } from '../pricing/cost.js';
import type { RunReport } from '../report/run-report-schema.js';
import { billedDurationFactor } from './cpu-evidence.js';
import type { MemoryRecommendation } from './rules.js';
import type { FleetFunction, FunctionUsage } from './types.js';

/** Days a month counts, as everywhere in lambda-cost-gate. */
export const DAYS_PER_MONTH = 30;

export interface FunctionCost {
  monthlyInvocations: number;
  meanBilledNowMs: number;
  meanBilledRecommendedMs: number;
  nowUsd: number;
  recommendedUsd: number;
  /** now − recommended: negative when the recommendation costs more (a function at risk). */
  savingsUsd: number;
}

/**
 * @example
 * ```ts
 * // 420 invocations in 14 days at 1024 MB, 100 ms billed; recommended 448 MB, x86 us-east-1:
 * functionCost(fn, usage, rec, priceTable('us-east-1', 'x86_64'), 14, undefined)
 * // { monthlyInvocations: 900, nowUsd: 0.0017, recommendedUsd: 0.00084, savingsUsd: 0.00086, … }
 * ```
 */
export function functionCost(
  fn: FleetFunction,
  usage: FunctionUsage,
  rec: MemoryRecommendation,
  prices: PriceTable,
  lookbackDays: number,
  sweep: RunReport | undefined
): FunctionCost | null {
  const meanBilledNowMs = usage.meanBilledBySizeMb[String(fn.memoryMb)] ?? usage.meanBilledDurationMs;
  if (meanBilledNowMs === null || usage.invocations === 0) return null;
  const monthlyInvocations = (usage.invocations * DAYS_PER_MONTH) / lookbackDays;
  const target = rec.memoryMb ?? fn.memoryMb;
  const meanBilledRecommendedMs = meanBilledNowMs * billedDurationFactor(fn.memoryMb, target, rec.cpu, sweep);
  const month = (billedMs: number, memoryMb: number): number =>
    monthlyCost(monthlyInvocations * (billedMs / 1000) * (memoryMb / 1024), monthlyInvocations, fn.architecture, prices)
      .totalUsd;
  const nowUsd = month(meanBilledNowMs, fn.memoryMb);
  const recommendedUsd = month(meanBilledRecommendedMs, target);
  return {
    monthlyInvocations,
    meanBilledNowMs,
    meanBilledRecommendedMs,
    nowUsd,
    recommendedUsd,
    savingsUsd: nowUsd - recommendedUsd
  };
}
