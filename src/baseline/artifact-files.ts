/**
 * The file names of run reports inside the baseline artifact, and reading one back out of the artifact's
 * zip archive.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { LambdaCostGateError } from '../errors.js';

/** The artifact has no report for the function, or is not a readable zip. */
export class BaselineArtifactError extends LambdaCostGateError {
  /**
   * @param message - what is wrong, naming the files that are there
   * @param files - the archive's file paths (empty when it could not be read)
   */
  constructor(
    message: string,
    readonly files: string[],
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }
}

const SUFFIX = '.run-report.json';

/**
 * A safe file name for a function's run report. Plain function names stay as they are; a name that needs
 * changing (an ARN, a qualifier) also gets a short hash, so two names never share a file.
 *
 * @example
 * ```ts
 * reportFileName('orders-api'); // 'orders-api.run-report.json'
 * reportFileName('arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live');
 * // 'arn_aws_lambda_eu-west-1_123456789012_function_orders-api_live.1a2b3c4d.run-report.json'
 * ```
 */
export function reportFileName(functionName: string): string {
  // A leading dot would hide the file; `..` would climb out of the directory.
  const safe = functionName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 150) || '_';
  if (safe === functionName) return `${safe}${SUFFIX}`;
  const hash = createHash('sha256').update(functionName).digest('hex').slice(0, 8);
  return `${safe}.${hash}${SUFFIX}`;
}

/**
 * The text of the function's run report from a baseline artifact's zip archive. The file may sit in a
 * sub-directory (the upload keeps paths below its root directory); one at the top level wins.
 *
 * @example
 * ```ts
 * const json = readReportFromZip(await port.downloadArtifact(artifact.id), 'orders-api');
 * ```
 * @throws {BaselineArtifactError} when the archive cannot be read or holds no report for the function
 */
export function readReportFromZip(zipBytes: Uint8Array, functionName: string): string {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipBytes);
  } catch (error) {
    throw new BaselineArtifactError('The baseline artifact is not a readable zip archive', [], { cause: error });
  }
  const wanted = reportFileName(functionName);
  const paths = Object.keys(entries).filter((path) => !path.endsWith('/'));
  const path = paths.includes(wanted) ? wanted : paths.find((p) => p.split('/').pop() === wanted);
  if (path === undefined) {
    const present = paths.length === 0 ? 'it is empty' : `it holds ${paths.map((p) => `'${p}'`).join(', ')}`;
    throw new BaselineArtifactError(
      `The baseline artifact has no report for function ${functionName} (looked for '${wanted}'; ${present})`,
      paths
    );
  }
  return new TextDecoder('utf-8').decode(entries[path]);
}
