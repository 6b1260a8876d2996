/**
 * The best cell of a grid for each strategy (issue 8): cost, throughput and balanced.
 *
 * Decisions, and why:
 * - Basis: per job when every cell counted jobs and has a throughput, else per invocation (cost per
 *   invocation, and speed as the p50 invocation duration): mixing units would compare different things.
 * - Speed per job is time per job (1 / average jobs/s); the balanced rule is recommend.ts's: cost and time
 *   each scaled to [0, 1] across the cells (best = 0), score = w·cost + (1 − w)·time, lowest wins.
 * - Values within a relative 10⁻⁹ are equal (float noise is not a preference). Ties on a strategy's own figure
 *   go to the other one (cost: the faster; throughput and balanced: the cheaper), then to the smaller memory,
 *   then to the earlier cell in the list (plan order: knob values as given, then architectures as given).
 * - A pick between sampled memory sizes, per strategy, on the per-job basis: the duration model
 *   (src/analyze/duration-model.ts) is fitted to the p50 durations of the best cell's column (same knob value
 *   and architecture; at least 3 sizes, R² ≥ 0.95), and every memory size from the smallest to the largest
 *   sampled, 1 MB apart, is priced with the architecture's PriceTable (passed in: the figures cannot split
 *   request from compute price). The model's cost and time per job are calibrated to the column's measured
 *   ones (pooled ratios, which carry mean vs p50, billing rounding, storage and jobs per invocation). The pick
 *   is kept only when that size was not sampled and beats the model's own prediction at the sampled pick (see
 *   fittedPick). Under this model cost per job only rises with memory, so the cost strategy's model optimum
 *   is the smallest sampled size and it gets no fitted pick; the throughput pick is where speed-up stops (the
 *   knee: as fast as the sampled pick, for less), and the balanced one often lies near it.
 */
import { fitDurationModel, predictDurationMs } from '../analyze/duration-model.js';
import { invocationTotalUsd, type PriceTable } from '../pricing/cost.js';
import type { Architecture } from '../sweep/types.js';
import { describeCell } from './figures.js';
import { GRID_INPUTS, GridSpecError } from './plan.js';
import type { BestCell, CellFigures, GridCell } from './types.js';

/** What {@link bestCells} needs besides the cells. */
export interface BestCellOptions {
  /** Weight of cost against speed for balanced, 0 (speed only) to 1 (cost only). */
  balancedWeight: number;
  /** The knob's name, for the reasons ("THREADS=4"). */
  knobName?: string;
  /** Prices per architecture, for the fitted pick; without the best cell's architecture's, no fitted pick. */
  prices?: Partial<Record<Architecture, PriceTable>>;
  ephemeralStorageMb?: number;
}

/** The least R² of a duration fit whose pick between sampled sizes is reported. */
const MIN_FIT_R2 = 0.95;
/** The least predicted gain (1 %, or 0.01 of a balanced score) for a fitted pick to be worth reporting. */
const MIN_FITTED_GAIN = 0.01;

/**
 * Per job when every cell has a cost per job and a positive throughput, else per invocation.
 *
 * @example
 * ```ts
 * gridCostBasis([{ costPerJobUsd: 1e-6, jobsPerSecondAverage: 40, … }]) // 'job'
 * ```
 */
export function gridCostBasis(cells: readonly CellFigures[]): 'job' | 'invocation' {
  const perJob = (cell: CellFigures) =>
    cell.costPerJobUsd !== null && cell.jobsPerSecondAverage !== null && cell.jobsPerSecondAverage > 0;
  return cells.length > 0 && cells.every(perJob) ? 'job' : 'invocation';
}

/**
 * The best cell for 'cost', 'throughput' and 'balanced' (in that order), by the rules in this module's header.
 *
 * @throws {@link GridSpecError} naming `balanced-weight` when it is not a number in [0, 1]
 *
 * @example
 * ```ts
 * bestCells(result.cells, { balancedWeight: 0.5, knobName: 'THREADS', prices: { x86_64: priceTable('us-east-1', 'x86_64') } })
 * // [ { strategy: 'cost', cell: { memoryMb: 1024, knobValue: '2', … }, reason: '1024 MB · THREADS=2 · x86_64 is the cheapest …' },
 * //   { strategy: 'throughput', cell: { memoryMb: 4096, knobValue: '4', … }, fitted: { memoryMb: 3538, … }, … },
 * //   { strategy: 'balanced', … } ]
 * ```
 */
export function bestCells(cells: CellFigures[], options: BestCellOptions): BestCell[] {
  const weight = options.balancedWeight;
  if (!(weight >= 0 && weight <= 1)) {
    throw new GridSpecError(GRID_INPUTS.balancedWeight, String(weight), 'a number from 0 to 1');
  }
  if (cells.length === 0) return [];
  const basis = gridCostBasis(cells);
  const measure = (cell: CellFigures): Measure => ({
    cost: basis === 'job' ? cell.costPerJobUsd! : cell.costPerInvocationUsd,
    // Lower is faster: seconds per job, or the p50 invocation duration.
    time: basis === 'job' ? 1 / cell.jobsPerSecondAverage! : cell.p50InvocationMs
  });
  const scaledCost = scaler(cells.map((cell) => measure(cell).cost));
  const scaledTime = scaler(cells.map((cell) => measure(cell).time));
  const score = (m: Measure) => weight * scaledCost(m.cost) + (1 - weight) * scaledTime(m.time);
  const objectives: Record<GridStrategy, Objective> = {
    cost: { primary: (m) => m.cost, then: [(m) => m.time] },
    throughput: { primary: (m) => m.time, then: [(m) => m.cost] },
    // Scores lie in [0, 1]: an absolute tolerance, as a relative one means nothing next to 0.
    balanced: { primary: score, then: [(m) => m.cost, (m) => m.time], absolute: true }
  };
  const order = new Map(cells.map((cell, index) => [cell, index]));
  const label = (cell: CellFigures) => describeCell(cell, options.knobName);
  const among = `${cells.length} cell${cells.length === 1 ? '' : 's'}`;
  const unit = basis === 'job' ? 'jobs' : 'invocations';
  const money = (m: Measure) => `${usdPerMillion(m.cost)} per million ${unit}`;
  const speed = (m: Measure) =>
    basis === 'job' ? `${round3(1 / m.time)} jobs/s` : `p50 duration ${round3(m.time)} ms`;
  const columns = new Map<string, ColumnModel | undefined>();

  return (['cost', 'throughput', 'balanced'] as const).map((strategy): BestCell => {
    const objective = objectives[strategy];
    const best = cells.reduce((winner, next) => {
      const byObjective = rank(objective, measure(next), measure(winner));
      const bySize = next.memoryMb - winner.memoryMb || order.get(next)! - order.get(winner)!;
      return (byObjective || bySize) < 0 ? next : winner;
    });
    const figures = measure(best);
    const key = `${best.knobValue ?? ''}|${best.architecture}`;
    if (basis === 'job' && !columns.has(key)) columns.set(key, columnModel(best, cells, options));
    const column = columns.get(key);
    const fitted = column ? fittedPick(column, best.memoryMb, objective) : undefined;
    const head =
      strategy === 'cost'
        ? `${label(best)} is the cheapest of the ${among}: ${money(figures)}, ${speed(figures)}`
        : strategy === 'throughput'
          ? `${label(best)} ${basis === 'job' ? 'has the highest throughput' : 'is the fastest'} of the ${among}: ` +
            `${speed(figures)}, ${money(figures)}`
          : `${label(best)} balances cost (weight ${weight}) against speed (weight ${round3(1 - weight)}) best of ` +
            `the ${among}: ${money(figures)}, ${speed(figures)}`;
    const tail = fitted
      ? `; between the sampled sizes, the fitted duration model predicts better at ${fitted.pick.memoryMb} MB ` +
        `(${speed(fitted.measure)}, ${money(fitted.measure)})`
      : '';
    return {
      strategy,
      cell: coordinates(best),
      figures: best,
      ...(fitted ? { fitted: fitted.pick } : {}),
      reason: `${head}${tail}.`
    };
  });
}

type GridStrategy = 'cost' | 'throughput' | 'balanced';

/** Cost (per job or invocation) and time (per job, s, or p50 invocation duration, ms): lower is better. */
interface Measure {
  cost: number;
  time: number;
}

/** A strategy's order: the primary value, ties (within 10⁻⁹) to the next values in turn. */
interface Objective {
  primary: (m: Measure) => number;
  then: Array<(m: Measure) => number>;
  /** Compare the primary with an absolute tolerance (it lies in [0, 1]). */
  absolute?: boolean;
}

function rank(objective: Objective, a: Measure, b: Measure): number {
  const first = compare(objective.primary(a), objective.primary(b), objective.absolute ? 1 : undefined);
  return objective.then.reduce((order, value) => order || compare(value(a), value(b)), first);
}

/** A column's fitted duration model, as cost and time per job at any memory size between its sampled sizes. */
interface ColumnModel {
  sizes: number[];
  at: (memoryMb: number) => Measure;
  durationMs: (memoryMb: number) => number;
}

/** The duration model of the best cell's column, calibrated to its measurements; see the module's header. */
function columnModel(
  best: CellFigures,
  cells: readonly CellFigures[],
  options: BestCellOptions
): ColumnModel | undefined {
  const prices = options.prices?.[best.architecture];
  const column = cells.filter((cell) => cell.architecture === best.architecture && cell.knobValue === best.knobValue);
  const sizes = [...new Set(column.map((cell) => cell.memoryMb))].sort((a, b) => a - b);
  // The model needs positive durations (a function that returns within the timer's resolution has none).
  const fittable = column.every((cell) => cell.p50InvocationMs > 0);
  if (prices === undefined || sizes.length < 3 || !fittable) return undefined;
  const model = fitDurationModel(
    column.map((cell) => ({ memoryMb: cell.memoryMb, durationMs: cell.p50InvocationMs, samples: cell.invocations }))
  );
  if (!(model.r2 >= MIN_FIT_R2)) return undefined;
  const durationMs = (memoryMb: number) => predictDurationMs(model, memoryMb);
  // Durations scatter by more than a couple of ms, so rounding up to the next ms adds half a ms on average.
  const price = (memoryMb: number) =>
    invocationTotalUsd(Math.max(1, durationMs(memoryMb) + 0.5), memoryMb, options.ephemeralStorageMb, prices);
  const samples = column.reduce((sum, cell) => sum + cell.invocations, 0);
  const pooled = (value: (cell: CellFigures) => number) =>
    column.reduce((sum, cell) => sum + cell.invocations * value(cell), 0) / samples;
  const costScale = pooled((cell) => cell.costPerInvocationUsd / price(cell.memoryMb));
  // Time per job measured (1 / jobs/s) over the model's duration: carries elapsed vs p50 and jobs per invocation.
  const timeScale = pooled((cell) => 1 / cell.jobsPerSecondAverage! / durationMs(cell.memoryMb));
  const jobs = pooled((cell) => cell.jobsPerInvocation!);
  return {
    sizes,
    durationMs,
    at: (memoryMb) => ({ cost: (costScale * price(memoryMb)) / jobs, time: timeScale * durationMs(memoryMb) })
  };
}

/**
 * The best memory size by `objective` on a 1 MB grid between the column's smallest and largest sampled sizes,
 * kept only when it was not sampled and beats the model's own prediction at the sampled pick: by 1 % on the
 * strategy's main figure, or equal there and 1 % on the other (the knee: as fast, for less).
 */
function fittedPick(
  column: ColumnModel,
  sampledMb: number,
  objective: Objective
): { pick: NonNullable<BestCell['fitted']>; measure: Measure } | undefined {
  const { sizes, at } = column;
  let memoryMb = sizes[0]!;
  let measure = at(memoryMb);
  for (let size = memoryMb + 1; size <= sizes[sizes.length - 1]!; size++) {
    const candidate = at(size);
    if (rank(objective, candidate, measure) < 0) {
      memoryMb = size;
      measure = candidate;
    }
  }
  if (sizes.includes(memoryMb)) return undefined;
  const reference = at(sampledMb);
  const margin = (a: number, b: number, absolute?: boolean) =>
    absolute ? a <= b - MIN_FITTED_GAIN : a <= (1 - MIN_FITTED_GAIN) * b;
  const primary = [objective.primary(measure), objective.primary(reference)] as const;
  const better =
    margin(primary[0], primary[1], objective.absolute) ||
    (compare(primary[0], primary[1], objective.absolute ? 1 : undefined) <= 0 &&
      margin(objective.then[0]!(measure), objective.then[0]!(reference)));
  if (!better) return undefined;
  return {
    pick: { memoryMb, predictedCostPerJobUsd: measure.cost, predictedDurationMs: column.durationMs(memoryMb) },
    measure
  };
}

/** −1, 0 or 1, with a tolerance of 10⁻⁹ × scale (relative by default) so float noise is not a preference. */
function compare(a: number, b: number, scale = Math.max(Math.abs(a), Math.abs(b))): number {
  if (Math.abs(a - b) <= 1e-9 * scale) return 0;
  return a < b ? -1 : 1;
}

/** Maps values to [0, 1] across their range (smallest = 0); all equal: they cannot tell cells apart. */
function scaler(values: number[]): (value: number) => number {
  const low = Math.min(...values);
  const range = Math.max(...values) - low;
  return (value) => (range > 0 ? (value - low) / range : 0);
}

function coordinates(cell: CellFigures): GridCell {
  const { memoryMb, knobValue, architecture } = cell;
  return knobValue === undefined ? { memoryMb, architecture } : { memoryMb, knobValue, architecture };
}

function usdPerMillion(usd: number): string {
  return `$${round3(usd * 1_000_000)}`;
}

/** Three significant digits, no exponent for the magnitudes a reason shows. */
function round3(value: number): string {
  return String(Number(value.toPrecision(3)));
}
