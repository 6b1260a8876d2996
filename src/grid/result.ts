/**
 * A grid sweep's result (issue 8): every measured cell's figures, the parallelism fit, the best cells and
 * the cost basis, from the plan and what each cell measured.
 *
 * A cell with no measured invocation (every call failed, or the sweep stopped early) has no figures: it is
 * left out of `cells`, so it can win nothing, and listed in `unmeasured` so the report can say so.
 */
import type { Architecture } from '../sweep/types.js';
import type { PriceTable } from '../pricing/cost.js';
import { bestCells, gridCostBasis } from './best-cell.js';
import { cellFigures } from './figures.js';
import { fitParallelism } from './parallelism.js';
import type { CellFigures, CellInvocation, GridCell, GridPlan, GridResult, GridSpec } from './types.js';

/** What {@link gridResult} needs besides the spec, plan and measurements. */
export interface GridResultOptions {
  /** Weight of cost against speed for the balanced pick, 0 to 1. */
  balancedWeight: number;
  /** Prices per architecture, for the fitted pick between sampled sizes (see best-cell.ts). */
  prices?: Partial<Record<Architecture, PriceTable>>;
  ephemeralStorageMb?: number;
  /**
   * Whether a whole-number knob value is the thread count, for invocations that do not report `threads`.
   * Default true (a grid's knob is usually THREADS); set false for a knob such as BATCH_SIZE.
   */
  knobIsThreads?: boolean;
}

/**
 * The key of a cell in the measurements map: `memory|knob value|architecture`, e.g. `1024|4|arm64`, and
 * `1024||arm64` without a knob. Unambiguous whatever the value holds: memory is a number before the first
 * `|`, the architecture has no `|` and comes after the last, and knob values are never empty.
 *
 * @example
 * ```ts
 * cellKey({ memoryMb: 1024, knobValue: '4', architecture: 'arm64' }) // '1024|4|arm64'
 * cellKey({ memoryMb: 512, architecture: 'x86_64' })                 // '512||x86_64'
 * ```
 */
export function cellKey(cell: GridCell): string {
  return `${cell.memoryMb}|${cell.knobValue ?? ''}|${cell.architecture}`;
}

/**
 * Ties a grid sweep together: figures of each measured cell (plan order), the parallelism fit, the best
 * cell per strategy and the cost basis.
 *
 * @param measured - each cell's measured warm invocations, keyed by {@link cellKey}; keys of cells the plan
 *   does not hold are ignored
 * @throws GridFiguresError from figures.ts on a malformed measurement; GridSpecError on a balanced weight
 *   outside [0, 1]
 *
 * @example
 * ```ts
 * const plan = planGrid(spec);
 * const measured = new Map(plan.cells.map((cell) => [cellKey(cell), invocationsOf(cell)]));
 * gridResult(spec, plan, measured, { balancedWeight: 0.5, prices: { x86_64: priceTable('us-east-1', 'x86_64') } })
 * // { spec, plan, cells: [16 × CellFigures], parallelism: { mbPerVcpu: 1790, … }, best: [cost, throughput, balanced], costBasis: 'job' }
 * ```
 */
export function gridResult(
  spec: GridSpec,
  plan: GridPlan,
  measured: Map<string, CellInvocation[]>,
  options: GridResultOptions
): GridResult {
  const cells: CellFigures[] = [];
  const unmeasured: GridCell[] = [];
  for (const cell of plan.cells) {
    const invocations = measured.get(cellKey(cell)) ?? [];
    if (invocations.length === 0) unmeasured.push(cell);
    else cells.push(cellFigures(cell, invocations, knobThreads(cell, options.knobIsThreads ?? true)));
  }
  const parallelism = fitParallelism(cells);
  const best = bestCells(cells, {
    balancedWeight: options.balancedWeight,
    ...(spec.knob ? { knobName: spec.knob.name } : {}),
    ...(options.prices ? { prices: options.prices } : {}),
    ...(options.ephemeralStorageMb !== undefined ? { ephemeralStorageMb: options.ephemeralStorageMb } : {})
  });
  return {
    spec,
    plan,
    cells,
    ...(parallelism ? { parallelism } : {}),
    best,
    costBasis: gridCostBasis(cells),
    ...(unmeasured.length > 0 ? { unmeasured } : {})
  };
}

/** The knob's value as a thread count: a whole number ≥ 1 written plainly (`4`, not `4.0` or `0x4`). */
function knobThreads(cell: GridCell, knobIsThreads: boolean): number | undefined {
  if (!knobIsThreads || cell.knobValue === undefined || !/^[1-9]\d{0,5}$/.test(cell.knobValue)) return undefined;
  return Number(cell.knobValue);
}
