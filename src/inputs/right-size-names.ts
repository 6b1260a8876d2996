/**
 * Names of the inputs and outputs of `mode: right-size` (and the flags of `lambda-cost-gate right-size`),
 * exactly as action.yml is to spell them (kebab-case). Kept apart from names.ts so the fleet mode can
 * be added without touching the gate's names.
 *
 * The mode also reads shared inputs declared in names.ts: `aws-region`, `endpoint-url`, `max-attempts`,
 * `price-per-gb-second`, `price-per-request`.
 */
import type { InputName } from './names.js';

/** The inputs only `mode: right-size` reads. */
export const RightSizeInputs = {
  Functions: 'functions',
  FunctionPrefix: 'function-prefix',
  FunctionTags: 'function-tags',
  AllFunctions: 'all-functions',
  LookbackDays: 'lookback-days',
  MemoryBuffer: 'memory-buffer',
  PeakMargin: 'peak-margin',
  MemoryStep: 'memory-step',
  MinInvocations: 'min-invocations',
  MinDays: 'min-days',
  MaxConcurrentQueries: 'max-concurrent-queries',
  QueryTimeoutSeconds: 'query-timeout-seconds',
  SweepReports: 'sweep-reports',
  Apply: 'apply',
  ApplyMaxStep: 'apply-max-step',
  ApplyMinMemory: 'apply-min-memory',
  ApplyAllow: 'apply-allow',
  ControlPlaneRate: 'control-plane-rate'
} as const;

/** The name of one right-size input, or of a shared input it reads. */
export type RightSizeInputName = (typeof RightSizeInputs)[keyof typeof RightSizeInputs] | InputName;

/** Reads one raw input by name: `core.getInput` in the action, a CLI flag, a map in tests. */
export type RightSizeInputReader = (name: RightSizeInputName) => string;

/** The outputs `mode: right-size` sets: the fleet's totals. */
export const RightSizeOutputs = {
  FunctionsAnalysed: 'functions-analysed',
  AtRisk: 'at-risk-count',
  OverProvisioned: 'over-provisioned-count',
  MonthlyCostNow: 'monthly-cost-now',
  MonthlyCostRecommended: 'monthly-cost-recommended',
  MonthlySavings: 'monthly-savings',
  AppliedCount: 'applied-count'
} as const;

/** The name of one right-size output. */
export type RightSizeOutputName = (typeof RightSizeOutputs)[keyof typeof RightSizeOutputs];
