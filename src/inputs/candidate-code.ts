/**
 * The candidate code, checked when the inputs are read: a missing, empty or broken zip (or folder) is
 * refused with an InputError before anything in AWS is touched, instead of failing half-way through a
 * deployment. S3 code cannot be checked here: Lambda reads it, and says so when it cannot.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { MAX_DIRECT_UPLOAD_BYTES } from '../deploy/zip.js';
import { InputError } from '../errors.js';
import type { CandidateCode } from '../sweep/types.js';
import { SweepInputs } from './names.js';

const ZIP_ALLOWED = `a readable .zip deployment package of at most ${MAX_DIRECT_UPLOAD_BYTES / 1048576} MB, or a folder to zip`;
const FOLDER_ALLOWED = 'a folder that holds the function code, or a .zip deployment package';

/**
 * @example
 * ```ts
 * checkCandidateCode({ kind: 'zip', path: 'build/fn.zip' }); // throws InputError when it is not a zip
 * ```
 * @throws {@link InputError} on the `code` input, naming the path and what is wrong
 */
export function checkCandidateCode(code: CandidateCode): void {
  if (code.kind === 's3') return;
  const { path } = code;
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new InputError(
      SweepInputs.Code,
      path,
      `${code.kind === 'zip' ? ZIP_ALLOWED : FOLDER_ALLOWED} (it does not exist)`,
      {
        cause: error
      }
    );
  }
  if (code.kind === 'directory') {
    if (!stats.isDirectory()) throw new InputError(SweepInputs.Code, path, `${FOLDER_ALLOWED} (it is a file)`);
    if (readdirSync(path).length === 0) throw new InputError(SweepInputs.Code, path, `${FOLDER_ALLOWED} (it is empty)`);
    return;
  }
  if (!stats.isFile()) throw new InputError(SweepInputs.Code, path, `${ZIP_ALLOWED} (it is a folder)`);
  if (stats.size > MAX_DIRECT_UPLOAD_BYTES) {
    throw new InputError(
      SweepInputs.Code,
      path,
      `${ZIP_ALLOWED} (it is ${(stats.size / 1048576).toFixed(1)} MB: upload it to S3 and use s3-bucket and s3-key)`
    );
  }
  let entries: number;
  try {
    entries = Object.keys(unzipSync(readFileSync(path))).length;
  } catch (error) {
    throw new InputError(SweepInputs.Code, path, `${ZIP_ALLOWED} (it is not a valid zip archive)`, { cause: error });
  }
  if (entries === 0) throw new InputError(SweepInputs.Code, path, `${ZIP_ALLOWED} (the archive is empty)`);
}
