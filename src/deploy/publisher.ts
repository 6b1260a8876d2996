/**
 * The publishing loop shared by both modes and both kinds of sweep: per version, UpdateFunctionConfiguration
 * (memory, description, and the environment of a grid cell), an UpdateFunctionCode when the version needs
 * other code or another architecture, then PublishVersion; each step guarded by the RevisionId of the step
 * before, and checked afterwards, so that someone else's change is noticed rather than measured.
 *
 * On the real function the configuration change always comes before the upload, so `$LATEST` carries the
 * run's description whenever it carries another architecture or environment: that mark is how a later post
 * step recognises a killed run's `$LATEST` (see leftovers.ts).
 */
import { LambdaCostGateError } from '../errors.js';
import type { GridCell } from '../grid/types.js';
import type { Architecture, CandidateCode, FunctionState } from '../sweep/types.js';
import { sameEnvironment } from './cells.js';
import { ConcurrentChangeError } from './errors.js';
import { refusedMemorySize } from './fault-errors.js';
import type { DeploymentRecord, PreparedVersion } from './record.js';

/** One version to publish. */
export interface PublishStep {
  memoryMb: number;
  description: string;
  /** The version's whole environment; absent: the environment is not sent (memory-only sweeps). */
  environment?: Record<string, string>;
  /** The grid cell, whose coordinates the version carries; absent for a memory-only sweep. */
  cell?: GridCell;
}

/** Versions published after (at most) one code upload. */
export interface PublishGroup {
  steps: PublishStep[];
  /** Uploaded, with this architecture, right after the group's first configuration change. */
  upload?: { code: CandidateCode; architecture: Architecture; sha256?: string };
}

/** How a step is named in progress lines: `512 MB`, or `512 MB arm64 THREADS=4` for a cell. */
function label(step: PublishStep, knobName: string | undefined): string {
  const cell = step.cell;
  if (!cell) return `${step.memoryMb} MB`;
  const knob = cell.knobValue !== undefined && knobName !== undefined ? ` ${knobName}=${cell.knobValue}` : '';
  return `${step.memoryMb} MB ${cell.architecture}${knob}`;
}

/**
 * Publishes every step of every group on function `name`, starting from `start`. Versions are recorded as
 * soon as they exist, so cleanup deletes them even when a later check fails.
 *
 * @example
 * ```ts
 * await publishGroups(record, 'my-fn', latest, [{ steps: [{ memoryMb: 512, description }] }], known, log);
 * ```
 * @throws {@link ConcurrentChangeError} when the function changes under the run; {@link LambdaCostGateError}
 *   when Lambda refused every memory size
 */
export async function publishGroups(
  r: DeploymentRecord,
  name: string,
  start: FunctionState,
  groups: PublishGroup[],
  known: Set<string>,
  phase: (message: string) => void
): Promise<void> {
  const inPlace = r.settings.mode === 'in-place';
  const total = groups.reduce((sum, group) => sum + group.steps.length, 0);
  let state = start;
  let index = 0;
  for (const group of groups) {
    let upload = group.upload;
    for (const step of group.steps) {
      index += 1;
      const { memoryMb, description, environment } = step;
      // Lambda refused this size for an earlier cell: it would refuse it again.
      if (r.refused.some((refused) => refused.memoryMb === memoryMb)) continue;
      const what = label(step, r.settings.knobName);
      phase(`Publishing version ${index} of ${total}: ${what}`);
      if (inPlace) {
        r.touched = true;
        r.written.memorySizes.add(memoryMb);
        r.written.descriptions.add(description);
        const knobValue = step.cell?.knobValue;
        if (knobValue !== undefined) r.written.knobValues.add(knobValue);
      }
      const before = state;
      try {
        state = await r.port.updateConfiguration(
          name,
          { memorySize: memoryMb, description, ...(environment ? { environment } : {}) },
          state.revisionId
        );
      } catch (error) {
        const reason = refusedMemorySize(error);
        if (reason === undefined) throw error;
        // Lambda checks the value before it starts an update: nothing changed, the RevisionId still holds.
        r.refused.push({ memoryMb, reason });
        phase(`Lambda refused ${memoryMb} MB (${reason}); that size is not measured`);
        continue;
      }
      if (
        !configured(state, step) ||
        state.codeSha256 !== before.codeSha256 ||
        state.architecture !== before.architecture
      ) {
        throw new ConcurrentChangeError(name, `set ${what}`);
      }
      if (upload) {
        state = await uploadFor(r, name, state, upload, phase);
        if (!configured(state, step))
          throw new ConcurrentChangeError(name, `deploy the code for ${upload.architecture}`);
        upload = undefined;
      }
      await publishFrozen(r, name, state, description, memoryMb, known, (v) => r.versions.push(v), step.cell);
      // PublishVersion may or may not change $LATEST's RevisionId: read it again rather than guess, and
      // treat any other difference as someone else's change.
      const after = await r.port.getFunction(name);
      if (comparable(after) !== comparable(state)) throw new ConcurrentChangeError(name, `publish ${what}`);
      state = after;
    }
  }
  if (r.versions.length === 0) {
    throw new LambdaCostGateError(
      `Lambda refused every memory size asked for on ${name}: ${r.refused.map((x) => `${x.memoryMb} MB (${x.reason})`).join('; ')}`
    );
  }
}

/** Does `state` hold the step's memory, description and (when sent) environment? */
function configured(state: FunctionState, step: PublishStep): boolean {
  return (
    state.memorySize === step.memoryMb &&
    state.description === step.description &&
    (step.environment === undefined || sameEnvironment(state.environment, step.environment))
  );
}

/** Uploads a group's code with its architecture, noting first what is about to be written. */
async function uploadFor(
  r: DeploymentRecord,
  name: string,
  state: FunctionState,
  upload: NonNullable<PublishGroup['upload']>,
  phase: (message: string) => void
): Promise<FunctionState> {
  phase(`Deploying the code for ${upload.architecture} to ${name}`);
  const inPlace = r.settings.mode === 'in-place';
  if (inPlace) {
    r.written.architectures.add(upload.architecture);
    if (upload.sha256) r.written.codeSha256s.add(upload.sha256);
    else r.written.codeUnknown = true; // S3 code: its SHA-256 is known only from Lambda's answer
  }
  const after = await r.port.updateCode(name, upload.code, state.revisionId, upload.architecture);
  if (inPlace) {
    r.written.codeSha256s.add(after.codeSha256);
    r.written.codeUnknown = false;
  }
  if (after.architecture !== upload.architecture) {
    throw new ConcurrentChangeError(name, `deploy the code for ${upload.architecture}`);
  }
  return after;
}

/**
 * Publishes `$LATEST`, hands the version to `record` at once (so that cleanup deletes it even when a
 * check below fails), and checks what it froze.
 *
 * @example
 * ```ts
 * await publishFrozen(record, 'my-fn', latest, description, 512, known, (v) => record.versions.push(v));
 * ```
 */
export async function publishFrozen(
  r: DeploymentRecord,
  name: string,
  state: FunctionState,
  description: string,
  memoryMb: number,
  known: Set<string>,
  record: (version: PreparedVersion) => void,
  cell?: GridCell
): Promise<void> {
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
  const published: PreparedVersion = {
    memoryMb,
    version,
    created: !seen && !known.has(version),
    ...(cell?.knobValue !== undefined ? { knobValue: cell.knobValue } : {}),
    ...(cell ? { architecture: cell.architecture } : {})
  };
  record(published);
  const frozen = await r.port.getFunction(name, version);
  // A new version with another description was published by someone else at the same moment.
  if (published.created && frozen.description !== description) published.created = false;
  if (frozen.memorySize !== memoryMb || frozen.codeSha256 !== state.codeSha256) {
    throw new LambdaCostGateError(
      `Version ${version} of ${name} froze ${frozen.memorySize} MB and code ${frozen.codeSha256}, not ${memoryMb} MB and ${state.codeSha256}`
    );
  }
  if (frozen.architecture !== state.architecture || !sameEnvironment(frozen.environment, state.environment)) {
    // Names and values stay out of the message: they may be secrets.
    throw new LambdaCostGateError(
      `Version ${version} of ${name} froze another architecture (${frozen.architecture}) or environment than $LATEST had`
    );
  }
}

/** Everything but the fields every change or read may move. */
function comparable(state: FunctionState): string {
  return JSON.stringify({ ...state, revisionId: '', lastUpdateStatus: '', state: '' });
}
