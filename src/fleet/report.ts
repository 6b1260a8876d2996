/**
 * The JSON report of a right-size run: every function with its configuration, its per-day figures,
 * the recommendation and the rule that decided it, the monthly costs; the fleet's totals; what the
 * queries and the apply step did. Pure.
 */
import { RightSizeOutputs, type RightSizeOutputName } from '../inputs/right-size-names.js';
import type { ApplyResult } from './apply.js';
import type { FunctionCost } from './cost.js';
import type { PoolStatistics } from './query-pool.js';
import type { MemoryRecommendation } from './rules.js';
import type { DayFigures, FleetFunction, FunctionUsage, RightSizeSettings } from './types.js';

export const RIGHT_SIZE_REPORT_VERSION = 1;

export interface FunctionReport {
  function: FleetFunction;
  usage: Omit<FunctionUsage, 'days'>;
  /** Per UTC day and memory size, oldest first. */
  days: DayFigures[];
  recommendation: MemoryRecommendation;
  cost: FunctionCost | null;
  /** The sweep report used for it, if any. */
  sweepReport?: string;
}

export interface RightSizeTotals {
  functions: number;
  /** Functions with REPORT records in the window. */
  withData: number;
  atRisk: number;
  overProvisioned: number;
  confident: number;
  monthlyNowUsd: number;
  monthlyRecommendedUsd: number;
  monthlySavingsUsd: number;
  applied: number;
}

export interface RightSizeReport {
  schemaVersion: typeof RIGHT_SIZE_REPORT_VERSION;
  kind: 'right-size';
  tool: { name: 'lambda-cost-gate'; version: string };
  region: string;
  generatedAt: string;
  window: { start: string; end: string; days: number };
  settings: RightSizeSettings;
  pricing: { source: string; gbSecondUsd: Record<string, number>; requestUsd: number };
  /** What the queries did; `groupLookups` counts DescribeLogGroups calls made to find missing log groups. */
  queries: PoolStatistics & { batches: number; splits: number; groupLookups: number };
  controlPlaneRequests: number;
  /** Sorted by monthly savings, largest first. */
  functions: FunctionReport[];
  /** Names asked for that do not exist. */
  missing: string[];
  apply: { enabled: boolean; results: ApplyResult[] };
  totals: RightSizeTotals;
  warnings: string[];
}

/**
 * Orders functions by savings (largest first; no cost last), then by name, so reruns read the same.
 *
 * @example
 * ```ts
 * sortBySavings(functions)[0].cost?.savingsUsd // the largest saving
 * ```
 */
export function sortBySavings(functions: FunctionReport[]): FunctionReport[] {
  const savings = (f: FunctionReport): number => f.cost?.savingsUsd ?? Number.NEGATIVE_INFINITY;
  return [...functions].sort(
    (a, b) =>
      savings(b) - savings(a) || (a.function.name < b.function.name ? -1 : a.function.name > b.function.name ? 1 : 0)
  );
}

/**
 * The fleet's totals. Costs add up over the functions that have a cost; the recommended total keeps a
 * function's current cost when it has no recommendation.
 *
 * @example
 * ```ts
 * totalsOf(functions, applyResults) // { functions: 3, atRisk: 1, monthlySavingsUsd: 12.4, … }
 * ```
 */
export function totalsOf(functions: readonly FunctionReport[], apply: readonly ApplyResult[]): RightSizeTotals {
  const has = (f: FunctionReport, flag: string): boolean => f.recommendation.flags.some((x) => x === flag);
  let monthlyNowUsd = 0;
  let monthlyRecommendedUsd = 0;
  for (const f of functions) {
    monthlyNowUsd += f.cost?.nowUsd ?? 0;
    monthlyRecommendedUsd += f.cost?.recommendedUsd ?? 0;
  }
  return {
    functions: functions.length,
    withData: functions.filter((f) => f.usage.invocations > 0).length,
    atRisk: functions.filter((f) => has(f, 'at-risk')).length,
    overProvisioned: functions.filter((f) => has(f, 'over-provisioned')).length,
    confident: functions.filter((f) => f.recommendation.confident).length,
    monthlyNowUsd,
    monthlyRecommendedUsd,
    monthlySavingsUsd: monthlyNowUsd - monthlyRecommendedUsd,
    applied: apply.filter((a) => a.status === 'applied').length
  };
}

/**
 * The action outputs of a run: the totals, costs with two decimals.
 *
 * @example
 * ```ts
 * rightSizeOutputs(report)
 * // { 'functions-analysed': '1000', 'at-risk-count': '12', 'monthly-savings': '812.40', … }
 * ```
 */
export function rightSizeOutputs(report: RightSizeReport): Record<RightSizeOutputName, string> {
  const t = report.totals;
  return {
    [RightSizeOutputs.FunctionsAnalysed]: String(t.functions),
    [RightSizeOutputs.AtRisk]: String(t.atRisk),
    [RightSizeOutputs.OverProvisioned]: String(t.overProvisioned),
    [RightSizeOutputs.MonthlyCostNow]: t.monthlyNowUsd.toFixed(2),
    [RightSizeOutputs.MonthlyCostRecommended]: t.monthlyRecommendedUsd.toFixed(2),
    [RightSizeOutputs.MonthlySavings]: t.monthlySavingsUsd.toFixed(2),
    [RightSizeOutputs.AppliedCount]: String(t.applied)
  };
}

/**
 * The report as the text to write: two-space indented, ending with a newline.
 *
 * @example
 * ```ts
 * writeFileSync('right-size.json', serializeRightSizeReport(report));
 * ```
 */
export function serializeRightSizeReport(report: RightSizeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
