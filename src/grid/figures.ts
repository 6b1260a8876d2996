/**
 * The figures of one grid cell (issue 8) from its measured invocations.
 *
 * Decisions, and why:
 * - Worst and median jobs/s are computed per invocation (threads / longest or median job time) and then
 *   averaged over invocations: each invocation is one run of the pool, and pooling the job durations of
 *   different runs would mix a slow environment's jobs with a fast one's. They describe the pool's capacity
 *   with a job for every thread (threads, not min(threads, jobs)): how fast it works when it is kept busy.
 * - The median of an even count is the mean of the two middle values.
 * - The average rate is all jobs over all elapsed time (not a mean of per-invocation rates), so a long
 *   invocation weighs as much as the time it took.
 * - Jobs per invocation, the average rate and cost per job need every invocation to report its jobs: a
 *   share of them would divide one set's cost by another set's jobs.
 * - A job time of 0 ms (faster than the timer) gives no rate for that invocation rather than an infinite one.
 * - Percentiles are by nearest rank: a value that was measured, never an interpolation.
 */
import { LambdaCostGateError } from '../errors.js';
import type { CellFigures, CellInvocation, GridCell } from './types.js';

/** Memory that buys one full vCPU, MB (AWS documents 1,769 MB = 1 vCPU). */
export const MB_PER_VCPU = 1769;

/** A cell's figures cannot be computed: no invocations, or a measurement that is not a duration or count. */
export class GridFiguresError extends LambdaCostGateError {}

/**
 * One cell's figures, by the formulas of issue 8 and the rules in this module's header.
 *
 * @param knobThreads - threads to assume when an invocation does not report its own (the knob's value)
 * @throws {@link GridFiguresError} when `invocations` is empty or holds a negative or non-finite figure
 *
 * @example
 * ```ts
 * // 4 threads, jobs of 100, 120, 150 and 130 ms in 260 ms, for $0.000002:
 * cellFigures({ memoryMb: 1769, knobValue: '4', architecture: 'x86_64' },
 *   [{ durationMs: 262, billedDurationMs: 263, costUsd: 0.000002, jobs: 4, jobDurationsMs: [100, 120, 150, 130], elapsedMs: 260 }], 4)
 * // { threads: 4, jobsPerSecondWorst: 26.67 (4 / 0.150), jobsPerSecondMedian: 32 (4 / 0.125),
 * //   jobsPerSecondAverage: 15.38 (4 / 0.260), costPerJobUsd: 0.0000005, p99JobMs: 150, … }
 * ```
 */
export function cellFigures(cell: GridCell, invocations: CellInvocation[], knobThreads?: number): CellFigures {
  if (invocations.length === 0) {
    throw new GridFiguresError(`Cell ${describeCell(cell)} has no measured invocations to compute figures from`);
  }
  invocations.forEach((invocation) => checkInvocation(cell, invocation));
  const vcpus = cell.memoryMb / MB_PER_VCPU;
  const threadsOf = (invocation: CellInvocation): number | undefined => invocation.threads ?? knobThreads;

  const threadCounts = invocations.map(threadsOf).filter((count): count is number => count !== undefined);
  // The pool's size should not change within a cell; if it did, the mean is the size the cell ran at.
  const threads = threadCounts.length > 0 ? mean(threadCounts) : null;

  const worst: number[] = [];
  const median: number[] = [];
  for (const invocation of invocations) {
    const count = threadsOf(invocation);
    const jobs = invocation.jobDurationsMs;
    if (count === undefined || jobs === undefined || jobs.length === 0) continue;
    const sorted = [...jobs].sort((a, b) => a - b);
    const longest = sorted[sorted.length - 1]!;
    const middle = medianOfSorted(sorted);
    if (longest > 0) worst.push(count / (longest / 1000));
    if (middle > 0) median.push(count / (middle / 1000));
  }

  const everyJobs = invocations.every((invocation) => invocation.jobs !== undefined);
  const totalJobs = everyJobs ? invocations.reduce((sum, invocation) => sum + invocation.jobs!, 0) : null;
  const elapsedMs = invocations.reduce((sum, invocation) => sum + (invocation.elapsedMs ?? invocation.durationMs), 0);
  const jobsPerInvocation = totalJobs === null ? null : totalJobs / invocations.length;
  const average = totalJobs === null || elapsedMs <= 0 ? null : totalJobs / (elapsedMs / 1000);
  const costPerInvocationUsd = mean(invocations.map((invocation) => invocation.costUsd));
  const durations = invocations.map((invocation) => invocation.durationMs).sort((a, b) => a - b);
  const pooledJobs = invocations.flatMap((invocation) => invocation.jobDurationsMs ?? []).sort((a, b) => a - b);

  return {
    ...cell,
    invocations: invocations.length,
    vcpus,
    threads,
    jobsPerInvocation,
    jobsPerSecondWorst: worst.length > 0 ? mean(worst) : null,
    jobsPerSecondMedian: median.length > 0 ? mean(median) : null,
    jobsPerSecondAverage: average,
    jobsPerSecondPerThread: average !== null && threads !== null && threads > 0 ? average / threads : null,
    jobsPerSecondPerVcpu: average === null ? null : average / vcpus,
    costPerInvocationUsd,
    costPerJobUsd:
      jobsPerInvocation !== null && jobsPerInvocation > 0 ? costPerInvocationUsd / jobsPerInvocation : null,
    p50InvocationMs: nearestRank(durations, 0.5),
    p99InvocationMs: nearestRank(durations, 0.99),
    p99JobMs: pooledJobs.length > 0 ? nearestRank(pooledJobs, 0.99) : null
  };
}

/**
 * The nearest-rank percentile of ascending values: the smallest value with at least a share p of the values
 * at or below it.
 *
 * @example
 * ```ts
 * nearestRank([10, 20, 30, 40], 0.5)  // 20 (rank ⌈0.5 · 4⌉ = 2)
 * nearestRank([10, 20, 30, 40], 0.99) // 40 (rank ⌈3.96⌉ = 4)
 * ```
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/**
 * A cell as a reader names it: `1024 MB · 4 · arm64`, or `1024 MB · THREADS=4 · arm64` given the knob's name.
 *
 * @example
 * ```ts
 * describeCell({ memoryMb: 512, knobValue: '2', architecture: 'x86_64' }, 'THREADS') // '512 MB · THREADS=2 · x86_64'
 * ```
 */
export function describeCell(cell: GridCell, knobName?: string): string {
  const knob = cell.knobValue === undefined ? '' : ` · ${knobName ? `${knobName}=` : ''}${cell.knobValue}`;
  return `${cell.memoryMb} MB${knob} · ${cell.architecture}`;
}

function medianOfSorted(sorted: readonly number[]): number {
  const half = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(half)]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Figures are amounts and counts: a negative or non-finite one is a bug upstream, not a measurement. */
function checkInvocation(cell: GridCell, invocation: CellInvocation): void {
  const amounts: Array<[string, number | undefined]> = [
    ['durationMs', invocation.durationMs],
    ['billedDurationMs', invocation.billedDurationMs],
    ['costUsd', invocation.costUsd],
    ['jobs', invocation.jobs],
    ['elapsedMs', invocation.elapsedMs],
    ...(invocation.jobDurationsMs ?? []).map((value): [string, number] => ['a job duration', value])
  ];
  for (const [name, value] of amounts) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new GridFiguresError(`Cell ${describeCell(cell)}: ${name} ${value} is not a finite number ≥ 0`);
    }
  }
  const { threads } = invocation;
  if (threads !== undefined && !(Number.isFinite(threads) && threads > 0)) {
    throw new GridFiguresError(`Cell ${describeCell(cell)}: threads ${threads} is not a number > 0`);
  }
}
