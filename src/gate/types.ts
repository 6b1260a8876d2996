/**
 * What one gate run decided, for every function: the shapes the renderer, the outputs and the exit
 * status read. Pure types, no I/O.
 */
import type { FunctionComparison, Verdict } from '../compare/types.js';
import type { RunReport } from '../report/run-report-schema.js';

/** Where a function's baseline came from, for the comment ("compared with … from run 123, 2 days old"). */
export interface BaselineSource {
  kind: 'artifact' | 'file' | 'live' | 'none';
  /** The commit the baseline measured. */
  commit?: string;
  /** The workflow run that uploaded it (artifact) . */
  runId?: number;
  runUrl?: string;
  /** When the baseline was measured (ISO 8601). */
  measuredAt?: string;
  /** baseline-file path, for kind 'file'. */
  path?: string;
  /** The alias or version measured side by side, for kind 'live'. */
  qualifier?: string;
  /** In words, why there is none, or anything a reader must know about it. */
  note?: string;
}

/** One function's result. */
export interface FunctionOutcome {
  functionName: string;
  /** The candidate's run report. */
  report: RunReport;
  baseline: BaselineSource;
  comparison: FunctionComparison;
  /** Where the candidate's JSON report was written. */
  reportPath?: string;
}

/** The whole run. */
export interface GateOutcome {
  /** baseline = record only (no comparison, no gate); compare = gate a pull request. */
  mode: 'baseline' | 'compare';
  /** Worst over the functions, after the override label and the inconclusive policy are NOT applied. */
  verdict: Verdict;
  functions: FunctionOutcome[];
  /** Set when the pull request carries the override label and something failed: the failure is acknowledged. */
  override?: { label: string };
  /** Things the reader must know about the run as a whole (skips, uploads that did not happen, …). */
  notices: string[];
}

/** Links and identity for the comment's footer; all optional (a local run has none). */
export interface RunContext {
  repository?: string;
  commit?: string;
  runUrl?: string;
  pullRequest?: number;
}
