/**
 * The comparison's vocabulary: budgets, intervals, per-check and per-size verdicts. Pure types, no I/O;
 * the gate (src/gate), the renderer (src/report/comment.ts) and the outputs all read these shapes.
 *
 * Units: relative changes are fractions (0.05 = +5 %), money is USD, durations are ms.
 */

/** What a pull request may change, each optional except the error rate. */
export interface Budgets {
  /** Largest allowed relative increase of cost per invocation (or per job), as a fraction: 0.05 = 5 %. */
  maxCostIncrease?: number;
  /** Largest allowed relative increase of warm p99 duration, as a fraction. */
  maxP99Increase?: number;
  /** Largest allowed cost of a million invocations (or jobs), USD. */
  maxCostPerMillionUsd?: number;
  /** Largest allowed warm p99 duration, ms. */
  maxP99Ms?: number;
  /** Largest allowed share of failed measured invocations, 0 to 1. */
  maxErrorRate: number;
  /** Largest allowed increase of the monthly bill at the gated size, USD (needs monthly invocations). */
  maxMonthlyIncreaseUsd?: number;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'skipped';
export type CheckVerdict = 'pass' | 'fail' | 'inconclusive';

/** A point estimate with a confidence interval around it (same unit as the estimate). */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  /** e.g. 0.95 */
  confidence: number;
}

export type BudgetName =
  'cost-increase' | 'p99-increase' | 'cost-per-million' | 'p99-ms' | 'error-rate' | 'monthly-increase';

/** One budget judged at one size. */
export interface CheckResult {
  budget: BudgetName;
  /** The budget's limit, in its unit: a fraction (relative budgets, error rate), USD, or ms. */
  limit: number;
  /** What was measured, with its interval; null when it could not be computed (reason says why). */
  observed: Interval | null;
  /**
   * fail: the whole interval lies beyond the limit. pass: the whole interval lies within it.
   * inconclusive: the interval straddles the limit, or the samples cannot estimate the figure.
   */
  verdict: CheckVerdict;
  /** One plain sentence, e.g. "p99 rose 18 % (95 % CI +12 % to +25 %), beyond the 10 % budget." */
  reason: string;
}

/** One side's figures at one size, for the table. */
export interface SideFigures {
  /** Warm successes measured. */
  samples: number;
  p50Ms: number | null;
  /** p99 with its distribution-free interval; null when p99 cannot be estimated from the samples. */
  p99Ms: Interval | null;
  /** Samples needed for a p99 interval when there are too few, else undefined. */
  p99SamplesNeeded?: number;
  /** Cost of a million invocations, or of a million jobs when costBasis is 'job'. */
  costPerMillionUsd: Interval | null;
  /**
   * Mean billed duration of the billed measured invocations, ms, with its bootstrap interval (the same
   * resamples as the cost's, so the cost interval is this one priced). Absent when nothing was billed.
   */
  billedDurationMs?: Interval;
  errorRate: number;
  errors: number;
  measured: number;
  maxMemoryUsedMb: number | null;
  memoryUsedShare: number | null;
  coldStarts: number;
}

/** Monthly bill at the gated size, from a traffic figure. */
export interface MonthlyCost {
  invocationsPerMonth: number;
  /** Where the traffic figure came from, in words: "input monthly-invocations", "CloudWatch Logs, 14 days". */
  source: string;
  baselineUsd?: number;
  candidateUsd: number;
  /** candidate − baseline, USD per month, with its interval. */
  change?: Interval;
}

/** Candidate against baseline at one gated size. */
export interface SizeComparison {
  memoryMb: number;
  costBasis: 'invocation' | 'job';
  candidate: SideFigures;
  /** Absent when the baseline has no samples at this size. */
  baseline?: SideFigures;
  /** Relative change of cost per invocation (or job), candidate / baseline − 1. */
  costChange?: Interval;
  /**
   * Relative change of the mean billed duration, candidate / baseline − 1: what drives the cost. At one size
   * and one price table the cost per invocation is an affine function of it; the cost change differs from it
   * only by the request price's share (and by a change of prices between the two reports).
   */
  billedDurationChange?: Interval;
  /** Relative change of warm p99, candidate / baseline − 1; absent when either p99 cannot be estimated. */
  p99Change?: Interval;
  monthly?: MonthlyCost;
  checks: CheckResult[];
  /** fail if any check fails; else inconclusive if any is; else pass. */
  verdict: CheckVerdict;
}

/** Everything {@link compareRuns} needs besides the two reports. */
export interface CompareOptions {
  /** Sizes to gate, MB; each must have been swept in the candidate. */
  gatedSizes: number[];
  budgets: Budgets;
  /** Confidence of every interval, e.g. 0.95. */
  confidence: number;
  /** Traffic for the monthly figures, when known. */
  monthlyInvocations?: { perMonth: number; source: string };
  /** Seed of the bootstrap resampling: the same seed gives the same intervals. */
  seed: number;
  /** Bootstrap resamples; default 2000. */
  resamples?: number;
  /**
   * Relative standard deviation of a whole run's level (run-to-run variation), which widens every relative
   * change between the two runs: pass STORED_BASELINE_RUN_VARIATION (1 %) for a baseline stored by an earlier
   * run, 0 (the default) for a live baseline measured in the same rounds.
   */
  runVariation?: number;
}

/** The comparison of one function's candidate run with its baseline (if any). */
export interface FunctionComparison {
  functionName: string;
  sizes: SizeComparison[];
  /** Worst of the sizes: fail > inconclusive > pass. */
  verdict: CheckVerdict;
  /** True when there was a baseline to compare with (relative budgets were judged). */
  hasBaseline: boolean;
}
