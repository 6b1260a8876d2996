import { describe, expect, it } from '@jest/globals';
import { cellFigures, describeCell, GridFiguresError, nearestRank } from '../../src/grid/figures.js';
import type { CellInvocation, GridCell } from '../../src/grid/types.js';

const cell = (memoryMb: number, knobValue?: string): GridCell =>
  knobValue === undefined ? { memoryMb, architecture: 'x86_64' } : { memoryMb, knobValue, architecture: 'x86_64' };

describe('cellFigures', () => {
  it('computes every figure of issue 8 on hand-worked numbers', () => {
    const invocations: CellInvocation[] = [
      // Sorted jobs 100, 120, 130, 150: worst 4 / 0.150 s = 26.667 jobs/s; median (120 + 130) / 2 = 125 ms → 4 / 0.125 = 32.
      {
        durationMs: 262,
        billedDurationMs: 263,
        costUsd: 0.000002,
        jobs: 4,
        jobDurationsMs: [100, 120, 150, 130],
        threads: 4,
        elapsedMs: 260
      },
      // Sorted jobs 100, 100, 100, 200: worst 4 / 0.200 = 20; median 100 ms → 4 / 0.100 = 40.
      {
        durationMs: 250,
        billedDurationMs: 250,
        costUsd: 0.000004,
        jobs: 4,
        jobDurationsMs: [200, 100, 100, 100],
        threads: 4,
        elapsedMs: 240
      }
    ];
    const figures = cellFigures(cell(1769, '4'), invocations);
    expect(figures).toMatchObject({ memoryMb: 1769, knobValue: '4', architecture: 'x86_64', invocations: 2 });
    expect(figures.vcpus).toBe(1); // 1769 / 1769
    expect(figures.threads).toBe(4);
    expect(figures.jobsPerInvocation).toBe(4); // (4 + 4) / 2
    expect(figures.jobsPerSecondWorst).toBeCloseTo((26.6667 + 20) / 2, 3); // 23.333
    expect(figures.jobsPerSecondMedian).toBeCloseTo((32 + 40) / 2, 9); // 36
    expect(figures.jobsPerSecondAverage).toBeCloseTo(16, 9); // 8 jobs / (0.260 + 0.240) s
    expect(figures.jobsPerSecondPerThread).toBeCloseTo(4, 9); // 16 / 4 threads
    expect(figures.jobsPerSecondPerVcpu).toBeCloseTo(16, 9); // 16 / 1 vCPU
    expect(figures.costPerInvocationUsd).toBeCloseTo(0.000003, 15); // (2 + 4) / 2 µ$
    expect(figures.costPerJobUsd).toBeCloseTo(0.00000075, 15); // 3 µ$ / 4 jobs
    expect(figures.p50InvocationMs).toBe(250); // [250, 262], rank ⌈0.5 · 2⌉ = 1
    expect(figures.p99InvocationMs).toBe(262); // rank ⌈0.99 · 2⌉ = 2
    expect(figures.p99JobMs).toBe(200); // 8 pooled jobs, rank ⌈7.92⌉ = 8: the 200 ms job
  });

  it("falls back to the knob's threads and to the REPORT duration when the response leaves them out", () => {
    // 3538 MB = 2 vCPUs. Jobs sorted 50, 50, 50, 50, 60, 90 with 2 threads (from the knob):
    // worst 2 / 0.090 = 22.22; median 50 ms → 2 / 0.050 = 40; average 6 jobs / 0.200 s (Duration) = 30.
    const figures = cellFigures(
      cell(3538, '2'),
      [
        { durationMs: 200, billedDurationMs: 200, costUsd: 0.000001, jobs: 6, jobDurationsMs: [90, 50, 60, 50, 50, 50] }
      ],
      2
    );
    expect(figures.threads).toBe(2);
    expect(figures.vcpus).toBe(2);
    expect(figures.jobsPerSecondWorst).toBeCloseTo(22.222, 3);
    expect(figures.jobsPerSecondMedian).toBeCloseTo(40, 9);
    expect(figures.jobsPerSecondAverage).toBeCloseTo(30, 9);
    expect(figures.jobsPerSecondPerThread).toBeCloseTo(15, 9); // 30 / 2 threads
    expect(figures.jobsPerSecondPerVcpu).toBeCloseTo(15, 9); // 30 / 2 vCPUs
  });

  it("prefers the thread count the function reported over the knob's", () => {
    // The function capped its pool at 2 although the knob said 8: 2 / 0.1 s = 20 jobs/s, not 80.
    const figures = cellFigures(
      cell(1769, '8'),
      [{ durationMs: 100, billedDurationMs: 100, costUsd: 1e-6, jobs: 2, jobDurationsMs: [100, 100], threads: 2 }],
      8
    );
    expect(figures.threads).toBe(2);
    expect(figures.jobsPerSecondWorst).toBeCloseTo(20, 9);
  });

  it('gives no rate for an invocation whose jobs ran faster than the timer (0 ms)', () => {
    // The first invocation's jobs all read 0 ms; the second's sorted 100, 200, 300 (odd count: median 200):
    // worst 4 / 0.300 = 13.33 jobs/s, median 4 / 0.200 = 20, from the second alone.
    const figures = cellFigures(cell(1769, '4'), [
      { durationMs: 1, billedDurationMs: 1, costUsd: 1e-7, jobs: 3, jobDurationsMs: [0, 0, 0], threads: 4 },
      { durationMs: 300, billedDurationMs: 300, costUsd: 1e-6, jobs: 3, jobDurationsMs: [300, 100, 200], threads: 4 }
    ]);
    expect(figures.jobsPerSecondWorst).toBeCloseTo(13.333, 3);
    expect(figures.jobsPerSecondMedian).toBeCloseTo(20, 9);
    expect(Number.isFinite(figures.jobsPerSecondAverage)).toBe(true);
  });

  it('gives no per-thread figures without a thread count, but still the average and per-vCPU rates', () => {
    // 884.5 MB = 0.5 vCPU; 10 jobs in 0.5 s = 20 jobs/s; per vCPU 20 / 0.5 = 40.
    const figures = cellFigures(cell(884.5), [
      { durationMs: 500, billedDurationMs: 500, costUsd: 1e-6, jobs: 10, jobDurationsMs: [50, 50], elapsedMs: 500 }
    ]);
    expect(figures.threads).toBeNull();
    expect(figures.jobsPerSecondWorst).toBeNull();
    expect(figures.jobsPerSecondMedian).toBeNull();
    expect(figures.jobsPerSecondPerThread).toBeNull();
    expect(figures.jobsPerSecondAverage).toBeCloseTo(20, 9);
    expect(figures.jobsPerSecondPerVcpu).toBeCloseTo(40, 9);
  });

  it('gives invocation figures only when the function reports no jobs', () => {
    // Durations 10, 20, …, 100: p50 = rank ⌈5⌉ = 50 ms; p99 = rank ⌈9.9⌉ = 100 ms; mean cost 5.5 µ$.
    const invocations = Array.from({ length: 10 }, (_, i) => ({
      durationMs: (10 - i) * 10,
      billedDurationMs: (10 - i) * 10,
      costUsd: (10 - i) * 1e-6
    }));
    const figures = cellFigures(cell(512), invocations);
    expect(figures.p50InvocationMs).toBe(50);
    expect(figures.p99InvocationMs).toBe(100);
    expect(figures.costPerInvocationUsd).toBeCloseTo(5.5e-6, 15);
    expect(figures.jobsPerInvocation).toBeNull();
    expect(figures.jobsPerSecondAverage).toBeNull();
    expect(figures.jobsPerSecondPerVcpu).toBeNull();
    expect(figures.costPerJobUsd).toBeNull();
    expect(figures.p99JobMs).toBeNull();
  });

  it('gives no cost per job when only some invocations counted their jobs', () => {
    const figures = cellFigures(cell(512), [
      { durationMs: 10, billedDurationMs: 10, costUsd: 1e-6, jobs: 4 },
      { durationMs: 10, billedDurationMs: 10, costUsd: 1e-6 }
    ]);
    expect(figures.jobsPerInvocation).toBeNull();
    expect(figures.costPerJobUsd).toBeNull();
  });

  it('gives no cost per job, rather than an infinite one, when no invocation did a job', () => {
    const figures = cellFigures(cell(512), [{ durationMs: 10, billedDurationMs: 10, costUsd: 1e-6, jobs: 0 }]);
    expect(figures.costPerJobUsd).toBeNull();
    expect(figures.jobsPerSecondAverage).toBe(0);
  });

  it('refuses a cell with no invocations, naming the cell', () => {
    expect(() => cellFigures(cell(1024, '4'), [])).toThrow(GridFiguresError);
    expect(() => cellFigures(cell(1024, '4'), [])).toThrow('Cell 1024 MB · 4 · x86_64 has no measured invocations');
  });

  it.each<[string, CellInvocation]>([
    ['a negative duration', { durationMs: -1, billedDurationMs: 1, costUsd: 0 }],
    ['a NaN cost', { durationMs: 1, billedDurationMs: 1, costUsd: Number.NaN }],
    ['an infinite job duration', { durationMs: 1, billedDurationMs: 1, costUsd: 0, jobDurationsMs: [Infinity] }],
    ['zero threads', { durationMs: 1, billedDurationMs: 1, costUsd: 0, threads: 0 }]
  ])('refuses %s', (_, invocation) => {
    expect(() => cellFigures(cell(512), [invocation])).toThrow(GridFiguresError);
  });
});

describe('nearestRank', () => {
  it('returns a measured value: the smallest with at least the share p at or below it', () => {
    expect(nearestRank([10, 20, 30, 40], 0.5)).toBe(20);
    expect(nearestRank([10, 20, 30, 40], 0.51)).toBe(30);
    expect(nearestRank([10, 20, 30, 40], 0.99)).toBe(40);
    expect(nearestRank([7], 0.99)).toBe(7);
  });
});

describe('describeCell', () => {
  it('names the knob when its name is known', () => {
    expect(describeCell({ memoryMb: 512, knobValue: '2', architecture: 'arm64' }, 'THREADS')).toBe(
      '512 MB · THREADS=2 · arm64'
    );
    expect(describeCell({ memoryMb: 512, architecture: 'arm64' })).toBe('512 MB · arm64');
  });
});
