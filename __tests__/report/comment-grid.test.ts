import { describe, expect, it } from '@jest/globals';
import { renderGridSection } from '../../src/report/comment-grid.js';
import type { BestCell, CellFigures, GridCell, GridResult } from '../../src/grid/types.js';
import type { Architecture } from '../../src/sweep/types.js';

const MEMORY = [512, 1024, 2048, 3008];
const THREADS = ['1', '2', '4', '8'];

/** Cost per 1M jobs (USD), rows = MEMORY, columns = THREADS; the cheapest is 1024 MB · THREADS=4. */
const X86_COSTS = [
  [6.2, 5.1, 4.9, 5.3],
  [5.4, 4.6, 4.17, 4.4],
  [5.9, 5.0, 4.5, 4.3],
  [7.8, 6.4, 5.2, 4.8]
];

const JOBS = 10;

function cell(
  memoryMb: number,
  knobValue: string | undefined,
  architecture: Architecture,
  costPerMillionJobs: number,
  extra: Partial<CellFigures> = {}
): CellFigures {
  const threads = Number(knobValue) || 1;
  return {
    memoryMb,
    knobValue,
    architecture,
    invocations: 20,
    vcpus: memoryMb / 1769,
    threads,
    jobsPerInvocation: JOBS,
    jobsPerSecondWorst: threads * 10,
    jobsPerSecondMedian: threads * 12,
    jobsPerSecondAverage: threads * 11,
    jobsPerSecondPerThread: 11,
    jobsPerSecondPerVcpu: (threads * 11) / (memoryMb / 1769),
    costPerInvocationUsd: costPerMillionJobs * 1e-6 * JOBS,
    costPerJobUsd: costPerMillionJobs * 1e-6,
    p50InvocationMs: 200,
    p99InvocationMs: 250,
    p99JobMs: 40,
    ...extra
  };
}

function cellsOf(architecture: Architecture, costs: number[][], values = THREADS): CellFigures[] {
  return MEMORY.flatMap((memoryMb, row) =>
    values.map((value, col) => cell(memoryMb, value, architecture, costs[row]![col]!))
  );
}

function best(strategy: BestCell['strategy'], at: GridCell, reason: string, extra: Partial<BestCell> = {}): BestCell {
  return { strategy, cell: at, reason, ...extra };
}

function grid(cells: CellFigures[], overrides: Partial<GridResult> = {}): GridResult {
  const architectures = [...new Set(cells.map((c) => c.architecture))];
  return {
    spec: { memorySizes: MEMORY, knob: { name: 'THREADS', values: THREADS }, architectures, maxCells: 64 },
    plan: { cells: cells.map(({ memoryMb, knobValue, architecture }) => ({ memoryMb, knobValue, architecture })) },
    cells,
    best: [
      best('cost', { memoryMb: 1024, knobValue: '4', architecture: 'x86_64' }, 'Cheapest per job.'),
      best('throughput', { memoryMb: 3008, knobValue: '8', architecture: 'x86_64' }, 'Most jobs per second.'),
      best('balanced', { memoryMb: 2048, knobValue: '4', architecture: 'x86_64' }, 'Within 10 % of the cheapest.')
    ],
    costBasis: 'job',
    ...overrides
  };
}

/** The cost grids (tables before the collapsed section), each as rows of cells, header first. */
function grids(body: string): string[][][] {
  const top = body.split('<details>')[0]!;
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of top.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    if (current === undefined) tables.push((current = []));
    // A `\|` is part of the cell, as GitHub reads it.
    current.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim())
    );
  }
  return tables.map((rows) => rows.filter((row) => !row.every((c) => /^:?-+:?$/.test(c))));
}

function detailRows(body: string): string[] {
  const inside = body.split('<details>')[1]!.split('</details>')[0]!;
  return inside
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2);
}

describe('renderGridSection', () => {
  it('shows one grid, memory ascending, with the best cell for cost marked exactly once', () => {
    const cells = cellsOf('x86_64', X86_COSTS).reverse();
    const body = renderGridSection(
      grid(cells, { spec: { ...grid(cells).spec, memorySizes: [3008, 512, 2048, 1024] } })
    );
    const [only, ...more] = grids(body);
    expect(more).toHaveLength(0);
    expect(only![0]).toEqual(['Memory', 'THREADS=1', 'THREADS=2', 'THREADS=4', 'THREADS=8']);
    expect(only!.slice(1).map((row) => row[0])).toEqual(['512 MB', '1024 MB', '2048 MB', '3008 MB']);
    expect(only![2]).toEqual(['1024 MB', '5.40', '4.60', '**4.17** ★', '4.40']);
    expect(only!.flat().filter((c) => c.includes('★'))).toHaveLength(1);
    expect(body).toContain('Cost per 1M jobs in USD · ★ best cell for cost');
    expect(body).toContain('Swept 4 memory sizes (512, 1024, 2048 and 3008 MB) × THREADS = 1, 2, 4, 8 on x86_64');
  });

  it('shows "—" for a cell that was not measured and leaves it out of the every-cell table', () => {
    const cells = cellsOf('x86_64', X86_COSTS).filter((c) => !(c.memoryMb === 2048 && c.knobValue === '8'));
    const body = renderGridSection({ ...grid(cellsOf('x86_64', X86_COSTS)), cells });
    expect(grids(body)[0]![3]).toEqual(['2048 MB', '5.90', '5.00', '4.50', '—']);
    expect(body).toContain('16 cells, 15 measured');
    expect(detailRows(body)).toHaveLength(15);
  });

  it('lists every cell with its figures, and "—" where a figure is null', () => {
    const cells = cellsOf('x86_64', X86_COSTS);
    cells[0] = { ...cells[0]!, p99JobMs: null, jobsPerSecondWorst: null };
    const rows = detailRows(renderGridSection(grid(cells)));
    expect(rows).toHaveLength(16);
    expect(rows[0]).toBe('| 512 MB | 1 | x86_64 | 20 | 10.0 | — | 12.0 | 11.0 | 11.0 | 38.0 | 6.20 | 250 ms | — |');
    expect(rows[15]).toMatch(/^\| 3008 MB \| 8 \| x86_64 \|/);
  });

  it('draws a grid per architecture and says what arm64 saves at the best x86_64 pair', () => {
    const arm = cellsOf(
      'arm64',
      X86_COSTS.map((row) => row.map((c) => c * 0.85))
    ).map((c) => (c.memoryMb === 1024 && c.knobValue === '4' ? { ...c, costPerJobUsd: 3.42e-6 } : c));
    const cells = [...cellsOf('x86_64', X86_COSTS), ...arm];
    const armBest = best('cost', { memoryMb: 1024, knobValue: '4', architecture: 'arm64' }, 'Cheapest per job.');
    const body = renderGridSection(grid(cells, { best: [armBest] }));
    const [x86Grid, armGrid] = grids(body);
    expect(body.indexOf('**x86_64**')).toBeLessThan(body.indexOf('**arm64**'));
    expect(x86Grid!.flat().some((c) => c.includes('★'))).toBe(false);
    expect(armGrid![2]![3]).toBe('**3.42** ★');
    // 3.42 / 4.17 = 0.820: 18 % less.
    expect(body).toContain('At 1024 MB · THREADS=4, arm64 costs 18 % less per job (3.42 vs 4.17 USD per 1M jobs).');
    expect(body).toContain('- Cost: **1024 MB · THREADS=4 · arm64**, 3.42 USD per 1M jobs, 44.0 jobs/s. Cheapest');
    expect(detailRows(body)).toHaveLength(32);
  });

  it('says arm64 costs more, and why, when it runs slower', () => {
    const x86 = [cell(1024, '4', 'x86_64', 4.0, { p50InvocationMs: 200 })];
    const arm = [cell(1024, '4', 'arm64', 4.28, { p50InvocationMs: 268 })];
    const body = renderGridSection(grid([...x86, ...arm]));
    // 4.28 / 4.00 = 1.07 and 268 / 200 = 1.34.
    expect(body).toContain(
      'At 1024 MB · THREADS=4, arm64 costs 7 % more per job (4.28 vs 4.00 USD per 1M jobs), because it runs 34 % slower.'
    );
  });

  it('prices per invocation when not every cell counted jobs, and says so', () => {
    const cells = cellsOf('x86_64', X86_COSTS).map((c) => ({ ...c, jobsPerInvocation: null, costPerJobUsd: null }));
    const body = renderGridSection(grid(cells, { costBasis: 'invocation' }));
    expect(body).toContain('Cost per 1M invocations in USD');
    // 4.17 USD per 1M jobs at 10 jobs an invocation: 41.70 USD per 1M invocations.
    expect(grids(body)[0]![2]![3]).toBe('**41.70** ★');
    expect(detailRows(body)[0]!.split(' | ')[10]).toBe('—');
  });

  it('says what the cap cut, and shows no row for a size it dropped', () => {
    const cells = cellsOf('x86_64', X86_COSTS).filter((c) => c.memoryMb !== 3008);
    const cutNote = 'The grid was cut to 12 of 16 cells: 3008 MB was dropped.';
    const body = renderGridSection({ ...grid(cells), plan: { ...grid(cells).plan, cutNote } });
    expect(body.split('\n')[2]).toBe(
      'Swept 3 memory sizes (512, 1024 and 2048 MB) × THREADS = 1, 2, 4, 8 on x86_64: 12 cells, 12 measured. ' + cutNote
    );
    expect(grids(body)[0]!.map((row) => row[0])).toEqual(['Memory', '512 MB', '1024 MB', '2048 MB']);
  });

  it('shows the best cell per strategy, a fitted pick and the parallelism fit with its R²', () => {
    const cells = cellsOf('x86_64', X86_COSTS);
    const fitted = { memoryMb: 1380.4, predictedCostPerJobUsd: 3.98e-6, predictedDurationMs: 412 };
    const result = grid(cells, {
      parallelism: {
        vcpusPerMb: 1 / 1769,
        intercept: 0,
        mbPerVcpu: 1769,
        rSquared: 0.987,
        points: [],
        summary: 'One effective vCPU per 1769 MB, up to 4 vCPUs.'
      }
    });
    result.best[0] = { ...result.best[0]!, fitted };
    const body = renderGridSection(result, { title: 'THREADS sweep' });
    expect(body.startsWith('#### 🧮 THREADS sweep\n')).toBe(true);
    const list = body.split('**Best cell**\n\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(list).toEqual([
      '- Cost: **1024 MB · THREADS=4**, 4.17 USD per 1M jobs, 44.0 jobs/s; fitted: 1380 MB, predicted 3.98 USD per 1M jobs at 412 ms. Cheapest per job.',
      '- Throughput: **3008 MB · THREADS=8**, 4.80 USD per 1M jobs, 88.0 jobs/s. Most jobs per second.',
      '- Balanced: **2048 MB · THREADS=4**, 4.50 USD per 1M jobs, 44.0 jobs/s. Within 10 % of the cheapest.'
    ]);
    expect(body).toContain('**Effective parallelism**: One effective vCPU per 1769 MB, up to 4 vCPUs. (R² = 0.99)');
  });

  it('escapes knob values so they cannot split a cell or open HTML', () => {
    const values = ['1', 'a|b', '<img src=x onerror=alert(1)>', '@org/team'];
    const cells = MEMORY.flatMap((memoryMb, row) =>
      values.map((value, col) => cell(memoryMb, value, 'x86_64', X86_COSTS[row]![col]!))
    );
    const base = grid(cells, { best: [] });
    const body = renderGridSection({ ...base, spec: { ...base.spec, knob: { name: 'MODE', values } } });
    const header = grids(body)[0]![0]!;
    expect(header).toHaveLength(5);
    expect(header[2]).toBe('MODE=a\\|b');
    expect(header[3]).toBe('MODE=&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(body).not.toMatch(/<img|@org/);
    for (const row of detailRows(body)) expect(row.split(/(?<!\\)\|/)).toHaveLength(15);
    // With no best cell the grid still marks the cheapest measured cell, and says it is only that.
    expect(body).toContain('★ cheapest measured cell');
  });
});
