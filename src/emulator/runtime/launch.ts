/**
 * How an execution environment's process is started: the command line (heap size, cgroup
 * joining), the Lambda environment variables and the CPU share of a memory size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import type { EnvironmentSpec } from './types.js';

/** Lambda gives one vCPU's worth of CPU time at 1,769 MB, in proportion below and above. */
export const MB_PER_VCPU = 1769;
/** Lambda's most vCPUs (at 10,240 MB). */
const MAX_VCPUS = 6;

/** vCPUs Lambda gives a memory size, capped by this host's cores. */
export function vcpusFor(memoryMb: number): number {
  return Math.min(memoryMb / MB_PER_VCPU, MAX_VCPUS, os.availableParallelism());
}

/**
 * Writes its pid into each cgroup.procs listed before `--`, then execs the rest: the environment
 * is charged for its memory from its first instruction (a pid moved later would leave the memory
 * it already used charged to the executor's group).
 */
const JOIN_CGROUPS = 'while [ "$1" != "--" ]; do echo $$ > "$1" || exit 97; shift; done; shift; exec "$@"';

export interface LaunchOptions {
  envId: string;
  bootstrapPath: string;
  region: string;
  /** cgroup.procs files to join before node starts (none: start node directly). */
  procsFiles: string[];
}

/** The environment variables of a Lambda Node.js environment (not the host's). */
export function lambdaEnvironment(
  spec: EnvironmentSpec,
  codeDir: string,
  envId: string,
  region: string
): NodeJS.ProcessEnv {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ...spec.environment,
    // Reserved: a function's configuration cannot override these on Lambda.
    LAMBDA_TASK_ROOT: codeDir,
    _HANDLER: spec.handler,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${spec.version}]${envId}`
  };
}

/**
 * Starts the environment's process: `node --max-old-space-size=<90 % of memory> bootstrap.mjs`,
 * through the cgroup-joining shell when there are groups, with IPC for the protocol and pipes for
 * output that bypasses the bootstrap. Its own process group (detached), so a kill or SIGSTOP of
 * the group reaches the handler's subprocesses too. The host's environment is not passed on: an
 * Action's tokens must not reach function code.
 */
export function launchEnvironment(spec: EnvironmentSpec, options: LaunchOptions): ChildProcess {
  const codeDir = spec.code.kind === 'directory' ? spec.code.path : os.tmpdir();
  // Like the Lambda Node.js runtime: V8's heap sized to the memory, less room for the rest.
  const nodeArgs = [`--max-old-space-size=${Math.max(16, Math.floor(spec.memoryMb * 0.9))}`, options.bootstrapPath];
  const [command, args] =
    options.procsFiles.length > 0
      ? ['/bin/sh', ['-c', JOIN_CGROUPS, 'lambda-env', ...options.procsFiles, '--', process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  return spawn(command, args, {
    // A missing code directory is reported by the bootstrap (Runtime.ImportModuleError).
    cwd: existsSync(codeDir) ? codeDir : os.tmpdir(),
    env: lambdaEnvironment(spec, codeDir, options.envId, options.region),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
    serialization: 'json'
  });
}

/** `context.invokedFunctionArn`: qualified with the version unless `$LATEST`. */
export function functionArn(spec: EnvironmentSpec, region: string, accountId: string): string {
  const qualifier = spec.version === '$LATEST' ? '' : `:${spec.version}`;
  return `arn:aws:lambda:${region}:${accountId}:function:${spec.functionName}${qualifier}`;
}
