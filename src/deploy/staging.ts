/**
 * The code a deployment needs on disk before it changes anything: the candidate, zipped once so that its
 * SHA-256 is known before the upload; and an exact copy of the original zip, without which the original
 * code (or architecture) could not be put back.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaCostGateError } from '../errors.js';
import type { CandidateCode, FunctionState } from '../sweep/types.js';
import { readCandidateZip } from './code.js';
import type { DeploymentRecord } from './record.js';
import { MAX_DIRECT_UPLOAD_BYTES, sha256Base64 } from './zip.js';

/** Candidate code ready to upload; `sha256` is absent for S3 code (Lambda alone reads it). */
export interface StagedCandidate {
  code: CandidateCode;
  sha256?: string;
}

/**
 * Zips a candidate folder once, so the SHA-256 is known before the upload and the same bytes go up.
 *
 * @example
 * ```ts
 * const candidate = await stageCandidate(record); // { code: { kind: 'zip', path: '/tmp/…/candidate.zip' }, sha256 }
 * ```
 */
export async function stageCandidate(r: DeploymentRecord): Promise<StagedCandidate | undefined> {
  const code = r.settings.code;
  if (!code) return undefined;
  const zip = await readCandidateZip(code);
  if (!zip) return { code };
  if (code.kind === 'zip') return { code, sha256: zip.sha256 };
  const path = join(await tempDir(r), 'candidate.zip');
  await writeFile(path, zip.bytes);
  return { code: { kind: 'zip', path }, sha256: zip.sha256 };
}

/**
 * Keeps an exact copy of the original zip in `r.originalZip`, or refuses to start: without it the code
 * could not go back, nor be uploaded again for another architecture.
 *
 * @example
 * ```ts
 * await keepOriginalCode(record, original); // record.originalZip: '/tmp/…/original.zip'
 * ```
 * @throws {@link LambdaCostGateError} when the code cannot be downloaded, is not the function's, or is too
 *   large to upload directly
 */
export async function keepOriginalCode(r: DeploymentRecord, original: FunctionState): Promise<string> {
  if (r.originalZip) return r.originalZip;
  const bytes = await downloadOriginal(r, original);
  return writeOriginal(r, original, bytes);
}

/**
 * Writes original bytes already downloaded (and checked) to `r.originalZip`.
 *
 * @example
 * ```ts
 * const path = await writeOriginal(record, original, await downloadOriginal(record, original));
 * ```
 */
export async function writeOriginal(r: DeploymentRecord, original: FunctionState, bytes: Uint8Array): Promise<string> {
  if (bytes.length > MAX_DIRECT_UPLOAD_BYTES) {
    throw new LambdaCostGateError(
      `The code of ${original.name} is larger than the 50 MB Lambda accepts in a direct upload, so it could not be put back after deploying the candidate; nothing was changed. Use the temporary-copy mode.`
    );
  }
  const path = join(await tempDir(r), 'original.zip');
  await writeFile(path, bytes);
  r.originalZip = path;
  return path;
}

/**
 * Downloads the function's deployed zip and checks it is the code Lambda says the function has.
 *
 * @example
 * ```ts
 * const bytes = await downloadOriginal(record, original);
 * ```
 * @throws {@link LambdaCostGateError} when the download fails or its SHA-256 is not the function's
 */
export async function downloadOriginal(r: DeploymentRecord, original: FunctionState): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await r.port.downloadCode(r.name);
  } catch (error) {
    throw new LambdaCostGateError(
      `Could not download the code of ${original.name}, which this run needs to keep; nothing was changed`,
      { cause: error }
    );
  }
  const sha = sha256Base64(bytes);
  if (sha !== original.codeSha256) {
    throw new LambdaCostGateError(
      `The code downloaded from ${original.name} has SHA-256 ${sha}, not its CodeSha256 ${original.codeSha256}; nothing was changed`
    );
  }
  return bytes;
}

async function tempDir(r: DeploymentRecord): Promise<string> {
  r.tempDir ??= await mkdtemp(join(tmpdir(), 'lambda-cost-gate-'));
  return r.tempDir;
}
