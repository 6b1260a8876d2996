/**
 * Names of the action's inputs and outputs, exactly as action.yml spells them (kebab-case).
 *
 * One place for them so a rename cannot leave a stale string behind in main.ts or the tests.
 */

/** Inputs declared in action.yml. */
export const Inputs = {
  FunctionName: 'function-name',
  EndpointUrl: 'endpoint-url',
  AwsRegion: 'aws-region',
  MaxAttempts: 'max-attempts'
} as const;

/**
 * The sweep's settings: flags of `lambda-cost-gate sweep` today, and action inputs of the same
 * names when the action runs sweeps.
 */
export const SweepInputs = {
  Code: 'code',
  S3Bucket: 's3-bucket',
  S3Key: 's3-key',
  S3ObjectVersion: 's3-object-version',
  MemorySizes: 'memory-sizes',
  Invocations: 'invocations',
  Warmup: 'warmup',
  Concurrency: 'concurrency',
  Payload: 'payload',
  PayloadFile: 'payload-file',
  PayloadsFile: 'payloads-file',
  IncludePayloads: 'include-payloads',
  JobsPerInvocation: 'jobs-per-invocation',
  DeployMode: 'deploy-mode',
  Strategy: 'strategy',
  BalancedWeight: 'balanced-weight',
  Confidence: 'confidence',
  RunId: 'run-id',
  PricePerGbSecond: 'price-per-gb-second',
  PricePerRequest: 'price-per-request'
} as const;

/** The name of one input. */
export type InputName = (typeof Inputs)[keyof typeof Inputs] | (typeof SweepInputs)[keyof typeof SweepInputs];

/** Outputs declared in action.yml. */
export const Outputs = {
  MemorySize: 'memory-size',
  Architecture: 'architecture'
} as const;

/** The name of one output. */
export type OutputName = (typeof Outputs)[keyof typeof Outputs];
