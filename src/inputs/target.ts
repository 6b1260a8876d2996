/**
 * The function a sweep targets: a name, a partial ARN (`123456789012:function:name`) or a full ARN.
 * A full ARN names its region, which then decides where the AWS clients go. Pure.
 */
import { InputError } from '../errors.js';
import { Inputs } from './names.js';

export interface FunctionTarget {
  /** What the Lambda API is called with: the name or ARN as given, never with a qualifier. */
  functionName: string;
  /** The region from a full ARN, when it has one. */
  region?: string;
}

const ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([^:]+))?$/;
const PARTIAL = /^(\d{12}):function:([a-zA-Z0-9-_]+)(?::([^:]+))?$/;
const NAME = /^[a-zA-Z0-9-_]{1,64}(?::([^:]+))?$/;

/**
 * @example
 * resolveTarget('arn:aws:lambda:eu-west-1:123456789012:function:orders', undefined)
 * // { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:orders', region: 'eu-west-1' }
 * @throws {@link InputError} for a qualified name (the sweep makes its own versions) or a region
 *   that contradicts the ARN's
 */
export function resolveTarget(raw: string, region: string | undefined): FunctionTarget {
  const full = ARN.exec(raw);
  const qualifier = full ? full[4] : (PARTIAL.exec(raw)?.[3] ?? NAME.exec(raw)?.[1]);
  if (qualifier !== undefined) {
    throw new InputError(
      Inputs.FunctionName,
      raw,
      `the function without a version or alias (the sweep publishes its own versions), e.g. "${raw.slice(0, raw.length - qualifier.length - 1)}"`
    );
  }
  if (!full) return { functionName: raw };
  const arnRegion = full[1]!;
  if (region && region !== arnRegion) {
    throw new InputError(Inputs.AwsRegion, region, `empty or ${arnRegion}, the region in the function's ARN`);
  }
  return { functionName: raw, region: arnRegion };
}
