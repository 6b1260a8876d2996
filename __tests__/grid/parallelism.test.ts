import { describe, expect, it } from '@jest/globals';
import { mulberry32 } from '../../src/sweep/plan.js';
import { fitLine, fitParallelism } from '../../src/grid/parallelism.js';
import type { CellFigures } from '../../src/grid/types.js';
import type { Architecture } from '../../src/sweep/types.js';

/** The same seeded generator the schedule uses: the same noise on every run. */
const seeded = mulberry32;

interface Host {
  /** The most vCPUs any memory size gets (the emulator's host cores). */
  cores: number;
  /** One job's time on a whole vCPU, ms. */
  jobMs: number;
  /** Relative noise, e.g. 0.03 for ±3 %. */
  noise: number;
  architecture?: Architecture;
}

/**
 * The figures a cell of the batch worker would show if vCPUs = min(memory / 1769, cores): `threads` threads
 * share min(threads, vCPUs) cores, so each job takes jobMs · threads / min(threads, vCPUs) and the pool does
 * min(threads, vCPUs) · 1000 / jobMs jobs a second.
 */
function syntheticCell(memoryMb: number, threads: number, host: Host, random: () => number): CellFigures {
  const jitter = () => 1 + host.noise * (2 * random() - 1);
  const vcpus = memoryMb / 1769;
  const cores = Math.min(threads, vcpus, host.cores);
  const medianJobMs = ((host.jobMs * threads) / cores) * jitter();
  const average = ((cores * 1000) / host.jobMs) * jitter();
  return {
    memoryMb,
    knobValue: String(threads),
    architecture: host.architecture ?? 'x86_64',
    invocations: 20,
    vcpus,
    threads,
    jobsPerInvocation: 8,
    jobsPerSecondWorst: (threads * 1000) / (medianJobMs * 1.2),
    jobsPerSecondMedian: (threads * 1000) / medianJobMs,
    jobsPerSecondAverage: average,
    jobsPerSecondPerThread: average / threads,
    jobsPerSecondPerVcpu: average / vcpus,
    costPerInvocationUsd: 1e-6,
    costPerJobUsd: 1.25e-7,
    p50InvocationMs: (8 * 1000) / average,
    p99InvocationMs: (8 * 1000 * 1.1) / average,
    p99JobMs: medianJobMs * 1.3
  };
}

function grid(memorySizes: number[], threads: number[], host: Host, seed = 1): CellFigures[] {
  const random = seeded(seed);
  return memorySizes.flatMap((memoryMb) => threads.map((count) => syntheticCell(memoryMb, count, host, random)));
}

// ±2 % on every figure: about what 20 warm invocations per cell leave on the emulator.
const EMULATOR: Host = { cores: 2, jobMs: 40, noise: 0.02 };

describe('fitParallelism', () => {
  it.each([1, 2, 3, 4, 5])('recovers one vCPU per 1,769 MB up to 2 host cores from a 4 × 4 sweep (seed %i)', (seed) => {
    // 4,096 MB would be 2.32 vCPUs but the host has 2: the one point past the knee is left out of the line.
    const fit = fitParallelism(grid([512, 1024, 2048, 4096], [1, 2, 4, 8], EMULATOR, seed))!;
    expect(fit).toBeDefined();
    expect(Math.abs(fit.vcpusPerMb * 1769 - 1)).toBeLessThan(0.05);
    expect(fit.mbPerVcpu).toBeCloseTo(1 / fit.vcpusPerMb, 9);
    expect(fit.ceilingVcpus).toBeGreaterThan(1.9);
    expect(fit.ceilingVcpus).toBeLessThan(2.1);
    expect(fit.rSquared).toBeGreaterThan(0.95);
    expect(fit.points.map((point) => point.memoryMb)).toEqual([512, 1024, 2048]);
  });

  it('leaves out a largest size that stopped part-way, with three sizes below it', () => {
    // 1,024 / 2,048 / 3,072 MB give 0.58, 1.16, 1.74 vCPUs; 4,096 MB gives 2, not 2.32: it is not within 10 % of
    // another size, so only its shortfall against the line through the others (2 < 0.9 × 2.32) shows the ceiling.
    const fit = fitParallelism(grid([1024, 2048, 3072, 4096], [1, 2, 4, 8], EMULATOR, 11))!;
    expect(fit.points.map((point) => point.memoryMb)).toEqual([1024, 2048, 3072]);
    expect(Math.abs(fit.vcpusPerMb * 1769 - 1)).toBeLessThan(0.05);
    expect(fit.ceilingVcpus).toBeCloseTo(2, 1);
  });

  it('keeps a largest size that is still on the line', () => {
    // Six cores: 4,096 MB gets its 2.32 vCPUs, so no ceiling and all four sizes fit.
    const fit = fitParallelism(grid([1024, 2048, 3072, 4096], [1, 2, 4, 8], { ...EMULATOR, cores: 6 }, 11))!;
    expect(fit.points).toHaveLength(4);
    expect(fit.ceilingVcpus).toBeUndefined();
  });

  it('leaves the plateau out of the line when several sizes sit on the ceiling', () => {
    // 1,769 / 2,654 / 3,538 MB give 1, 1.5, 2 vCPUs; 5,307 and 7,076 MB stay at 2 (the host's cores).
    const fit = fitParallelism(grid([1769, 2654, 3538, 5307, 7076], [1, 2, 4, 8], EMULATOR, 7))!;
    expect(fit.points.map((point) => point.memoryMb)).toEqual([1769, 2654, 3538]);
    expect(Math.abs(fit.vcpusPerMb * 1769 - 1)).toBeLessThan(0.05);
    expect(fit.ceilingVcpus).toBeCloseTo(2, 1);
    expect(fit.summary).toMatch(
      /^Throughput grows by one vCPU per 1,[6-8]\d\d MB \(R² (?:0\.9\d|1\.00)\), up to 2\.\d vCPUs: /
    );
    expect(fit.summary).toMatch(/Lambda documents one vCPU per 1,769 MB\.$/);
  });

  it('reports no ceiling, and the range fitted, when throughput never stops growing', () => {
    // Six cores: 1, 2 and 3 vCPUs exactly, without noise: the line is vCPUs = memory / 1769.
    const fit = fitParallelism(grid([1769, 3538, 5307], [1, 4], { cores: 6, jobMs: 50, noise: 0 }))!;
    expect(fit.ceilingVcpus).toBeUndefined();
    expect(fit.vcpusPerMb).toBeCloseTo(1 / 1769, 12);
    expect(fit.intercept).toBeCloseTo(0, 9);
    expect(fit.rSquared).toBe(1);
    expect(fit.points).toEqual([
      { memoryMb: 1769, effectiveVcpus: expect.closeTo(1, 9) },
      { memoryMb: 3538, effectiveVcpus: expect.closeTo(2, 9) },
      { memoryMb: 5307, effectiveVcpus: expect.closeTo(3, 9) }
    ]);
    expect(fit.summary).toBe(
      'Throughput grows by one vCPU per 1,769 MB (R² 1.00) over 1,769–5,307 MB: Lambda documents one vCPU per 1,769 MB.'
    );
  });

  it("measures each architecture in its own vCPU's speed", () => {
    // arm64 jobs take 30 % longer on a whole vCPU; counted in arm64 vCPUs, both lines are memory / 1769.
    const x86 = grid([1024, 2048, 3538], [1, 2, 4], { cores: 6, jobMs: 40, noise: 0 });
    const arm = grid([1024, 2048, 3538], [1, 2, 4], { cores: 6, jobMs: 52, noise: 0, architecture: 'arm64' });
    const fit = fitParallelism([...x86, ...arm])!;
    expect(fit.points).toHaveLength(6);
    expect(fit.vcpusPerMb).toBeCloseTo(1 / 1769, 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
  });

  it('uses the best thread count at each size: one thread alone cannot show the vCPUs', () => {
    // With only 1 thread, 3,538 MB does what 1,769 MB does; the 4-thread cell shows its 2 vCPUs.
    const cells = grid([1769, 3538, 5307], [1, 4], { cores: 6, jobMs: 50, noise: 0 });
    const singleThreaded = cells.filter((cell) => cell.threads === 1);
    expect(fitParallelism(cells)!.vcpusPerMb).toBeCloseTo(1 / 1769, 12);
    // One thread everywhere: throughput is flat, and a flat line says nothing about vCPUs per MB.
    expect(fitParallelism(singleThreaded)).toBeUndefined();
  });

  it.each<[string, () => CellFigures[]]>([
    ['no cells', () => []],
    ['a single memory size', () => grid([2048], [1, 2, 4], EMULATOR)],
    // 3,538 MB reaches the 2 cores; 5,307 MB is on the ceiling: one point is left below it.
    ['one size below the ceiling', () => grid([3538, 5307], [1, 2, 4], EMULATOR)],
    // A noisy neighbour: throughput falls as memory grows, which says nothing about vCPUs per MB.
    [
      'throughput that falls with memory',
      () => [
        ...grid([1769], [1], EMULATOR),
        ...grid([3538], [1], EMULATOR).map((cell) => ({ ...cell, jobsPerSecondAverage: 10 }))
      ]
    ],
    [
      'cells that did no job',
      () => grid([512, 1024, 2048], [1, 2], EMULATOR).map((cell) => ({ ...cell, jobsPerSecondAverage: 0 }))
    ],
    [
      'cells that report no jobs',
      () =>
        grid([512, 1024, 2048], [1, 2], EMULATOR).map((cell) => ({
          ...cell,
          jobsPerSecondAverage: null,
          jobsPerSecondMedian: null
        }))
    ]
  ])('gives no fit from %s', (_, cells) => {
    expect(fitParallelism(cells())).toBeUndefined();
  });
});

describe('fitLine', () => {
  it('fits a line exactly through collinear points', () => {
    // vCPUs = memory / 1769: slope 1 / 1769, intercept 0.
    const line = fitLine([
      { memoryMb: 1769, effectiveVcpus: 1 },
      { memoryMb: 3538, effectiveVcpus: 2 },
      { memoryMb: 5307, effectiveVcpus: 3 }
    ]);
    expect(line.slope).toBeCloseTo(1 / 1769, 12);
    expect(line.intercept).toBeCloseTo(0, 9);
    expect(line.rSquared).toBe(1);
  });

  it('gives the usual R² for scattered points', () => {
    // x 1, 2, 3 (× 1000 MB), y 1, 3, 2: slope 0.5 / 1000, intercept 1; fitted 1.5, 2, 2.5;
    // SSres = 0.25 + 1 + 0.25 = 1.5, SStot = 1 + 1 + 0 = 2, R² = 1 − 1.5 / 2 = 0.25.
    const line = fitLine([
      { memoryMb: 1000, effectiveVcpus: 1 },
      { memoryMb: 2000, effectiveVcpus: 3 },
      { memoryMb: 3000, effectiveVcpus: 2 }
    ]);
    expect(line.slope).toBeCloseTo(0.0005, 12);
    expect(line.intercept).toBeCloseTo(1, 9);
    expect(line.rSquared).toBeCloseTo(0.25, 12);
  });

  it('explains flat points entirely, and draws a flat line through a single memory size', () => {
    expect(
      fitLine([
        { memoryMb: 1000, effectiveVcpus: 2 },
        { memoryMb: 3000, effectiveVcpus: 2 }
      ])
    ).toEqual({ slope: 0, intercept: 2, rSquared: 1 });
    expect(
      fitLine([
        { memoryMb: 1000, effectiveVcpus: 1 },
        { memoryMb: 1000, effectiveVcpus: 3 }
      ])
    ).toMatchObject({ slope: 0, intercept: 2 });
  });
});
