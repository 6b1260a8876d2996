/**
 * Turns validated CreateFunction / UpdateFunctionConfiguration input into the settings a version
 * freezes, applying Lambda's defaults and the account's memory quota.
 */
import { invalidParameter } from '../http/aws-error.js';
import type { FunctionSettings } from './records.js';
import type { CreateFunctionInput, UpdateConfigurationInput } from './validation.js';

export function defaultLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Settings of a new function: Lambda's defaults (128 MB, 3 s, x86_64, 512 MB /tmp, Text logs). */
export function newSettings(input: CreateFunctionInput, memoryQuotaMb: number): FunctionSettings {
  if (!input.Runtime || !input.Handler) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.'
    );
  }
  const settings: FunctionSettings = {
    runtime: input.Runtime,
    role: input.Role,
    handler: input.Handler,
    description: input.Description ?? '',
    timeout: input.Timeout ?? 3,
    memorySize: input.MemorySize ?? 128,
    environment: input.Environment?.Variables ?? {},
    architecture: input.Architectures?.[0] ?? 'x86_64',
    ephemeralStorage: input.EphemeralStorage?.Size ?? 512,
    logFormat: input.LoggingConfig?.LogFormat ?? 'Text',
    logGroup: input.LoggingConfig?.LogGroup ?? defaultLogGroup(input.FunctionName),
    layers: input.Layers ?? [],
    tracingMode: input.TracingConfig?.Mode ?? 'PassThrough'
  };
  if (input.LoggingConfig?.ApplicationLogLevel) settings.applicationLogLevel = input.LoggingConfig.ApplicationLogLevel;
  if (input.LoggingConfig?.SystemLogLevel) settings.systemLogLevel = input.LoggingConfig.SystemLogLevel;
  if (input.VpcConfig) settings.vpc = input.VpcConfig;
  checkQuota(settings.memorySize, memoryQuotaMb);
  return settings;
}

/** Only the members the request names change; the rest of `$LATEST` stays as it is. */
export function changedSettings(input: UpdateConfigurationInput, memoryQuotaMb: number): Partial<FunctionSettings> {
  const change: Partial<FunctionSettings> = {};
  if (input.Runtime !== undefined) change.runtime = input.Runtime;
  if (input.Role !== undefined) change.role = input.Role;
  if (input.Handler !== undefined) change.handler = input.Handler;
  if (input.Description !== undefined) change.description = input.Description;
  if (input.Timeout !== undefined) change.timeout = input.Timeout;
  if (input.MemorySize !== undefined) {
    checkQuota(input.MemorySize, memoryQuotaMb);
    change.memorySize = input.MemorySize;
  }
  if (input.Environment !== undefined) change.environment = input.Environment.Variables ?? {};
  if (input.EphemeralStorage !== undefined) change.ephemeralStorage = input.EphemeralStorage.Size;
  if (input.Layers !== undefined) change.layers = input.Layers;
  if (input.VpcConfig !== undefined) change.vpc = input.VpcConfig;
  if (input.TracingConfig?.Mode !== undefined) change.tracingMode = input.TracingConfig.Mode;
  const logging = input.LoggingConfig;
  if (logging?.LogFormat !== undefined) change.logFormat = logging.LogFormat;
  if (logging?.LogGroup !== undefined) change.logGroup = logging.LogGroup;
  if (logging?.ApplicationLogLevel !== undefined) change.applicationLogLevel = logging.ApplicationLogLevel;
  if (logging?.SystemLogLevel !== undefined) change.systemLogLevel = logging.SystemLogLevel;
  return change;
}

/** New accounts may be held below 10,240 MB; Lambda answers with this message then. */
function checkQuota(memorySize: number, memoryQuotaMb: number): void {
  if (memorySize > memoryQuotaMb) {
    throw invalidParameter(
      `'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to ${memoryQuotaMb}`
    );
  }
}
