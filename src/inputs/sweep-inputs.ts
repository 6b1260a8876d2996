/**
 * The sweep's inputs, parsed once into {@link SweepOptions}: the same names as action inputs and
 * as `lambda-cost-gate sweep` flags. Everything is checked before anything in AWS is touched.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseJobsPath } from '../sweep/jobs.js';
import { readGridOptions } from './grid-inputs.js';
import { DEFAULT_MEMORY_SIZES } from '../sweep/plan.js';
import type { CandidateCode, JobsPerInvocation, SweepOptions, WeightedPayload } from '../sweep/types.js';
import { EMPTY, readField, type InputReader } from './field.js';
import { memorySizeList } from './gate-fields.js';
import { SweepInputs as Inputs } from './names.js';

/** Lambda's synchronous payload limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Extra settings a sweep needs besides {@link SweepOptions}. */
export interface SweepSettings {
  options: SweepOptions;
  confidence: number;
  includePayloads: boolean;
  priceOverrides: { gbSecondUsd?: number; requestUsd?: number };
}

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.union([
    z.literal(EMPTY).transform(() => fallback),
    z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max))
  ]);
const share = (fallback: number, min = 0, max = 1) =>
  z.union([
    z.literal(EMPTY).transform(() => fallback),
    z
      .string()
      .regex(/^\d*\.?\d+$/)
      .transform(Number)
      .pipe(z.number().min(min).max(max))
  ]);
const price = z.union([
  z.literal(EMPTY).transform(() => undefined),
  z
    .string()
    .regex(/^\d*\.?\d+(e-?\d+)?$/i)
    .transform(Number)
    .pipe(z.number().positive())
]);
const optionalText = z.string().transform((value) => (value === EMPTY ? undefined : value));

// The same list gate-memory takes; empty here means the default sizes.
const memorySizes = z.union([z.literal(EMPTY).transform(() => [...DEFAULT_MEMORY_SIZES]), memorySizeList]);

const fields = {
  memorySizes: {
    allowed: 'distinct whole numbers of MB from 128 to 10240, separated by commas (e.g. 128,512,1024)',
    schema: memorySizes
  },
  invocations: { allowed: 'a whole number from 1 to 10000', schema: wholeNumber(1, 10_000, 50) },
  warmup: { allowed: 'a whole number from 0 to 100', schema: wholeNumber(0, 100, 2) },
  concurrency: { allowed: 'a whole number from 1 to 200', schema: wholeNumber(1, 200, 5) },
  deployMode: {
    allowed: 'in-place or temporary-copy',
    schema: z.union([z.literal(EMPTY).transform(() => 'in-place' as const), z.enum(['in-place', 'temporary-copy'])])
  },
  strategy: {
    allowed: 'cost, speed or balanced',
    schema: z.union([z.literal(EMPTY).transform(() => 'balanced' as const), z.enum(['cost', 'speed', 'balanced'])])
  },
  balancedWeight: { allowed: 'a number from 0 (speed only) to 1 (cost only)', schema: share(0.5) },
  confidence: { allowed: 'a number from 0.5 to 0.999', schema: share(0.95, 0.5, 0.999) },
  trueOrFalse: {
    allowed: 'true or false',
    schema: z.union([z.literal(EMPTY).transform(() => false), z.enum(['true', 'false']).transform((v) => v === 'true')])
  },
  runId: {
    allowed: 'up to 40 letters, digits, - or _',
    schema: z.union([z.literal(EMPTY).transform(() => undefined), z.string().regex(/^[A-Za-z0-9_-]{1,40}$/)])
  },
  price: { allowed: 'empty, or a positive number of USD such as 0.0000166667', schema: price },
  text: { allowed: 'any text', schema: optionalText }
};

export interface SweepInputContext {
  readFile: (path: string) => string;
  /** Makes a run id when none is given (e.g. from the workflow run id, or random). */
  newRunId: () => string;
  /** Checks the candidate code before AWS is touched (see candidate-code.ts); absent in unit tests of parsing. */
  checkCode?: (code: CandidateCode) => void;
}

/**
 * Reads and validates every sweep input.
 *
 * @example
 * parseSweepInputs((name) => core.getInput(name), { readFile, newRunId })
 * @throws {@link InputError} for the first input that is invalid, naming it, the value and what is allowed
 */
export function parseSweepInputs(read: InputReader, functionName: string, context: SweepInputContext): SweepSettings {
  const options: SweepOptions = {
    functionName,
    memorySizes: readField(read, Inputs.MemorySizes, fields.memorySizes),
    invocations: readField(read, Inputs.Invocations, fields.invocations),
    warmup: readField(read, Inputs.Warmup, fields.warmup),
    concurrency: readField(read, Inputs.Concurrency, fields.concurrency),
    payloads: readPayloads(read, context),
    mode: readField(read, Inputs.DeployMode, fields.deployMode),
    strategy: readField(read, Inputs.Strategy, fields.strategy),
    balancedWeight: readField(read, Inputs.BalancedWeight, fields.balancedWeight),
    runId: readField(read, Inputs.RunId, fields.runId) ?? context.newRunId()
  };
  const code = readCode(read);
  if (code) {
    context.checkCode?.(code);
    options.code = code;
  }
  const jobs = readJobs(read);
  if (jobs) options.jobsPerInvocation = jobs;
  const grid = readGridOptions(read);
  if (grid) options.grid = grid;
  if (readField(read, Inputs.Refine, fields.trueOrFalse)) options.refine = true;
  const gbSecondUsd = readField(read, Inputs.PricePerGbSecond, fields.price);
  const requestUsd = readField(read, Inputs.PricePerRequest, fields.price);
  return {
    options,
    confidence: readField(read, Inputs.Confidence, fields.confidence),
    includePayloads: readField(read, Inputs.IncludePayloads, fields.trueOrFalse),
    priceOverrides: { ...(gbSecondUsd ? { gbSecondUsd } : {}), ...(requestUsd ? { requestUsd } : {}) }
  };
}

function readCode(read: InputReader): CandidateCode | undefined {
  const path = readField(read, Inputs.Code, fields.text);
  const bucket = readField(read, Inputs.S3Bucket, fields.text);
  const key = readField(read, Inputs.S3Key, fields.text);
  const objectVersion = readField(read, Inputs.S3ObjectVersion, fields.text);
  if (path && (bucket || key)) {
    throw new InputError(
      Inputs.Code,
      path,
      `either code or s3-bucket with s3-key, not both (s3-bucket is "${bucket ?? ''}")`
    );
  }
  if (path) return /\.zip$/i.test(path) ? { kind: 'zip', path } : { kind: 'directory', path };
  if (!bucket && !key) return undefined;
  if (!bucket) throw new InputError(Inputs.S3Bucket, '', `a bucket name, since s3-key is set ("${key}")`);
  if (!key) throw new InputError(Inputs.S3Key, '', `an object key, since s3-bucket is set ("${bucket}")`);
  return { kind: 's3', bucket, key, ...(objectVersion ? { objectVersion } : {}) };
}

function readJobs(read: InputReader): JobsPerInvocation | undefined {
  const raw = read(Inputs.JobsPerInvocation).trim();
  if (raw === EMPTY) return undefined;
  if (/^\d+$/.test(raw) && Number(raw) >= 1) return { kind: 'fixed', count: Number(raw) };
  if (raw.startsWith('$')) {
    try {
      parseJobsPath(raw);
    } catch (error) {
      throw new InputError(Inputs.JobsPerInvocation, raw, 'a whole number ≥ 1, or a JSON path such as $.jobs', {
        cause: error
      });
    }
    return { kind: 'response-path', path: raw };
  }
  throw new InputError(
    Inputs.JobsPerInvocation,
    raw,
    'a whole number ≥ 1, or a JSON path into the response such as $.jobs'
  );
}

/** One payload (inline or from a file), or weighted payloads from a file; never more than one source. */
function readPayloads(read: InputReader, context: SweepInputContext): WeightedPayload[] {
  const inline = read(Inputs.Payload).trim();
  const file = read(Inputs.PayloadFile).trim();
  const weighted = read(Inputs.PayloadsFile).trim();
  const given = [inline, file, weighted].filter((value) => value !== EMPTY).length;
  if (given > 1) {
    throw new InputError(Inputs.Payload, inline || file, 'only one of payload, payload-file and payloads-file');
  }
  if (weighted) return weightedPayloads(weighted, readText(Inputs.PayloadsFile, weighted, context));
  if (file)
    return [{ json: checkedJson(Inputs.PayloadFile, file, readText(Inputs.PayloadFile, file, context)), weight: 1 }];
  const text = inline || '{}';
  // Payloads may hold data that must not reach logs: errors describe them, never quote them.
  return [
    { json: checkedJson(Inputs.Payload, `(inline payload of ${Buffer.byteLength(text)} bytes)`, text), weight: 1 }
  ];
}

function weightedPayloads(path: string, text: string): WeightedPayload[] {
  const schema = z
    .array(z.object({ payload: z.unknown(), weight: z.number().positive().max(1_000_000).default(1) }))
    .min(1)
    .max(100);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(Inputs.PayloadsFile, path, 'a JSON file holding [{ "payload": …, "weight": 2 }, …]');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new InputError(
      Inputs.PayloadsFile,
      path,
      'a JSON array of 1 to 100 { "payload": …, "weight": a positive number }'
    );
  }
  return result.data.map((entry) => ({
    json: checkedJson(Inputs.PayloadsFile, path, JSON.stringify(entry.payload ?? null)),
    weight: entry.weight
  }));
}

function readText(
  input: typeof Inputs.PayloadFile | typeof Inputs.PayloadsFile,
  path: string,
  context: SweepInputContext
): string {
  try {
    return context.readFile(path);
  } catch (error) {
    throw new InputError(input, path, 'a readable file', { cause: error });
  }
}

/** Valid JSON of at most 6 MB; the error shows `shown` (a path, or the inline text), not file contents. */
function checkedJson(input: string, shown: string, text: string): string {
  try {
    JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, so it is not passed on.
    throw new InputError(input, shown, 'valid JSON');
  }
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    throw new InputError(
      input,
      shown,
      `a payload of at most ${MAX_PAYLOAD_BYTES} bytes (Lambda's limit for synchronous calls)`
    );
  }
  return text;
}
