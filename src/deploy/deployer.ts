/**
 * Makes one frozen version per memory size, and takes everything away again.
 *
 * In-place mode, in order: read `$LATEST`; list the versions that exist (never ours to delete); when a
 * candidate is deployed, download the original zip and check its SHA-256 BEFORE any change (no exact
 * copy, no change); publish a safety version of the untouched original (Lambda itself then holds the
 * original code and configuration, so even a killed run can be repaired from it: see leftovers.ts);
 * deploy the candidate; per size, UpdateFunctionConfiguration → PublishVersion, each guarded by the
 * RevisionId of the step before and checked afterwards; then put `$LATEST`'s memory, description and
 * code back at once, before anything is measured. Temporary-copy mode does the same on
 * `<name>-lcg-<run>` and never writes to the real function.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaCostGateError } from '../errors.js';
import type { CandidateCode, FunctionState, LambdaPort, ProgressEvent } from '../sweep/types.js';
import { readCandidateZip } from './code.js';
import { runCleanup } from './cleanup.js';
import { ConcurrentChangeError, FunctionExistsError } from './errors.js';
import { refusedMemorySize } from './fault-errors.js';
import { copyFunctionName, originalDescription, runDescription } from './naming.js';
import {
  newRecord,
  restorePlan,
  type DeploymentRecord,
  type DeploymentSettings,
  type PreparedVersion,
  type RefusedSize
} from './record.js';
import { restoreLatest } from './restore.js';
import { MAX_DIRECT_UPLOAD_BYTES, sha256Base64 } from './zip.js';

export type { DeploymentSettings, PreparedVersion, RefusedSize } from './record.js';

/** Where progress goes. */
export interface DeploymentEvents {
  log?: (line: string) => void;
  progress?: (event: ProgressEvent) => void;
  /**
   * Called with the function as it was, before any change. A caller that may be killed should save
   * it (e.g. `core.saveState`): it is the one thing a later `removeLeftovers` cannot read from Lambda
   * (the original description).
   */
  onOriginal?: (original: FunctionState) => void;
}

/** The outcome of {@link Deployment.prepare}. */
export interface PreparedDeployment {
  /** The function to invoke (the real one in place, else the copy), as it is after prepare. */
  target: FunctionState;
  /** The real function as it was before the run. */
  original: FunctionState;
  /** In the order of the memory sizes asked for (duplicates removed), without the refused ones. */
  versions: PreparedVersion[];
  /** Sizes Lambda refused to set (above the account's memory quota, say): not published, not measured. */
  refused: RefusedSize[];
}

/**
 * One run's versions of one function.
 *
 * @example
 * ```ts
 * const deployment = new Deployment(port, 'my-fn', { mode: 'in-place', memorySizes: [128, 512], runId: '42' });
 * try {
 *   const { versions } = await deployment.prepare();
 *   // …measure versions…
 * } finally {
 *   await deployment.cleanup();
 * }
 * ```
 */
export class Deployment {
  private readonly record: DeploymentRecord;
  private readonly progress: (event: ProgressEvent) => void;
  private readonly onOriginal: (original: FunctionState) => void;
  private started = false;

  constructor(port: LambdaPort, functionName: string, settings: DeploymentSettings, events: DeploymentEvents = {}) {
    const log = events.log ?? (() => undefined);
    this.progress = events.progress ?? (() => undefined);
    this.onOriginal = events.onOriginal ?? (() => undefined);
    this.record = newRecord(port, functionName, settings, log);
  }

  /**
   * Publishes one version per memory size. Call once; call {@link Deployment.cleanup} afterwards
   * whether it succeeded or not.
   *
   * @throws {@link ConcurrentChangeError} when someone else changes the function meanwhile; the port's
   * typed errors otherwise. Whatever was made so far is left for cleanup.
   */
  async prepare(): Promise<PreparedDeployment> {
    if (this.started) throw new LambdaCostGateError('prepare() was already called on this deployment');
    this.started = true;
    const r = this.record;
    const sizes = [...new Set(r.settings.memorySizes)];
    if (sizes.length === 0) throw new LambdaCostGateError('No memory size to publish: give at least one');
    const original = await r.port.getFunction(r.name);
    if (original.packageType === 'Image') {
      throw new LambdaCostGateError(
        `Function ${original.name} is a container image (PackageType Image): lambda-cost-gate deploys .zip packages only`
      );
    }
    r.original = original;
    this.onOriginal(original);
    r.known = new Set((await r.port.listVersions(r.name)).map((v) => v.version));
    const candidate = await this.stageCandidate();
    if (r.settings.mode === 'temporary-copy') return this.prepareCopy(original, sizes, candidate);

    if (candidate) await this.keepOriginalCode(original);
    this.phase(`Publishing a safety version of ${original.name} as it is`);
    const known = r.known;
    await this.publish(
      r.name,
      original,
      originalDescription(r.settings.runId, original.description),
      original.memorySize,
      known,
      (v) => {
        r.safety = v;
      }
    );
    let state = original;
    if (candidate) {
      this.phase(`Deploying the candidate code to ${original.name}`);
      r.touched = true;
      if (candidate.sha256) r.written.codeSha256s.add(candidate.sha256);
      else r.written.codeUnknown = true; // S3 code: its SHA-256 is known only from Lambda's answer
      state = await r.port.updateCode(r.name, candidate.code, state.revisionId);
      r.written.codeSha256s.add(state.codeSha256);
      r.written.codeUnknown = false;
    }
    await this.publishSizes(r.name, state, sizes, known);
    this.phase(`Putting $LATEST of ${original.name} back as it was`);
    const target = await restoreLatest(r.port, r.name, restorePlan(r), r.log);
    r.restored = true;
    return { target, original, versions: [...r.versions], refused: [...r.refused] };
  }

  /**
   * Deletes every version this run created (never one it found), deletes the temporary copy, and
   * puts `$LATEST` back if prepare stopped before doing so. Safe to call at any point, and again.
   *
   * @throws {@link CleanupError} listing everything that could not be undone and how to undo it by hand
   */
  async cleanup(): Promise<void> {
    await runCleanup(this.record);
  }

  private async prepareCopy(
    original: FunctionState,
    sizes: number[],
    candidate: { code: CandidateCode; sha256?: string } | undefined
  ): Promise<PreparedDeployment> {
    const r = this.record;
    const name = copyFunctionName(original.name, r.settings.runId);
    const code = candidate?.code ?? { kind: 'zip-bytes' as const, bytes: await this.downloadOriginal(original) };
    this.phase(`Creating the temporary copy ${name}`);
    // Recorded before the call: a creation that fails half-way (e.g. never becomes Active) is still ours.
    r.copy = { name, owned: true };
    let state: FunctionState;
    try {
      state = await r.port.createCopy(name, original, code, {
        'lambda-cost-gate:run-id': r.settings.runId,
        'lambda-cost-gate:source': original.name
      });
    } catch (error) {
      if (error instanceof FunctionExistsError) r.copy.owned = false;
      throw error;
    }
    // A new function has no versions but ours.
    await this.publishSizes(name, state, sizes, new Set());
    return { target: await r.port.getFunction(name), original, versions: [...r.versions], refused: [...r.refused] };
  }

  /** Per size: set memory and description, publish, check the version and that nobody else changed `$LATEST`. */
  private async publishSizes(name: string, start: FunctionState, sizes: number[], known: Set<string>): Promise<void> {
    const r = this.record;
    let state = start;
    for (const [index, memoryMb] of sizes.entries()) {
      this.phase(`Publishing version ${index + 1} of ${sizes.length}: ${memoryMb} MB`);
      const description = runDescription(r.settings.runId, memoryMb);
      const codeSha256 = state.codeSha256;
      if (r.settings.mode === 'in-place') {
        r.touched = true;
        r.written.memorySizes.add(memoryMb);
        r.written.descriptions.add(description);
      }
      try {
        state = await r.port.updateConfiguration(name, { memorySize: memoryMb, description }, state.revisionId);
      } catch (error) {
        const reason = refusedMemorySize(error);
        if (reason === undefined) throw error;
        // Lambda checks the value before it starts an update: nothing changed, the RevisionId still holds.
        r.refused.push({ memoryMb, reason });
        this.phase(`Lambda refused ${memoryMb} MB (${reason}); that size is not measured`);
        continue;
      }
      if (state.memorySize !== memoryMb || state.description !== description || state.codeSha256 !== codeSha256) {
        throw new ConcurrentChangeError(name, `set ${memoryMb} MB`);
      }
      await this.publish(name, state, description, memoryMb, known, (v) => r.versions.push(v));
      // PublishVersion may or may not change $LATEST's RevisionId: read it again rather than guess, and
      // treat any other difference as someone else's change.
      const after = await r.port.getFunction(name);
      if (comparable(after) !== comparable(state)) throw new ConcurrentChangeError(name, `publish ${memoryMb} MB`);
      state = after;
    }
    if (r.versions.length === 0) {
      throw new LambdaCostGateError(
        `Lambda refused every memory size asked for on ${name}: ${r.refused.map((x) => `${x.memoryMb} MB (${x.reason})`).join('; ')}`
      );
    }
  }

  /**
   * Publishes `$LATEST`, hands the version to `record` at once (so that cleanup deletes it even when a
   * check below fails), and checks what it froze.
   */
  private async publish(
    name: string,
    state: FunctionState,
    description: string,
    memoryMb: number,
    known: Set<string>,
    record: (version: PreparedVersion) => void
  ): Promise<void> {
    const r = this.record;
    let version: string;
    try {
      version = await r.port.publishVersion(name, {
        codeSha256: state.codeSha256,
        revisionId: state.revisionId,
        description
      });
    } catch (error) {
      // Lambda may have published it all the same (a lost answer, a version that never became Active).
      r.unconfirmedPublish = true;
      throw error;
    }
    const seen = r.versions.some((v) => v.version === version) || r.safety?.version === version;
    // PublishVersion returns an existing version when nothing changed since it: that one is not ours.
    const published: PreparedVersion = { memoryMb, version, created: !seen && !known.has(version) };
    record(published);
    const frozen = await r.port.getFunction(name, version);
    // A new version with another description was published by someone else at the same moment.
    if (published.created && frozen.description !== description) published.created = false;
    if (frozen.memorySize !== memoryMb || frozen.codeSha256 !== state.codeSha256) {
      throw new LambdaCostGateError(
        `Version ${version} of ${name} froze ${frozen.memorySize} MB and code ${frozen.codeSha256}, not ${memoryMb} MB and ${state.codeSha256}`
      );
    }
  }

  /** Zips a candidate folder once, so the SHA-256 is known before the upload and the same bytes go up. */
  private async stageCandidate(): Promise<{ code: CandidateCode; sha256?: string } | undefined> {
    const code = this.record.settings.code;
    if (!code) return undefined;
    const zip = await readCandidateZip(code);
    if (!zip) return { code };
    if (code.kind === 'zip') return { code, sha256: zip.sha256 };
    const path = join(await this.tempDir(), 'candidate.zip');
    await writeFile(path, zip.bytes);
    return { code: { kind: 'zip', path }, sha256: zip.sha256 };
  }

  /** Keeps an exact copy of the original zip, or refuses to start: without it the code could not go back. */
  private async keepOriginalCode(original: FunctionState): Promise<void> {
    const bytes = await this.downloadOriginal(original);
    if (bytes.length > MAX_DIRECT_UPLOAD_BYTES) {
      throw new LambdaCostGateError(
        `The code of ${original.name} is larger than the 50 MB Lambda accepts in a direct upload, so it could not be put back after deploying the candidate; nothing was changed. Use the temporary-copy mode.`
      );
    }
    const path = join(await this.tempDir(), 'original.zip');
    await writeFile(path, bytes);
    this.record.originalZip = path;
  }

  private async downloadOriginal(original: FunctionState): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await this.record.port.downloadCode(this.record.name);
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

  private async tempDir(): Promise<string> {
    this.record.tempDir ??= await mkdtemp(join(tmpdir(), 'lambda-cost-gate-'));
    return this.record.tempDir;
  }

  private phase(message: string): void {
    this.record.log(message);
    this.progress({ type: 'phase', message });
  }
}

/** Everything but the fields every change or read may move. */
function comparable(state: FunctionState): string {
  return JSON.stringify({ ...state, revisionId: '', lastUpdateStatus: '', state: '' });
}
