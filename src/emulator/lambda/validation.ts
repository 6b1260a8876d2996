/**
 * Request validation that mirrors Lambda: the same limits, and AWS's own wording
 * ("1 validation error detected: Value '100' at 'memorySize' failed to satisfy constraint: …").
 */
import { z } from 'zod';
import { AwsError } from '../http/aws-error.js';

export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10240;
export const MAX_TIMEOUT_SEC = 900;

/** Runtimes Lambda accepts today; the emulator runs the `nodejs*` ones and models the rest. */
export const RUNTIMES = [
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'java11',
  'java17',
  'java21',
  'java25',
  'dotnet8',
  'dotnet10',
  'ruby3.3',
  'ruby3.4',
  'provided.al2',
  'provided.al2023'
] as const;

const min = (n: number) => `Member must have value greater than or equal to ${n}`;
const max = (n: number) => `Member must have value less than or equal to ${n}`;
const lengthAtMost = (n: number) => `Member must have length less than or equal to ${n}`;

const functionNamePattern =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

const memorySize = z.number().int().min(MIN_MEMORY_MB, min(MIN_MEMORY_MB)).max(MAX_MEMORY_MB, max(MAX_MEMORY_MB));
const timeout = z.number().int().min(1, min(1)).max(MAX_TIMEOUT_SEC, max(MAX_TIMEOUT_SEC));
const description = z.string().max(256, lengthAtMost(256));
const runtime = z.enum(RUNTIMES, `Member must satisfy enum value set: [${RUNTIMES.join(', ')}]`);
const handler = z
  .string()
  .max(128, lengthAtMost(128))
  .regex(/^[^\s]+$/, 'Member must satisfy regular expression pattern: [^\\s]+');
const environment = z.object({ Variables: z.record(z.string(), z.string()).optional() });
const architectures = z
  .array(z.enum(['x86_64', 'arm64'], 'Member must satisfy enum value set: [x86_64, arm64]'))
  .length(1, 'Member must have length less than or equal to 1');
const ephemeralStorage = z.object({ Size: z.number().int().min(512, min(512)).max(10240, max(10240)) });
const loggingConfig = z.object({
  LogFormat: z.enum(['Text', 'JSON'], 'Member must satisfy enum value set: [Text, JSON]').optional(),
  LogGroup: z.string().min(1).max(512, lengthAtMost(512)).optional(),
  ApplicationLogLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']).optional(),
  SystemLogLevel: z.enum(['DEBUG', 'INFO', 'WARN']).optional()
});
const settingsFields = {
  Runtime: runtime.optional(),
  Role: z.string().optional(),
  Handler: handler.optional(),
  Description: description.optional(),
  Timeout: timeout.optional(),
  MemorySize: memorySize.optional(),
  Environment: environment.optional(),
  EphemeralStorage: ephemeralStorage.optional(),
  LoggingConfig: loggingConfig.optional(),
  Layers: z.array(z.string()).optional(),
  VpcConfig: z
    .object({ SubnetIds: z.array(z.string()).optional(), SecurityGroupIds: z.array(z.string()).optional() })
    .optional(),
  TracingConfig: z.object({ Mode: z.enum(['Active', 'PassThrough']).optional() }).optional(),
  RevisionId: z.string().optional()
};

export const createFunctionSchema = z.object({
  ...settingsFields,
  FunctionName: z
    .string()
    .min(1)
    .max(64, lengthAtMost(64))
    .regex(/^[a-zA-Z0-9-_]+$/, 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+'),
  Role: z
    .string()
    .regex(
      /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/,
      'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+'
    ),
  Code: z.object({
    ZipFile: z.string().optional(),
    S3Bucket: z.string().optional(),
    S3Key: z.string().optional(),
    S3ObjectVersion: z.string().optional(),
    ImageUri: z.string().optional()
  }),
  Publish: z.boolean().optional(),
  PackageType: z.enum(['Zip', 'Image']).optional(),
  Architectures: architectures.optional(),
  Tags: z.record(z.string(), z.string()).optional()
});
export type CreateFunctionInput = z.infer<typeof createFunctionSchema>;

export const updateConfigurationSchema = z.object(settingsFields);
export type UpdateConfigurationInput = z.infer<typeof updateConfigurationSchema>;

export const updateCodeSchema = z.object({
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  S3ObjectVersion: z.string().optional(),
  ImageUri: z.string().optional(),
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
  Architectures: architectures.optional()
});
export type UpdateCodeInput = z.infer<typeof updateCodeSchema>;

export const publishVersionSchema = z.object({
  CodeSha256: z.string().optional(),
  Description: description.optional(),
  RevisionId: z.string().optional()
});

export const aliasSchema = z.object({
  Name: z
    .string()
    .min(1)
    .max(128, lengthAtMost(128))
    .regex(
      /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/,
      'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)'
    )
    .optional(),
  FunctionVersion: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^(\$LATEST|[0-9]+)$/, 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)')
    .optional(),
  Description: description.optional(),
  RoutingConfig: z
    .object({ AdditionalVersionWeights: z.record(z.string(), z.number().min(0).max(1)).optional() })
    .optional(),
  RevisionId: z.string().optional()
});
export type AliasInput = z.infer<typeof aliasSchema>;

export const concurrencySchema = z.object({
  ReservedConcurrentExecutions: z.number().int().min(0, min(0))
});

export const tagsSchema = z.object({ Tags: z.record(z.string(), z.string()) });

/**
 * Parses a request body with a schema and turns failures into AWS's ValidationException text,
 * naming each member in lower camel case as Lambda does.
 */
export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const member = issue.path.map((part) => lowerFirst(String(part))).join('.');
    const value = valueAt(body, issue.path);
    const shown = value === undefined ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return `Value '${shown}' at '${member}' failed to satisfy constraint: ${issue.message}`;
  });
  const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
  throw new AwsError('ValidationException', `${count} detected: ${problems.join('; ')}`, 400);
}

/** Splits a FunctionName that may be a name, a partial ARN or a full ARN, with an optional qualifier. */
export function parseFunctionName(raw: string): { name: string; qualifier?: string; region?: string } {
  const match = functionNamePattern.exec(raw);
  if (!match || raw.length > 170 || !match[7]) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${functionNamePattern.source}`,
      400
    );
  }
  const region = match[3]?.slice(0, -1);
  return { name: match[7], ...(match[9] ? { qualifier: match[9] } : {}), ...(region ? { region } : {}) };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = body;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
