/** Shared builders for the comparison tests. */
import { expect } from '@jest/globals';
import { invocationTotalUsd } from '../../src/pricing/cost.js';
import type { RunReport } from '../../src/report/run-report-schema.js';
import type {
  Budgets,
  CheckResult,
  CompareOptions,
  FunctionComparison,
  SizeComparison
} from '../../src/compare/types.js';
import { buildRunReport, FIXTURE_PRICES, type FixtureSize } from '../support/report-fixtures.js';

/** A one-size report at 1024 MB with log-normal warm durations. */
export function lognormalReport(median: number, n: number, seed: number, extra: Partial<FixtureSize> = {}): RunReport {
  return buildRunReport({ sizes: [{ memoryMb: 1024, durations: { median, sigma: 0.15, n }, ...extra }], seed });
}

/** A one-size report at 1024 MB whose warm successes all took exactly `ms`. */
export function constantReport(ms: number, n: number, extra: Partial<FixtureSize> = {}): RunReport {
  return buildRunReport({ sizes: [{ memoryMb: 1024, durations: Array<number>(n).fill(ms), ...extra }], seed: 3 });
}

/** Options gating 1024 MB at 95 % with seed 7, and the given budgets (error rate 1 % unless said). */
export function options(budgets: Partial<Budgets> = {}, extra: Partial<CompareOptions> = {}): CompareOptions {
  return { gatedSizes: [1024], budgets: { maxErrorRate: 0.01, ...budgets }, confidence: 0.95, seed: 7, ...extra };
}

/** The only size of a comparison. */
export function onlySize(comparison: FunctionComparison): SizeComparison {
  expect(comparison.sizes).toHaveLength(1);
  return comparison.sizes[0]!;
}

/** The check of a budget at a size; fails the test when it is not there. */
export function check(size: SizeComparison, budget: CheckResult['budget']): CheckResult {
  const found = size.checks.find((item) => item.budget === budget);
  if (found === undefined) throw new Error(`no ${budget} check; have ${size.checks.map((c) => c.budget).join(', ')}`);
  return found;
}

/** Cost of one invocation billed `ms` at 1024 MB with the fixture prices, USD. */
export function costOf(ms: number, prices = FIXTURE_PRICES): number {
  return invocationTotalUsd(ms, 1024, undefined, prices);
}
