/**
 * The grid sweep's vocabulary (issue 8): memory × an in-function knob (an environment variable such as
 * THREADS) × architecture. Each cell is its own published version; these types carry what one cell
 * measured and what the grid concludes. Pure types, no I/O: the planner, the figures, the fit, the report
 * and the comment all read these shapes.
 *
 * Units: durations in ms, money in USD, memory in MB, throughput in jobs per second.
 */
import type { Architecture, Strategy } from '../sweep/types.js';

/** An environment variable swept over values, e.g. THREADS=1,2,4,8. */
export interface GridKnob {
  /** The environment variable's name (letters, digits, underscore; not starting with a digit or AWS_). */
  name: string;
  /** Its values, in the order given, each distinct. */
  values: string[];
}

/** What a grid sweep is asked for. */
export interface GridSpec {
  memorySizes: number[];
  /** Absent: memory (and architecture) only. */
  knob?: GridKnob;
  /** At least one; each distinct. */
  architectures: Architecture[];
  /** Most cells the grid may have; the planner says when it cuts the grid to fit. */
  maxCells: number;
}

/** One cell's coordinates. */
export interface GridCell {
  memoryMb: number;
  /** The knob's value in this cell; absent when the grid has no knob. */
  knobValue?: string;
  architecture: Architecture;
}

/** The cells to deploy, and what the cap cut. */
export interface GridPlan {
  cells: GridCell[];
  /** One sentence when the cap cut the grid (what was kept and what was dropped), else absent. */
  cutNote?: string;
}

/**
 * One measured invocation of a cell, as the figures need it. Durations come from the REPORT line; the
 * job fields from the function's response when it reports them.
 */
export interface CellInvocation {
  /** REPORT Duration, ms. */
  durationMs: number;
  billedDurationMs: number;
  /** The invocation's price (compute + request + storage), USD. */
  costUsd: number;
  /** Jobs done; undefined when the response did not say (cost per job then cannot be computed). */
  jobs?: number;
  /** Each job's own duration, ms, when the response reports them. */
  jobDurationsMs?: number[];
  /** Worker threads the function used (the response's `threads`, else the knob's value when numeric). */
  threads?: number;
  /** Wall time of the batch inside the handler, ms (the response's `elapsedMs`, else `durationMs`). */
  elapsedMs?: number;
}

/** The figures of one cell (issue 8's list). null: the cell's samples cannot give it. */
export interface CellFigures extends GridCell {
  /** Measured warm successes used. */
  invocations: number;
  /** memory / 1769: the vCPU share Lambda gives. */
  vcpus: number;
  threads: number | null;
  /** Mean jobs per invocation. */
  jobsPerInvocation: number | null;
  /** threads / longest job time (per invocation, then the mean over invocations). */
  jobsPerSecondWorst: number | null;
  /** threads / median job time (per invocation, then the mean over invocations). */
  jobsPerSecondMedian: number | null;
  /** jobs done / total elapsed time, over all invocations. */
  jobsPerSecondAverage: number | null;
  /** jobsPerSecondAverage / threads. */
  jobsPerSecondPerThread: number | null;
  /** jobsPerSecondAverage / vcpus. */
  jobsPerSecondPerVcpu: number | null;
  /** Mean price of an invocation, USD. */
  costPerInvocationUsd: number;
  /** costPerInvocationUsd / jobsPerInvocation. */
  costPerJobUsd: number | null;
  /** p50 and p99 of the invocation's REPORT Duration, ms (nearest rank). */
  p50InvocationMs: number;
  p99InvocationMs: number;
  /** p99 of the jobs' own durations, ms; null without job durations. */
  p99JobMs: number | null;
}

/**
 * How throughput grows with memory at enough threads: effective vCPUs ≈ slope × memory + intercept,
 * fitted by least squares below the point where it stops growing (the host's cores, or Lambda's 6 vCPUs).
 */
export interface ParallelismFit {
  /** Effective vCPUs per MB (Lambda documents 1 / 1769). */
  vcpusPerMb: number;
  intercept: number;
  /** 1 / vcpusPerMb: the memory that buys one effective vCPU. */
  mbPerVcpu: number;
  /** Coefficient of determination of the fit over the points used, 0 to 1. */
  rSquared: number;
  /** Effective vCPUs where growth stopped (the most any cell reached), when some cell sat on that ceiling. */
  ceilingVcpus?: number;
  /** The (memory, effective vCPUs) points the line was fitted to. */
  points: Array<{ memoryMb: number; effectiveVcpus: number }>;
  /** One sentence for the comment. */
  summary: string;
}

/** The best cell for one strategy. */
export interface BestCell {
  strategy: Strategy | 'throughput';
  cell: GridCell;
  /** The cell's figures, when it was sampled; absent for a fitted pick between sampled sizes. */
  figures?: CellFigures;
  /** A pick between sampled memory sizes from the fitted model (same knob and architecture as `cell`). */
  fitted?: { memoryMb: number; predictedCostPerJobUsd: number; predictedDurationMs: number };
  reason: string;
}

/** A grid sweep's result: every cell's figures and what they add up to. */
export interface GridResult {
  spec: GridSpec;
  plan: GridPlan;
  cells: CellFigures[];
  /** Absent when too few cells report jobs and job durations to fit. */
  parallelism?: ParallelismFit;
  best: BestCell[];
  /** Cost basis of the grid's comparison: per job when every cell counted jobs, else per invocation. */
  costBasis: 'job' | 'invocation';
  /** Planned cells with no measured invocation (left out of `cells`), in plan order; absent when none. */
  unmeasured?: GridCell[];
}
