/**
 * What a killed run left behind, found from Lambda alone (for the action's post step and a manual
 * clean-up): versions whose description says a run made them, a `$LATEST` that still carries a run's
 * description, and the run's temporary copy.
 *
 * A killed in-place run's original is recovered from Lambda: the run's safety version (description
 * `lambda-cost-gate run <id>: original`) or, when PublishVersion returned an existing version for it,
 * the newest version published before the run's own. Memory, code, architecture and environment come from
 * that version. Its description is not the function's (a version's description is the PublishVersion
 * parameter), so the original description must come from the caller (saved when the run started, see
 * `DeploymentEvents.onOriginal`) or from the safety version when it carries it; without it, the
 * description is reported instead of guessed.
 *
 * A post step knows its run id; the next run does not know which runs died. It goes by age
 * ({@link removeStaleRuns}): a run whose marks are still on `$LATEST` long after any live run would
 * have changed it again is dead; versions alone may belong to a run that is still measuring, so they
 * are left for as long as a job may run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaCostGateError } from '../errors.js';
import type { FunctionState, LambdaPort } from '../sweep/types.js';
import { differsInAtMostOneVariable } from './cells.js';
import { CleanupError, FunctionNotFoundError, type CleanupFailure } from './errors.js';
import {
  ageMs,
  copyFunctionName,
  differsFrom,
  findOriginalVersion,
  LATEST_STALE_AFTER_MS,
  otherRuns,
  parseOriginalDescription,
  runIdOf,
  VERSIONS_STALE_AFTER_MS,
  type AgedVersion
} from './naming.js';
import { restoreLatest } from './restore.js';
import { sha256Base64 } from './zip.js';

/** What {@link findLeftovers} found. */
export interface Leftovers {
  functionName: string;
  /** Versions a run made, by their description; the run's own when a runId was given. */
  versions: Array<{ version: string; description: string; runId: string }>;
  /** `$LATEST` still carries a run's description: that run stopped before putting it back. */
  interrupted?: { runId: string; originalVersion?: string };
  /** The run's temporary copy, when it still exists (looked for only when a runId was given). */
  copies: string[];
}

/**
 * The code the main step sent to `$LATEST`, saved before each upload (see post.ts): a run killed while
 * deploying leaves a candidate's code on `$LATEST` before it ever wrote its description there.
 */
export interface CodeJournal {
  /** CodeSha256 of `$LATEST` before the run. */
  originalCodeSha256: string;
  /** The other CodeSha256s the run sent. */
  written: string[];
  /** The run sent code whose SHA-256 it could not know (S3): any other code counts as its. */
  unknown?: boolean;
}

/** Does `$LATEST` hold code the journal says this run sent? */
function carriesJournaledCode(latest: { codeSha256: string }, journal: CodeJournal | undefined): boolean {
  if (!journal || latest.codeSha256 === journal.originalCodeSha256) return false;
  return journal.unknown === true || journal.written.includes(latest.codeSha256);
}

/**
 * Finds what runs left on a function. Pass the run id in a post step: without it every run's versions
 * are listed, including those of a run that is still going on elsewhere.
 *
 * @example
 * ```ts
 * const leftovers = await findLeftovers(port, 'my-fn', { runId: '1234-1' });
 * leftovers.versions.length; // 0 after a clean run
 * ```
 */
export async function findLeftovers(
  port: LambdaPort,
  name: string,
  options: { runId?: string; journal?: CodeJournal } = {}
): Promise<Leftovers> {
  const mine = (id: string | undefined): id is string =>
    id !== undefined && (options.runId === undefined || id === options.runId);
  const latest = await port.getFunction(name);
  const all = await port.listVersions(name);
  const versions = all.flatMap((v) => {
    const runId = runIdOf(v.description);
    return mine(runId) ? [{ ...v, runId }] : [];
  });
  const latestRun = runIdOf(latest.description);
  const leftovers: Leftovers = { functionName: name, versions, copies: [] };
  const interruptedRun = mine(latestRun)
    ? latestRun
    : options.runId !== undefined && carriesJournaledCode(latest, options.journal)
      ? options.runId
      : undefined;
  if (interruptedRun !== undefined) {
    const originalVersion = findOriginalVersion(all, interruptedRun);
    leftovers.interrupted = { runId: interruptedRun, ...(originalVersion ? { originalVersion } : {}) };
  }
  if (options.runId !== undefined) {
    const copy = copyFunctionName(latest.name, options.runId);
    try {
      // A function of that name is only ours if it says so.
      if ((await port.getFunction(copy)).description.startsWith('lambda-cost-gate ')) leftovers.copies.push(copy);
    } catch (error) {
      if (!(error instanceof FunctionNotFoundError)) throw error;
    }
  }
  return leftovers;
}

/**
 * Removes what {@link findLeftovers} found: restores an interrupted `$LATEST` first (memory, code,
 * architecture and environment from the original version, the description from `original` when given), then deletes the versions
 * (the original one only once `$LATEST` is back) and the copies.
 *
 * @returns what was removed
 * @throws {@link CleanupError} listing what is left, each with the command that removes it by hand
 */
export async function removeLeftovers(
  port: LambdaPort,
  leftovers: Leftovers,
  options: { original?: { description: string }; journal?: CodeJournal; log?: (line: string) => void } = {}
): Promise<{ removedVersions: string[]; removedCopies: string[]; restored: boolean }> {
  const log = options.log ?? (() => undefined);
  const name = leftovers.functionName;
  const failures: CleanupFailure[] = [];
  let restored = false;
  const interrupted = leftovers.interrupted;
  if (interrupted) {
    try {
      await restoreFromVersion(port, name, interrupted, options, log, failures);
      restored = true;
    } catch (error) {
      failures.push({
        item: `$LATEST of function ${name}`,
        manual: `restore memory, description, environment, architecture and code of ${name} from version ${interrupted.originalVersion ?? '<its last good version>'}`,
        error
      });
    }
  }
  const removedVersions: string[] = [];
  for (const { version } of leftovers.versions) {
    if (!restored && version === interrupted?.originalVersion) continue; // the one copy of the original
    try {
      await port.deleteVersion(name, version);
      removedVersions.push(version);
    } catch (error) {
      failures.push({
        item: `version ${version} of ${name}`,
        manual: `aws lambda delete-function --function-name ${name} --qualifier ${version}`,
        error
      });
    }
  }
  const removedCopies: string[] = [];
  for (const copy of leftovers.copies) {
    try {
      await port.deleteFunction(copy);
      removedCopies.push(copy);
    } catch (error) {
      failures.push({ item: `function ${copy}`, manual: `aws lambda delete-function --function-name ${copy}`, error });
    }
  }
  if (failures.length > 0) throw new CleanupError(failures);
  return { removedVersions, removedCopies, restored };
}

async function restoreFromVersion(
  port: LambdaPort,
  name: string,
  interrupted: NonNullable<Leftovers['interrupted']>,
  known: { original?: { description: string }; journal?: CodeJournal },
  log: (line: string) => void,
  failures: CleanupFailure[]
): Promise<void> {
  const { runId, originalVersion } = interrupted;
  const journal = known.journal;
  if (!originalVersion) throw new LambdaCostGateError('no version holds the original configuration');
  const [latest, frozen] = [await port.getFunction(name), await port.getFunction(name, originalVersion)];
  const marked = runIdOf(latest.description) === runId;
  if (!marked && !carriesJournaledCode(latest, journal)) return; // someone put it back meanwhile
  // The heuristic must not pick an unrelated version: all that the run does not change must match, and
  // the environment may differ only in the one variable a grid run sets.
  if (
    unchangedByRuns(latest) !== unchangedByRuns(frozen) ||
    !differsInAtMostOneVariable(frozen.environment, latest.environment)
  ) {
    throw new LambdaCostGateError(
      `version ${originalVersion} differs from $LATEST in more than memory, description, code, architecture and one environment variable`
    );
  }
  // A version's description is the PublishVersion parameter, not the function's: never take it for one.
  const description = known.original?.description;
  if (description === undefined && marked) {
    failures.push({
      item: `the description of ${name}`,
      manual: `aws lambda update-function-configuration --function-name ${name} --description "<its original description>"`,
      error: new LambdaCostGateError('the original description is not known, so it was left as the run set it')
    });
  }
  let dir: string | undefined;
  try {
    await restoreLatest(
      port,
      name,
      {
        // Environment and architecture come from the version, which Lambda holds: the post step never saved
        // the environment (its values may be secrets).
        original: { ...frozen, description: description ?? latest.description },
        ours: {
          memorySize: () => true,
          description: (d) => runIdOf(d) === runId,
          // A run sets them together with its description (and only after it), so on a $LATEST that carries
          // the run's mark they are the run's; without the mark they are someone else's.
          architecture: () => marked,
          environment: () => marked,
          // Without a journal, any code on a $LATEST that carries the run's description is taken for its.
          codeSha256: (sha) => !journal || carriesJournaledCode({ codeSha256: sha }, journal)
        },
        originalZip: async () => {
          const bytes = await port.downloadCode(`${name}:${originalVersion}`);
          if (sha256Base64(bytes) !== frozen.codeSha256)
            throw new LambdaCostGateError("the downloaded code is not the version's");
          dir = await mkdtemp(join(tmpdir(), 'lambda-cost-gate-'));
          await writeFile(join(dir, 'original.zip'), bytes);
          return join(dir, 'original.zip');
        }
      },
      log
    );
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** The configuration a run never changes, to check that a version is the run's original. */
function unchangedByRuns(state: FunctionState): string {
  const { runtime, handler, role, timeout, layers, ephemeralStorageMb, vpc, logGroup } = state;
  return JSON.stringify({ runtime, handler, role, timeout, layers, ephemeralStorageMb, vpc, logGroup });
}

/**
 * For the next run: removes what dead runs left on a function (see the module's notes on age), never
 * what a live run may still use. A `$LATEST` is put back with the description its run's safety version
 * carries, else an empty one (a run's description must not stay: it marks the function as in use).
 *
 * @example
 * ```ts
 * const notes = await removeStaleRuns(port, 'orders', { ownRunId: '42-1-ab', aged, now: new Date() });
 * // ['Removed what run 41-1-cd left on orders: 3 versions deleted.']
 * ```
 * @returns one line per run dealt with or left alone on purpose, for the log
 * @throws {@link CleanupError} when something could not be removed
 */
export async function removeStaleRuns(
  port: LambdaPort,
  name: string,
  options: { ownRunId: string; aged: AgedVersion[]; now: Date; log?: (line: string) => void }
): Promise<string[]> {
  const { aged, now } = options;
  const { latest, runs } = otherRuns(aged, options.ownRunId);
  const notes: string[] = [];
  for (const run of runs) {
    const found: Leftovers = {
      functionName: name,
      versions: run.versions.map((v) => ({ version: v.version, description: v.description, runId: run.runId })),
      copies: []
    };
    if (run.onLatest) {
      if (ageMs(latest, now) < LATEST_STALE_AFTER_MS) continue;
      const originalVersion = findOriginalVersion(aged, run.runId);
      found.interrupted = { runId: run.runId, ...(originalVersion ? { originalVersion } : {}) };
    } else if (run.safety && differsFrom(latest, run.safety)) {
      // Without the run's description on $LATEST, its candidate cannot be told from a later deployment.
      if (ageMs(latest, now) >= LATEST_STALE_AFTER_MS) {
        notes.push(
          `Run ${run.runId} left version ${run.safety.version} of ${name} (its original) and $LATEST differs from it: left alone. ` +
            `If $LATEST holds that run's candidate, restore it from version ${run.safety.version}; then delete the run's versions.`
        );
      }
      continue;
    } else if (run.versions.some((v) => ageMs(v, now) < VERSIONS_STALE_AFTER_MS)) {
      continue;
    }
    const carried = run.safety ? parseOriginalDescription(run.safety.description)?.functionDescription : undefined;
    const removed = await removeLeftovers(port, found, {
      original: { description: carried ?? '' },
      ...(options.log ? { log: options.log } : {})
    });
    notes.push(
      `Removed what run ${run.runId} left on ${name}: ${removed.restored ? '$LATEST put back, ' : ''}` +
        `${removed.removedVersions.length} versions deleted.` +
        (removed.restored && carried === undefined
          ? ` Its original description was not recorded, so the description is now empty: set it again.`
          : '')
    );
  }
  return notes;
}
