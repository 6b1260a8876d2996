/**
 * Request validation and pagination tokens for the Logs API, with the error codes CloudWatch Logs
 * uses (its JSON 1.1 errors are all HTTP 400, including ResourceNotFoundException).
 */
import { AwsError } from '../http/aws-error.js';
import type { LogGroupData, LogStore } from './store.js';

/** `InvalidParameterException` (HTTP 400). */
export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message, 400);

/** `ResourceNotFoundException` (HTTP 400 in CloudWatch Logs). */
export const resourceNotFound = (message = 'The specified log group does not exist.'): AwsError =>
  new AwsError('ResourceNotFoundException', message, 400);

/** `ResourceAlreadyExistsException` (HTTP 400). */
export const alreadyExists = (message: string): AwsError =>
  new AwsError('ResourceAlreadyExistsException', message, 400);

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const LOG_STREAM_NAME = /^[^:*]{1,512}$/;

/** Typed access to a request body that throws AWS's errors for missing or malformed members. */
export class Params {
  constructor(private readonly body: Record<string, unknown>) {}

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  string(name: string, required: true, max?: number): string;
  string(name: string, required?: boolean, max?: number): string | undefined;
  string(name: string, required = false, max = 1_000_000): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (required) throw validation(name, 'null', 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') throw serialization(name, 'a string');
    if (required && value.length === 0)
      throw validation(name, value, 'Member must have length greater than or equal to 1');
    if (value.length > max) throw validation(name, value, `Member must have length less than or equal to ${max}`);
    return value;
  }

  integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER, required = false): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (required) throw validation(name, 'null', 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(name, 'a whole number');
    if (value < min) throw validation(name, value, `Member must have value greater than or equal to ${min}`);
    if (value > max) throw validation(name, value, `Member must have value less than or equal to ${max}`);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw serialization(name, 'a boolean');
    return value;
  }

  strings(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw serialization(name, 'a list of strings');
    if (value.length < min)
      throw validation(name, `[${value.join(', ')}]`, `Member must have length greater than or equal to ${min}`);
    if (value.length > max)
      throw validation(name, `[${value.join(', ')}]`, `Member must have length less than or equal to ${max}`);
    return value as string[];
  }

  /** A list of objects, returned raw for the caller to validate. */
  objects(name: string): Record<string, unknown>[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object')) {
      throw serialization(name, 'a list of structures');
    }
    return value as Record<string, unknown>[];
  }
}

function validation(name: string, value: unknown, constraint: string): AwsError {
  const shown = value === 'null' ? 'null' : `'${String(value)}'`;
  return invalidParameter(
    `1 validation error detected: Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`
  );
}

function serialization(name: string, expected: string): AwsError {
  return new AwsError('SerializationException', `Could not parse '${name}': expected ${expected}`, 400);
}

/** Checks a name for CreateLogGroup (AWS's pattern `[\.\-_/#A-Za-z0-9]+`, 1-512 characters). */
export function checkLogGroupName(name: string): void {
  if (!LOG_GROUP_NAME.test(name)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`
    );
  }
}

/** Checks a name for CreateLogStream (no `:` or `*`, 1-512 characters). */
export function checkLogStreamName(name: string): void {
  if (!LOG_STREAM_NAME.test(name)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`
    );
  }
}

const ARN = /^arn:aws[\w-]*:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/;

/** A log group name from a name or an ARN (`logGroupIdentifier` accepts either). */
export function groupNameFromIdentifier(identifier: string): string {
  return ARN.exec(identifier)?.[1] ?? identifier;
}

/**
 * The log group a request names through `logGroupName` or `logGroupIdentifier` (exactly one).
 * Throws ResourceNotFoundException when it does not exist.
 */
export function requireGroup(params: Params, store: LogStore): LogGroupData {
  const name = params.string('logGroupName', false, 512);
  const identifier = params.string('logGroupIdentifier', false, 2048);
  if (name !== undefined && identifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (name === undefined && identifier === undefined) {
    throw invalidParameter('Should provide either name or ARN of the log group (logGroupName or logGroupIdentifier).');
  }
  const group = store.group(name ?? groupNameFromIdentifier(identifier as string));
  if (!group) throw resourceNotFound();
  return group;
}

/** An opaque pagination token. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Reads a token made by {@link encodeToken}; `check` says whether it has the expected shape. */
export function decodeToken<T>(token: string, check: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value)) throw invalidParameter('The specified nextToken is invalid.');
  return value;
}

/** A token of one non-negative integer offset. */
export const isOffset = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;
