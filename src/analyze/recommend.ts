/**
 * Picks a memory size from a sweep's size summaries, by the user's strategy.
 *
 * Decisions, and why:
 * - Candidates are the usable sizes with at least one measured success and a priced invocation: an
 *   out-of-memory or timing-out size must never win on the cost of its successes.
 * - Cost is per job when every candidate counts jobs, else per invocation: mixing the two would compare
 *   different units.
 * - Speed is the mean REPORT duration, as AWS Lambda Power Tuning uses, so results are comparable with it;
 *   the mean also moves with every sample, where p50 ignores the tail users pay for. Ties go to the lower
 *   p99. The report shows every percentile; the choice needs one number.
 * - Balanced: cost and mean duration are each scaled to [0, 1] across the candidates (cheapest/fastest = 0),
 *   score = w·cost + (1 − w)·duration, lowest wins. w = 1 is the cost strategy, w = 0 the speed one.
 * - Values within a relative 10⁻⁹ count as equal (sums of float costs differ in the last bits); remaining
 *   ties go to the cheaper, then the faster, then the smaller size, so the result never depends on input order.
 */
import { LambdaCostGateError } from '../errors.js';
import type { Strategy } from '../sweep/types.js';
import type { SizeSummary } from './size-summary.js';

/** A balanced weight outside [0, 1]. */
export class RecommendationError extends LambdaCostGateError {}

/** What {@link recommend} returns. Sizes are in MB. */
export interface Recommendation {
  strategy: Strategy;
  /** The pick by `strategy`; null when no size is a candidate. */
  memoryMb: number | null;
  /** One sentence a user can read in a pull-request comment. */
  reason: string;
  /** Whether cost compared per job (every candidate counted jobs) or per invocation. */
  costBasis: 'invocation' | 'job';
  balancedWeight: number;
  /** The pick of each strategy, so a report can show all three. */
  cheapest: number | null;
  fastest: number | null;
  balanced: number | null;
  /** Sizes that were considered, ascending. */
  candidates: number[];
  /** Sizes that were not, and why. */
  excluded: Array<{ memoryMb: number; reason: string }>;
}

interface Candidate {
  summary: SizeSummary;
  memoryMb: number;
  cost: number;
  mean: number;
  p99: number;
}

/**
 * Recommends a memory size by strategy; see this module's header for the rules.
 *
 * @param balancedWeight - weight of cost against speed for `balanced`, 0 (speed only) to 1 (cost only)
 * @throws {@link RecommendationError} when balancedWeight is not a number in [0, 1]
 *
 * @example
 * ```ts
 * recommend(summaries, 'cost', 0.5)
 * // { strategy: 'cost', memoryMb: 512, reason: '512 MB is the cheapest of the 6 usable sizes: $0.61 per million
 * //   invocations, mean duration 45.2 ms.', cheapest: 512, fastest: 3008, balanced: 1024, … }
 * ```
 */
export function recommend(sizes: SizeSummary[], strategy: Strategy, balancedWeight: number): Recommendation {
  if (!(balancedWeight >= 0 && balancedWeight <= 1)) {
    throw new RecommendationError(`Balanced weight must be within [0, 1]; got ${balancedWeight}`);
  }
  const excluded: Recommendation['excluded'] = [];
  const usable: SizeSummary[] = [];
  for (const summary of [...sizes].sort((a, b) => a.memoryMb - b.memoryMb)) {
    const reason = exclusionReason(summary);
    if (reason === undefined) usable.push(summary);
    else excluded.push({ memoryMb: summary.memoryMb, reason });
  }
  const costBasis = usable.length > 0 && usable.every((s) => s.costPerJobUsd !== undefined) ? 'job' : 'invocation';
  const candidates: Candidate[] = usable.map((summary) => ({
    summary,
    memoryMb: summary.memoryMb,
    cost: costBasis === 'job' ? summary.costPerJobUsd! : summary.costPerInvocationUsd!,
    mean: summary.duration!.mean,
    p99: summary.duration!.p99.value
  }));
  const base = {
    strategy,
    costBasis,
    balancedWeight,
    excluded,
    candidates: candidates.map((c) => c.memoryMb)
  } as const;

  if (candidates.length === 0) {
    const why = excluded.map((e) => `${e.memoryMb} MB: ${e.reason}`).join('; ');
    return {
      ...base,
      memoryMb: null,
      reason: `No memory size can be recommended: ${why === '' ? 'none was measured' : why}.`,
      cheapest: null,
      fastest: null,
      balanced: null
    };
  }

  const cheapest = best(candidates, (a, b) => compare(a.cost, b.cost) || compare(a.mean, b.mean));
  const fastest = best(
    candidates,
    (a, b) => compare(a.mean, b.mean) || compare(a.p99, b.p99) || compare(a.cost, b.cost)
  );
  const score = balancedScores(candidates, balancedWeight);
  const balanced = best(
    candidates,
    // Scores live in [0, 1]: an absolute tolerance, since a relative one means nothing next to 0.
    (a, b) => compare(score.get(a)!, score.get(b)!, 1) || compare(a.cost, b.cost) || compare(a.mean, b.mean)
  );
  const pick = strategy === 'cost' ? cheapest : strategy === 'speed' ? fastest : balanced;
  return {
    ...base,
    memoryMb: pick.memoryMb,
    reason: explain(strategy, pick, candidates.length, costBasis, balancedWeight),
    cheapest: cheapest.memoryMb,
    fastest: fastest.memoryMb,
    balanced: balanced.memoryMb
  };
}

function exclusionReason(summary: SizeSummary): string | undefined {
  if (summary.unusable) return summary.unusableReason ?? 'unusable';
  if (summary.measured === 0) return 'nothing was measured';
  if (summary.duration === null || summary.costPerInvocationUsd === null) {
    return `none of its ${summary.measured} measured invocations succeeded with a REPORT line`;
  }
  return undefined;
}

/** Weighted sum of cost and mean duration, each scaled to [0, 1] across the candidates. */
function balancedScores(candidates: Candidate[], weight: number): Map<Candidate, number> {
  const scale = (values: number[]): ((value: number) => number) => {
    const low = Math.min(...values);
    const range = Math.max(...values) - low;
    // Every candidate equal on this axis: it cannot tell them apart.
    return (value) => (range > 0 ? (value - low) / range : 0);
  };
  const cost = scale(candidates.map((c) => c.cost));
  const duration = scale(candidates.map((c) => c.mean));
  return new Map(candidates.map((c) => [c, weight * cost(c.cost) + (1 - weight) * duration(c.mean)]));
}

/** The first candidate by `order`, smaller memory winning what is still tied. Candidates are ascending by memory. */
function best(candidates: Candidate[], order: (a: Candidate, b: Candidate) => number): Candidate {
  return candidates.reduce((winner, next) => (order(next, winner) < 0 ? next : winner));
}

/** −1, 0 or 1, with a tolerance of 10⁻⁹ × scale (relative by default) so float noise is not a preference. */
function compare(a: number, b: number, scale = Math.max(Math.abs(a), Math.abs(b))): number {
  if (Math.abs(a - b) <= 1e-9 * scale) return 0;
  return a < b ? -1 : 1;
}

function explain(strategy: Strategy, pick: Candidate, count: number, basis: string, weight: number): string {
  const among = `${count} usable size${count === 1 ? '' : 's'}`;
  const perMillion = basis === 'job' ? pick.cost * 1_000_000 : pick.summary.costPerMillionUsd!;
  const cost = `$${formatNumber(perMillion)} per million ${basis === 'job' ? 'jobs' : 'invocations'}`;
  const speed = `mean duration ${formatNumber(pick.mean)} ms`;
  if (strategy === 'cost') return `${pick.memoryMb} MB is the cheapest of the ${among}: ${cost}, ${speed}.`;
  if (strategy === 'speed') {
    return `${pick.memoryMb} MB is the fastest of the ${among}: ${speed} (p99 ${formatNumber(pick.p99)} ms), ${cost}.`;
  }
  return (
    `${pick.memoryMb} MB balances cost (weight ${weight}) against speed (weight ${formatNumber(1 - weight)}) ` +
    `best of the ${among}: ${cost}, ${speed}.`
  );
}

/** Three significant digits, no exponent for the magnitudes a report shows. */
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(3)));
}
