import { describe, expect, it } from '@jest/globals';
import { mulberry32 } from '../../src/sweep/plan.js';
import { cellKey, gridResult, planGrid } from '../../src/grid/index.js';
import type { CellInvocation, GridCell, GridSpec } from '../../src/grid/types.js';
import { invocationTotalUsd, priceTable } from '../../src/pricing/cost.js';

/** The same seeded generator the schedule uses: the same noise on every run. */
const seeded = mulberry32;

const prices = priceTable('us-east-1', 'x86_64');

/**
 * What the batch worker answers on a host with `cores` cores: 8 jobs of `jobMs` of CPU on `threads` threads
 * sharing min(threads, memory / 1769, cores) cores, so each job takes jobMs · threads / cores and the batch
 * 8 · jobMs / cores (threads divide 8); the REPORT Duration adds 5 ms. Noise: ±2 % on each job.
 */
function batchWorker(cell: GridCell, count: number, random: () => number, cores = 2, jobMs = 50): CellInvocation[] {
  const threads = Number(cell.knobValue);
  const share = Math.min(threads, cell.memoryMb / 1769, cores);
  return Array.from({ length: count }, () => {
    const jobDurationsMs = Array.from(
      { length: 8 },
      () => ((jobMs * threads) / share) * (1 + 0.02 * (2 * random() - 1))
    );
    const elapsedMs = (jobDurationsMs.reduce((sum, ms) => sum + ms, 0) / threads) * 1.01;
    const durationMs = elapsedMs + 5;
    const billedDurationMs = Math.ceil(durationMs);
    const costUsd = invocationTotalUsd(billedDurationMs, cell.memoryMb, undefined, prices);
    return { durationMs, billedDurationMs, costUsd, jobs: 8, jobDurationsMs, threads, elapsedMs };
  });
}

const spec: GridSpec = {
  memorySizes: [512, 1024, 2048, 4096],
  knob: { name: 'THREADS', values: ['1', '2', '4', '8'] },
  architectures: ['x86_64'],
  maxCells: 64
};

describe('cellKey', () => {
  it('keys a cell by memory, knob value and architecture', () => {
    expect(cellKey({ memoryMb: 1024, knobValue: '4', architecture: 'arm64' })).toBe('1024|4|arm64');
    expect(cellKey({ memoryMb: 512, architecture: 'x86_64' })).toBe('512||x86_64');
    // A value holding the separator still keys apart from its neighbours.
    expect(cellKey({ memoryMb: 512, knobValue: 'a|x86_64', architecture: 'arm64' })).not.toBe(
      cellKey({ memoryMb: 512, knobValue: 'a', architecture: 'x86_64' })
    );
  });
});

describe('gridResult', () => {
  it('recovers memory / 1769 up to 2 cores and the best cells from a 4 memory × 4 thread sweep', () => {
    const plan = planGrid(spec);
    const random = seeded(42);
    const measured = new Map(plan.cells.map((cell) => [cellKey(cell), batchWorker(cell, 10, random)]));
    const result = gridResult(spec, plan, measured, {
      balancedWeight: 0.5,
      prices: { x86_64: prices },
      ephemeralStorageMb: 512
    });

    expect(result.cells).toHaveLength(16);
    expect(result.unmeasured).toBeUndefined();
    expect(result.costBasis).toBe('job');
    const parallelism = result.parallelism!;
    expect(Math.abs(parallelism.mbPerVcpu / 1769 - 1)).toBeLessThan(0.05);
    expect(parallelism.ceilingVcpus).toBeGreaterThan(1.9);
    expect(parallelism.ceilingVcpus).toBeLessThan(2.1);
    expect(parallelism.rSquared).toBeGreaterThan(0.95);

    const [cost, throughput] = result.best;
    // Cost per job is flat below one vCPU (the same CPU-seconds) and the 5 ms overhead costs least at 512 MB.
    expect(cost!.cell.memoryMb).toBe(512);
    // 4,096 MB with 2+ threads uses both cores; 1 thread cannot.
    expect(throughput!.cell.memoryMb).toBe(4096);
    expect(throughput!.cell.knobValue).not.toBe('1');
    // Speed-up stops at 2 cores = 3,538 MB: the fitted pick finds it between 2,048 and 4,096 MB.
    expect(throughput!.fitted!.memoryMb).toBeGreaterThan(3400);
    expect(throughput!.fitted!.memoryMb).toBeLessThan(3700);
  });

  it('leaves cells with no invocations out of the figures and lists them', () => {
    const small: GridSpec = { ...spec, memorySizes: [1024, 2048], knob: { name: 'THREADS', values: ['1', '2'] } };
    const plan = planGrid(small);
    const random = seeded(3);
    const missing = { memoryMb: 2048, knobValue: '1', architecture: 'x86_64' } as const;
    // One cell measured nothing (an empty list); another is not in the map at all.
    const measured = new Map(
      plan.cells
        .filter((cell) => cellKey(cell) !== '2048|2|x86_64')
        .map((cell) => [cellKey(cell), cellKey(cell) === cellKey(missing) ? [] : batchWorker(cell, 3, random)])
    );
    measured.set('9999|2|x86_64', batchWorker({ memoryMb: 9999, knobValue: '2', architecture: 'x86_64' }, 1, random));
    const result = gridResult(small, plan, measured, { balancedWeight: 0.5 });
    expect(result.cells.map((cell) => cellKey(cell))).toEqual(['1024|1|x86_64', '1024|2|x86_64']);
    expect(result.unmeasured).toEqual([missing, { memoryMb: 2048, knobValue: '2', architecture: 'x86_64' }]);
    expect(result.best.map((pick) => cellKey(pick.cell))).not.toContain(cellKey(missing));
    expect(result.best[0]!.reason).toContain('THREADS=');
  });

  it('takes a numeric knob value as the thread count unless told it is not one', () => {
    const small: GridSpec = { ...spec, memorySizes: [1769], knob: { name: 'BATCH', values: ['4'] } };
    const plan = planGrid(small);
    // The function does not report its threads: 4 jobs of 100 ms each in 400 ms.
    const invocation: CellInvocation = {
      durationMs: 400,
      billedDurationMs: 400,
      costUsd: 1e-6,
      jobs: 4,
      jobDurationsMs: [100, 100, 100, 100],
      elapsedMs: 400
    };
    const measured = new Map([[cellKey(plan.cells[0]!), [invocation]]]);
    const asThreads = gridResult(small, plan, measured, { balancedWeight: 0.5 });
    expect(asThreads.cells[0]!.threads).toBe(4);
    expect(asThreads.cells[0]!.jobsPerSecondMedian).toBeCloseTo(40, 9); // 4 / 0.100 s
    const notThreads = gridResult(small, plan, measured, { balancedWeight: 0.5, knobIsThreads: false });
    expect(notThreads.cells[0]!.threads).toBeNull();
    expect(notThreads.cells[0]!.jobsPerSecondMedian).toBeNull();
  });

  it('compares per invocation, and fits no parallelism, when the function reports no jobs', () => {
    const memoryOnly: GridSpec = { memorySizes: [512, 1024], architectures: ['arm64'], maxCells: 10 };
    const plan = planGrid(memoryOnly);
    const measured = new Map(
      plan.cells.map((cell) => [
        cellKey(cell),
        [{ durationMs: 100, billedDurationMs: 100, costUsd: cell.memoryMb * 1e-9 }] as CellInvocation[]
      ])
    );
    const result = gridResult(memoryOnly, plan, measured, { balancedWeight: 0.5 });
    expect(result.costBasis).toBe('invocation');
    expect(result.parallelism).toBeUndefined();
    expect(result.best[0]!.cell).toEqual({ memoryMb: 512, architecture: 'arm64' });
  });
});
