import { describe, expect, it } from '@jest/globals';
import { bestCells, gridCostBasis } from '../../src/grid/best-cell.js';
import { GridSpecError } from '../../src/grid/plan.js';
import type { BestCell, CellFigures } from '../../src/grid/types.js';
import { invocationTotalUsd, priceTable } from '../../src/pricing/cost.js';

/** A cell with the figures the strategies read: cost per job, average jobs/s, p50 duration. */
function cell(memoryMb: number, knobValue: string, costPerJobUsd: number | null, jobsPerSecond: number): CellFigures {
  return {
    memoryMb,
    knobValue,
    architecture: 'x86_64',
    invocations: 10,
    vcpus: memoryMb / 1769,
    threads: Number(knobValue),
    jobsPerInvocation: costPerJobUsd === null ? null : 4,
    jobsPerSecondWorst: jobsPerSecond,
    jobsPerSecondMedian: jobsPerSecond,
    jobsPerSecondAverage: costPerJobUsd === null ? null : jobsPerSecond,
    jobsPerSecondPerThread: jobsPerSecond / Number(knobValue),
    jobsPerSecondPerVcpu: jobsPerSecond / (memoryMb / 1769),
    costPerInvocationUsd: (costPerJobUsd ?? 1e-6) * 4,
    costPerJobUsd,
    p50InvocationMs: 4000 / jobsPerSecond,
    p99InvocationMs: 5000 / jobsPerSecond,
    p99JobMs: 100
  };
}

const where = (best: BestCell[]) =>
  Object.fromEntries(best.map((pick) => [pick.strategy, `${pick.cell.memoryMb}/${pick.cell.knobValue}`]));

describe('bestCells', () => {
  // Cost per job (µ$) and jobs/s:      THREADS=1        THREADS=2
  //   512 MB                           4.0 @ 10         4.0 @ 12
  //   1024 MB                          5.0 @ 20         6.0 @ 30
  //   2048 MB                                           9.0 @ 30
  const small = [
    cell(512, '1', 4e-6, 10),
    cell(512, '2', 4e-6, 12),
    cell(1024, '1', 5e-6, 20),
    cell(1024, '2', 6e-6, 30),
    cell(2048, '2', 9e-6, 30)
  ];

  it('picks the cheapest, the fastest and the best balance, breaking ties by the other figure', () => {
    // Cost: 512/1 and 512/2 tie at 4 µ$; 512/2 is faster (12 > 10 jobs/s).
    // Throughput: 1024/2 and 2048/2 tie at 30 jobs/s; 1024/2 is cheaper (6 < 9 µ$).
    // Balanced (w 0.5): cost scaled over 4–9 µ$, time per job over 1/30–1/10 s:
    //   512/1: 0.5·0 + 0.5·1 = 0.5; 512/2: 0 + 0.5·(1/12 − 1/30)/(1/10 − 1/30) = 0.375;
    //   1024/1: 0.5·0.2 + 0.5·0.25 = 0.225; 1024/2: 0.5·0.4 + 0 = 0.2; 2048/2: 0.5·1 + 0 = 0.5.
    const best = bestCells(small, { balancedWeight: 0.5, knobName: 'THREADS' });
    expect(best.map((pick) => pick.strategy)).toEqual(['cost', 'throughput', 'balanced']);
    expect(where(best)).toEqual({ cost: '512/2', throughput: '1024/2', balanced: '1024/2' });
    expect(best[0]!.cell).toEqual({ memoryMb: 512, knobValue: '2', architecture: 'x86_64' });
    expect(best[0]!.figures).toBe(small[1]);
    expect(best.every((pick) => pick.fitted === undefined)).toBe(true);
  });

  it('says why in one sentence per strategy', () => {
    const [cost, throughput, balanced] = bestCells(small, { balancedWeight: 0.5, knobName: 'THREADS' });
    expect(cost!.reason).toBe(
      '512 MB · THREADS=2 · x86_64 is the cheapest of the 5 cells: $4 per million jobs, 12 jobs/s.'
    );
    expect(throughput!.reason).toBe(
      '1024 MB · THREADS=2 · x86_64 has the highest throughput of the 5 cells: 30 jobs/s, $6 per million jobs.'
    );
    expect(balanced!.reason).toBe(
      '1024 MB · THREADS=2 · x86_64 balances cost (weight 0.5) against speed (weight 0.5) best of the 5 cells: ' +
        '$6 per million jobs, 30 jobs/s.'
    );
  });

  it('is the cost strategy at weight 1 and the throughput one at weight 0', () => {
    expect(where(bestCells(small, { balancedWeight: 1 })).balanced).toBe('512/2');
    expect(where(bestCells(small, { balancedWeight: 0 })).balanced).toBe('1024/2');
  });

  it('breaks a full tie by the smaller memory, then by the order of the cells (the knob order)', () => {
    const twins = [cell(1024, '8', 5e-6, 20), cell(512, '4', 5e-6, 20), cell(512, '2', 5e-6, 20)];
    expect(where(bestCells(twins, { balancedWeight: 0.5 }))).toEqual({
      cost: '512/4',
      throughput: '512/4',
      balanced: '512/4'
    });
    expect(where(bestCells([twins[0]!, twins[2]!, twins[1]!], { balancedWeight: 0.5 })).cost).toBe('512/2');
  });

  it('treats costs equal to 10⁻⁹ as a tie, not a preference', () => {
    const noisy = [cell(512, '1', 4e-6 * (1 + 1e-12), 10), cell(1024, '1', 4e-6, 20)];
    expect(where(bestCells(noisy, { balancedWeight: 0.5 })).cost).toBe('1024/1');
  });

  it('compares per invocation, with the p50 duration as speed, when a cell does not count jobs', () => {
    // 512/1 costs 4 µ$ per invocation (p50 4000 / 10 = 400 ms); 1024/1 reports no jobs: 4 µ$, p50 200 ms.
    const mixed = [cell(512, '1', 1e-6, 10), cell(1024, '1', null, 20), cell(2048, '1', 2e-6, 40)];
    expect(gridCostBasis(mixed)).toBe('invocation');
    const [cost, throughput] = bestCells(mixed, { balancedWeight: 0.5 });
    expect(cost!.cell.memoryMb).toBe(1024); // ties with 512 at 4 µ$, and is faster
    expect(cost!.reason).toBe(
      '1024 MB · 1 · x86_64 is the cheapest of the 3 cells: $4 per million invocations, p50 duration 200 ms.'
    );
    expect(throughput!.cell.memoryMb).toBe(2048);
    expect(throughput!.reason).toContain('is the fastest of the 3 cells: p50 duration 100 ms');
  });

  it('gives nothing for no cells, and refuses a balanced weight outside [0, 1]', () => {
    expect(bestCells([], { balancedWeight: 0.5 })).toEqual([]);
    expect(() => bestCells(small, { balancedWeight: 1.5 })).toThrow(GridSpecError);
    expect(() => bestCells(small, { balancedWeight: Number.NaN })).toThrow(
      'Invalid input "balanced-weight": got "NaN"; allowed: a number from 0 to 1'
    );
  });
});

describe('bestCells between sampled sizes', () => {
  const prices = priceTable('us-east-1', 'x86_64');
  // 8 jobs of 200 ms of CPU each (1,600 ms on one vCPU) + 10 ms fixed, on a 2-core host:
  // duration = 10 + 1600 · 1769 / min(memory, 1769 · min(threads, 2)). With 4 threads speed-up stops at 3,538 MB.
  const modelled = (memoryMb: number, threads: number): CellFigures => {
    const durationMs = 10 + (1600 * 1769) / Math.min(memoryMb, 1769 * Math.min(threads, 2));
    const costUsd = invocationTotalUsd(Math.ceil(durationMs), memoryMb, undefined, prices);
    const jobsPerSecond = 8 / (durationMs / 1000);
    return {
      ...cell(memoryMb, String(threads), costUsd / 8, jobsPerSecond),
      jobsPerInvocation: 8,
      costPerInvocationUsd: costUsd,
      p50InvocationMs: durationMs
    };
  };
  const sizes = [512, 1024, 2048, 4096];
  const cells = sizes.flatMap((memoryMb) => [modelled(memoryMb, 1), modelled(memoryMb, 4)]);

  it('finds where speed-up stops for the throughput pick: as fast as 4,096 MB, for less', () => {
    const [cost, throughput] = bestCells(cells, {
      balancedWeight: 0.5,
      knobName: 'THREADS',
      prices: { x86_64: prices }
    });
    expect(throughput!.cell).toEqual({ memoryMb: 4096, knobValue: '4', architecture: 'x86_64' });
    expect(throughput!.fitted!.memoryMb).toBeGreaterThanOrEqual(3536);
    expect(throughput!.fitted!.memoryMb).toBeLessThanOrEqual(3540);
    // 810 ms either way (10 + 1600 / 2); 3,538 MB pays for 3,538 / 4,096 = 86 % of the memory.
    expect(throughput!.fitted!.predictedDurationMs).toBeCloseTo(810, 0);
    const ratio = throughput!.fitted!.predictedCostPerJobUsd / throughput!.figures!.costPerJobUsd!;
    expect(ratio).toBeCloseTo(3538 / 4096, 2);
    expect(throughput!.reason).toMatch(
      /; between the sampled sizes, the fitted duration model predicts better at 353\d MB \(/
    );
    // The cheapest is a sampled size (512 MB: both thread counts cost the same there; THREADS=1 comes first).
    expect(cost!.cell).toEqual({ memoryMb: 512, knobValue: '1', architecture: 'x86_64' });
    expect(cost!.fitted).toBeUndefined();
  });

  it('balances at the knee too: nearly the cost of 2,048 MB, at the speed of 4,096 MB', () => {
    // Below the knee the CPU-seconds are the same at every size, so 3,538 MB costs little more than 2,048 MB.
    const balanced = bestCells(cells, { balancedWeight: 0.5, prices: { x86_64: prices } })[2]!;
    expect(balanced.cell).toEqual({ memoryMb: 2048, knobValue: '4', architecture: 'x86_64' });
    expect(Math.abs(balanced.fitted!.memoryMb - 3538)).toBeLessThanOrEqual(2);
  });

  it('makes no fitted pick that gains less than 1 % on the sampled one', () => {
    // 3,560 MB was sampled: the knee at 3,538 MB is as fast and only 0.6 % cheaper.
    const near = [512, 1024, 2048, 3560].flatMap((memoryMb) => [modelled(memoryMb, 1), modelled(memoryMb, 4)]);
    const best = bestCells(near, { balancedWeight: 0.5, prices: { x86_64: prices } });
    expect(best[1]!.cell.memoryMb).toBe(3560);
    expect(best.every((pick) => pick.fitted === undefined)).toBe(true);
  });

  it("makes no fitted pick without the architecture's prices or with fewer than 3 sizes", () => {
    const unpriced = bestCells(cells, { balancedWeight: 0.5 });
    expect(unpriced.every((pick) => pick.fitted === undefined)).toBe(true);
    const armPriced = bestCells(cells, { balancedWeight: 0.5, prices: { arm64: priceTable('us-east-1', 'arm64') } });
    expect(armPriced.every((pick) => pick.fitted === undefined)).toBe(true);
    const twoSizes = cells.filter((figures) => figures.memoryMb >= 2048);
    expect(bestCells(twoSizes, { balancedWeight: 0.5, prices: { x86_64: prices } })[1]!.fitted).toBeUndefined();
  });

  it('makes no fitted pick when a duration cannot be fitted', () => {
    // A p50 of 0 ms (a function that returns at once) is not a duration the model can fit.
    const instant = cells.map((figures) => (figures.memoryMb === 1024 ? { ...figures, p50InvocationMs: 0 } : figures));
    const best = bestCells(instant, { balancedWeight: 0.5, prices: { x86_64: prices } });
    expect(best.every((pick) => pick.fitted === undefined)).toBe(true);
  });

  it('makes no fitted pick when the model fits badly', () => {
    // A column whose durations zig-zag: no curve of the model explains them.
    const zigzag = cells.map((figures, index) => ({
      ...figures,
      p50InvocationMs: figures.p50InvocationMs * (index % 4 < 2 ? 1 : 3)
    }));
    expect(bestCells(zigzag, { balancedWeight: 0.5, prices: { x86_64: prices } })[1]!.fitted).toBeUndefined();
  });
});
