/**
 * One execution environment: a child `node` process running the bootstrap, with its CPU limited to
 * Lambda's share for the memory size and its memory capped at that size. It runs one invocation at
 * a time and turns whatever the child does (answers, crashes, hangs, gets OOM-killed) into an
 * {@link InvocationResult}; nothing the child does can throw in the parent.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { EnvCgroup, type CgroupSupport } from './cgroups.js';
import { functionArn, launchEnvironment, vcpusFor } from './launch.js';
import { descendants, RssMonitor, SigstopThrottle } from './proc-monitor.js';
import * as results from './results.js';
import type { LambdaError, ResultBase } from './results.js';
import type { EnvironmentSpec, InvocationResult } from './types.js';

const MIB = 1024 * 1024;
/** Lambda's limit on the init phase. */
const INIT_TIMEOUT_SEC = 10;
/** Node's own start-up, before any limit applies; only a broken host takes this long. */
const READY_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = 10;

/** What an executor hands each of its environments. */
export interface EnvironmentSettings {
  cgroups: CgroupSupport;
  /** The bootstrap written to a file (see writeBootstrap in bootstrap-source.ts). */
  bootstrapPath: string;
  cpuPeriodUs: number;
  region: string;
  accountId: string;
  log: (msg: string) => void;
  /** Called once when the process is gone and its cgroups removed. */
  onGone: (env: Environment) => void;
}

type ChildMsg =
  | { t: 'ready' }
  | { t: 'init'; ok: boolean; ms: number; error?: LambdaError }
  | { t: 'result'; id: string; ok: boolean; ms: number; body?: string; error?: LambdaError };
type Outcome = { kind: 'msg'; msg: ChildMsg } | { kind: 'exit' } | { kind: 'timeout' };
type Exit = { code: number | null; signal: NodeJS.Signals | null; oom: boolean };

const asError = (v: unknown): LambdaError | undefined => {
  const e = v as Partial<LambdaError> | null;
  if (!e || typeof e !== 'object' || typeof e.errorType !== 'string' || typeof e.errorMessage !== 'string')
    return undefined;
  return {
    errorType: e.errorType,
    errorMessage: e.errorMessage,
    trace: Array.isArray(e.trace) ? e.trace.map(String) : []
  };
};
const UNKNOWN: LambdaError = { errorType: 'Runtime.Unknown', errorMessage: 'Unknown error', trace: [] };

export class Environment {
  /** Also the cgroup name and the suffix of the log stream name. */
  readonly id = randomBytes(16).toString('hex');
  /** `busy` from creation until the executor marks it idle; `dead` once the process is gone. */
  state: 'busy' | 'idle' | 'dead' = 'busy';
  /** Owned by the executor (idle reaping). */
  idleTimer?: NodeJS.Timeout;
  private child?: ChildProcess;
  private processGone = false;
  private cgroup?: EnvCgroup;
  private throttle?: SigstopThrottle;
  private rss?: RssMonitor;
  /** No memory cgroup: the RSS sampler measures and enforces the memory size. */
  private memoryByRss = true;
  private rssTimer?: NodeJS.Timeout;
  private initialized = false;
  private killReason?: 'timeout' | 'oom' | 'stopped';
  private exit?: Exit;
  private finalizing?: Promise<void>;
  private readonly inbox: ChildMsg[] = [];
  private waiter?: { want: ChildMsg['t']; resolve: (o: Outcome) => void };
  private logs: string[] = [];
  private fatal?: LambdaError;
  private peakBytes = 0;
  private requestId?: string;
  private markExited: () => void = () => undefined;
  private readonly exited = new Promise<void>((resolve) => (this.markExited = resolve));
  private readonly booted: Promise<void>;

  constructor(
    readonly spec: EnvironmentSpec,
    private readonly settings: EnvironmentSettings
  ) {
    this.booted = this.boot().catch((err: unknown) => {
      settings.log(`environment ${this.id}: failed to start: ${String(err)}`);
      return this.finalize(null, null);
    });
  }

  get key(): string {
    return this.spec.key;
  }

  private async boot(): Promise<void> {
    const { spec, settings } = this;
    if (settings.cgroups.cpu || settings.cgroups.memory) {
      try {
        this.cgroup = await EnvCgroup.create(settings.cgroups, this.id, spec.memoryMb * MIB);
      } catch (err) {
        settings.log(`environment ${this.id}: cgroup setup failed (${String(err)}); using the /proc fallbacks`);
      }
    }
    if (this.killReason) return this.finalize(null, 'SIGKILL'); // Stopped while the cgroups were made.
    const child = launchEnvironment(spec, {
      envId: this.id,
      bootstrapPath: settings.bootstrapPath,
      region: settings.region,
      procsFiles: this.cgroup?.procsFiles() ?? []
    });
    this.child = child;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.on('message', (m: unknown) => this.onMessage(m));
    child.on('error', (err) => {
      settings.log(`environment ${this.id}: ${err.message}`);
      if (child.pid === undefined) void this.finalize(null, null, closed);
    });
    child.on('exit', (code, signal) => {
      this.processGone = true;
      void this.finalize(code, signal, closed);
    });
    for (const stream of [child.stdout, child.stderr]) {
      // Output that bypasses the bootstrap's console (native code, V8's fatal errors).
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        this.logs.push(...lines);
      });
      stream?.on('end', () => partial && this.logs.push(partial));
      stream?.on('error', () => undefined);
    }
    this.memoryByRss = !(this.cgroup && settings.cgroups.memory);
    if (child.pid !== undefined) this.rss = new RssMonitor(child.pid);
  }

  private onMessage(raw: unknown): void {
    const m = raw as Record<string, unknown> | null;
    if (!m || typeof m !== 'object') return;
    let msg: ChildMsg | undefined;
    const ms = typeof m.ms === 'number' ? m.ms : 0;
    if (m.t === 'log' && typeof m.line === 'string') this.logs.push(m.line);
    else if (m.t === 'fatal') this.fatal = asError(m.error) ?? UNKNOWN;
    else if (m.t === 'ready') msg = { t: 'ready' };
    else if (m.t === 'init') msg = { t: 'init', ok: m.ok === true, ms, error: asError(m.error) };
    else if (m.t === 'result' && typeof m.id === 'string' && m.id === this.requestId) {
      msg = {
        t: 'result',
        id: m.id,
        ok: m.ok === true,
        ms,
        body: typeof m.body === 'string' ? m.body : undefined,
        error: asError(m.error)
      };
    }
    if (!msg) return;
    if (this.waiter?.want === msg.t) this.waiter.resolve({ kind: 'msg', msg });
    else this.inbox.push(msg);
  }

  private waitFor(want: ChildMsg['t'], timeoutMs: number): Promise<Outcome> {
    const i = this.inbox.findIndex((m) => m.t === want);
    if (i >= 0) return Promise.resolve({ kind: 'msg', msg: this.inbox.splice(i, 1)[0] as ChildMsg });
    if (this.exit) return Promise.resolve({ kind: 'exit' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
      const done = (o: Outcome): void => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(o);
      };
      this.waiter = { want, resolve: done };
    });
  }

  private send(msg: object): void {
    try {
      this.child?.send(msg, (err) => err && this.settings.log(`environment ${this.id}: ${err.message}`));
    } catch {
      // The channel is closed: the exit handler reports it.
    }
  }

  /**
   * Runs one invocation (initialising first on a cold start). Never rejects; afterwards the
   * environment is either ready for the next invocation or `dead`.
   */
  async invoke(requestId: string, payload: Buffer): Promise<InvocationResult> {
    this.requestId = requestId;
    const coldStart = !this.initialized;
    let initDurationMs: number | undefined;
    const base = (): ResultBase => ({
      environmentId: this.id,
      coldStart,
      ...(initDurationMs === undefined ? {} : { initDurationMs }),
      maxMemoryUsedMb: Math.max(1, Math.round(this.peakBytes / MIB)),
      logLines: this.logs.splice(0)
    });
    let started = performance.now();
    if (coldStart) {
      await this.booted;
      const ready = await this.waitFor('ready', READY_TIMEOUT_MS);
      if (ready.kind !== 'msg') return this.failure(ready, requestId, base, started, READY_TIMEOUT_MS / 1000);
      await this.limitCpu();
      started = performance.now();
      this.send({ t: 'go' });
      const init = await this.waitFor('init', INIT_TIMEOUT_SEC * 1000);
      if (init.kind !== 'msg' || init.msg.t !== 'init')
        return this.failure(init, requestId, base, started, INIT_TIMEOUT_SEC);
      initDurationMs = init.msg.ms;
      if (!init.msg.ok) {
        // Lambda discards an environment whose init failed; the next invocation starts afresh.
        await this.kill('stopped');
        return results.handlerErrorResult(base(), init.msg.error ?? UNKNOWN, 0);
      }
      this.initialized = true;
    }
    const timeoutMs = this.spec.timeoutSec * 1000;
    this.startRssSampling();
    started = performance.now();
    this.send({
      t: 'invoke',
      id: requestId,
      payload: payload.toString('utf8'),
      deadline: Date.now() + timeoutMs,
      arn: functionArn(this.spec, this.settings.region, this.settings.accountId)
    });
    const outcome = await this.waitFor('result', timeoutMs);
    this.stopRssSampling();
    if (outcome.kind !== 'msg' || outcome.msg.t !== 'result')
      return this.failure(outcome, requestId, base, started, this.spec.timeoutSec);
    const msg = outcome.msg;
    await this.refreshMemory();
    if (this.memoryByRss && this.peakBytes > this.spec.memoryMb * MIB) {
      // The kernel would have killed it at the peak; the sampler only saw it afterwards.
      await this.kill('oom');
      return results.outOfMemoryResult(base(), requestId, this.spec.memoryMb, msg.ms);
    }
    return msg.ok
      ? results.successResult(base(), msg.body ?? 'null', msg.ms)
      : results.handlerErrorResult(base(), msg.error ?? UNKNOWN, msg.ms);
  }

  /** The result when no answer came: the deadline passed or the process died. */
  private async failure(
    outcome: Outcome,
    requestId: string,
    base: () => ResultBase,
    started: number,
    limitSec: number
  ): Promise<InvocationResult> {
    if (outcome.kind === 'timeout') {
      await this.kill('timeout');
      return results.timeoutResult(base(), requestId, limitSec);
    }
    await this.exited;
    const exit = this.exit ?? { code: null, signal: null, oom: false };
    const elapsed = performance.now() - started;
    if (this.killReason === 'oom' || exit.oom)
      return results.outOfMemoryResult(base(), requestId, this.spec.memoryMb, elapsed);
    return results.exitResult(base(), requestId, exit, elapsed, { fatal: this.fatal });
  }

  /** Puts the CPU share in force; called once the runtime is up and before the handler loads. */
  private async limitCpu(): Promise<void> {
    const vcpus = vcpusFor(this.spec.memoryMb);
    if (this.cgroup && this.settings.cgroups.cpu) {
      try {
        return await this.cgroup.setCpu(vcpus, this.settings.cpuPeriodUs);
      } catch (err) {
        this.settings.log(`environment ${this.id}: cpu quota failed (${String(err)}); using SIGSTOP`);
      }
    }
    const pid = this.child?.pid;
    if (pid === undefined || this.processGone) return;
    this.throttle = new SigstopThrottle(pid, vcpus, this.settings.cpuPeriodUs / 1000);
    this.throttle.start();
  }

  private startRssSampling(): void {
    const limit = this.spec.memoryMb * MIB;
    if (!this.memoryByRss || !this.rss || this.rssTimer) return;
    this.rssTimer = setInterval(() => {
      if (this.rss && this.rss.sample().current > limit) void this.kill('oom');
    }, RSS_SAMPLE_MS);
  }

  private stopRssSampling(): void {
    clearInterval(this.rssTimer);
    this.rssTimer = undefined;
  }

  /**
   * Peak memory: the memory cgroup's peak where there is one, but at least the process's resident
   * high-water mark, since the runtime's own file-backed pages (the node binary) were charged to
   * whichever group first read them and Lambda's figure includes them.
   */
  private async refreshMemory(): Promise<void> {
    if (this.rss && !this.processGone) this.rss.sample();
    const cgroupPeak = this.memoryByRss ? undefined : await this.cgroup?.memoryPeakBytes().catch(() => undefined);
    this.peakBytes = Math.max(this.peakBytes, this.rss?.peakBytes() ?? 0, cgroupPeak ?? 0);
  }

  /** SIGKILLs the environment's processes and resolves once it is gone and cleaned up. */
  async kill(reason: 'timeout' | 'oom' | 'stopped'): Promise<void> {
    this.killReason ??= reason;
    const pid = this.child?.pid;
    if (pid !== undefined && !this.processGone) {
      // Descendants that left the process group (setsid) are found through /proc; the cgroup
      // removal catches any left over where there are cgroups.
      for (const p of [-pid, pid, ...descendants(pid)]) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    if (!this.child) await this.booted; // Still making cgroups: boot sees killReason and stops.
    await this.exited;
  }

  private finalize(code: number | null, signal: NodeJS.Signals | null, closed?: Promise<void>): Promise<void> {
    this.finalizing ??= (async () => {
      this.throttle?.stop();
      this.stopRssSampling();
      await this.refreshMemory();
      const oom = (await this.cgroup?.oomKilled().catch(() => false)) ?? false;
      await this.cgroup?.remove();
      // Let the last output and IPC messages (a crash's stack trace) arrive, but not forever:
      // a grandchild that escaped the kill could hold the pipes open.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 200))]);
      this.exit = { code, signal, oom };
      this.state = 'dead';
      this.settings.onGone(this);
      this.waiter?.resolve({ kind: 'exit' });
      this.markExited();
    })();
    return this.finalizing;
  }
}
