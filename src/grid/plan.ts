/**
 * Plans a grid sweep: the knob parsed from its input (`THREADS=1,2,4,8`), and the cells to deploy, memory ×
 * knob values × architectures, cut to the cap when the product is larger.
 *
 * Decisions, and why:
 * - Knob names follow Lambda's own rule for environment variable keys (a letter, then letters, digits or
 *   underscores: at least two characters) and may not be a key Lambda reserves (any `AWS_…`, and
 *   LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR): UpdateFunctionConfiguration would refuse them, half-way through
 *   a sweep that already changed the function. Refusing them here fails before any change.
 * - At most 16 values: each value is a published version per memory size and architecture.
 * - The cut keeps every knob value and architecture and thins memory sizes evenly, smallest and largest
 *   kept: the knob is what the grid is for, and the end sizes bound any fit between them. Only when a single
 *   memory size with every knob value and architecture is above the cap are knob values thinned (first and
 *   last kept), and only when the cap is below the number of architectures are architectures dropped.
 */
import { InputError } from '../errors.js';
import type { Architecture } from '../sweep/types.js';
import type { GridCell, GridKnob, GridPlan, GridSpec } from './types.js';

/** The inputs a grid's settings come from, as action.yml would spell them (the lead may rename them). */
export const GRID_INPUTS = {
  knob: 'grid-env',
  memorySizes: 'memory-sizes',
  architectures: 'architectures',
  maxCells: 'grid-max-cells',
  balancedWeight: 'balanced-weight'
} as const;

/** The most values a knob may list. */
export const MAX_KNOB_VALUES = 16;
/** Lambda's memory range, MB. */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10240;

/** A grid setting that is malformed or out of range; the message names the input, the value and what is allowed. */
export class GridSpecError extends InputError {}

const KNOB_FORMAT =
  'NAME=value,value,… where NAME starts with a letter and has only letters, digits and underscores ' +
  `(at least 2 characters, not AWS_… or another key Lambda reserves), with 1 to ${MAX_KNOB_VALUES} distinct non-empty values`;
const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]+$/;
const RESERVED_NAMES = new Set(['LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR']);
const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

/**
 * Parses a knob input such as `THREADS=1,2,4,8` (spaces around names and values are ignored).
 *
 * @throws {@link GridSpecError} naming `grid-env`, the value and what is allowed
 *
 * @example
 * ```ts
 * parseKnob('THREADS = 1, 2, 4, 8') // { name: 'THREADS', values: ['1', '2', '4', '8'] }
 * parseKnob('AWS_REGION=a,b')       // throws: Invalid input "grid-env": got "AWS_REGION=a,b"; allowed: …
 * ```
 */
export function parseKnob(text: string): GridKnob {
  const given = String(text);
  const equals = given.indexOf('=');
  if (equals < 0) throw knobError(given, 'a "=" between the name and the values');
  const knob = {
    name: given.slice(0, equals).trim(),
    values: given
      .slice(equals + 1)
      .split(',')
      .map((value) => value.trim())
  };
  validateKnob(knob, given);
  return knob;
}

/**
 * Checks a knob from any source (the input, or the config file's field) by the rules of {@link parseKnob}.
 *
 * @param given - the text to quote in the error; defaults to `NAME=values`
 * @throws {@link GridSpecError}
 *
 * @example
 * ```ts
 * validateKnob({ name: 'THREADS', values: ['1', '1'] }) // throws: … (value "1" is given twice)
 * ```
 */
export function validateKnob(knob: GridKnob, given = `${knob.name}=${knob.values.join(',')}`): void {
  const { name, values } = knob;
  if (!ENV_NAME.test(name)) throw knobError(given, `the name ${JSON.stringify(name)} is not a valid name`);
  if (name.startsWith('AWS_') || RESERVED_NAMES.has(name)) {
    throw knobError(given, `${name} is reserved by Lambda`);
  }
  if (values.length === 0 || values.some((value) => value === '')) throw knobError(given, 'a value is empty');
  if (values.length > MAX_KNOB_VALUES) throw knobError(given, `${values.length} values are given`);
  const twice = values.find((value, index) => values.indexOf(value) !== index);
  if (twice !== undefined) throw knobError(given, `value ${JSON.stringify(twice)} is given twice`);
}

function knobError(given: string, problem: string): GridSpecError {
  return new GridSpecError(GRID_INPUTS.knob, given, `${KNOB_FORMAT} (here ${problem})`);
}

/**
 * The cells to deploy: memory ascending, then knob values in the order given, then architectures in the
 * order given; cut to `spec.maxCells` by the rule in this module's header, with `cutNote` saying so.
 *
 * @throws {@link GridSpecError} when maxCells is not a whole number ≥ 1, a memory size is not a whole number
 *   from 128 to 10240 or is repeated, an architecture is unknown or repeated, or the knob is invalid
 *
 * @example
 * ```ts
 * planGrid({ memorySizes: [1024, 512], knob: { name: 'THREADS', values: ['1', '2'] }, architectures: ['arm64'], maxCells: 8 }).cells
 * // [ { memoryMb: 512, knobValue: '1', architecture: 'arm64' }, { memoryMb: 512, knobValue: '2', … },
 * //   { memoryMb: 1024, knobValue: '1', … }, { memoryMb: 1024, knobValue: '2', … } ]
 * ```
 */
export function planGrid(spec: GridSpec): GridPlan {
  validateSpec(spec);
  const memory = [...spec.memorySizes].sort((a, b) => a - b);
  const knobValues: Array<string | undefined> = spec.knob ? spec.knob.values : [undefined];
  const architectures = spec.architectures;
  const full = memory.length * knobValues.length * architectures.length;
  const cap = spec.maxCells;

  // Architectures first, then knob values, then memory sizes fill what the cap leaves.
  const keptArchitectures = architectures.slice(0, Math.min(architectures.length, cap));
  const keptKnob = thin(knobValues, Math.floor(cap / keptArchitectures.length));
  const keptMemory = thin(memory, Math.floor(cap / (keptArchitectures.length * keptKnob.length)));

  const cells: GridCell[] = [];
  for (const memoryMb of keptMemory) {
    for (const knobValue of keptKnob) {
      for (const architecture of keptArchitectures) {
        cells.push(knobValue === undefined ? { memoryMb, architecture } : { memoryMb, knobValue, architecture });
      }
    }
  }
  if (cells.length === full) return { cells };
  const dropped = [
    describeDropped(
      memory.filter((size) => !keptMemory.includes(size)),
      (sizes) => `${sizes.join(', ')} MB`
    ),
    describeDropped(
      knobValues.filter((value) => !keptKnob.includes(value)),
      (values) => `${spec.knob!.name}=${values.join(',')}`
    ),
    describeDropped(
      architectures.filter((architecture) => !keptArchitectures.includes(architecture)),
      (names) => names.join(', ')
    )
  ].filter((part) => part !== '');
  const kept = [
    `${keptMemory.length} of ${memory.length} memory sizes`,
    ...(spec.knob ? [`${keptKnob.length} of ${knobValues.length} ${spec.knob.name} values`] : []),
    `${keptArchitectures.length} of ${architectures.length} architectures`
  ];
  return {
    cells,
    cutNote:
      `The grid has ${full} cells, more than the cap of ${cap}: ${cells.length} cells are swept ` +
      `(${kept.join(', ')}); dropped ${dropped.join('; ')}.`
  };
}

/** `count` items spread evenly over `items`, the first and last kept (the first alone when count is 1). */
function thin<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  if (count <= 1) return items.slice(0, 1);
  // Steps of (n − 1) / (count − 1) ≥ 1 round to distinct, increasing indices.
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}

function describeDropped<T>(items: T[], format: (items: T[]) => string): string {
  return items.length === 0 ? '' : format(items);
}

function validateSpec(spec: GridSpec): void {
  const { memorySizes, architectures, maxCells } = spec;
  if (!(Number.isInteger(maxCells) && maxCells >= 1)) {
    throw new GridSpecError(GRID_INPUTS.maxCells, String(maxCells), 'a whole number ≥ 1');
  }
  const sizes = memorySizes.join(',');
  const sizeRule = `distinct whole numbers of MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}, at least one`;
  if (memorySizes.length === 0) throw new GridSpecError(GRID_INPUTS.memorySizes, sizes, sizeRule);
  for (const size of memorySizes) {
    if (!(Number.isInteger(size) && size >= MIN_MEMORY_MB && size <= MAX_MEMORY_MB)) {
      throw new GridSpecError(GRID_INPUTS.memorySizes, sizes, `${sizeRule} (here ${size} is not)`);
    }
  }
  if (new Set(memorySizes).size !== memorySizes.length) {
    throw new GridSpecError(GRID_INPUTS.memorySizes, sizes, `${sizeRule} (here a size is repeated)`);
  }
  const names = architectures.join(',');
  const archRule = `one or both of ${ARCHITECTURES.join(', ')}, each once`;
  if (
    architectures.length === 0 ||
    architectures.some((architecture) => !ARCHITECTURES.includes(architecture)) ||
    new Set(architectures).size !== architectures.length
  ) {
    throw new GridSpecError(GRID_INPUTS.architectures, names, archRule);
  }
  if (spec.knob) validateKnob(spec.knob);
}
