/**
 * Every input of a gate run, parsed once into {@link GateSettings}: the AWS settings, the run-wide
 * policy (mode, comment, what fails the step) and, for each function, its sweep, budgets and baseline.
 * The functions come from function-name, or from the YAML file config-file names. Nothing in AWS is
 * touched: a bad value fails before the first call.
 */
import type { Budgets } from '../compare/types.js';
import { InputError } from '../errors.js';
import { functionNameField, parseAwsInputs } from './config.js';
import { parseEntry, readConfigFile } from './config-file.js';
import { readField, type InputReader } from './field.js';
import {
  DEFAULT_GATE_INVOCATIONS,
  gateFields,
  type GateMemory,
  type MonthlyInvocations,
  type SamplingMode
} from './gate-fields.js';
import { GateInputs, Inputs } from './names.js';
import { parseSweepInputs, type SweepInputContext, type SweepSettings } from './sweep-inputs.js';
import { resolveTarget } from './target.js';

export type { GateMemory, MonthlyInvocations } from './gate-fields.js';

/** auto: baseline on a push to the default branch, compare on a pull request. */
export type GateMode = 'auto' | 'baseline' | 'compare';
export type CommentPolicy = 'always' | 'on-change' | 'never';
export type InconclusivePolicy = 'warn' | 'fail' | 'pass';

/** One gated function's settings. */
export interface FunctionSettings {
  /** Resolved (no qualifier), as {@link resolveTarget} gives it. */
  functionName: string;
  /** From the ARN, else aws-region; undefined leaves it to the SDK's chain. */
  region?: string;
  /** The sweep as memory-sizes etc. say (planGate adds the gated sizes); its run id is the run's. */
  sweep: SweepSettings;
  budgets: Budgets;
  gateMemory: GateMemory;
  /** The most measured invocations at each gated size (all of them with fixed sampling); at least the sweep's invocations. */
  gateInvocations: number;
  /** adaptive: look after each batch and stop once the gated sizes are decided; fixed: measure gateInvocations. */
  sampling: SamplingMode;
  baselineArtifact: string;
  baselineFile?: string;
  /** An alias or version measured side by side as the baseline; never $LATEST. */
  baselineQualifier?: string;
  monthlyInvocations?: MonthlyInvocations;
}

/** A whole gate run's settings. */
export interface GateSettings {
  aws: { endpointUrl?: string; region?: string; maxAttempts: number };
  mode: GateMode;
  comment: CommentPolicy;
  failOnRegression: boolean;
  onInconclusive: InconclusivePolicy;
  overrideLabel: string;
  githubToken?: string;
  reportDir?: string;
  /** One entry with function-name, one per entry of config-file otherwise; names are distinct. */
  functions: FunctionSettings[];
}

/** What parsing needs from outside: files (config-file, payloads) and a run id when none is given. */
export type GateInputContext = SweepInputContext;

/**
 * Reads and validates every input of a gate run.
 *
 * @example
 * ```ts
 * const settings = parseGateSettings((name) => core.getInput(name), {
 *   readFile: (path) => readFileSync(path, 'utf8'),
 *   newRunId: () => String(process.env.GITHUB_RUN_ID)
 * });
 * settings.functions[0]?.budgets.maxCostIncrease // 0.05 when max-cost-increase is empty
 * ```
 * @throws {@link InputError} for the first invalid input, naming it (or its place in config-file), the
 *   value and what is allowed
 */
export function parseGateSettings(read: InputReader, context: GateInputContext): GateSettings {
  const { endpointUrl, region, maxAttempts } = parseAwsInputs(read);
  const githubToken = readField(read, GateInputs.GithubToken, gateFields.text);
  const reportDir = readField(read, GateInputs.ReportDir, gateFields.text);
  // One id for the whole run, generated at most once, so every function's versions carry the same tag.
  let runId: string | undefined;
  const shared: GateInputContext = {
    ...context,
    newRunId: () => (runId ??= context.newRunId())
  };
  return {
    aws: { ...(endpointUrl ? { endpointUrl } : {}), ...(region ? { region } : {}), maxAttempts },
    mode: readField(read, GateInputs.Mode, gateFields.mode),
    comment: readField(read, GateInputs.Comment, gateFields.comment),
    failOnRegression: readField(read, GateInputs.FailOnRegression, gateFields.failOnRegression),
    onInconclusive: readField(read, GateInputs.OnInconclusive, gateFields.onInconclusive),
    overrideLabel: readField(read, GateInputs.OverrideLabel, gateFields.overrideLabel),
    ...(githubToken ? { githubToken } : {}),
    ...(reportDir ? { reportDir } : {}),
    functions: readFunctions(read, region, shared)
  };
}

/** The functions to gate: from function-name, or from config-file; exactly one of the two. */
function readFunctions(read: InputReader, region: string | undefined, context: GateInputContext): FunctionSettings[] {
  const configPath = readField(read, GateInputs.ConfigFile, gateFields.text);
  const name = read(Inputs.FunctionName).trim();
  if (configPath && name) {
    throw new InputError(
      Inputs.FunctionName,
      name,
      `empty when config-file is set ("${configPath}"): use one or the other, and list the function in the file`
    );
  }
  if (!configPath) {
    if (!name) {
      throw new InputError(
        Inputs.FunctionName,
        '',
        `${functionNameField.allowed}; or set config-file to a YAML file listing the functions (one of them is required)`
      );
    }
    return [parseFunction(read, region, context)];
  }
  const file = readConfigFile(configPath, context.readFile);
  const functions = file.functions.map((_, index) =>
    parseEntry(file, index, read, (entryRead) => parseFunction(entryRead, region, context))
  );
  rejectDuplicates(functions);
  return functions;
}

/** One function's settings, from whatever reader holds its inputs. */
function parseFunction(read: InputReader, awsRegion: string | undefined, context: GateInputContext): FunctionSettings {
  const target = resolveTarget(readField(read, Inputs.FunctionName, functionNameField), awsRegion);
  const region = target.region ?? awsRegion;
  const sweep = parseSweepInputs(read, target.functionName, context);
  if (region) sweep.options.region = region;
  const gateMemory = readField(read, GateInputs.GateMemory, gateFields.gateMemory);
  const baselineFile = readField(read, GateInputs.BaselineFile, gateFields.text);
  const baselineQualifier = readField(read, GateInputs.BaselineQualifier, gateFields.baselineQualifier);
  if (baselineQualifier && sweep.options.grid) {
    throw new InputError(
      GateInputs.BaselineQualifier,
      baselineQualifier,
      'empty when grid-env or architectures is set: a grid sweep is compared with a stored baseline'
    );
  }
  const budgets = readBudgets(read);
  const monthlyInvocations = readField(read, GateInputs.MonthlyInvocations, gateFields.monthlyInvocations);
  if (budgets.maxMonthlyIncreaseUsd !== undefined && !monthlyInvocations) {
    throw new InputError(
      GateInputs.MonthlyInvocations,
      '',
      `a whole number of invocations a month, or auto, since max-monthly-increase is set ("${read(GateInputs.MaxMonthlyIncrease).trim()}")`
    );
  }
  return {
    functionName: target.functionName,
    ...(region ? { region } : {}),
    sweep,
    budgets,
    gateMemory,
    gateInvocations: readGateInvocations(read, sweep.options.invocations),
    sampling: readField(read, GateInputs.Sampling, gateFields.sampling),
    baselineArtifact: readField(read, GateInputs.BaselineArtifact, gateFields.baselineArtifact),
    ...(baselineFile ? { baselineFile } : {}),
    ...(baselineQualifier ? { baselineQualifier } : {}),
    ...(monthlyInvocations ? { monthlyInvocations } : {})
  };
}

function readBudgets(read: InputReader): Budgets {
  const budgets: Budgets = { maxErrorRate: readField(read, GateInputs.MaxErrorRate, gateFields.maxErrorRate) };
  const optional = {
    maxCostIncrease: readField(read, GateInputs.MaxCostIncrease, gateFields.maxCostIncrease),
    maxP99Increase: readField(read, GateInputs.MaxP99Increase, gateFields.maxP99Increase),
    maxCostPerMillionUsd: readField(read, GateInputs.MaxCostPerMillion, gateFields.maxCostPerMillion),
    maxP99Ms: readField(read, GateInputs.MaxP99Ms, gateFields.maxP99Ms),
    maxMonthlyIncreaseUsd: readField(read, GateInputs.MaxMonthlyIncrease, gateFields.maxMonthlyIncrease)
  };
  // Unset budgets are left out rather than set to undefined: "no budget" has one shape.
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) budgets[key as keyof typeof optional] = value;
  }
  return budgets;
}

/** gate-invocations, at least invocations: the gated sizes are measured more, never less. */
function readGateInvocations(read: InputReader, invocations: number): number {
  const gateInvocations = readField(read, GateInputs.GateInvocations, gateFields.gateInvocations);
  if (gateInvocations === undefined) return Math.max(DEFAULT_GATE_INVOCATIONS, invocations);
  if (gateInvocations < invocations) {
    throw new InputError(
      GateInputs.GateInvocations,
      read(GateInputs.GateInvocations).trim(),
      `a whole number from ${invocations} (the invocations input) to 10000`
    );
  }
  return gateInvocations;
}

/** Two entries naming one function would race on its versions and overwrite each other's baseline. */
function rejectDuplicates(functions: FunctionSettings[]): void {
  const seen = new Map<string, number>();
  functions.forEach((fn, index) => {
    // A plain name and an ARN can name the same function: compare the bare name within its region.
    const key = `${fn.region ?? ''}/${fn.functionName.replace(/^.*:function:/, '')}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InputError(
        `${GateInputs.ConfigFile} functions[${index}].${Inputs.FunctionName}`,
        fn.functionName,
        `a function not listed before (functions[${first}] names the same function)`
      );
    }
    seen.set(key, index);
  });
}
