/**
 * The {@link Executor} for real code (`code.kind === 'directory'`): Node.js handlers run in child
 * processes, one per execution environment, with Lambda's CPU share and memory limit enforced by
 * the kernel (cgroups) or, without cgroups, by SIGSTOP/SIGCONT and RSS sampling.
 *
 * Environments are reused while warm: an invocation takes a free environment of its `spec.key`,
 * or starts a new one (a cold start) when all are busy. Idle environments are stopped after
 * `idleTimeoutMs`, as Lambda eventually reclaims them.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { writeBootstrap } from './bootstrap-source.js';
import { detectCgroups, type CgroupController, type CgroupSupport } from './cgroups.js';
import { Environment, type EnvironmentSettings } from './environment.js';
import { handlerErrorResult } from './results.js';
import type { CpuMechanism, EnvironmentSpec, Executor, InvocationResult, MemoryMechanism } from './types.js';

export { detectCpuMechanism, detectMemoryMechanism } from './cgroups.js';
export { vcpusFor, MB_PER_VCPU } from './launch.js';

/** Options of {@link createProcessExecutor}. */
export interface ProcessExecutorOptions {
  /** Only cgroup hierarchies mounted at or under this directory are used (default /sys/fs/cgroup). */
  cgroupRoot?: string;
  /**
   * `'sigstop'` ignores cgroups altogether, as on a host without them: CPU by SIGSTOP/SIGCONT,
   * memory by RSS sampling. For tests of the fallbacks.
   */
  forceMechanism?: 'sigstop';
  /** Diagnostics (mechanisms in force, environments that could not be set up). */
  log?: (msg: string) => void;
  /** Idle environments are stopped after this long (default 5 minutes). */
  idleTimeoutMs?: number;
  /**
   * CFS period in µs (default 20 ms). Short, so short invocations are throttled smoothly rather
   * than in bursts; long enough that 128 MB's quota stays over the kernel's 1 ms minimum.
   */
  cpuPeriodUs?: number;
  /** AWS_REGION of the environments and region of `context.invokedFunctionArn` (default us-east-1). */
  region?: string;
  /** Account in `context.invokedFunctionArn` (default 000000000000). */
  accountId?: string;
}

const mechanism = (c: CgroupController | undefined): 'cgroup-v1' | 'cgroup-v2' | undefined =>
  c ? (c.version === 2 ? 'cgroup-v2' : 'cgroup-v1') : undefined;

class ProcessExecutor implements Executor {
  private readonly envs = new Set<Environment>();
  private readonly settings: EnvironmentSettings;
  private readonly idleTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly cgroups: CgroupSupport,
    private readonly bootstrapPath: string,
    options: ProcessExecutorOptions
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
    this.settings = {
      cgroups,
      bootstrapPath,
      cpuPeriodUs: options.cpuPeriodUs ?? 20_000,
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '000000000000',
      log: options.log ?? (() => undefined),
      onGone: (env) => {
        clearTimeout(env.idleTimer);
        this.envs.delete(env);
      }
    };
  }

  async invoke(spec: EnvironmentSpec, requestId: string, payload: Buffer): Promise<InvocationResult> {
    if (this.closed) throw new Error('The process executor is closed');
    if (spec.code.kind !== 'directory')
      throw new Error(`The process executor runs directory code, not ${spec.code.kind}`);
    let env = [...this.envs].find((e) => e.state === 'idle' && e.key === spec.key);
    if (env) {
      clearTimeout(env.idleTimer);
      env.state = 'busy';
    } else {
      env = new Environment(spec, this.settings);
      this.envs.add(env);
    }
    const result = await env.invoke(requestId, payload).catch(async (err: unknown) => {
      // A bug of ours, not the function's: report it as a failed invocation and drop the environment.
      this.settings.log(`environment ${env.id}: ${String(err)}`);
      await env.kill('stopped');
      const error = { errorType: 'Runtime.Unknown', errorMessage: String(err) };
      return handlerErrorResult({ environmentId: env.id, coldStart: true, maxMemoryUsedMb: 0, logLines: [] }, error, 0);
    });
    if (env.state !== 'dead') {
      env.state = 'idle';
      const idle = env;
      env.idleTimer = setTimeout(() => void idle.kill('stopped'), this.idleTimeoutMs).unref();
    }
    return result;
  }

  async retire(keyPrefix: string): Promise<void> {
    await Promise.all([...this.envs].filter((e) => e.key.startsWith(keyPrefix)).map((e) => e.kill('stopped')));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.envs].map((e) => e.kill('stopped')));
    // The shared parent groups go too, unless another executor still has environments in them.
    for (const c of new Set([this.cgroups.cpu?.base, this.cgroups.memory?.base])) {
      if (c) await fs.rmdir(c).catch(() => undefined);
    }
    await fs.rm(dirname(this.bootstrapPath), { recursive: true, force: true }).catch(() => undefined);
  }

  mechanisms(): { cpu: CpuMechanism; memory: MemoryMechanism } {
    return { cpu: mechanism(this.cgroups.cpu) ?? 'sigstop', memory: mechanism(this.cgroups.memory) ?? 'rss' };
  }
}

/**
 * Creates the executor for real Node.js code, after probing which cgroup hierarchies are usable.
 * `mechanisms()` reports what is in force: `cgroup-v2`/`cgroup-v1` or `sigstop` for CPU,
 * `cgroup-v2`/`cgroup-v1` or `rss` for memory.
 */
export async function createProcessExecutor(options: ProcessExecutorOptions = {}): Promise<Executor> {
  const cgroups = options.forceMechanism === 'sigstop' ? {} : await detectCgroups(options.cgroupRoot);
  const executor = new ProcessExecutor(cgroups, await writeBootstrap(), options);
  const { cpu, memory } = executor.mechanisms();
  options.log?.(`process executor: cpu limited by ${cpu}, memory by ${memory}`);
  return executor;
}
