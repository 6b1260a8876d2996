/**
 * One schema per gate input, with the words an error message uses for what it accepts. Pure: the
 * schemas only turn strings into values; parseGateSettings (gate-settings.ts) decides which input each one reads.
 */
import { z } from 'zod';
import { EMPTY, type FieldSpec } from './field.js';

/** The gate's default budgets, as fractions: +5 % cost, +10 % p99, 1 % failed invocations. */
export const DEFAULT_BUDGETS = { maxCostIncrease: 0.05, maxP99Increase: 0.1, maxErrorRate: 0.01 } as const;
/** Measured invocations at each gated size unless gate-invocations says otherwise. */
export const DEFAULT_GATE_INVOCATIONS = 300;
export const DEFAULT_BASELINE_ARTIFACT = 'lambda-cost-gate-baseline';
export const DEFAULT_OVERRIDE_LABEL = 'cost-regression-accepted';

/** How the gated sizes are sampled: adaptive looks after each batch and stops once decided; fixed measures the cap. */
export type SamplingMode = 'adaptive' | 'fixed';

/** Which sizes are gated: the function's own, a list, or every swept size. */
export type GateMemory = { kind: 'current' } | { kind: 'sizes'; sizes: number[] } | { kind: 'all' };
/** Traffic for the monthly figures: a number given by the user, or read from the function's logs. */
export type MonthlyInvocations = { kind: 'fixed'; perMonth: number } | { kind: 'auto' };

const NUMBER = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
const PERCENT = new RegExp(`^${NUMBER}\\s*%$`);
const FRACTION = /^(?:0(?:\.\d+)?|\.\d+)$/;
const USD = new RegExp(`^\\$?\\s*${NUMBER}$`);
const MILLISECONDS = new RegExp(`^${NUMBER}\\s*(?:ms)?$`);
const WHOLE = /^\d+$/;
// 1000000, 1,000,000 (proper thousands groups) or 1e6 / 2.5e6 (checked to be whole after conversion).
const COUNT = /^(?:\d+|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?e\+?\d+)$/i;
// Lambda's pattern for an alias or version qualifier, without `$`: $LATEST is what a sweep changes.
const QUALIFIER = /^[A-Za-z0-9_-]{1,128}$/;
// Characters GitHub refuses in an artifact name.
const ARTIFACT_NAME = /^[^"<>|*?:\\/\r\n]{1,200}$/;

/** '' becomes `fallback`; anything else must pass `schema`. */
const orElse = <T, F>(fallback: F, schema: z.ZodType<T, string>) =>
  z.union([z.literal(EMPTY).transform((): F => fallback), schema]);

const percentToFraction = (raw: string) => Number(raw.replace('%', '').trim()) / 100;
const leadingNumber = (raw: string) => Number(/[\d.]+/.exec(raw)?.[0]);

/** A relative budget: `5%`, `0.5 %`; `none` switches it off. A bare number is refused as ambiguous. */
const relativeBudget = (fallback: number): FieldSpec<number | undefined> => ({
  allowed: 'a percentage such as 5% or 0.5% (a bare number is ambiguous: is 5 meant as 5% or 500%?), or none',
  schema: orElse(
    fallback,
    z.union([
      z.literal('none').transform(() => undefined),
      z.string().regex(PERCENT).transform(percentToFraction).pipe(z.number())
    ])
  )
});

const usd = (positive: boolean): FieldSpec<number | undefined> => ({
  allowed: `empty (no budget), or ${positive ? 'a positive' : 'an'} amount of USD such as 12.5 or $12.5`,
  schema: orElse(
    undefined,
    z
      .string()
      .regex(USD)
      .transform(leadingNumber)
      .pipe(positive ? z.number().positive() : z.number().min(0))
  )
});

const choice = <const T extends readonly [string, ...string[]]>(
  fallback: T[number],
  values: T
): FieldSpec<T[number]> => ({
  allowed: values.join(', ').replace(/, ([^,]*)$/, ' or $1'),
  schema: orElse(fallback, z.enum(values))
});

/** Distinct MB sizes from 128 to 10240, separated by commas or spaces, sorted. */
export const memorySizeList = z.string().transform((raw, ctx) => {
  const list = raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  const valid =
    list.length > 0 &&
    list.every((m) => Number.isInteger(m) && m >= 128 && m <= 10240) &&
    new Set(list).size === list.length;
  if (!valid) ctx.addIssue({ code: 'custom', message: 'invalid memory sizes' });
  return [...list].sort((a, b) => a - b);
});

const text = z.string().transform((value) => (value === EMPTY ? undefined : value));

/** The schema of every gate input, keyed like {@link GateInputs}. */
export const gateFields = {
  // right-size is a mode of the action too, but main.ts sends it to the fleet code before the gate's inputs are read.
  mode: { ...choice('auto', ['auto', 'baseline', 'compare']), allowed: 'auto, baseline, compare or right-size' },
  comment: choice('always', ['always', 'on-change', 'never']),
  onInconclusive: choice('warn', ['warn', 'fail', 'pass']),
  sampling: choice('adaptive', ['adaptive', 'fixed']),
  failOnRegression: {
    allowed: 'true or false',
    schema: orElse(
      true,
      z.enum(['true', 'false']).transform((v) => v === 'true')
    )
  },
  maxCostIncrease: relativeBudget(DEFAULT_BUDGETS.maxCostIncrease),
  maxP99Increase: relativeBudget(DEFAULT_BUDGETS.maxP99Increase),
  maxErrorRate: {
    allowed: 'a percentage from 0% to 100% such as 1%, or a fraction below 1 such as 0.01',
    schema: orElse(
      DEFAULT_BUDGETS.maxErrorRate,
      z.union([
        z.string().regex(PERCENT).transform(percentToFraction).pipe(z.number().max(1)),
        z.string().regex(FRACTION).transform(Number)
      ])
    )
  },
  maxCostPerMillion: usd(true),
  maxMonthlyIncrease: usd(false),
  maxP99Ms: {
    allowed: 'empty (no budget), or a positive number of milliseconds such as 250 or 250ms',
    schema: orElse(undefined, z.string().regex(MILLISECONDS).transform(leadingNumber).pipe(z.number().positive()))
  },
  monthlyInvocations: {
    allowed:
      "empty, auto (read from the function's logs), or a whole number of invocations a month such as 1000000, 1,000,000 or 1e6",
    schema: orElse(
      undefined,
      z.union([
        z.literal('auto').transform((): MonthlyInvocations => ({ kind: 'auto' })),
        z
          .string()
          .regex(COUNT)
          .transform((raw) => Number(raw.replaceAll(',', '')))
          .pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER))
          .transform((perMonth): MonthlyInvocations => ({ kind: 'fixed', perMonth }))
      ])
    )
  },
  gateMemory: {
    allowed: 'current, all, or distinct whole numbers of MB from 128 to 10240 separated by commas (e.g. 512,1024)',
    schema: orElse(
      { kind: 'current' } as GateMemory,
      z.union([
        z.enum(['current', 'all']).transform((kind): GateMemory => ({ kind })),
        memorySizeList.transform((list): GateMemory => ({ kind: 'sizes', sizes: list }))
      ])
    )
  },
  gateInvocations: {
    allowed: 'a whole number from 1 to 10000, at least the invocations input',
    schema: orElse(undefined, z.string().regex(WHOLE).transform(Number).pipe(z.number().int().min(1).max(10_000)))
  },
  baselineArtifact: {
    allowed: 'an artifact name of at most 200 characters without " : < > | * ? \\ /',
    schema: orElse(DEFAULT_BASELINE_ARTIFACT, z.string().regex(ARTIFACT_NAME))
  },
  baselineQualifier: {
    allowed:
      'empty, or an alias or version number of the function such as live or 42 (not $LATEST, which the sweep changes)',
    schema: orElse(undefined, z.string().regex(QUALIFIER))
  },
  overrideLabel: {
    allowed: 'a label name of 1 to 50 characters on one line',
    schema: orElse(DEFAULT_OVERRIDE_LABEL, z.string().regex(/^[^\r\n]{1,50}$/))
  },
  text: { allowed: 'any text', schema: text }
} satisfies Record<string, FieldSpec<unknown>>;
