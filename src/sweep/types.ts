/**
 * The sweep engine's shared vocabulary: what a sweep is asked to do, what one invocation yields,
 * and the ports through which it reaches AWS. The pure core (plan, analyze, pricing, report) and
 * the adapters (deploy, logs) meet here; nothing in this file does I/O.
 */

export type Strategy = 'cost' | 'speed' | 'balanced';
export type Architecture = 'x86_64' | 'arm64';

/** A payload and how often it is sent, relative to the others. */
export interface WeightedPayload {
  /** The JSON text sent as the invocation's payload. Never printed unless the user asks. */
  json: string;
  weight: number;
}

/** Where the candidate code comes from; absent = measure the code the function has now. */
export type CandidateCode =
  | { kind: 'zip'; path: string }
  | { kind: 'directory'; path: string }
  | { kind: 's3'; bucket: string; key: string; objectVersion?: string };

/** How many jobs one invocation does, for cost per job. */
export type JobsPerInvocation = { kind: 'fixed'; count: number } | { kind: 'response-path'; path: string };

/** Where versions are made: the function itself, or a temporary copy deleted at the end. */
export type DeployMode = 'in-place' | 'temporary-copy';

/** A validated sweep request. */
export interface SweepOptions {
  /** Name, partial ARN or full ARN (without a qualifier). */
  functionName: string;
  /** From the ARN when it has one, else the SDK's chain. */
  region?: string;
  code?: CandidateCode;
  memorySizes: number[];
  /** Measured (warm) invocations per memory size. */
  invocations: number;
  /** Invocations per size before measuring; their cold starts are reported, not mixed into latency. */
  warmup: number;
  /** Invocations in flight at once, across all sizes. */
  concurrency: number;
  payloads: WeightedPayload[];
  jobsPerInvocation?: JobsPerInvocation;
  mode: DeployMode;
  strategy: Strategy;
  /** Weight of cost against speed for the balanced strategy, from 0 (speed only) to 1 (cost only). */
  balancedWeight: number;
  /** Identifies the run in version descriptions and tags, so leftovers can be found and removed. */
  runId: string;
  /**
   * More measured invocations for some sizes than `invocations` (the gated sizes: a p99 interval needs
   * 299 warm samples at 95 %, a curve does not).
   */
  sizeInvocations?: Array<{ memoryMb: number; invocations: number }>;
  /**
   * An alias or version of the deployed function, measured in the same rounds as the candidate at its own
   * configured memory: a live A/B baseline that needs nothing stored.
   */
  liveBaseline?: { qualifier: string; invocations: number };
  /** Sweep a grid: memory × an environment variable's values × architectures, one version per cell. */
  grid?: GridOptions;
  /** After the sweep, measure up to 2 more sizes around the fitted optimum (between the sampled sizes). */
  refine?: boolean;
}

/** What the grid inputs ask for; the memory sizes are the sweep's. */
export interface GridOptions {
  /** The environment variable and its values (e.g. THREADS=1,2,4,8); absent: memory × architecture only. */
  knob?: { name: string; values: string[] };
  /** Absent: the function's own architecture only. */
  architectures?: Architecture[];
  /** The most cells; the plan says what it cut. */
  maxCells: number;
}

/** Why an invocation did not count as a success. */
export type ErrorKind = 'handled' | 'unhandled' | 'timeout' | 'out-of-memory' | 'throttled' | 'client';

/** One invocation, as measured. Numbers come from Lambda's REPORT line unless said otherwise. */
export interface Sample {
  memoryMb: number;
  /** The version that ran (`X-Amz-Executed-Version`). */
  version: string;
  payloadIndex: number;
  phase: 'warmup' | 'measure';
  requestId?: string;
  durationMs?: number;
  billedDurationMs?: number;
  /** Present on cold starts. */
  initDurationMs?: number;
  maxMemoryUsedMb?: number;
  /** Client-side wall time of the Invoke call, in ms. */
  roundTripMs: number;
  error?: ErrorKind;
  /** Lambda's error type (`Runtime.OutOfMemory`, the handler's error name, …). */
  errorType?: string;
  /** Jobs the invocation did, when the sweep counts jobs. */
  jobs?: number;
  /** Each job's own duration, ms, from the response's `jobDurationsMs` (when the sweep counts jobs). */
  jobDurationsMs?: number[];
  /** Worker threads the function used, from the response's `threads`. */
  threads?: number;
  /** Wall time of the batch inside the handler, ms, from the response's `elapsedMs`. */
  elapsedMs?: number;
  /** Where the REPORT came from: the log tail, CloudWatch Logs, or nowhere (e.g. throttled). */
  reportSource: 'tail' | 'logs' | 'none';
  /** Epoch ms when the call started. */
  startedAt: number;
}

/** The configuration a sweep reads, changes and must put back. */
export interface FunctionState {
  name: string;
  /** Unqualified ARN. */
  arn: string;
  region: string;
  runtime: string;
  handler: string;
  role: string;
  memorySize: number;
  timeout: number;
  description: string;
  codeSha256: string;
  revisionId: string;
  architecture: Architecture;
  environment: Record<string, string>;
  layers: string[];
  ephemeralStorageMb: number;
  vpc?: { subnetIds: string[]; securityGroupIds: string[] };
  logGroup: string;
  logFormat: 'Text' | 'JSON';
  packageType: 'Zip' | 'Image';
  lastUpdateStatus: string;
  state: string;
}

/** What an Invoke call returned, before analysis. */
export interface InvokeOutcome {
  statusCode?: number;
  /** The invocation's request id (Invoke's `x-amzn-RequestId`), to find its REPORT in the logs. */
  requestId?: string;
  /** `X-Amz-Function-Error`: `Handled` or `Unhandled`. */
  functionError?: string;
  /** Base64 tail of the log. */
  logResult?: string;
  executedVersion?: string;
  /** The response body (the handler's result or error). */
  payload: Uint8Array;
  /** Set when the call itself failed: throttled (after the SDK's retries) or another client error. */
  failure?: { kind: 'throttled' | 'client'; message: string };
}

/** The Lambda calls a sweep makes. The SDK adapter implements it; tests may fake it. */
export interface LambdaPort {
  getFunction(name: string, qualifier?: string): Promise<FunctionState>;
  /** UpdateFunctionCode with a RevisionId precondition; waits until the update has settled. */
  updateCode(
    name: string,
    code: CandidateCode,
    revisionId: string,
    architecture?: Architecture
  ): Promise<FunctionState>;
  /** UpdateFunctionConfiguration with a RevisionId precondition; waits until the update has settled. */
  updateConfiguration(
    name: string,
    change: { memorySize?: number; description?: string; environment?: Record<string, string> },
    revisionId: string
  ): Promise<FunctionState>;
  /** PublishVersion guarded by CodeSha256 and RevisionId; waits until the version is Active. */
  publishVersion(
    name: string,
    expected: { codeSha256: string; revisionId: string; description: string }
  ): Promise<string>;
  /** Deletes one version. A version that is already gone counts as deleted. */
  deleteVersion(name: string, version: string): Promise<void>;
  /** Every published version with its description (to find a killed run's leftovers). */
  listVersions(name: string): Promise<Array<{ version: string; description: string }>>;
  /** Creates a copy of a function's configuration with other code; waits until it is Active. */
  createCopy(
    name: string,
    source: FunctionState,
    code: CandidateCode | { kind: 'zip-bytes'; bytes: Uint8Array },
    tags: Record<string, string>
  ): Promise<FunctionState>;
  /** The deployed code's zip, for copying a function whose code is not given. */
  downloadCode(name: string): Promise<Uint8Array>;
  deleteFunction(name: string): Promise<void>;
  invoke(name: string, qualifier: string, payload: string): Promise<InvokeOutcome>;
}

/** The CloudWatch Logs call a sweep makes when a log tail lacks the REPORT line. */
export interface LogsPort {
  /** The REPORT line (text or JSON) of a request, or undefined when it is not (yet) there. */
  findReportLine(logGroup: string, requestId: string, sinceEpochMs: number): Promise<string | undefined>;
}

/** Progress events, for CI logs and terminals. */
export type ProgressEvent =
  { type: 'phase'; message: string } | { type: 'size'; memoryMb: number; done: number; total: number; errors: number };
