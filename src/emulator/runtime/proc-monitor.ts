/**
 * Fallbacks for hosts without usable cgroups, built on /proc:
 * - {@link SigstopThrottle} enforces a CPU share by stopping and continuing the environment's
 *   process group against the CPU time its threads consumed, a user-space CFS bandwidth control;
 * - {@link RssMonitor} measures the peak resident memory of the environment's process tree.
 * Both only read /proc and send signals, so they work unprivileged (Linux only).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** How often the throttle looks at CPU use. Shorter is smoother but costs the parent CPU. */
const TICK_MS = 2;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The process is gone; its exit is handled elsewhere.
  }
}

const active = new Set<SigstopThrottle>();
let ticker: NodeJS.Timeout | undefined;

/**
 * Gives a process `vcpus` cores' worth of CPU time, like a CFS quota of `vcpus * period` per
 * period: a token bucket that fills at `vcpus` ns of CPU per ns of wall time and holds at most one
 * period's quota; when a tick finds it in debt the process group is SIGSTOPped until the debt is
 * paid back. CPU time is summed over all threads from /proc/<pid>/task/<tid>/schedstat (ns).
 */
export class SigstopThrottle {
  private readonly lastByTid = new Map<string, number>();
  private budgetNs: number;
  private lastTick = process.hrtime.bigint();
  private stopped = false;

  /** @param pid leader of the environment's process group (spawned with `detached: true`). */
  constructor(
    private readonly pid: number,
    private readonly vcpus: number,
    private readonly periodMs: number
  ) {
    this.budgetNs = vcpus * periodMs * 1e6;
  }

  start(): void {
    this.readCpuNs(); // Time used before the limit applies is not charged.
    this.lastTick = process.hrtime.bigint();
    active.add(this);
    ticker ??= setInterval(() => {
      for (const throttle of active) throttle.tick();
    }, TICK_MS).unref();
  }

  stop(): void {
    active.delete(this);
    if (this.stopped) signalGroup(this.pid, 'SIGCONT');
    this.stopped = false;
    if (active.size === 0 && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }

  /** CPU ns consumed since the last call, over all threads (threads that came and went included). */
  private readCpuNs(): number {
    let delta = 0;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${this.pid}/task`);
    } catch {
      return 0;
    }
    const seen = new Set<string>();
    for (const tid of tids) {
      const ns = Number((readText(`/proc/${this.pid}/task/${tid}/schedstat`) ?? '').split(' ')[0]);
      if (!Number.isFinite(ns)) continue;
      seen.add(tid);
      delta += ns - (this.lastByTid.get(tid) ?? 0);
      this.lastByTid.set(tid, ns);
    }
    for (const tid of this.lastByTid.keys()) if (!seen.has(tid)) this.lastByTid.delete(tid);
    return delta;
  }

  private tick(): void {
    const now = process.hrtime.bigint();
    const wallNs = Number(now - this.lastTick);
    this.lastTick = now;
    const capNs = this.vcpus * this.periodMs * 1e6;
    this.budgetNs = Math.min(capNs, this.budgetNs + this.vcpus * wallNs - this.readCpuNs());
    if (!this.stopped && this.budgetNs < 0) {
      this.stopped = true;
      signalGroup(this.pid, 'SIGSTOP');
    } else if (this.stopped && this.budgetNs >= -this.vcpus * TICK_MS * 1e6) {
      // Resumed a tick early: the bucket refills by then, and waiting for the next tick would
      // overshoot every stop. Debt is carried over, so the long-run share stays exact.
      this.stopped = false;
      signalGroup(this.pid, 'SIGCONT');
    }
  }
}

/** One field of /proc/<pid>/status in bytes (the kernel reports kB). */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readText(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) * 1024 : 0;
}

/** Child pids of every thread of `pid` (needs CONFIG_PROC_CHILDREN, else none are found). */
function childPids(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((tid) =>
    (readText(`/proc/${pid}/task/${tid}/children`) ?? '')
      .split(' ')
      .filter((s) => /^\d+$/.test(s))
      .map(Number)
  );
}

/** All descendants of `pid`, breadth first (bounded, in case /proc is odd). */
export function descendants(pid: number): number[] {
  const found = childPids(pid);
  for (let i = 0; i < found.length && found.length < 1024; i++) found.push(...childPids(found[i] as number));
  return found;
}

/**
 * Peak resident memory of a process tree. The kernel's high-water mark (VmHWM) is exact for the
 * environment's own process; descendants are added by sampling, so a short spike in a grandchild
 * can be missed.
 */
export class RssMonitor {
  private peak = 0;

  constructor(private readonly pid: number) {}

  /** Samples now and returns `{ current, peak }` in bytes. */
  sample(): { current: number; peak: number } {
    let current = statusBytes(this.pid, 'VmRSS');
    for (const pid of descendants(this.pid)) current += statusBytes(pid, 'VmRSS');
    this.peak = Math.max(this.peak, current, statusBytes(this.pid, 'VmHWM'));
    return { current, peak: this.peak };
  }

  /** Peak over all samples so far, in bytes. */
  peakBytes(): number {
    return this.peak;
  }
}
