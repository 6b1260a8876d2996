/**
 * The inputs of `mode: right-size` (and the flags of `lambda-cost-gate right-size`), parsed once into
 * {@link RightSizeSettings}. Everything is checked before AWS is touched; a bad value is an
 * {@link InputError} naming the input, the value and what it accepts.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { FunctionSelection, Margin, RightSizeSettings } from '../fleet/types.js';
import { EMPTY, type FieldSpec } from './field.js';
import { SweepInputs } from './names.js';
import { RightSizeInputs as Inputs, type RightSizeInputName, type RightSizeInputReader } from './right-size-names.js';

export const RIGHT_SIZE_DEFAULTS = {
  lookbackDays: 14,
  bufferMb: 100,
  peakMarginMb: 32,
  memoryStepMb: 64,
  minInvocations: 50,
  minDays: 7,
  maxConcurrentQueries: 10,
  queryTimeoutSeconds: 900,
  applyMaxStepMb: 1024,
  applyMinMemoryMb: 128,
  controlPlaneRate: 10
} as const;

const orElse = <T>(fallback: T, schema: z.ZodType<T, string>) =>
  z.union([z.literal(EMPTY).transform(() => fallback), schema]);
const whole = (min: number, max: number, fallback: number): FieldSpec<number> => ({
  allowed: `a whole number from ${min} to ${max}`,
  schema: orElse(fallback, z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max)))
});
const bool: FieldSpec<boolean> = {
  allowed: 'true or false',
  schema: orElse(
    false,
    z.enum(['true', 'false']).transform((v) => v === 'true')
  )
};
/** Items separated by commas or line breaks (a YAML block scalar in a workflow), each trimmed. */
const list = (item: RegExp, what: string): FieldSpec<string[]> => ({
  allowed: `${what}, separated by commas or line breaks`,
  schema: z
    .string()
    .transform((raw) =>
      raw
        .split(/[,\r\n]+/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
    )
    .pipe(z.array(z.string().regex(item)))
});
const margin = (fallbackMb: number): FieldSpec<Margin> => ({
  allowed: 'a number of MB from 0 to 10240 (e.g. 100 or 100 MB), or a percentage from 0 to 1000 (e.g. 20%)',
  schema: orElse<Margin>(
    { kind: 'mb', mb: fallbackMb },
    z.union([
      z
        .string()
        .regex(/^\d+(?:\.\d+)?\s*%$/)
        .transform((raw) => Number(raw.replace('%', '').trim()))
        .pipe(z.number().max(1000))
        .transform((percent): Margin => ({ kind: 'percent', percent })),
      z
        .string()
        .regex(/^\d+(?:\.\d+)?\s*(?:MB)?$/i)
        .transform((raw) => Number(/[\d.]+/.exec(raw)?.[0]))
        .pipe(z.number().max(10240))
        .transform((mb): Margin => ({ kind: 'mb', mb }))
    ])
  )
});
const price: FieldSpec<number | undefined> = {
  allowed: 'empty, or a positive number of USD such as 0.0000166667',
  schema: orElse(
    undefined,
    z
      .string()
      .regex(/^\d*\.?\d+(e-?\d+)?$/i)
      .transform(Number)
      .pipe(z.number().positive())
  )
};

// A name, a partial ARN or a full ARN, without qualifier.
const FUNCTION = /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9-_]{1,64}$/;
const TAG = /^[^=]{1,128}(=[^=]{0,256})?$/;

const fields = {
  functions: list(FUNCTION, 'function names or ARNs (without a version or alias)'),
  prefix: {
    allowed: 'empty, or the start of function names (letters, digits, - and _)',
    schema: orElse(undefined, z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/))
  } satisfies FieldSpec<string | undefined>,
  tags: list(TAG, 'tags as key=value (or a key alone: any value)'),
  lookbackDays: whole(1, 90, RIGHT_SIZE_DEFAULTS.lookbackDays),
  buffer: margin(RIGHT_SIZE_DEFAULTS.bufferMb),
  peakMargin: margin(RIGHT_SIZE_DEFAULTS.peakMarginMb),
  memoryStep: whole(1, 1024, RIGHT_SIZE_DEFAULTS.memoryStepMb),
  minInvocations: whole(0, 1_000_000_000, RIGHT_SIZE_DEFAULTS.minInvocations),
  minDays: whole(1, 90, RIGHT_SIZE_DEFAULTS.minDays),
  maxConcurrentQueries: whole(1, 100, RIGHT_SIZE_DEFAULTS.maxConcurrentQueries),
  queryTimeout: whole(10, 3600, RIGHT_SIZE_DEFAULTS.queryTimeoutSeconds),
  paths: list(/^.+$/, 'paths of sweep run reports'),
  applyMaxStep: whole(1, 10112, RIGHT_SIZE_DEFAULTS.applyMaxStepMb),
  applyMinMemory: whole(128, 10240, RIGHT_SIZE_DEFAULTS.applyMinMemoryMb),
  allow: list(/^[a-zA-Z0-9-_*?]{1,64}$/, 'function names or patterns with * and ?'),
  rate: {
    allowed: 'a number of requests per second above 0 and at most 15 (Lambda control-plane limit)',
    schema: orElse(
      RIGHT_SIZE_DEFAULTS.controlPlaneRate as number,
      z
        .string()
        .regex(/^\d*\.?\d+$/)
        .transform(Number)
        .pipe(z.number().gt(0).max(15))
    )
  } satisfies FieldSpec<number>
};

/** readField (field.ts) for the right-size names. */
function readField<T>(read: RightSizeInputReader, name: RightSizeInputName, spec: FieldSpec<T>): T {
  const raw = read(name).trim();
  const result = spec.schema.safeParse(raw);
  if (!result.success) throw new InputError(name, raw, spec.allowed);
  return result.data;
}

/**
 * Reads and validates every right-size input.
 *
 * @example
 * ```ts
 * const settings = parseRightSizeInputs((name) => core.getInput(name));
 * settings.lookbackDays // 14 when lookback-days is empty
 * ```
 * @throws {@link InputError} for the first invalid input, or a selection that is missing or contradictory
 */
export function parseRightSizeInputs(read: RightSizeInputReader): RightSizeSettings {
  const lookbackDays = readField(read, Inputs.LookbackDays, fields.lookbackDays);
  const apply = readField(read, Inputs.Apply, bool);
  const allow = readField(read, Inputs.ApplyAllow, fields.allow);
  if (apply && allow.length === 0) {
    throw new InputError(
      Inputs.ApplyAllow,
      '',
      'at least one function name or pattern when apply is true (* for every selected function)'
    );
  }
  const gbSecondUsd = readField(read, SweepInputs.PricePerGbSecond, price);
  const requestUsd = readField(read, SweepInputs.PricePerRequest, price);
  return {
    selection: readSelection(read),
    lookbackDays,
    buffer: readField(read, Inputs.MemoryBuffer, fields.buffer),
    peakMargin: readField(read, Inputs.PeakMargin, fields.peakMargin),
    memoryStepMb: readField(read, Inputs.MemoryStep, fields.memoryStep),
    minInvocations: readField(read, Inputs.MinInvocations, fields.minInvocations),
    // A 3-day window cannot show 7 days of traffic: the window caps it.
    minDays: Math.min(readField(read, Inputs.MinDays, fields.minDays), lookbackDays),
    maxConcurrentQueries: readField(read, Inputs.MaxConcurrentQueries, fields.maxConcurrentQueries),
    queryTimeoutSeconds: readField(read, Inputs.QueryTimeoutSeconds, fields.queryTimeout),
    sweepReportPaths: readField(read, Inputs.SweepReports, fields.paths),
    priceOverrides: { ...(gbSecondUsd ? { gbSecondUsd } : {}), ...(requestUsd ? { requestUsd } : {}) },
    apply: {
      enabled: apply,
      maxStepMb: readField(read, Inputs.ApplyMaxStep, fields.applyMaxStep),
      minMemoryMb: readField(read, Inputs.ApplyMinMemory, fields.applyMinMemory),
      allow
    },
    controlPlaneRate: readField(read, Inputs.ControlPlaneRate, fields.rate)
  };
}

function readSelection(read: RightSizeInputReader): FunctionSelection {
  const names = readField(read, Inputs.Functions, fields.functions);
  const prefix = readField(read, Inputs.FunctionPrefix, fields.prefix);
  const tags = readField(read, Inputs.FunctionTags, fields.tags).map((entry) => {
    const at = entry.indexOf('=');
    // `env = prod` means env=prod: spaces around the = are layout, not part of the tag.
    return at === -1 ? { key: entry } : { key: entry.slice(0, at).trim(), value: entry.slice(at + 1).trim() };
  });
  const all = readField(read, Inputs.AllFunctions, bool);
  const filtered = prefix !== undefined || tags.length > 0 || all;
  if (names.length > 0 && filtered) {
    throw new InputError(
      Inputs.Functions,
      read(Inputs.Functions).trim(),
      'empty when function-prefix, function-tags or all-functions selects the functions'
    );
  }
  if (names.length > 0) return { kind: 'names', names };
  if (!filtered) {
    throw new InputError(
      Inputs.AllFunctions,
      read(Inputs.AllFunctions).trim(),
      'true, or select functions with functions, function-prefix or function-tags'
    );
  }
  return { kind: 'filter', ...(prefix !== undefined ? { prefix } : {}), tags };
}
