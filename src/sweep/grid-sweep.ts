/**
 * A grid sweep (issue 8): memory × an environment variable's values × architectures, one published version
 * per cell, invoked in the same interleaved, seeded rounds as a memory sweep (every cell once per round, so
 * drift hits every cell alike), then put back and cleaned up like any sweep.
 *
 * What it returns:
 * - The run report of the configured column: the function's own knob value and architecture at every swept
 *   memory size. The budgets apply there ("the configured pair"), by the same comparison as a memory sweep,
 *   and a later pull request compares with it.
 * - `report.grid`: every cell's figures, the fitted parallelism and the best cell per strategy, which the
 *   comment renders as a grid. Cells are priced with their own architecture's prices.
 *
 * The schedule's slots are the cells, numbered 1…n in plan order; the runner knows them only by that number,
 * and each sample is given its cell's memory size back before anything reads it.
 */
import type { PreparedDeployment, PreparedVersion } from '../deploy/deployer.js';
import { planGrid } from '../grid/plan.js';
import { cellKey, gridResult } from '../grid/result.js';
import type { CellInvocation, GridCell, GridSpec } from '../grid/types.js';
import { invocationTotalUsd, priceTable, type PriceTable } from '../pricing/cost.js';
import type { RunReport } from '../report/run-report-schema.js';
import { buildReport } from './build-report.js';
import { withDeployment } from './deployed.js';
import type { SweepDependencies, SweepRequest, SweepResult } from './engine.js';
import { runBatch } from './measure.js';
import { buildSchedule } from './plan.js';
import type { Architecture, FunctionState, GridOptions, Sample } from './types.js';

/** A sample and the cell it measured. */
interface CellSample {
  cell: GridCell;
  sample: Sample;
}

/**
 * Runs a grid sweep; see this module's header.
 *
 * @example
 * ```ts
 * const { report } = await runGridSweep({ options: { ...options, grid: { knob: { name: 'THREADS', values: ['1', '2'] },
 *   maxCells: 64 } }, confidence: 0.95, includePayloads: false, priceOverrides: {} }, { lambda, toolVersion });
 * report.grid?.best[0] // { strategy: 'cost', cell: { memoryMb: 1769, knobValue: '2', architecture: 'x86_64' }, … }
 * ```
 */
export async function runGridSweep(request: SweepRequest, deps: SweepDependencies): Promise<SweepResult> {
  const { options } = request;
  const grid = options.grid!;
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  // Read before anything changes: the function's own architecture and knob value choose the configured column.
  const before = await deps.lambda.getFunction(options.functionName);
  const spec = gridSpec(options.memorySizes, grid, before);
  const plan = planGrid(spec);
  if (plan.cutNote) deps.log?.(plan.cutNote);
  const column = configuredColumn(grid, before);
  const { prepared, codeSha256, measured } = await withDeployment(
    deps,
    options.functionName,
    { ...options, cells: plan.cells, ...(grid.knob ? { knobName: grid.knob.name } : {}) },
    (ready) => measureCells(request, deps, ready, column)
  );
  const finishedAt = now();

  const inColumn = (cell: GridCell) => cell.knobValue === column.knobValue && cell.architecture === column.architecture;
  const columnVersions = prepared.versions.filter((v) => inColumn(cellOf(v, column)));
  const target = { ...prepared.target, architecture: column.architecture };
  const report: RunReport = buildReport(
    request,
    deps,
    { ...prepared, target, versions: columnVersions, codeSha256 },
    measured.filter((m) => inColumn(m.cell)).map((m) => m.sample),
    startedAt,
    finishedAt
  );
  const prices = pricesOf(request, target);
  report.grid = gridResult(spec, plan, cellInvocations(measured, prices, target.ephemeralStorageMb), {
    balancedWeight: options.balancedWeight,
    prices,
    ephemeralStorageMb: target.ephemeralStorageMb,
    knobIsThreads: grid.knob !== undefined && /^\d+$/.test(grid.knob.values.join(''))
  });
  // The whole grid is what the run cost, not only the configured column.
  report.sweepCost = {
    invocations: measured.length,
    usd: measured.reduce((sum, { cell, sample }) => sum + costOf(sample, cell, prices, target.ephemeralStorageMb), 0)
  };
  const current = grid.knob ? before.environment[grid.knob.name] : undefined;
  if (grid.knob && (current === undefined || !grid.knob.values.includes(current))) {
    report.warnings.push(
      `${grid.knob.name} on ${before.name} is not one of the values swept: the budgets were judged at ${grid.knob.name}=${column.knobValue}, the first value swept.`
    );
  }
  return { report };
}

/** The spec the plan cuts: the sweep's memory sizes, the knob, and the architectures (the function's own by default). */
function gridSpec(memorySizes: number[], grid: GridOptions, state: FunctionState): GridSpec {
  return {
    memorySizes,
    ...(grid.knob ? { knob: grid.knob } : {}),
    architectures: grid.architectures ?? [state.architecture],
    maxCells: grid.maxCells
  };
}

/**
 * The configured column: the knob's value the function has now (the first swept value when it has another
 * or none), and its architecture when swept (else the first swept).
 */
function configuredColumn(grid: GridOptions, state: FunctionState): { knobValue?: string; architecture: Architecture } {
  const architectures = grid.architectures ?? [state.architecture];
  const architecture = architectures.includes(state.architecture) ? state.architecture : architectures[0]!;
  if (!grid.knob) return { architecture };
  // Only the knob's own variable is read: the others may hold secrets.
  const current = state.environment[grid.knob.name];
  const knobValue = current !== undefined && grid.knob.values.includes(current) ? current : grid.knob.values[0]!;
  return { knobValue, architecture };
}

function cellOf(version: PreparedVersion, column: { architecture: Architecture }): GridCell {
  return {
    memoryMb: version.memoryMb,
    ...(version.knobValue !== undefined ? { knobValue: version.knobValue } : {}),
    architecture: version.architecture ?? column.architecture
  };
}

/** Invokes every cell in interleaved rounds; the configured column's gated sizes get their extra invocations. */
async function measureCells(
  request: SweepRequest,
  deps: SweepDependencies,
  prepared: PreparedDeployment,
  column: { knobValue?: string; architecture: Architecture }
): Promise<CellSample[]> {
  const { options } = request;
  const cells = prepared.versions.map((version) => cellOf(version, column));
  const slots = cells.map((_, index) => index + 1);
  const extra = new Map((options.sizeInvocations ?? []).map((s) => [s.memoryMb, s.invocations]));
  const invocationsBySize = new Map<number, number>();
  cells.forEach((cell, index) => {
    const more = extra.get(cell.memoryMb);
    const configured = cell.knobValue === column.knobValue && cell.architecture === column.architecture;
    if (configured && more !== undefined) invocationsBySize.set(slots[index]!, more);
  });
  const schedule = buildSchedule({
    memorySizes: slots,
    invocations: options.invocations,
    warmup: options.warmup,
    payloads: options.payloads,
    seed: request.seed ?? 1,
    invocationsBySize
  });
  deps.onProgress?.({
    type: 'phase',
    message: `Invoking ${cells.length} grid cells ${schedule.length} times, ${options.concurrency} at a time`
  });
  const versions = new Map(prepared.versions.map((v, index) => [slots[index]!, v.version]));
  const { samples } = await runBatch(request, deps, prepared, undefined, schedule, versions);
  // The runner labelled each sample with its slot: give it its cell's memory size back.
  return samples.map((sample) => {
    const cell = cells[sample.memoryMb - 1]!;
    return { cell, sample: { ...sample, memoryMb: cell.memoryMb } };
  });
}

function pricesOf(request: SweepRequest, target: FunctionState): Record<Architecture, PriceTable> {
  return {
    x86_64: priceTable(target.region, 'x86_64', request.priceOverrides),
    arm64: priceTable(target.region, 'arm64', request.priceOverrides)
  };
}

/** What an invocation was billed (throttled and failed calls never ran, and a lost REPORT is unpriced). */
function costOf(sample: Sample, cell: GridCell, prices: Record<Architecture, PriceTable>, storageMb: number): number {
  if (sample.billedDurationMs === undefined || sample.error === 'throttled' || sample.error === 'client') return 0;
  return invocationTotalUsd(sample.billedDurationMs, cell.memoryMb, storageMb, prices[cell.architecture]);
}

/** Each cell's measured warm successes, priced with its architecture's prices. */
function cellInvocations(
  measured: CellSample[],
  prices: Record<Architecture, PriceTable>,
  ephemeralStorageMb: number
): Map<string, CellInvocation[]> {
  const byCell = new Map<string, CellInvocation[]>();
  for (const { cell, sample } of measured) {
    const warm =
      sample.phase === 'measure' &&
      sample.error === undefined &&
      sample.initDurationMs === undefined &&
      sample.durationMs !== undefined &&
      sample.billedDurationMs !== undefined;
    if (!warm) continue;
    const invocation: CellInvocation = {
      durationMs: sample.durationMs!,
      billedDurationMs: sample.billedDurationMs!,
      costUsd: invocationTotalUsd(
        sample.billedDurationMs!,
        cell.memoryMb,
        ephemeralStorageMb,
        prices[cell.architecture]
      ),
      ...(sample.jobs !== undefined ? { jobs: sample.jobs } : {}),
      ...(sample.jobDurationsMs !== undefined ? { jobDurationsMs: sample.jobDurationsMs } : {}),
      ...(sample.threads !== undefined ? { threads: sample.threads } : {}),
      ...(sample.elapsedMs !== undefined ? { elapsedMs: sample.elapsedMs } : {})
    };
    const key = cellKey(cell);
    const list = byCell.get(key);
    if (list) list.push(invocation);
    else byCell.set(key, [invocation]);
  }
  return byCell;
}
