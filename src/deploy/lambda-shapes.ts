/**
 * Lambda's wire shapes ↔ the sweep's types, kept apart from the adapter so that it stays about calls,
 * waits and errors. Structural types only: the SDK is imported by the adapter alone, and its
 * FunctionConfiguration fits {@link ConfigurationShape}.
 */
import type { CandidateCode, FunctionState } from '../sweep/types.js';
import type { ZipUpload } from './code.js';

/** The part of Lambda's FunctionConfiguration the sweep reads. */
export interface ConfigurationShape {
  FunctionName?: string;
  FunctionArn?: string;
  Runtime?: string;
  Handler?: string;
  Role?: string;
  MemorySize?: number;
  Timeout?: number;
  Description?: string;
  CodeSha256?: string;
  RevisionId?: string;
  Architectures?: string[];
  Environment?: { Variables?: Record<string, string> };
  Layers?: Array<{ Arn?: string }>;
  EphemeralStorage?: { Size?: number };
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[] };
  LoggingConfig?: { LogGroup?: string; LogFormat?: string };
  PackageType?: string;
  LastUpdateStatus?: string;
  State?: string;
}

/** Where CreateFunction / UpdateFunctionCode take the code from. */
export interface CodeInput {
  ZipFile?: Uint8Array;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
}

/** The code members of a request: the zip's bytes, or the S3 object Lambda fetches itself. */
export function codeInput(
  code: CandidateCode | { kind: 'zip-bytes'; bytes: Uint8Array },
  zip: ZipUpload | undefined
): CodeInput {
  if (code.kind === 'zip-bytes') return { ZipFile: code.bytes };
  if (code.kind === 's3') {
    return {
      S3Bucket: code.bucket,
      S3Key: code.key,
      ...(code.objectVersion ? { S3ObjectVersion: code.objectVersion } : {})
    };
  }
  return zip ? { ZipFile: zip.bytes } : {};
}

/** CreateFunction input for a copy: the source's configuration, its own name, log group and tags. */
export function copyRequest(name: string, source: FunctionState, code: CodeInput, tags: Record<string, string>) {
  // A source on its default log group gets a copy on the copy's own default group, so the copy's
  // REPORT lines are not mixed into the real function's logs; a custom group is kept (the role can write it).
  const customGroup = source.logGroup !== `/aws/lambda/${source.name}`;
  return {
    FunctionName: name,
    Role: source.role,
    Handler: source.handler,
    Description: `lambda-cost-gate temporary copy of ${source.name}`,
    Code: code,
    PackageType: 'Zip' as const,
    Architectures: [source.architecture],
    Timeout: source.timeout,
    MemorySize: source.memorySize,
    EphemeralStorage: { Size: source.ephemeralStorageMb },
    Environment: { Variables: source.environment },
    Layers: source.layers,
    ...(source.vpc
      ? { VpcConfig: { SubnetIds: source.vpc.subnetIds, SecurityGroupIds: source.vpc.securityGroupIds } }
      : {}),
    LoggingConfig: { LogFormat: source.logFormat, ...(customGroup ? { LogGroup: source.logGroup } : {}) },
    Tags: tags,
    Publish: false
  };
}

/** GetFunction's Configuration in the shape the sweep uses, with Lambda's defaults filled in. */
export function toFunctionState(c: ConfigurationShape, requested: string): FunctionState {
  const name = c.FunctionName ?? requested;
  // A version's ARN ends in `:<version>`; FunctionState holds the unqualified one.
  const arn = (c.FunctionArn ?? '').split(':').slice(0, 7).join(':');
  const subnets = c.VpcConfig?.SubnetIds ?? [];
  return {
    name,
    arn,
    region: arn.split(':')[3] ?? '',
    runtime: c.Runtime ?? '',
    handler: c.Handler ?? '',
    role: c.Role ?? '',
    memorySize: c.MemorySize ?? 128,
    timeout: c.Timeout ?? 3,
    description: c.Description ?? '',
    codeSha256: c.CodeSha256 ?? '',
    revisionId: c.RevisionId ?? '',
    // Functions created before arm64 existed have no Architectures: they run on x86_64.
    architecture: c.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
    environment: c.Environment?.Variables ?? {},
    layers: (c.Layers ?? []).map((layer) => layer.Arn ?? '').filter((arn) => arn !== ''),
    ephemeralStorageMb: c.EphemeralStorage?.Size ?? 512,
    // Lambda returns an empty VpcConfig for functions outside a VPC.
    ...(subnets.length > 0
      ? { vpc: { subnetIds: subnets, securityGroupIds: c.VpcConfig?.SecurityGroupIds ?? [] } }
      : {}),
    logGroup: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    logFormat: c.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
    packageType: c.PackageType === 'Image' ? 'Image' : 'Zip',
    lastUpdateStatus: c.LastUpdateStatus ?? 'Successful',
    state: c.State ?? 'Active'
  };
}
