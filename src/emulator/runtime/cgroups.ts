/**
 * Control groups for execution environments: a CFS bandwidth quota (CPU follows memory, as on
 * Lambda) and a memory limit whose peak is Max Memory Used and whose breach gets the environment
 * OOM-killed by the kernel.
 *
 * Environment groups are made under `<own cgroup>/lambda-cost-gate/<envId>` in each hierarchy, so
 * they stay inside whatever limits the executor itself runs under (a container, a CI job) instead
 * of escaping to the root. cgroup v2 is preferred per controller, then v1; a controller neither
 * can provide is left to the fallbacks in proc-monitor.ts.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { CpuMechanism, MemoryMechanism } from './types.js';

const GROUP = 'lambda-cost-gate';

/** Where environment groups of one controller are made. */
export interface CgroupController {
  version: 1 | 2;
  /** `<own cgroup>/lambda-cost-gate` in that controller's hierarchy. */
  base: string;
}

/** The controllers usable for environments; a missing one means "use the fallback". */
export interface CgroupSupport {
  cpu?: CgroupController;
  memory?: CgroupController;
}

interface Mount {
  root: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

const unescapeOctal = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));

async function readText(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function cgroupMounts(): Promise<Mount[]> {
  const text = (await readText('/proc/self/mountinfo')) ?? '';
  return text.split('\n').flatMap((line): Mount[] => {
    const [left, right] = line.split(' - ');
    const l = left?.split(' ') ?? [];
    const r = right?.split(' ') ?? [];
    const [root, mountPoint, fsType] = [l[3], l[4], r[0]];
    if (!root || !mountPoint || (fsType !== 'cgroup' && fsType !== 'cgroup2')) return [];
    return [
      { root: unescapeOctal(root), mountPoint: unescapeOctal(mountPoint), fsType, options: (r[2] ?? '').split(',') }
    ];
  });
}

/** This process's cgroup path per v1 controller, and its v2 path under key ''. */
async function ownCgroups(): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const line of ((await readText('/proc/self/cgroup')) ?? '').split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const path = line.slice(second + 1);
    for (const controller of line.slice(first + 1, second).split(',')) paths.set(controller, path);
  }
  return paths;
}

/** Own path relative to the mount's root (they differ when a hierarchy is bind-mounted). */
function underMount(mount: Mount, ownPath: string): string {
  if (mount.root === '/') return ownPath;
  if (ownPath === mount.root || ownPath.startsWith(mount.root + '/')) return ownPath.slice(mount.root.length) || '/';
  return '/';
}

/** Makes and removes a throwaway group to prove the files we need are writable. */
async function probe(base: string, writes: Array<[string, string]>): Promise<boolean> {
  const dir = join(base, `probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const [file, value] of writes) await fs.writeFile(join(dir, file), value);
    return true;
  } catch {
    return false;
  } finally {
    await fs.rmdir(dir).catch(() => undefined);
  }
}

async function detectV2(
  mounts: Mount[],
  own: Map<string, string>,
  controller: 'cpu' | 'memory'
): Promise<CgroupController | undefined> {
  const mount = mounts.find((m) => m.fsType === 'cgroup2');
  const ownPath = own.get('');
  if (!mount || ownPath === undefined) return undefined;
  const dir = join(mount.mountPoint, underMount(mount, ownPath));
  if (!((await readText(join(dir, 'cgroup.controllers'))) ?? '').split(/\s+/).includes(controller)) return undefined;
  const base = join(dir, GROUP);
  try {
    await fs.mkdir(base, { recursive: true });
    // Fails when our own group holds processes ("no internal processes"); the probe then tells.
    for (const d of [dir, base])
      await fs.writeFile(join(d, 'cgroup.subtree_control'), `+${controller}`).catch(() => undefined);
  } catch {
    return undefined;
  }
  const writes: Array<[string, string]> = controller === 'cpu' ? [['cpu.max', 'max 100000']] : [['memory.max', 'max']];
  return (await probe(base, writes)) ? { version: 2, base } : undefined;
}

async function detectV1(
  mounts: Mount[],
  own: Map<string, string>,
  controller: 'cpu' | 'memory'
): Promise<CgroupController | undefined> {
  const mount = mounts.find((m) => m.fsType === 'cgroup' && m.options.includes(controller));
  const ownPath = own.get(controller);
  if (!mount || ownPath === undefined) return undefined;
  const base = join(mount.mountPoint, underMount(mount, ownPath), GROUP);
  const writes: Array<[string, string]> =
    controller === 'cpu'
      ? [
          ['cpu.cfs_period_us', '100000'],
          ['cpu.cfs_quota_us', '-1']
        ]
      : [['memory.limit_in_bytes', '-1']];
  return (await probe(base, writes)) ? { version: 1, base } : undefined;
}

/**
 * Finds writable cgroup hierarchies with the cpu and memory controllers (v2 preferred, then v1).
 * @param cgroupRoot only hierarchies mounted at or under this directory are considered.
 */
export async function detectCgroups(cgroupRoot = '/sys/fs/cgroup'): Promise<CgroupSupport> {
  if (process.platform !== 'linux') return {};
  const mounts = (await cgroupMounts()).filter(
    (m) => m.mountPoint === cgroupRoot || m.mountPoint.startsWith(cgroupRoot + '/')
  );
  const own = await ownCgroups();
  const pick = async (c: 'cpu' | 'memory'): Promise<CgroupController | undefined> =>
    (await detectV2(mounts, own, c)) ?? (await detectV1(mounts, own, c));
  return { cpu: await pick('cpu'), memory: await pick('memory') };
}

/** The CPU mechanism a process executor would use here (probes the cgroup hierarchies). */
export async function detectCpuMechanism(cgroupRoot?: string): Promise<CpuMechanism> {
  const cpu = (await detectCgroups(cgroupRoot)).cpu;
  return cpu ? (cpu.version === 2 ? 'cgroup-v2' : 'cgroup-v1') : 'sigstop';
}

/** The memory mechanism a process executor would use here (probes the cgroup hierarchies). */
export async function detectMemoryMechanism(cgroupRoot?: string): Promise<MemoryMechanism> {
  const memory = (await detectCgroups(cgroupRoot)).memory;
  return memory ? (memory.version === 2 ? 'cgroup-v2' : 'cgroup-v1') : 'rss';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The groups of one execution environment (one per hierarchy; one dir in all for v2). */
export class EnvCgroup {
  private constructor(
    private readonly support: CgroupSupport,
    /** Group directories, cpu first; the same directory twice collapses to one. */
    private readonly dirs: { cpu?: string; memory?: string }
  ) {}

  /** Creates the groups with the memory limit in force and the CPU unlimited until {@link setCpu}. */
  static async create(support: CgroupSupport, envId: string, memoryBytes: number): Promise<EnvCgroup> {
    const group = new EnvCgroup(support, {
      cpu: support.cpu && join(support.cpu.base, envId),
      memory: support.memory && join(support.memory.base, envId)
    });
    try {
      for (const dir of group.allDirs()) await fs.mkdir(dir, { recursive: true });
      const mem = group.dirs.memory;
      if (mem && support.memory?.version === 1) {
        await fs.writeFile(join(mem, 'memory.limit_in_bytes'), String(memoryBytes));
        // With swap the kernel would page out instead of killing; absent without swap accounting.
        await fs.writeFile(join(mem, 'memory.memsw.limit_in_bytes'), String(memoryBytes)).catch(() => undefined);
      } else if (mem) {
        await fs.writeFile(join(mem, 'memory.max'), String(memoryBytes));
        await fs.writeFile(join(mem, 'memory.swap.max'), '0').catch(() => undefined);
        await fs.writeFile(join(mem, 'memory.oom.group'), '1').catch(() => undefined);
      }
    } catch (err) {
      await group.remove();
      throw err;
    }
    return group;
  }

  private allDirs(): string[] {
    return [...new Set([this.dirs.cpu, this.dirs.memory].filter((d): d is string => d !== undefined))];
  }

  /** `cgroup.procs` files the environment's pid must be written to before its code runs. */
  procsFiles(): string[] {
    return this.allDirs().map((d) => join(d, 'cgroup.procs'));
  }

  /** Puts the CFS bandwidth limit in force: `vcpus` cores' worth of time per `periodUs`. */
  async setCpu(vcpus: number, periodUs: number): Promise<void> {
    const dir = this.dirs.cpu;
    if (!dir) return;
    // The kernel refuses quotas under 1 ms.
    const quota = Math.max(1000, Math.round(vcpus * periodUs));
    if (this.support.cpu?.version === 2) {
      await fs.writeFile(join(dir, 'cpu.max'), `${quota} ${periodUs}`);
    } else {
      await fs.writeFile(join(dir, 'cpu.cfs_period_us'), String(periodUs));
      await fs.writeFile(join(dir, 'cpu.cfs_quota_us'), String(quota));
    }
  }

  /** Peak memory charged to the environment since it started, in bytes. */
  async memoryPeakBytes(): Promise<number | undefined> {
    const dir = this.dirs.memory;
    if (!dir) return undefined;
    const files =
      this.support.memory?.version === 1 ? ['memory.max_usage_in_bytes'] : ['memory.peak', 'memory.current'];
    for (const file of files) {
      const n = Number.parseInt((await readText(join(dir, file))) ?? '', 10);
      if (Number.isFinite(n)) return n;
    }
    return undefined;
  }

  /** Whether the kernel's OOM killer has killed a process of the environment. */
  async oomKilled(): Promise<boolean> {
    const dir = this.dirs.memory;
    if (!dir) return false;
    const file = this.support.memory?.version === 1 ? 'memory.oom_control' : 'memory.events';
    const match = /^oom_kill (\d+)$/m.exec((await readText(join(dir, file))) ?? '');
    return match !== null && Number(match[1]) > 0;
  }

  /** Processes still in the environment's groups (e.g. grandchildren that left the process group). */
  async pids(): Promise<number[]> {
    const pids = new Set<number>();
    for (const file of this.procsFiles()) {
      for (const line of ((await readText(file)) ?? '').split('\n')) if (/^\d+$/.test(line)) pids.add(Number(line));
    }
    return [...pids];
  }

  /** Kills what is left inside and removes the groups; never throws. */
  async remove(): Promise<void> {
    for (const dir of this.allDirs()) {
      // An exiting task keeps its group busy for a moment after its parent saw it exit.
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          await fs.rmdir(dir);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') break;
          for (const pid of await this.pids()) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // Already gone.
            }
          }
          await sleep(20);
        }
      }
    }
  }
}
