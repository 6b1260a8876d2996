/**
 * Effective parallelism (issue 8): how a grid's throughput grows with memory when the function has enough
 * threads to use the vCPUs it is given, fitted as a line, effective vCPUs = slope × memory + intercept.
 *
 * How, and why:
 * - One vCPU's throughput, r1, is what one thread does when it has a whole vCPU to itself: 1 / the shortest
 *   median job time among cells whose threads ≤ vCPUs (jobs/s median ÷ threads there); when no cell gave
 *   every thread a whole vCPU, the shortest median job time of any cell (vCPUs are then counted in that
 *   cell's share of one, and overstated: sweep one size ≥ 1,769 MB). The shortest, because contention
 *   (more threads than cores, the host's other work) only ever lengthens a job. r1 is per architecture: an
 *   arm64 vCPU and an x86_64 one run the same code at different speeds, and the fit is about how many vCPUs
 *   memory buys, not how fast each one is.
 * - "Enough threads": for each memory size and architecture, the cell with the highest average jobs/s.
 *   Its effective vCPUs = that average / r1.
 * - The ceiling: a point is on it when its effective vCPUs are within 10 % of the most any point reached and
 *   a smaller memory size already got within 10 % too (growth stopped). Those points are left out of the
 *   fit. Also left out: the largest size, when at least three sizes remain below it and it falls more than
 *   10 % short of the line through them: growth stopped part-way to it (a 4,096 MB cell on a 2-core host
 *   reaches 2 vCPUs, not 2.3), and a single such point would otherwise bend the whole line.
 * - Ordinary least squares over the remaining points; at least two distinct memory sizes are needed, and a
 *   line that does not rise says nothing about vCPUs per MB: both give no fit.
 */
import type { CellFigures, ParallelismFit } from './types.js';
import { MB_PER_VCPU } from './figures.js';

/** Within this share of the largest effective vCPUs, a point counts as having reached the ceiling. */
const CEILING_SHARE = 0.1;

/** One memory size's effective vCPUs. */
export interface ParallelismPoint {
  memoryMb: number;
  effectiveVcpus: number;
}

/**
 * Fits effective vCPUs against memory over a grid's cells, by the rules in this module's header.
 *
 * @returns the fit, or undefined when fewer than two memory sizes below the ceiling have a throughput and a
 *   one-vCPU rate to scale it by, or when throughput does not grow with memory
 *
 * @example
 * ```ts
 * fitParallelism(result.cells)
 * // { vcpusPerMb: 0.000559, mbPerVcpu: 1790, rSquared: 0.99, ceilingVcpus: 2.0, points: […],
 * //   summary: 'Throughput grows by one vCPU per 1,790 MB (R² 0.99), up to 2.0 vCPUs: Lambda documents one vCPU per 1,769 MB.' }
 * ```
 */
export function fitParallelism(cells: CellFigures[]): ParallelismFit | undefined {
  const points = [...new Set(cells.map((cell) => cell.architecture))]
    .flatMap((architecture) => pointsOf(cells.filter((cell) => cell.architecture === architecture)))
    .sort((a, b) => a.memoryMb - b.memoryMb);
  if (points.length === 0) return undefined;

  const most = Math.max(...points.map((point) => point.effectiveVcpus));
  const near = (point: ParallelismPoint) => point.effectiveVcpus >= (1 - CEILING_SHARE) * most;
  let below = points.filter(
    (point) => !(near(point) && points.some((other) => other.memoryMb < point.memoryMb && near(other)))
  );
  let ceilingReached = below.length < points.length;

  const top = below[below.length - 1]!;
  const rest = below.filter((point) => point.memoryMb < top.memoryMb);
  const restLine = distinctSizes(rest) >= 3 ? fitLine(rest) : undefined;
  if (restLine && top.effectiveVcpus < (1 - CEILING_SHARE) * (restLine.slope * top.memoryMb + restLine.intercept)) {
    below = rest;
    ceilingReached = true;
  }

  if (distinctSizes(below) < 2) return undefined;
  const line = fitLine(below);
  if (!(line.slope > 0)) return undefined;
  const mbPerVcpu = 1 / line.slope;
  const fit: Omit<ParallelismFit, 'summary'> = {
    vcpusPerMb: line.slope,
    intercept: line.intercept,
    mbPerVcpu,
    rSquared: line.rSquared,
    ...(ceilingReached ? { ceilingVcpus: most } : {}),
    points: below.map(({ memoryMb, effectiveVcpus }) => ({ memoryMb, effectiveVcpus }))
  };
  return { ...fit, summary: summarise(fit) };
}

/** One architecture's points: for each memory size, the best average throughput in units of one vCPU's. */
function pointsOf(cells: CellFigures[]): ParallelismPoint[] {
  const perThread = (cell: CellFigures): number | undefined =>
    cell.threads !== null && cell.threads > 0 && cell.jobsPerSecondMedian !== null && cell.jobsPerSecondMedian > 0
      ? cell.jobsPerSecondMedian / cell.threads
      : undefined;
  const rated = cells.filter((cell) => perThread(cell) !== undefined);
  const whole = rated.filter((cell) => cell.threads! <= cell.vcpus);
  const source = whole.length > 0 ? whole : rated;
  if (source.length === 0) return [];
  const oneVcpu = Math.max(...source.map((cell) => perThread(cell)!));

  const best = new Map<number, number>();
  for (const cell of cells) {
    const average = cell.jobsPerSecondAverage;
    if (average === null || !(average > 0)) continue;
    best.set(cell.memoryMb, Math.max(best.get(cell.memoryMb) ?? 0, average));
  }
  return [...best].map(([memoryMb, average]) => ({ memoryMb, effectiveVcpus: average / oneVcpu }));
}

function distinctSizes(points: readonly ParallelismPoint[]): number {
  return new Set(points.map((point) => point.memoryMb)).size;
}

/**
 * Ordinary least squares of effective vCPUs on memory, with R² = 1 − SSres / SStot. Points that do not vary
 * (SStot ≈ 0) lie on the flat line through them: R² 1. A single memory size gives that flat line (slope 0).
 *
 * @example
 * ```ts
 * fitLine([{ memoryMb: 1769, effectiveVcpus: 1 }, { memoryMb: 3538, effectiveVcpus: 2 }])
 * // { slope: 1 / 1769, intercept: 0, rSquared: 1 }
 * ```
 */
export function fitLine(points: readonly ParallelismPoint[]): { slope: number; intercept: number; rSquared: number } {
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.memoryMb, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.effectiveVcpus, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const point of points) {
    const dx = point.memoryMb - meanX;
    const dy = point.effectiveVcpus - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = meanY - slope * meanX;
  let residual = 0;
  for (const point of points) residual += (point.effectiveVcpus - slope * point.memoryMb - intercept) ** 2;
  const size = points.reduce((sum, point) => sum + point.effectiveVcpus ** 2, 0);
  // Flat points (and a single memory size) are the flat line least squares draws through them: all explained.
  const rSquared = syy <= 1e-12 * size ? 1 : Math.min(1, Math.max(0, 1 - residual / syy));
  return { slope, intercept, rSquared };
}

const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function summarise(fit: Omit<ParallelismFit, 'summary'>): string {
  const sizes = fit.points.map((point) => point.memoryMb);
  const range = `${wholeNumber.format(Math.min(...sizes))}–${wholeNumber.format(Math.max(...sizes))} MB`;
  const reach = fit.ceilingVcpus !== undefined ? `, up to ${fit.ceilingVcpus.toFixed(1)} vCPUs` : ` over ${range}`;
  return (
    `Throughput grows by one vCPU per ${wholeNumber.format(fit.mbPerVcpu)} MB (R² ${fit.rSquared.toFixed(2)})${reach}: ` +
    `Lambda documents one vCPU per ${wholeNumber.format(MB_PER_VCPU)} MB.`
  );
}
