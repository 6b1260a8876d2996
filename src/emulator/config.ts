/**
 * The emulator's configuration file (JSON): account settings, functions to create at start (real
 * code from a folder or zip, or a model), and fault rules.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { LambdaCostGateError } from '../errors.js';
import { faultRulesSchema } from './faults.js';
import { RUNTIMES } from './lambda/validation.js';

const functionSchema = z
  .strictObject({
    name: z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/, 'a function name: 1–64 letters, digits, - or _'),
    /** A folder or a .zip file with the handler; relative to the config file. */
    code: z.string().min(1).optional(),
    /** A duration/memory model instead of code (see src/emulator/model/schema.ts). */
    model: z.record(z.string(), z.unknown()).optional(),
    handler: z.string().min(1).default('index.handler'),
    runtime: z.enum(RUNTIMES).default('nodejs20.x'),
    memorySize: z.number().int().min(128).max(10240).default(128),
    timeout: z.number().int().min(1).max(900).default(3),
    environment: z.record(z.string(), z.string()).default({}),
    architecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
    logFormat: z.enum(['Text', 'JSON']).default('Text'),
    description: z.string().max(256).default(''),
    reservedConcurrency: z.number().int().min(0).optional(),
    tags: z.record(z.string(), z.string()).default({})
  })
  .refine((fn) => (fn.code === undefined) !== (fn.model === undefined), {
    message: 'give exactly one of "code" (a folder or .zip) or "model"'
  });
export type EmulatorFunctionConfig = z.infer<typeof functionSchema>;

export const emulatorConfigSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(0),
  /** Loopback only by default: the emulator runs code it is sent. */
  host: z.string().default('127.0.0.1'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1')
    .default('us-east-1'),
  accountId: z
    .string()
    .regex(/^\d{12}$/, '12 digits')
    .default('123456789012'),
  /** How long UpdateFunctionConfiguration/Code and PublishVersion stay InProgress/Pending. */
  updateDelayMs: z.number().int().min(0).max(600_000).default(200),
  /** The account's concurrent executions limit. */
  accountConcurrency: z.number().int().min(1).max(100_000).default(1000),
  /** The largest memory size the account may use (new accounts may be held at 3,008 MB). */
  memoryQuotaMb: z.number().int().min(128).max(10240).default(10240),
  /** Local folder that stands in for S3: `s3Dir/<bucket>/<key>`. Relative to the config file. */
  s3Dir: z.string().optional(),
  /** How long a Logs Insights query stays Running. */
  queryLatencyMs: z.number().int().min(0).max(600_000).default(0),
  maxConcurrentQueries: z.number().int().min(1).max(1000).default(30),
  functions: z.array(functionSchema).default([]),
  faults: faultRulesSchema.default([]),
  seed: z.number().int().default(1)
});
export type EmulatorConfig = z.infer<typeof emulatorConfigSchema>;
export type EmulatorConfigInput = z.input<typeof emulatorConfigSchema>;

export class EmulatorConfigError extends LambdaCostGateError {}

/** Validates a configuration object; paths in it are taken relative to `baseDir`. */
export function parseEmulatorConfig(
  value: unknown,
  baseDir = process.cwd(),
  source = 'emulator config'
): EmulatorConfig {
  const result = emulatorConfigSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new EmulatorConfigError(`Invalid ${source}: ${problems.join('; ')}`);
  }
  const config = result.data;
  return {
    ...config,
    ...(config.s3Dir ? { s3Dir: resolve(baseDir, config.s3Dir) } : {}),
    functions: config.functions.map((fn) => (fn.code ? { ...fn, code: resolve(baseDir, fn.code) } : fn))
  };
}

/** Reads a JSON config file; errors name the file. */
export function loadEmulatorConfig(path: string): EmulatorConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EmulatorConfigError(`Could not read the emulator config file ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EmulatorConfigError(`The emulator config file ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error
    });
  }
  return parseEmulatorConfig(json, dirname(resolve(path)), `emulator config file ${path}`);
}
