/**
 * The grid's side of a deployment (issue 8): which versions a list of cells asks for, in which order they
 * are published, what environment each one freezes, and how a run tells its own environment from someone
 * else's. Pure functions, no I/O.
 *
 * Environment values may be secrets (the function's own variables, not the knob): nothing here prints
 * one. Comparisons say only whether two environments differ.
 */
import { InputError, LambdaCostGateError } from '../errors.js';
import type { GridCell } from '../grid/types.js';
import type { Architecture } from '../sweep/types.js';

/** Lambda's rule for a variable name: a letter, then letters, digits or underscores. */
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Names the runtime sets itself; Lambda refuses them in a function's configuration. */
const RESERVED_NAMES = new Set(['_HANDLER', '_X_AMZN_TRACE_ID', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'TZ']);

/** A cell with its place in the list the caller gave. */
export interface IndexedCell {
  cell: GridCell;
  index: number;
}

/** The cells of one architecture, published after one code upload (when the architecture needs one). */
export interface ArchitectureGroup {
  architecture: Architecture;
  cells: IndexedCell[];
}

/** Same coordinates: the same version. */
export const sameCell = (
  a: { memoryMb: number; knobValue?: string | undefined; architecture?: Architecture | undefined },
  b: GridCell
): boolean => a.memoryMb === b.memoryMb && a.knobValue === b.knobValue && a.architecture === b.architecture;

/**
 * Checks the cells before anything is read or changed, and drops repeated ones (the first stays).
 *
 * @example
 * ```ts
 * distinctCells([{ memoryMb: 512, architecture: 'x86_64' }, { memoryMb: 512, architecture: 'x86_64' }]);
 * // [{ memoryMb: 512, architecture: 'x86_64' }]
 * ```
 * @throws {@link LambdaCostGateError} for no cell, or a knob value without a valid knob name
 */
export function distinctCells(cells: GridCell[], knobName: string | undefined): GridCell[] {
  if (cells.length === 0) throw new LambdaCostGateError('No grid cell to publish: give at least one');
  if (cells.some((cell) => cell.knobValue !== undefined)) {
    if (knobName === undefined) {
      throw new LambdaCostGateError('The grid cells carry knob values but no knob name says which variable to set');
    }
    if (!VARIABLE_NAME.test(knobName) || knobName.startsWith('AWS_') || RESERVED_NAMES.has(knobName)) {
      throw new LambdaCostGateError(
        `"${knobName}" cannot be set as an environment variable on Lambda: use letters, digits and underscores, ` +
          'starting with a letter, and not a name Lambda reserves (AWS_…, _HANDLER, LAMBDA_TASK_ROOT, TZ)'
      );
    }
  }
  const distinct: GridCell[] = [];
  for (const cell of cells) if (!distinct.some((kept) => sameCell(cell, kept))) distinct.push(cell);
  return distinct;
}

/**
 * Groups cells by architecture, the function's own first: without candidate code its cells need no upload,
 * so every other architecture costs one upload, and a run killed early has changed the least.
 *
 * @example
 * ```ts
 * groupByArchitecture(cells, 'x86_64').map((g) => g.architecture); // ['x86_64', 'arm64']
 * ```
 */
export function groupByArchitecture(cells: GridCell[], own: Architecture): ArchitectureGroup[] {
  const groups: ArchitectureGroup[] = [];
  for (const [index, cell] of cells.entries()) {
    const group = groups.find((g) => g.architecture === cell.architecture);
    if (group) group.cells.push({ cell, index });
    else groups.push({ architecture: cell.architecture, cells: [{ cell, index }] });
  }
  return groups.sort((a, b) => Number(b.architecture === own) - Number(a.architecture === own));
}

/**
 * The whole environment a cell's version freezes: the function's own variables, with the knob set to the
 * cell's value. Undefined when the grid has no knob: the environment is then not sent at all.
 *
 * @example
 * ```ts
 * cellEnvironment({ STAGE: 'prod' }, 'THREADS', { memoryMb: 512, knobValue: '4', architecture: 'arm64' });
 * // { STAGE: 'prod', THREADS: '4' }
 * ```
 */
export function cellEnvironment(
  original: Record<string, string>,
  knobName: string | undefined,
  cell: GridCell,
  gridHasKnob: boolean
): Record<string, string> | undefined {
  if (!gridHasKnob || knobName === undefined) return undefined;
  if (cell.knobValue === undefined) return { ...original };
  return { ...original, [knobName]: cell.knobValue };
}

/** The names whose values differ between two environments (a name missing on one side counts). */
function differingNames(a: Record<string, string>, b: Record<string, string>): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((name) => a[name] !== b[name]);
}

/**
 * Same variables with the same values.
 *
 * @example
 * ```ts
 * sameEnvironment({ A: '1' }, { A: '1' }); // true
 * ```
 */
export function sameEnvironment(a: Record<string, string>, b: Record<string, string>): boolean {
  return differingNames(a, b).length === 0;
}

/**
 * Does `current` differ from `original` in at most one variable? A run sets one knob, so a version that is
 * a run's original differs from a `$LATEST` the run left in no more than that.
 *
 * @example
 * ```ts
 * differsInAtMostOneVariable({ A: '1' }, { A: '1', THREADS: '4' }); // true
 * ```
 */
export function differsInAtMostOneVariable(original: Record<string, string>, current: Record<string, string>): boolean {
  return differingNames(original, current).length <= 1;
}

/**
 * Is `current` an environment this run wrote? Only the knob may differ from the original, and only with
 * a value the run set.
 *
 * @example
 * ```ts
 * writtenByRun({ A: '1' }, { A: '1', THREADS: '4' }, 'THREADS', new Set(['4'])); // true
 * ```
 */
export function writtenByRun(
  original: Record<string, string>,
  current: Record<string, string>,
  knobName: string | undefined,
  values: ReadonlySet<string>
): boolean {
  if (knobName === undefined) return false;
  const differing = differingNames(original, current);
  if (differing.length !== 1 || differing[0] !== knobName) return false;
  const value = current[knobName];
  return value !== undefined && values.has(value);
}

/**
 * A sweep asked for an architecture other than the function's own, and no code can be uploaded for it:
 * changing the architecture takes an UpdateFunctionCode. Thrown before anything is changed.
 *
 * @example
 * ```ts
 * throw new ArchitectureNeedsCodeError('x86_64', ['x86_64', 'arm64'], 'the code of orders could not be downloaded');
 * ```
 */
export class ArchitectureNeedsCodeError extends InputError {
  /**
   * @param own - the function's own architecture
   * @param asked - every architecture the sweep asked for
   * @param why - why the function's code cannot be uploaded again, phrased to follow "because"
   * @param cause - the error behind `why`, when there is one
   */
  constructor(own: Architecture, asked: Architecture[], why: string, cause?: unknown) {
    super(
      'architectures',
      asked.join(','),
      `only ${own}, the function's own architecture, because ${why}; nothing was changed. Moving a version to ` +
        `another architecture uploads the code again: give the code to sweep with the \`code\` input (a zip, a ` +
        `folder or an S3 object that runs on every architecture swept), or leave ${asked.filter((a) => a !== own).join(', ')} out`,
      cause === undefined ? undefined : { cause }
    );
  }
}
