/**
 * Validation of a {@link FunctionModel} declared by a user: in a code zip, in a test or in a
 * benchmark. Only `cpuMs` is required; every other field has a default (see {@link MODEL_DEFAULTS}).
 *
 * A model ships inside a code zip as a file named {@link MODEL_FILE_NAME} at the zip root; the
 * emulator then runs the function as a model instead of as code. See README.md in this folder.
 */
import { z } from 'zod';
import { LambdaCostGateError } from '../../errors.js';
import type { FunctionModel } from '../runtime/types.js';

/**
 * The name of the file, at the root of a code zip, that turns the function into a modelled one.
 * Its content is the model as JSON, e.g. `{"cpuMs": 400, "parallelism": 2, "ioMs": 30}`; when the
 * zip holds this file, all other files in it are ignored.
 */
export const MODEL_FILE_NAME = 'lambda-cost-gate-model.json';

/** The value every optional field takes when a model leaves it out. */
export const MODEL_DEFAULTS: Readonly<Omit<FunctionModel, 'cpuMs'>> = Object.freeze({
  parallelism: 1,
  ioMs: 0,
  noiseSigma: 0.05,
  outlierRate: 0,
  outlierFactor: 3,
  initCpuMs: 150,
  initFixedMs: 80,
  memoryUsedMb: 60,
  errorRate: 0,
  throttleRate: 0,
  timeScale: 0,
  seed: 1
});

/** The most threads a model may declare (Lambda tops out at 6 vCPUs; 64 leaves room for oversubscription). */
export const MAX_PARALLELISM = 64;
/** Log-normal sigma 3 already spreads durations over a factor of ~400 either way; more is a typo. */
export const MAX_NOISE_SIGMA = 3;

// z.number() rejects NaN and ±Infinity by itself, so a range check is all a field needs.
const ms = z.number().min(0);
const rate = z.number().min(0).max(1);

/** One schema per field, with the words an error message uses for what it accepts. */
const fields = {
  cpuMs: { allowed: 'a number of ms >= 0 (required)', schema: ms },
  parallelism: {
    allowed: `a whole number from 1 to ${MAX_PARALLELISM}`,
    schema: z.number().int().min(1).max(MAX_PARALLELISM).default(MODEL_DEFAULTS.parallelism)
  },
  ioMs: { allowed: 'a number of ms >= 0', schema: ms.default(MODEL_DEFAULTS.ioMs) },
  noiseSigma: {
    allowed: `a number from 0 to ${MAX_NOISE_SIGMA}`,
    schema: z.number().min(0).max(MAX_NOISE_SIGMA).default(MODEL_DEFAULTS.noiseSigma)
  },
  outlierRate: { allowed: 'a share from 0 to 1', schema: rate.default(MODEL_DEFAULTS.outlierRate) },
  outlierFactor: { allowed: 'a number >= 1', schema: z.number().min(1).default(MODEL_DEFAULTS.outlierFactor) },
  initCpuMs: { allowed: 'a number of ms >= 0', schema: ms.default(MODEL_DEFAULTS.initCpuMs) },
  initFixedMs: { allowed: 'a number of ms >= 0', schema: ms.default(MODEL_DEFAULTS.initFixedMs) },
  memoryUsedMb: { allowed: 'a number of MB >= 0', schema: z.number().min(0).default(MODEL_DEFAULTS.memoryUsedMb) },
  errorRate: { allowed: 'a share from 0 to 1', schema: rate.default(MODEL_DEFAULTS.errorRate) },
  throttleRate: { allowed: 'a share from 0 to 1', schema: rate.default(MODEL_DEFAULTS.throttleRate) },
  timeScale: {
    allowed: 'a number >= 0 (real ms per modelled ms; 0 answers at once)',
    schema: z.number().min(0).default(MODEL_DEFAULTS.timeScale)
  },
  seed: { allowed: 'a whole number', schema: z.number().int().default(MODEL_DEFAULTS.seed) }
} satisfies Record<keyof FunctionModel, { allowed: string; schema: z.ZodType<number, unknown> }>;

type FieldName = keyof typeof fields;
const FIELD_NAMES = Object.keys(fields) as FieldName[];

/**
 * The zod schema of a {@link FunctionModel}: fills in defaults and rejects out-of-range values and
 * unknown fields (a typo such as `cpuMS` must not silently leave the default in force).
 */
export const functionModelSchema = z.strictObject({
  cpuMs: fields.cpuMs.schema,
  parallelism: fields.parallelism.schema,
  ioMs: fields.ioMs.schema,
  noiseSigma: fields.noiseSigma.schema,
  outlierRate: fields.outlierRate.schema,
  outlierFactor: fields.outlierFactor.schema,
  initCpuMs: fields.initCpuMs.schema,
  initFixedMs: fields.initFixedMs.schema,
  memoryUsedMb: fields.memoryUsedMb.schema,
  errorRate: fields.errorRate.schema,
  throttleRate: fields.throttleRate.schema,
  timeScale: fields.timeScale.schema,
  seed: fields.seed.schema
});

// Compile-time proof that the schema's output is exactly the contract's FunctionModel.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemaMatchesContract: Same<z.output<typeof functionModelSchema>, FunctionModel> = true;
void schemaMatchesContract;

/**
 * A model declaration that is not valid. The message names the field, the value given and what
 * the field accepts, e.g. `Invalid function model: "noiseSigma" got -1; allowed: a number from 0 to 3`.
 */
export class ModelError extends LambdaCostGateError {
  /**
   * @param field - the first bad field (`''` when the model as a whole is not an object)
   * @param value - the value given for it (`undefined` when missing)
   * @param allowed - what the field accepts
   * @param message - the full message, which lists every bad field
   */
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
    message: string
  ) {
    super(message);
  }
}

/**
 * Validates a model declaration (e.g. parsed JSON) and fills in the defaults.
 *
 * @throws {@link ModelError} naming every bad field, its value and what is allowed
 */
export function parseFunctionModel(value: unknown): FunctionModel {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const allowed = 'a JSON object with at least "cpuMs", e.g. {"cpuMs": 200}';
    throw new ModelError('', value, allowed, `Invalid function model: got ${show(value)}; allowed: ${allowed}`);
  }
  const result = functionModelSchema.safeParse(value);
  if (result.success) return result.data;

  const record = value as Record<string, unknown>;
  const problems: { field: string; value: unknown; allowed: string; text: string }[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = `one of ${FIELD_NAMES.join(', ')}`;
      for (const key of issue.keys) {
        problems.push({ field: key, value: record[key], allowed, text: `unknown field "${key}"; allowed: ${allowed}` });
      }
      continue;
    }
    const field = String(issue.path[0] ?? '');
    // Several checks can fail on one field (e.g. not whole and too big); one line per field is enough.
    if (problems.some((problem) => problem.field === field)) continue;
    const allowed = isField(field) ? fields[field].allowed : issue.message;
    const given = field in record ? `got ${show(record[field])}` : 'missing';
    problems.push({ field, value: record[field], allowed, text: `"${field}" ${given}; allowed: ${allowed}` });
  }
  const first = problems[0] ?? { field: '', value, allowed: '', text: result.error.message };
  const message = `Invalid function model: ${problems.map((problem) => problem.text).join('; ')}`;
  throw new ModelError(first.field, first.value, first.allowed, message);
}

function isField(name: string): name is FieldName {
  return Object.prototype.hasOwnProperty.call(fields, name);
}

/** A value as the user wrote it in JSON (strings quoted), falling back to String() for the rest. */
function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
