/**
 * The emulator's function records and how they are shown on the wire (FunctionConfiguration).
 */
import type { StoredCode } from './code.js';

/** The part of a function's configuration that a version freezes. */
export interface FunctionSettings {
  runtime: string;
  role: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  architecture: 'x86_64' | 'arm64';
  ephemeralStorage: number;
  logFormat: 'Text' | 'JSON';
  logGroup: string;
  applicationLogLevel?: string;
  systemLogLevel?: string;
  layers: string[];
  vpc?: { SubnetIds?: string[]; SecurityGroupIds?: string[] };
  tracingMode: 'Active' | 'PassThrough';
}

export type UpdateStatus = 'InProgress' | 'Successful' | 'Failed';
export type FunctionState = 'Pending' | 'Active' | 'Inactive' | 'Failed';

/** `$LATEST` or a published version. */
export interface VersionRecord {
  version: string;
  settings: FunctionSettings;
  code: StoredCode;
  revisionId: string;
  lastModified: Date;
  state: FunctionState;
  /** When a Pending state or an InProgress update completes (epoch ms). */
  settlesAt: number;
  lastUpdateStatus: UpdateStatus;
  /** The reason an update will fail when it settles, or has failed. */
  failureReason?: string;
  /** Identity of the code and configuration, to tell whether a publish would change anything. */
  snapshot: string;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  weights: Record<string, number>;
  revisionId: string;
}

export interface FunctionRecord {
  name: string;
  arn: string;
  latest: VersionRecord;
  versions: Map<string, VersionRecord>;
  /** Version numbers are never reused, even after a version is deleted. */
  lastVersion: number;
  aliases: Map<string, AliasRecord>;
  tags: Record<string, string>;
  reservedConcurrency?: number;
}

/** Lambda's timestamp format: `2024-01-31T12:00:00.000+0000`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export function snapshotOf(settings: FunctionSettings, code: StoredCode): string {
  return JSON.stringify({ settings, code: code.sha256 });
}

/** The FunctionConfiguration shape that GetFunctionConfiguration and friends return. */
export function renderConfiguration(
  fn: FunctionRecord,
  record: VersionRecord,
  /** ListVersionsByFunction names $LATEST with its qualifier; the Get operations do not. */
  qualifyLatest = false
): Record<string, unknown> {
  const s = record.settings;
  // Lambda shows $LATEST under the unqualified ARN, and versions under a qualified one.
  const arn = record.version === '$LATEST' && !qualifyLatest ? fn.arn : `${fn.arn}:${record.version}`;
  const updating = record.lastUpdateStatus === 'InProgress';
  const failed = record.lastUpdateStatus === 'Failed';
  return {
    FunctionName: fn.name,
    FunctionArn: arn,
    Runtime: s.runtime,
    Role: s.role,
    Handler: s.handler,
    CodeSize: record.code.size,
    Description: s.description,
    Timeout: s.timeout,
    MemorySize: s.memorySize,
    LastModified: formatTimestamp(record.lastModified),
    CodeSha256: record.code.sha256,
    Version: record.version,
    ...(Object.keys(s.environment).length > 0 ? { Environment: { Variables: s.environment } } : {}),
    TracingConfig: { Mode: s.tracingMode },
    RevisionId: record.revisionId,
    Layers: s.layers.map((layerArn) => ({ Arn: layerArn, CodeSize: 0 })),
    State: record.state,
    ...(record.state === 'Pending'
      ? { StateReason: 'The function is being created.', StateReasonCode: 'Creating' }
      : {}),
    LastUpdateStatus: record.lastUpdateStatus,
    ...(updating
      ? { LastUpdateStatusReason: 'The function is being updated.', LastUpdateStatusReasonCode: 'InProgress' }
      : {}),
    ...(failed ? { LastUpdateStatusReason: record.failureReason, LastUpdateStatusReasonCode: 'InternalError' } : {}),
    PackageType: 'Zip',
    Architectures: [s.architecture],
    EphemeralStorage: { Size: s.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: {
      LogFormat: s.logFormat,
      LogGroup: s.logGroup,
      ...(s.applicationLogLevel ? { ApplicationLogLevel: s.applicationLogLevel } : {}),
      ...(s.systemLogLevel ? { SystemLogLevel: s.systemLogLevel } : {})
    },
    ...(s.vpc ? { VpcConfig: { ...s.vpc, VpcId: 'vpc-emulated' } } : {})
  };
}

export function renderAlias(fn: FunctionRecord, alias: AliasRecord): Record<string, unknown> {
  return {
    AliasArn: `${fn.arn}:${alias.name}`,
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(Object.keys(alias.weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: alias.weights } } : {}),
    RevisionId: alias.revisionId
  };
}
