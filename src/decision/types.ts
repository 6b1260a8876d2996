/**
 * The stopping rule's vocabulary: what a look reads and what it decides. Pure types; sequential.ts holds the
 * rule and its contract.
 */
import type { BudgetName, CheckResult, CheckVerdict } from '../compare/types.js';
import type { PriceTable } from '../pricing/cost.js';
import type { Sample } from '../sweep/types.js';
import type { SpendingFunction } from './spending.js';

/** One side's raw samples, in the order they were made; samples at other sizes and warm-ups are skipped. */
export interface SideSamples {
  samples: readonly Sample[];
  /** The prices the side is billed at (each side's own, as in the comparison). */
  pricing: PriceTable;
  ephemeralStorageMb?: number;
}

/** What {@link decideAtLook} needs besides the samples. */
export interface SequentialOptions {
  /** The gated size, MB. */
  memoryMb: number;
  /** Overall confidence, across every look, e.g. 0.95. */
  confidence: number;
  /** The most measured candidate invocations at this size (the user's cap). */
  cap: number;
  /** Invocations per batch between two looks. */
  batchSize: number;
  /** Seed of the p99 bootstrap; the same seed and samples give the same decision. */
  seed: number;
  /**
   * How the error rate is spread over the looks; default 'obrien-fleming' (spending.ts): most of it is kept
   * for the last looks, so a close case decided at the cap is judged almost as sharply as by one look, and
   * only a clear case stops early.
   */
  spending?: SpendingFunction;
  /** Billed invocations a mean needs on each side before it is judged; default 20. */
  minSamples?: number;
  /** Bootstrap resamples for the p99 change (raised for a small error share); default 2000. */
  resamples?: number;
  /** The most measured baseline invocations there will be; default: as many as now (a stored baseline). */
  baselineCap?: number;
  /**
   * Relative standard deviation of a whole run's level around the truth (hardware, neighbours, time of day):
   * no number of samples within a run removes it, so it widens every interval that compares two runs or
   * judges one run's level. Default 0.01. Pass 0 for a live baseline measured in the same rounds as the
   * candidate, where it cancels.
   */
  runVariation?: number;
  /** Invocations a month, for the monthly-increase budget. */
  monthlyInvocations?: number;
  /** The decision of the previous look at this size; undefined at the first look. */
  previous?: LookDecision;
}

/** A look that judged a mean: its sample counts and the boundary it used, for the next looks' boundaries. */
export interface JudgedLook {
  candidate: number;
  baseline: number;
  /** |z| at which the look stopped. */
  boundary: number;
}

/** How far one budget's sequential test has gone. */
export interface CheckProgress {
  budget: BudgetName;
  /** Share of the error rate used so far. */
  alphaSpent: number;
  /** Looks that judged it. */
  looks: number;
  /** For a mean, the looks that judged it (its exact boundaries depend on them). */
  judgedLooks?: JudgedLook[];
  /** The look at which it passed or failed for good; absent while it is open. */
  settledAtLook?: number;
  /** Samples it needs on each side (at the error rate left) while it cannot be estimated. */
  samplesNeeded?: number;
  /** Whether samples up to the cap could still decide it. */
  decidable: boolean;
}

/** The decision at one look. */
export interface LookDecision {
  memoryMb: number;
  /** 1 at the first look. */
  look: number;
  decision: CheckVerdict;
  /** Stop invoking at this size: decided, cap reached, or nothing left that samples could decide. */
  stop: boolean;
  /** Why it stopped or goes on. */
  why: 'decided' | 'cap' | 'undecidable' | 'continue';
  /** Measured invocations to make at this size before the next look; 0 when `stop`. */
  nextBatch: number;
  candidateMeasured: number;
  baselineMeasured: number;
  /** Candidate invocations so far / cap, at most 1. */
  informationFraction: number;
  /** Every budget's check as of this look; each interval carries the confidence it was judged at. */
  checks: CheckResult[];
  progress: CheckProgress[];
  /** One sentence for a log line or a comment. */
  reason: string;
  confidence: number;
  spending: SpendingFunction;
  cap: number;
}
