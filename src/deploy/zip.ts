/**
 * A deterministic zip of a folder: the same files give the same bytes, so the same CodeSha256, on
 * every machine and checkout. That is what lets a run check that Lambda stored exactly what it sent,
 * and lets an unchanged candidate reuse an existing version.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { LambdaCostGateError } from '../errors.js';

/** Lambda's limit for a zip uploaded directly (ZipFile); larger packages must come from S3. */
export const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Git checkouts do not keep mtimes; a fixed one keeps the hash stable. */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');
/** Made-by "Unix", so the external attributes below are read as a Unix mode. */
const UNIX = 3;

/**
 * Zips every file below `dir` (symbolic links followed), names relative to it with `/`, sorted.
 * Modes are reduced to 0755 (owner-executable) or 0644, because umasks differ between machines but a
 * `bootstrap` or a native binary must stay executable on Lambda.
 *
 * @example
 * ```ts
 * const bytes = zipDirectory('dist/handler');
 * sha256Base64(bytes); // the CodeSha256 Lambda will report
 * ```
 * @throws {@link LambdaCostGateError} when the folder holds no file
 */
export function zipDirectory(dir: string): Uint8Array {
  const files = new Map<string, string>();
  const visited = new Set<string>();
  const walk = (folder: string): void => {
    // A symbolic link back up the tree must not loop forever.
    const real = realpathSync(folder);
    if (visited.has(real)) return;
    visited.add(real);
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join('/'), path);
    }
  };
  walk(dir);
  if (files.size === 0) throw new LambdaCostGateError(`The code folder ${dir} holds no file to deploy`);
  const entries: Zippable = {};
  // Sorted by the full name, not folder by folder, so the order does not depend on readdir.
  for (const name of [...files.keys()].sort()) {
    const path = files.get(name) ?? '';
    const mode = statSync(path).mode & 0o100 ? 0o100755 : 0o100644;
    entries[name] = [readFileSync(path), { mtime: FIXED_MTIME, os: UNIX, attrs: mode * 0x10000 }];
  }
  return zipSync(entries, { level: 6 });
}

/** SHA-256 in base64, the form of Lambda's `CodeSha256`. */
export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}
