/**
 * Candidate code as the bytes that will be uploaded, with the CodeSha256 Lambda must report for them.
 */
import { readFile, stat } from 'node:fs/promises';
import { LambdaCostGateError } from '../errors.js';
import type { CandidateCode } from '../sweep/types.js';
import { MAX_DIRECT_UPLOAD_BYTES, sha256Base64, zipDirectory } from './zip.js';

/** A zip ready to upload. */
export interface ZipUpload {
  bytes: Uint8Array;
  /** Base64 SHA-256 of `bytes`: the CodeSha256 Lambda must report after storing them. */
  sha256: string;
}

/**
 * Reads a zip file or zips a folder; S3 code is not read (Lambda fetches it) and gives `undefined`.
 *
 * @example
 * ```ts
 * const zip = await readCandidateZip({ kind: 'directory', path: 'dist/handler' });
 * zip?.sha256; // 'q1w2…='
 * ```
 * @throws {@link LambdaCostGateError} when the path is missing or the zip is too large to upload directly
 */
export async function readCandidateZip(code: CandidateCode): Promise<ZipUpload | undefined> {
  if (code.kind === 's3') return undefined;
  let bytes: Uint8Array;
  try {
    const isDirectory = (await stat(code.path)).isDirectory();
    if (code.kind === 'directory' && !isDirectory) throw new LambdaCostGateError(`${code.path} is not a folder`);
    if (code.kind === 'zip' && isDirectory) throw new LambdaCostGateError(`${code.path} is a folder, not a zip file`);
    bytes = isDirectory ? zipDirectory(code.path) : new Uint8Array(await readFile(code.path));
  } catch (error) {
    throw new LambdaCostGateError(`Could not read the candidate code at ${code.path}`, { cause: error });
  }
  if (bytes.length > MAX_DIRECT_UPLOAD_BYTES) {
    throw new LambdaCostGateError(
      `The candidate code (${code.path}) is ${(bytes.length / 1048576).toFixed(1)} MB zipped, above the 50 MB Lambda accepts directly: upload it to S3 and pass it as S3 code`
    );
  }
  return { bytes, sha256: sha256Base64(bytes) };
}
