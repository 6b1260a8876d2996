/**
 * The fleet right-sizing core's contracts: the settings it runs with, the ports it reaches AWS through
 * (no SDK is imported by the core: aws-ports.ts adapts the SDK clients, tests adapt the emulator), and
 * the figures it passes between its stages.
 */
import type { Architecture } from '../pricing/prices.js';

export type LogFormat = 'Text' | 'JSON';

/** A function as read from Lambda: what the analysis and the apply step need. */
export interface FleetFunction {
  name: string;
  /** Unqualified ARN (the tagging API's key). */
  arn: string;
  memoryMb: number;
  architecture: Architecture;
  timeoutSec: number;
  /** `LoggingConfig.LogGroup`, or `/aws/lambda/<name>`. */
  logGroup: string;
  logFormat: LogFormat;
  /** The optimistic lock the apply step passes back: a change since the read is refused. */
  revisionId: string;
}

/** One ListFunctions page. */
export interface FunctionPage {
  functions: FleetFunction[];
  nextMarker?: string;
}

/** The Lambda calls the fleet needs. Every call but `updateMemory`'s waiting is a control-plane request. */
export interface FleetLambdaPort {
  /** One page of ListFunctions ($LATEST of every function in the region). */
  listFunctions(marker: string | undefined): Promise<FunctionPage>;
  /** GetFunctionConfiguration; undefined when the function does not exist. */
  getFunction(name: string): Promise<FleetFunction | undefined>;
  listTags(arn: string): Promise<Record<string, string>>;
  /**
   * UpdateFunctionConfiguration of MemorySize with `RevisionId` as precondition, then waits until the
   * update settled and returns the configuration read back.
   * @throws {@link RevisionChangedError} when the function changed since `revisionId` was read
   */
  updateMemory(name: string, memoryMb: number, revisionId: string): Promise<FleetFunction>;
}

/** A GetQueryResults row: the fields of one result, as text. */
export type ResultRow = Array<{ field: string; value: string }>;

/** What StartQuery takes: log group names (at most 50), a window in whole seconds (both ends inclusive). */
export interface StartQueryInput {
  logGroupNames: string[];
  startTimeSec: number;
  endTimeSec: number;
  queryString: string;
  /** Rows returned at most (Insights' maximum is 10,000). */
  limit: number;
}

/** The Logs Insights calls the fleet needs. */
export interface InsightsPort {
  /**
   * @throws {@link LogGroupNotFoundError} when a log group does not exist
   * @throws {@link QueryLimitError} when the account's concurrent-query limit is reached
   */
  startQuery(input: StartQueryInput): Promise<string>;
  getQueryResults(queryId: string): Promise<{ status: string; results: ResultRow[] }>;
  stopQuery(queryId: string): Promise<void>;
  /**
   * Which of these log groups (at most 50) exist, by DescribeLogGroups; undefined when it cannot be
   * told (no permission). Optional: without it a batch with a missing group is split to find it.
   */
  existingLogGroups?(names: string[]): Promise<Set<string> | undefined>;
}

/** Which functions to analyse: a list of names, or every function of the region that passes the filters. */
export type FunctionSelection =
  | { kind: 'names'; names: string[] }
  | { kind: 'filter'; prefix?: string; tags: Array<{ key: string; value?: string }> };

/** A size added to a figure: a number of MB, or a share of it. */
export type Margin = { kind: 'mb'; mb: number } | { kind: 'percent'; percent: number };

/** What the apply step may do. */
export interface ApplySettings {
  enabled: boolean;
  /** Largest change of one function's memory in one run, in MB. */
  maxStepMb: number;
  /** Never set a function below this, in MB. */
  minMemoryMb: number;
  /** Names or `*`/`?` patterns of the functions that may be changed. */
  allow: string[];
}

/** Every setting of a right-size run, as parsed by `parseRightSizeInputs`. */
export interface RightSizeSettings {
  selection: FunctionSelection;
  lookbackDays: number;
  /** Added to the mean of the daily peaks. */
  buffer: Margin;
  /** Added to the largest single peak: the floor nothing goes below. */
  peakMargin: Margin;
  /** Recommendations are rounded up to a multiple of this, in MB. */
  memoryStepMb: number;
  /** Fewer invocations in the window than this: not confident. */
  minInvocations: number;
  /** Fewer days with invocations than this: not confident. */
  minDays: number;
  maxConcurrentQueries: number;
  queryTimeoutSeconds: number;
  /** Run reports of sweeps (`lambda-cost-gate sweep --out`), matched to functions by name. */
  sweepReportPaths: string[];
  priceOverrides: { gbSecondUsd?: number; requestUsd?: number };
  apply: ApplySettings;
  /** Control-plane requests per second at most (Lambda allows 15 per account and region). */
  controlPlaneRate: number;
}

/** One function's figures for one UTC day and one memory size, from the Insights aggregation. */
export interface DayFigures {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  memorySizeMb: number;
  invocations: number;
  errors: number;
  timeouts: number;
  oomKills: number;
  p50DurationMs: number | null;
  p99DurationMs: number | null;
  meanDurationMs: number | null;
  meanBilledDurationMs: number | null;
  maxMemoryUsedMb: number | null;
  coldStarts: number;
  meanInitDurationMs: number | null;
}

/** Where a function's figures came from. */
export type UsageStatus = 'ok' | 'no-log-group' | 'query-failed';

/** One function's figures over the window. */
export interface FunctionUsage {
  status: UsageStatus;
  /** Why the query failed, when it did. */
  problem?: string;
  days: DayFigures[];
  invocations: number;
  errors: number;
  timeouts: number;
  oomKills: number;
  coldStarts: number;
  /** Distinct days with at least one invocation. */
  daysWithData: number;
  /** Each day's largest Max Memory Used, oldest day first. */
  dailyPeaksMb: number[];
  meanDailyPeakMb: number | null;
  peakMb: number | null;
  /** Invocation-weighted mean billed duration over the window. */
  meanBilledDurationMs: number | null;
  /** The same over the records at each memory size. */
  meanBilledBySizeMb: Record<string, number>;
  meanInitDurationMs: number | null;
  worstDayP99Ms: number | null;
}
