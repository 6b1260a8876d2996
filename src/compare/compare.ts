/**
 * Compares a candidate run with a baseline run and judges the budgets, size by gated size. Pure: two run
 * reports and options in, a FunctionComparison out; the same reports and seed give the same output.
 *
 * What counts. Latency is the REPORT Duration of measured warm successes (warm-ups, cold starts and failed
 * invocations are left out). Cost counts every measured invocation Lambda billed, failures included, since
 * the bill includes them; throttled and refused calls never ran and cost nothing. Each side is priced with
 * the prices and ephemeral storage in its own report. The
 * error rate is failed measured invocations over measured invocations.
 *
 * Per invocation or per job. Cost is per job when every billed measured invocation on both sides reports
 * how many jobs it did (and each side did some); otherwise per invocation. Per job, a side's cost is its
 * total cost over its total jobs, so failed invocations that did no job still add to it.
 *
 * Cost and billed duration. At one size, an invocation's cost is (memory / 1024) GB × billed seconds × the
 * GB-second price, plus the request and any ephemeral storage: an affine function of its billed duration. The
 * mean billed duration and the mean cost are resampled with the same indices, so the cost's interval is the
 * billed duration's interval priced, and the cost change follows from the billed-duration change (it is
 * smaller by the request price's share). Both changes are reported; the budget is on the cost.
 *
 * Intervals. Every figure comes with an interval at the chosen confidence. The p99 of one run uses the
 * exact, distribution-free order-statistic interval; it needs at least 299 warm samples at 95 % (fewer, and
 * the p99 is reported as not estimable rather than as a number that looks precise). Costs and every change
 * between the runs use a seeded percentile bootstrap: each run's samples are resampled on their own, 2000
 * times by default, and the interval is the middle 95 % (say) of the resampled figures. A p99 change needs
 * enough warm samples on both sides.
 *
 * Run-to-run variation. Two runs made days apart differ in level by a per cent or so (other hosts, other
 * neighbours), however many samples each has. With `runVariation` (1 % for a stored baseline), every
 * relative change and the monthly change is widened for it, so a candidate that sits exactly at its budget is
 * failed in about 2.5 % of runs at 95 %, not in one run of seven. A live baseline shares the candidate's run: 0.
 *
 * Verdicts. A budget is a limit the figure must not exceed. A check fails only when the whole interval lies
 * beyond the limit, so a fail means the regression is real at that confidence, not noise. It passes when the
 * whole interval lies within the limit. Otherwise it is inconclusive: the runs cannot tell, and more samples
 * would. A figure that cannot be estimated (too few warm samples for a p99, a size the baseline did not
 * measure, nothing billed) is inconclusive too, and the reason says what is missing.
 *
 * Errors are the exception. The error rate's interval is Clopper–Pearson's (exact for a count of failures),
 * but errors are not noise to be given the benefit of the doubt beyond the observed rate: a rate at or under
 * the budget passes (even when its interval reaches above it); a rate above the budget never passes, however
 * few invocations were measured: it fails when even the low end of its interval is above the budget, and is
 * inconclusive otherwise. With a budget of 0, a single failure fails.
 *
 * The checks. Relative budgets (cost increase, p99 increase, monthly increase) are judged only when there is
 * a baseline report; absolute ones (cost per million, p99 in ms) whenever they are set; the error rate
 * always. A size is failed if any of its checks fails, else inconclusive if any is, else passed; the function
 * takes the worst of its sizes.
 */
import { samplesNeededForInterval } from '../analyze/percentiles.js';
import { LambdaCostGateError } from '../errors.js';
import type { RunReport } from '../report/run-report-schema.js';
import { normalQuantile } from '../decision/distributions.js';
import { combine, percentileInterval, sideRandom } from './bootstrap.js';
import { widenForRunVariation } from './run-variation.js';
import { buildChecks, type CheckedSide } from './checks.js';
import { countsJobs, estimateSide, P99, sideData } from './side-figures.js';
import type { CompareOptions, FunctionComparison, Interval, MonthlyCost, SizeComparison } from './types.js';
import { worstCheckVerdict } from './verdict.js';

/** A comparison that cannot be made: an unswept gated size, or options out of range. */
export class CompareError extends LambdaCostGateError {}

/** Bootstrap resamples when the options do not say. */
export const DEFAULT_RESAMPLES = 2000;

/**
 * Compares the candidate's run with the baseline's at every gated size and judges the budgets, by the rules in
 * this module's header.
 *
 * @param baseline - the baseline's run report; undefined when there is none (relative budgets are then not judged)
 * @throws {@link CompareError} when a gated size has no measured invocation in the candidate, no size is gated,
 *   or an option is out of range
 *
 * @example
 * ```ts
 * const comparison = compareRuns(candidate, baseline, {
 *   gatedSizes: [1024],
 *   budgets: { maxCostIncrease: 0.1, maxP99Increase: 0.1, maxErrorRate: 0.01 },
 *   confidence: 0.95,
 *   seed: 42
 * });
 * comparison.verdict;                  // 'fail'
 * comparison.sizes[0]!.checks[0]!.reason
 * // 'cost per invocation rose 26.3 % (95 % CI +25.0 % to +27.7 %), beyond the 10 % budget.'
 * ```
 */
export function compareRuns(
  candidate: RunReport,
  baseline: RunReport | undefined,
  options: CompareOptions
): FunctionComparison {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  checkOptions(options, resamples);
  const gated = [...new Set(options.gatedSizes)];
  const sizes = gated.map((memoryMb) => compareSize(candidate, baseline, memoryMb, options, resamples));
  return {
    functionName: candidate.function.name,
    sizes,
    verdict: worstCheckVerdict(sizes.map((size) => size.verdict)),
    hasBaseline: baseline !== undefined
  };
}

function compareSize(
  candidateReport: RunReport,
  baselineReport: RunReport | undefined,
  memoryMb: number,
  options: CompareOptions,
  resamples: number
): SizeComparison {
  const { confidence, seed, budgets, monthlyInvocations } = options;
  const candidateData = sideData(candidateReport, memoryMb);
  if (candidateData.measured === 0) throw unswept(candidateReport, memoryMb);
  const found = baselineReport === undefined ? undefined : sideData(baselineReport, memoryMb);
  const baselineData = found !== undefined && found.measured > 0 ? found : undefined;

  const costBasis =
    countsJobs(candidateData) && (baselineData === undefined || countsJobs(baselineData)) ? 'job' : 'invocation';
  const needed = samplesNeededForInterval(P99, confidence)!;
  const p99Comparable =
    baselineData !== undefined && candidateData.warmSorted.length >= needed && baselineData.warmSorted.length >= needed;
  const settings = { confidence, resamples, resampleP99: p99Comparable };
  const candidate: CheckedSide = {
    data: candidateData,
    estimate: estimateSide(candidateData, costBasis, { ...settings, random: sideRandom(seed, memoryMb, 'candidate') })
  };
  const baseline: CheckedSide | undefined =
    baselineData === undefined
      ? undefined
      : {
          data: baselineData,
          estimate: estimateSide(baselineData, costBasis, {
            ...settings,
            random: sideRandom(seed, memoryMb, 'baseline')
          })
        };

  const c = candidate.estimate;
  const b = baseline?.estimate;
  const runs = options.runVariation ?? 0;
  const costChange = ratioChange(
    c.unitCostUsd,
    c.unitCostReplicates,
    b?.unitCostUsd,
    b?.unitCostReplicates,
    confidence,
    runs
  );
  const p99Change = ratioChange(c.p99Ms, c.p99Replicates, b?.p99Ms, b?.p99Replicates, confidence, runs);
  const billedDurationChange = ratioChange(
    c.meanBilledMs,
    c.meanBilledReplicates,
    b?.meanBilledMs,
    b?.meanBilledReplicates,
    confidence,
    runs
  );
  const perMonth = monthlyInvocations?.perMonth;
  let monthly: MonthlyCost | undefined;
  let monthlyChange: Interval | undefined;
  if (monthlyInvocations !== undefined && perMonth !== undefined && c.meanCostUsd !== undefined) {
    monthly = {
      invocationsPerMonth: perMonth,
      source: monthlyInvocations.source,
      candidateUsd: perMonth * c.meanCostUsd
    };
    if (b?.meanCostUsd !== undefined && b.meanCostReplicates !== undefined) {
      monthlyChange = widenDifference(
        percentileInterval(
          perMonth * (c.meanCostUsd - b.meanCostUsd),
          combine(c.meanCostReplicates!, b.meanCostReplicates, (x, y) => perMonth * (x - y)),
          confidence
        ),
        runs * perMonth * Math.hypot(c.meanCostUsd, b.meanCostUsd)
      );
      monthly.baselineUsd = perMonth * b.meanCostUsd;
      if (monthlyChange !== undefined) monthly.change = monthlyChange;
    }
  }

  const checks = buildChecks({
    memoryMb,
    budgets,
    confidence,
    costBasis,
    candidate,
    hasBaseline: baselineReport !== undefined,
    ...(baseline !== undefined ? { baseline } : {}),
    baselineSizes: baselineReport === undefined ? [] : measuredSizes(baselineReport),
    ...(costChange !== undefined ? { costChange } : {}),
    ...(p99Change !== undefined ? { p99Change } : {}),
    ...(monthlyChange !== undefined ? { monthlyChange } : {}),
    ...(perMonth !== undefined ? { invocationsPerMonth: perMonth } : {}),
    p99SamplesNeeded: needed
  });
  return {
    memoryMb,
    costBasis,
    candidate: candidate.estimate.figures,
    ...(baseline !== undefined ? { baseline: baseline.estimate.figures } : {}),
    ...(costChange !== undefined ? { costChange } : {}),
    ...(billedDurationChange !== undefined ? { billedDurationChange } : {}),
    ...(p99Change !== undefined ? { p99Change } : {}),
    ...(monthly !== undefined ? { monthly } : {}),
    checks,
    verdict: worstCheckVerdict(checks.map((check) => check.verdict))
  };
}

/** candidate / baseline − 1 with its bootstrap interval; undefined when either side lacks the figure or the baseline is 0. */
function ratioChange(
  candidate: number | undefined,
  candidateReplicates: Float64Array | undefined,
  baseline: number | undefined,
  baselineReplicates: Float64Array | undefined,
  confidence: number,
  runVariation: number
): Interval | undefined {
  if (candidate === undefined || baseline === undefined || !(baseline > 0)) return undefined;
  if (candidateReplicates === undefined || baselineReplicates === undefined) return undefined;
  const replicates = combine(candidateReplicates, baselineReplicates, (x, y) => x / y - 1);
  const sampled = percentileInterval(candidate / baseline - 1, replicates, confidence);
  return sampled && widenForRunVariation(sampled, runVariation);
}

/** A difference's interval (USD) widened by a standard deviation `spread` that no sample removes. */
function widenDifference(interval: Interval | undefined, spread: number): Interval | undefined {
  if (interval === undefined || !(spread > 0)) return interval;
  const z = normalQuantile(1 - (1 - interval.confidence) / 2) * spread;
  const { estimate, lower, upper } = interval;
  return {
    ...interval,
    lower: estimate - Math.hypot(estimate - lower, z),
    upper: estimate + Math.hypot(upper - estimate, z)
  };
}

/** Sizes with at least one measured invocation, ascending. */
function measuredSizes(report: RunReport): number[] {
  const sizes = new Set<number>();
  for (const sample of report.samples) if (sample.phase === 'measure') sizes.add(sample.memoryMb);
  return [...sizes].sort((a, b) => a - b);
}

function unswept(report: RunReport, memoryMb: number): CompareError {
  const swept = measuredSizes(report);
  const had = report.samples.some((sample) => sample.memoryMb === memoryMb);
  const what = had ? 'has only warm-up invocations' : 'was not swept';
  const list = swept.length > 0 ? `measured sizes: ${swept.join(', ')} MB` : 'no size was measured';
  return new CompareError(
    `Gated size ${memoryMb} MB ${what} in the candidate run of ${report.function.name} (${list}); ` +
      'gate only sizes the sweep measures'
  );
}

function checkOptions(options: CompareOptions, resamples: number): void {
  const { confidence, seed, gatedSizes, budgets, monthlyInvocations } = options;
  if (gatedSizes.length === 0) throw new CompareError('No memory size to gate: give at least one gated size');
  for (const size of gatedSizes) {
    if (!(Number.isInteger(size) && size > 0)) throw new CompareError(`Gated size ${size} is not a memory size in MB`);
  }
  if (!(confidence > 0 && confidence < 1))
    throw new CompareError(`Confidence must be within (0, 1); got ${confidence}`);
  if (!Number.isFinite(seed)) throw new CompareError(`The bootstrap seed must be a finite number; got ${seed}`);
  const runs = options.runVariation ?? 0;
  if (!(runs >= 0 && runs < 1)) throw new CompareError(`Run variation must be within [0, 1); got ${runs}`);
  if (!(Number.isInteger(resamples) && resamples >= 1)) {
    throw new CompareError(`Bootstrap resamples must be a whole number ≥ 1; got ${resamples}`);
  }
  for (const [name, value] of Object.entries(budgets)) {
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
      throw new CompareError(`Budget ${name} must be a finite number ≥ 0; got ${String(value)}`);
    }
  }
  if (budgets.maxErrorRate > 1)
    throw new CompareError(`Budget maxErrorRate must be within [0, 1]; got ${budgets.maxErrorRate}`);
  const perMonth = monthlyInvocations?.perMonth;
  if (perMonth !== undefined && !(perMonth >= 0 && Number.isFinite(perMonth))) {
    throw new CompareError(`Monthly invocations must be a finite number ≥ 0; got ${perMonth}`);
  }
}
