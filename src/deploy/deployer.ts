/**
 * Makes one frozen version per memory size (or per grid cell: memory × knob value × architecture), and
 * takes everything away again.
 *
 * In-place mode, in order: read `$LATEST`; list the versions that exist (never ours to delete); when a
 * candidate is deployed or another architecture is swept, download the original zip and check its SHA-256
 * BEFORE any change (no exact copy, no change); publish a safety version of the untouched original (Lambda
 * itself then holds the original code and configuration, environment included, so even a killed run can be
 * repaired from it: see leftovers.ts); per version, UpdateFunctionConfiguration (memory, description, and a
 * cell's environment) → UpdateFunctionCode when the version needs other code or architecture →
 * PublishVersion, each guarded by the RevisionId of the step before and checked afterwards (publisher.ts);
 * then put `$LATEST`'s memory, description, environment, architecture and code back at once, before anything
 * is measured. Temporary-copy mode does the same on `<name>-lcg-<run>` and never writes to the real function.
 */
import { LambdaCostGateError } from '../errors.js';
import type { GridCell } from '../grid/types.js';
import type { FunctionState, LambdaPort, ProgressEvent } from '../sweep/types.js';
import {
  ArchitectureNeedsCodeError,
  cellEnvironment,
  distinctCells,
  groupByArchitecture,
  sameCell,
  type ArchitectureGroup
} from './cells.js';
import { runCleanup } from './cleanup.js';
import { FunctionExistsError } from './errors.js';
import { cellDescription, copyFunctionName, originalDescription, runDescription } from './naming.js';
import { publishFrozen, publishGroups, type PublishGroup } from './publisher.js';
import {
  newRecord,
  restorePlan,
  type DeploymentRecord,
  type DeploymentSettings,
  type PreparedVersion,
  type RefusedSize
} from './record.js';
import { restoreLatest } from './restore.js';
import { downloadOriginal, keepOriginalCode, stageCandidate, writeOriginal, type StagedCandidate } from './staging.js';

export type { DeploymentSettings, PreparedVersion, RefusedSize } from './record.js';
export { ArchitectureNeedsCodeError } from './cells.js';

/** Where progress goes. */
export interface DeploymentEvents {
  log?: (line: string) => void;
  progress?: (event: ProgressEvent) => void;
  /**
   * Called with the function as it was, before any change. A caller that may be killed should save
   * what a later `removeLeftovers` cannot read from Lambda (the original description), e.g. with
   * `core.saveState`. Never save its `environment`: its values may be secrets, and a killed run's
   * environment is put back from the run's safety version, which Lambda holds.
   */
  onOriginal?: (original: FunctionState) => void;
}

/** The outcome of {@link Deployment.prepare}. */
export interface PreparedDeployment {
  /** The function to invoke (the real one in place, else the copy), as it is after prepare. */
  target: FunctionState;
  /** The real function as it was before the run. */
  original: FunctionState;
  /**
   * In the order of the memory sizes asked for, or of the cells (duplicates removed in both), without the
   * refused ones. A cell's version carries its `architecture` and `knobValue`.
   */
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
 * // A grid: one version per cell, THREADS set in each version's environment.
 * new Deployment(port, 'my-fn', { mode: 'in-place', memorySizes: [], runId: '42', knobName: 'THREADS',
 *   cells: [{ memoryMb: 512, knobValue: '2', architecture: 'arm64' }] });
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
   * Publishes one version per memory size, or per cell when the settings have cells. Call once; call
   * {@link Deployment.cleanup} afterwards whether it succeeded or not.
   *
   * @throws {@link ConcurrentChangeError} when someone else changes the function meanwhile;
   * {@link ArchitectureNeedsCodeError} (before any change) when another architecture is asked for and no
   * code can be uploaded for it; the port's typed errors otherwise. Whatever was made so far is left for cleanup.
   */
  async prepare(): Promise<PreparedDeployment> {
    if (this.started) throw new LambdaCostGateError('prepare() was already called on this deployment');
    this.started = true;
    const r = this.record;
    const cells = r.settings.cells ? distinctCells(r.settings.cells, r.settings.knobName) : undefined;
    const sizes = [...new Set(r.settings.memorySizes)];
    if (!cells && sizes.length === 0) throw new LambdaCostGateError('No memory size to publish: give at least one');
    const original = await r.port.getFunction(r.name);
    if (original.packageType === 'Image') {
      throw new LambdaCostGateError(
        `Function ${original.name} is a container image (PackageType Image): lambda-cost-gate deploys .zip packages only`
      );
    }
    r.original = original;
    this.onOriginal(original);
    r.known = new Set((await r.port.listVersions(r.name)).map((v) => v.version));
    const candidate = await stageCandidate(r);
    if (r.settings.mode === 'temporary-copy') return this.prepareCopy(original, sizes, cells, candidate);

    const groups = cells ? groupByArchitecture(cells, original.architecture) : undefined;
    if (candidate) await keepOriginalCode(r, original);
    else if (groups?.some((g) => g.architecture !== original.architecture)) {
      await this.forArchitecture(original, groups, () => keepOriginalCode(r, original));
    }
    this.phase(`Publishing a safety version of ${original.name} as it is`);
    const known = r.known;
    const safety = originalDescription(r.settings.runId, original.description);
    await publishFrozen(r, r.name, original, safety, original.memorySize, known, (v) => {
      r.safety = v;
    });
    if (groups) {
      await publishGroups(r, r.name, original, this.cellGroups(original, groups, candidate, false), known, (m) =>
        this.phase(m)
      );
    } else {
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
      await publishGroups(r, r.name, state, [this.sizeGroup(sizes)], known, (m) => this.phase(m));
    }
    this.phase(`Putting $LATEST of ${original.name} back as it was`);
    const target = await restoreLatest(r.port, r.name, restorePlan(r), r.log);
    r.restored = true;
    return { target, original, versions: this.ordered(cells), refused: [...r.refused] };
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
    cells: GridCell[] | undefined,
    candidate: StagedCandidate | undefined
  ): Promise<PreparedDeployment> {
    const r = this.record;
    const groups = cells ? groupByArchitecture(cells, original.architecture) : undefined;
    const name = copyFunctionName(original.name, r.settings.runId);
    const otherArchitecture = groups?.some((g) => g.architecture !== original.architecture) ?? false;
    let code: StagedCandidate['code'] | { kind: 'zip-bytes'; bytes: Uint8Array };
    if (candidate) code = candidate.code;
    else if (groups && otherArchitecture) {
      // The original zip goes up twice: into the copy, and again with the other architecture.
      code = await this.forArchitecture(original, groups, async () => {
        const bytes = await downloadOriginal(r, original);
        await writeOriginal(r, original, bytes);
        return { kind: 'zip-bytes' as const, bytes };
      });
    } else code = { kind: 'zip-bytes', bytes: await downloadOriginal(r, original) };
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
    // A new function has no versions but ours. The copy already holds the code to measure.
    const publishing = groups ? this.cellGroups(original, groups, candidate, true) : [this.sizeGroup(sizes)];
    await publishGroups(r, name, state, publishing, new Set(), (m) => this.phase(m));
    return {
      target: await r.port.getFunction(name),
      original,
      versions: this.ordered(cells),
      refused: [...r.refused]
    };
  }

  private sizeGroup(sizes: number[]): PublishGroup {
    const runId = this.record.settings.runId;
    return { steps: sizes.map((memoryMb) => ({ memoryMb, description: runDescription(runId, memoryMb) })) };
  }

  /**
   * The cells as publishing groups. A group uploads code when its version needs other code than the function
   * has: the candidate (unless `deployed` already, on a copy, for the own architecture), or the original zip
   * again for another architecture.
   */
  private cellGroups(
    original: FunctionState,
    groups: ArchitectureGroup[],
    candidate: StagedCandidate | undefined,
    deployed: boolean
  ): PublishGroup[] {
    const { runId, knobName } = this.record.settings;
    const hasKnob = groups.some((g) => g.cells.some(({ cell }) => cell.knobValue !== undefined));
    const originalZip = this.record.originalZip;
    return groups.map(({ architecture, cells }) => {
      const own = architecture === original.architecture;
      const upload =
        candidate && !(deployed && own)
          ? { code: candidate.code, architecture, ...(candidate.sha256 ? { sha256: candidate.sha256 } : {}) }
          : !own && originalZip
            ? { code: { kind: 'zip' as const, path: originalZip }, architecture, sha256: original.codeSha256 }
            : undefined;
      const steps = cells.map(({ cell }) => {
        const environment = cellEnvironment(original.environment, knobName, cell, hasKnob);
        const description = cellDescription(runId, cell, knobName);
        return { memoryMb: cell.memoryMb, description, cell, ...(environment ? { environment } : {}) };
      });
      return { steps, ...(upload ? { upload } : {}) };
    });
  }

  /** Runs what keeps the code for another architecture; its failure is the `architectures` input's. */
  private async forArchitecture<T>(
    original: FunctionState,
    groups: ArchitectureGroup[],
    keep: () => Promise<T>
  ): Promise<T> {
    try {
      return await keep();
    } catch (error) {
      const asked = groups.map((g) => g.architecture);
      const why = `the code of ${original.name} could not be kept to upload it again (no \`code\` input was given)`;
      throw new ArchitectureNeedsCodeError(original.architecture, asked, why, error);
    }
  }

  /** The versions in the order of the cells asked for (publishing went architecture by architecture). */
  private ordered(cells: GridCell[] | undefined): PreparedVersion[] {
    const versions = [...this.record.versions];
    if (!cells) return versions;
    const place = (v: PreparedVersion) => cells.findIndex((cell) => sameCell(v, cell));
    return versions.sort((a, b) => place(a) - place(b));
  }

  private phase(message: string): void {
    this.record.log(message);
    this.progress({ type: 'phase', message });
  }
}
