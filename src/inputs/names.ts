/**
 * Names of the action's inputs and outputs, exactly as action.yml spells them (kebab-case).
 *
 * One place for them so a rename cannot leave a stale string behind in main.ts or the tests.
 */

/** Inputs declared in action.yml: the function and how the AWS clients reach it. */
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
  PricePerRequest: 'price-per-request',
  GridEnv: 'grid-env',
  Architectures: 'architectures',
  GridMaxCells: 'grid-max-cells',
  NativeCodeArchitecture: 'native-code-architecture',
  Refine: 'refine'
} as const;

/** The gate's settings: what it compares with, the budgets, and what it does with the verdict. */
export const GateInputs = {
  Mode: 'mode',
  BaselineArtifact: 'baseline-artifact',
  BaselineFile: 'baseline-file',
  BaselineQualifier: 'baseline-qualifier',
  MaxCostIncrease: 'max-cost-increase',
  MaxP99Increase: 'max-p99-increase',
  MaxCostPerMillion: 'max-cost-per-million',
  MaxP99Ms: 'max-p99-ms',
  MaxErrorRate: 'max-error-rate',
  MaxMonthlyIncrease: 'max-monthly-increase',
  MonthlyInvocations: 'monthly-invocations',
  GateMemory: 'gate-memory',
  GateInvocations: 'gate-invocations',
  Sampling: 'sampling',
  Comment: 'comment',
  FailOnRegression: 'fail-on-regression',
  OnInconclusive: 'on-inconclusive',
  OverrideLabel: 'override-label',
  GithubToken: 'github-token',
  ConfigFile: 'config-file',
  ReportDir: 'report-dir'
} as const;

/** The name of one input. */
export type InputName =
  | (typeof Inputs)[keyof typeof Inputs]
  | (typeof SweepInputs)[keyof typeof SweepInputs]
  | (typeof GateInputs)[keyof typeof GateInputs];

/** Outputs declared in action.yml. */
export const ActionOutputs = {
  Verdict: 'verdict',
  RecommendedMemory: 'recommended-memory',
  CostPerMillion: 'cost-per-million',
  P99Ms: 'p99-ms',
  CostChangePercent: 'cost-change-percent',
  P99ChangePercent: 'p99-change-percent',
  ReportPath: 'report-path',
  CommentUrl: 'comment-url'
} as const;

/** Every output main.ts sets: exactly those action.yml declares. */
export const Outputs = ActionOutputs;

/** The name of one output. */
export type OutputName = (typeof Outputs)[keyof typeof Outputs];
