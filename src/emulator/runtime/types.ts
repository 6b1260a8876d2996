/**
 * The contract between the emulator's control plane (which owns functions, versions and logs)
 * and the executors that run invocations: real Node.js code in child processes, or a
 * duration/memory model computed in-process.
 */

/** A duration/memory model that stands in for real code (see docs in src/emulator/model). */
export interface FunctionModel {
  /** CPU time one invocation needs on one full vCPU, in ms. */
  cpuMs: number;
  /** How many threads the work can spread over (1 = single-threaded). */
  parallelism: number;
  /** Wall time spent waiting on I/O, independent of memory, in ms. */
  ioMs: number;
  /** Sigma of the log-normal multiplicative noise on duration (0 = none). */
  noiseSigma: number;
  /** Share of invocations that take `outlierFactor` times longer. */
  outlierRate: number;
  outlierFactor: number;
  /** Init (cold start) CPU time on one vCPU, in ms; scaled by the CPU share like `cpuMs`. */
  initCpuMs: number;
  /** Fixed init time that does not depend on CPU (download, runtime start), in ms. */
  initFixedMs: number;
  /** Memory the function uses, in MB; above the memory size it is killed (out of memory). */
  memoryUsedMb: number;
  /** Share of invocations that fail with a handled error. */
  errorRate: number;
  /** Share of invocations that are throttled (429) before running. */
  throttleRate: number;
  /**
   * Real wall time spent per simulated ms (0 = answer at once; 1 = take as long as modelled).
   * Lets benchmarks simulate millions of invocations, and concurrency tests hold environments busy.
   */
  timeScale: number;
  /** Seed of the model's random stream, so a run can be reproduced. */
  seed: number;
}

/** Where a version's code comes from. */
export type CodeSource = { kind: 'directory'; path: string } | { kind: 'model'; model: FunctionModel };

/** Everything that is frozen into a version and decides how an environment behaves. */
export interface EnvironmentSpec {
  /**
   * Environments are reused only for invocations with the same key. The control plane makes it
   * from the function ARN, the version and the configuration's RevisionId.
   */
  key: string;
  functionName: string;
  /** `$LATEST` or a version number. */
  version: string;
  memoryMb: number;
  timeoutSec: number;
  /** `file.export`, e.g. `index.handler`. */
  handler: string;
  runtime: string;
  architecture: 'x86_64' | 'arm64';
  environment: Record<string, string>;
  code: CodeSource;
}

export type InvocationStatus = 'success' | 'error' | 'timeout';

/** What one invocation did, as the platform saw it. */
export interface InvocationResult {
  /** Response body: the handler's JSON result, or the error object Lambda returns. */
  payload: Buffer;
  /**
   * Lambda's `X-Amz-Function-Error`. Node.js handler errors, crashes, timeouts and OOM kills all
   * show as `Unhandled`; `Handled` exists for runtimes that report errors themselves.
   */
  functionError?: 'Handled' | 'Unhandled';
  status: InvocationStatus;
  /** For the REPORT line: e.g. `Runtime.OutOfMemory`, `Sandbox.Timedout`, `Runtime.ExitError`. */
  errorType?: string;
  /** Handler time, init excluded, in ms with fractions. */
  durationMs: number;
  /** Present on a cold start only. */
  initDurationMs?: number;
  /** Peak memory of the environment so far, in MB (Lambda reports the environment's peak). */
  maxMemoryUsedMb: number;
  /** What the function wrote to stdout/stderr during this invocation, one entry per line. */
  logLines: string[];
  /** Stable id of the execution environment; one log stream per environment. */
  environmentId: string;
  coldStart: boolean;
}

export type CpuMechanism = 'cgroup-v1' | 'cgroup-v2' | 'sigstop' | 'model';
export type MemoryMechanism = 'cgroup-v1' | 'cgroup-v2' | 'rss' | 'model';

/** Runs invocations. One executor owns all of its environments and reuses them while warm. */
export interface Executor {
  /**
   * Runs one invocation in a free warm environment of `spec.key`, or in a new one (a cold start)
   * when all are busy. Never rejects for function failures: those are results.
   */
  invoke(spec: EnvironmentSpec, requestId: string, payload: Buffer): Promise<InvocationResult>;
  /** Stops the environments whose key starts with `keyPrefix` (a version deleted or changed). */
  retire(keyPrefix: string): Promise<void>;
  /** Stops every environment; the executor is unusable afterwards. */
  close(): Promise<void>;
  /** The mechanisms in force, printed by the emulator at start. */
  mechanisms(): { cpu: CpuMechanism; memory: MemoryMechanism };
}
