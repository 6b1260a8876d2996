/**
 * What a killed run left behind, found from Lambda alone (for the action's post step and a manual
 * clean-up): versions whose description says a run made them, a `$LATEST` that still carries a run's
 * description, and the run's temporary copy.
 *
 * A killed in-place run's original is recovered from Lambda: the run's safety version (description
 * `lambda-cost-gate run <id>: original`) or, when PublishVersion returned an existing version for it,
 * the newest version published before the run's own. Memory and code come from that version. Its
 * description is not the function's (a version's description is the PublishVersion parameter), so the
 * original description must come from the caller (saved when the run started, see
 * `DeploymentEvents.onOriginal`); without it, the description is reported instead of guessed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaCostGateError } from '../errors.js';
import type { FunctionState, LambdaPort } from '../sweep/types.js';
import { CleanupError, FunctionNotFoundError, type CleanupFailure } from './errors.js';
import { copyFunctionName, originalDescription, runIdOf } from './naming.js';
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
  options: { runId?: string } = {}
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
  if (mine(latestRun)) {
    const originalVersion = findOriginal(all, latestRun);
    leftovers.interrupted = { runId: latestRun, ...(originalVersion ? { originalVersion } : {}) };
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
 * Removes what {@link findLeftovers} found: restores an interrupted `$LATEST` first (memory and code
 * from the original version, the description from `original` when given), then deletes the versions
 * (the original one only once `$LATEST` is back) and the copies.
 *
 * @returns what was removed
 * @throws {@link CleanupError} listing what is left, each with the command that removes it by hand
 */
export async function removeLeftovers(
  port: LambdaPort,
  leftovers: Leftovers,
  options: { original?: { description: string }; log?: (line: string) => void } = {}
): Promise<{ removedVersions: string[]; removedCopies: string[]; restored: boolean }> {
  const log = options.log ?? (() => undefined);
  const name = leftovers.functionName;
  const failures: CleanupFailure[] = [];
  let restored = false;
  const interrupted = leftovers.interrupted;
  if (interrupted) {
    try {
      await restoreFromVersion(port, name, interrupted, options.original, log, failures);
      restored = true;
    } catch (error) {
      failures.push({
        item: `$LATEST of function ${name}`,
        manual: `restore memory, description and code of ${name} from version ${interrupted.originalVersion ?? '<its last good version>'}`,
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

/**
 * The version holding the run's original: its safety version, else the newest version that no run
 * made and that is older than every version of this run.
 */
function findOriginal(all: Array<{ version: string; description: string }>, runId: string): string | undefined {
  const safety = all.find((v) => v.description === originalDescription(runId));
  if (safety) return safety.version;
  const runVersions = all.filter((v) => runIdOf(v.description) === runId).map((v) => Number(v.version));
  const firstOfRun = Math.min(...runVersions, Number.POSITIVE_INFINITY);
  const before = all
    .filter((v) => runIdOf(v.description) === undefined && Number(v.version) < firstOfRun)
    .map((v) => Number(v.version));
  return before.length > 0 ? String(Math.max(...before)) : undefined;
}

async function restoreFromVersion(
  port: LambdaPort,
  name: string,
  interrupted: NonNullable<Leftovers['interrupted']>,
  known: { description: string } | undefined,
  log: (line: string) => void,
  failures: CleanupFailure[]
): Promise<void> {
  const { runId, originalVersion } = interrupted;
  if (!originalVersion) throw new LambdaCostGateError('no version holds the original configuration');
  const [latest, frozen] = [await port.getFunction(name), await port.getFunction(name, originalVersion)];
  if (runIdOf(latest.description) !== runId) return; // someone put it back meanwhile
  // The heuristic must not pick an unrelated version: all that the run does not change must match.
  if (unchangedByRuns(latest) !== unchangedByRuns(frozen)) {
    throw new LambdaCostGateError(
      `version ${originalVersion} differs from $LATEST in more than memory, description and code`
    );
  }
  // A version's description is the PublishVersion parameter, not the function's: never take it for one.
  const description = known?.description;
  if (description === undefined) {
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
        original: { ...frozen, description: description ?? latest.description },
        ours: { memorySize: () => true, description: (d) => runIdOf(d) === runId, codeSha256: () => true },
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
  const { runtime, handler, role, timeout, architecture, environment, layers, ephemeralStorageMb, vpc, logGroup } =
    state;
  return JSON.stringify({
    runtime,
    handler,
    role,
    timeout,
    architecture,
    environment,
    layers,
    ephemeralStorageMb,
    vpc,
    logGroup
  });
}
