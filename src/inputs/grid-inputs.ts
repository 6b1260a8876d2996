/**
 * The grid inputs: an environment variable swept over values (`grid-env: THREADS=1,2,4,8`), the
 * architectures (`architectures: x86_64,arm64`), the cap on cells, and the architecture a candidate's native
 * code is built for. Parsed once with the sweep's other inputs, before anything in AWS is touched.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseKnob } from '../grid/plan.js';
import type { Architecture, GridOptions } from '../sweep/types.js';
import { EMPTY, readField, type FieldSpec, type InputReader } from './field.js';
import { SweepInputs } from './names.js';

/** Cells a grid may have unless grid-max-cells says otherwise: 4 memory sizes × 4 values × 2 architectures, twice. */
export const DEFAULT_GRID_MAX_CELLS = 64;
const ARCHITECTURES = ['x86_64', 'arm64'] as const;

const architectureList: FieldSpec<Architecture[] | undefined> = {
  allowed: 'x86_64, arm64, or both separated by a comma (empty: the function’s own)',
  schema: z.union([
    z.literal(EMPTY).transform(() => undefined),
    z
      .string()
      .transform((raw) => raw.split(',').map((item) => item.trim()))
      .pipe(z.array(z.enum(ARCHITECTURES)).min(1).max(2))
      .refine((list) => new Set(list).size === list.length)
  ])
};
const maxCells: FieldSpec<number> = {
  allowed: 'a whole number from 1 to 200',
  schema: z.union([
    z.literal(EMPTY).transform(() => DEFAULT_GRID_MAX_CELLS),
    z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(200))
  ])
};
const nativeArchitecture: FieldSpec<Architecture | undefined> = {
  allowed: 'x86_64 or arm64 (the one architecture the candidate’s native code is built for), or empty',
  schema: z.union([z.literal(EMPTY).transform(() => undefined), z.enum(ARCHITECTURES)])
};

/**
 * The grid the inputs ask for; undefined when neither grid-env nor architectures is set (a memory sweep).
 *
 * @throws {@link InputError} naming the input, the value and what is allowed; also when architectures lists an
 *   architecture that native-code-architecture says the candidate's native code was not built for
 *
 * @example
 * ```ts
 * readGridOptions((name) => ({ 'grid-env': 'THREADS=1,2,4,8' })[name] ?? '')
 * // { knob: { name: 'THREADS', values: ['1', '2', '4', '8'] }, maxCells: 64 }
 * ```
 */
export function readGridOptions(read: InputReader): GridOptions | undefined {
  const knobText = read(SweepInputs.GridEnv).trim();
  const architectures = readField(read, SweepInputs.Architectures, architectureList);
  const native = readField(read, SweepInputs.NativeCodeArchitecture, nativeArchitecture);
  if (native && architectures?.some((arch) => arch !== native)) {
    throw new InputError(
      SweepInputs.Architectures,
      read(SweepInputs.Architectures).trim(),
      `only ${native}: native-code-architecture says the candidate ships native code built for ${native} alone, ` +
        `which cannot run on ${native === 'x86_64' ? 'arm64' : 'x86_64'}. Build it for both, or sweep ${native} only`
    );
  }
  const cells = readField(read, SweepInputs.GridMaxCells, maxCells);
  if (knobText === '' && architectures === undefined) return undefined;
  return {
    ...(knobText !== '' ? { knob: parseKnob(knobText) } : {}),
    ...(architectures ? { architectures } : {}),
    maxCells: cells
  };
}
