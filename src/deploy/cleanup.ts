/**
 * Undoes a deployment, best-effort item by item: put `$LATEST` back, delete the versions the run
 * created, delete the temporary copy. Every failure is collected; one {@link CleanupError} lists them
 * all with the command that finishes the job by hand.
 */
import { rm } from 'node:fs/promises';
import { AwsCallError, LambdaCostGateError } from '../errors.js';
import { restorePlan, type DeploymentRecord } from './record.js';
import { CleanupError, FunctionNotFoundError, UpdateInProgressError, type CleanupFailure } from './errors.js';
import { FunctionDeletedError } from './fault-errors.js';
import { RUN_DESCRIPTION_PREFIX } from './naming.js';
import { restoreLatest } from './restore.js';
import { retryWithBackoff } from './retry.js';

/**
 * Cleans up after {@link DeploymentRecord}; marks what it removed so a second call only retries the rest.
 *
 * @throws {@link CleanupError} when anything is left; {@link FunctionDeletedError} when someone else deleted
 *   the function meanwhile (its versions went with it: nothing is left, and nothing else could be done)
 */
export async function runCleanup(r: DeploymentRecord): Promise<void> {
  const failures: CleanupFailure[] = [];
  const attempt = async (item: string, manual: string, action: () => Promise<void>): Promise<boolean> => {
    try {
      await action();
      return true;
    } catch (error) {
      failures.push({ item, manual, error });
      return false;
    }
  };

  if (r.settings.mode === 'in-place') {
    await cleanUpInPlace(r, attempt, failures);
    await throwIfDeleted(r, failures);
  } else if (r.copy?.owned && !r.removed.has(`function:${r.copy.name}`)) {
    const copy = r.copy.name;
    const deleted = await attempt(
      `the temporary copy ${copy}`,
      `aws lambda delete-function --function-name ${copy}`,
      () => whileUpdating(r, () => r.port.deleteFunction(copy))
    );
    if (deleted) r.removed.add(`function:${copy}`);
  }

  if (failures.length > 0) throw new CleanupError(failures);
  // Only when all went well: the kept original zip is what a person needs to restore the code by hand.
  if (r.tempDir) await rm(r.tempDir, { recursive: true, force: true });
  delete r.tempDir;
}

type Attempt = (item: string, manual: string, action: () => Promise<void>) => Promise<boolean>;

async function cleanUpInPlace(r: DeploymentRecord, attempt: Attempt, failures: CleanupFailure[]): Promise<void> {
  const fn = r.name;
  if (r.touched && !r.restored) {
    const grid = r.written.architectures.size > 0 || r.written.knobValues.size > 0;
    const what = grid ? 'memory, description, environment, architecture, code' : 'memory, description, code';
    await attempt(`$LATEST of function ${fn} (${what})`, manualRestore(r), async () => {
      r.log(`The run stopped before $LATEST of ${fn} was put back; restoring it now`);
      await restoreLatest(r.port, fn, restorePlan(r), r.log);
      r.restored = true;
    });
  }

  const recorded = [r.safety, ...r.versions].filter((v) => v !== undefined);
  const ours = recorded.filter((v) => v.created).map((v) => v.version);
  // A version Lambda published but whose reply never reached us is still ours: it is new since the
  // run started and carries this run's description. Nothing else is ever picked up here. Only a publish
  // that failed can have left one: otherwise every version is recorded, and the listing is not needed.
  if (r.known && r.unconfirmedPublish) {
    const known = r.known;
    const prefix = `${RUN_DESCRIPTION_PREFIX}${r.settings.runId}: `;
    await attempt(
      `the version list of function ${fn}`,
      `aws lambda list-versions-by-function --function-name ${fn}`,
      async () => {
        for (const v of await r.port.listVersions(fn)) {
          const unrecorded = !known.has(v.version) && !recorded.some((rec) => rec.version === v.version);
          if (unrecorded && v.description.startsWith(prefix)) ours.push(v.version);
        }
      }
    );
  }

  // While $LATEST is not back, the safety version is the one copy Lambda holds of the original.
  const keep = r.restored ? undefined : r.safety?.version;
  for (const version of ours) {
    if (r.removed.has(`version:${version}`)) continue;
    const manual = `aws lambda delete-function --function-name ${fn} --qualifier ${version}`;
    if (version === keep) {
      failures.push({
        item: `version ${version} of function ${fn}`,
        manual: `restore $LATEST from it first, then ${manual}`,
        error: new LambdaCostGateError('kept on purpose: it holds the original code and configuration')
      });
      continue;
    }
    const deleted = await attempt(`version ${version} of function ${fn}`, manual, () =>
      whileUpdating(r, () => r.port.deleteVersion(fn, version))
    );
    if (deleted) r.removed.add(`version:${version}`);
  }
}

/**
 * A function someone else deleted during the run explains every failure above (and its versions are gone
 * with it): say that instead of listing things to remove by hand that no longer exist.
 */
async function throwIfDeleted(r: DeploymentRecord, failures: CleanupFailure[]): Promise<void> {
  if (!r.original) return; // never read: it did not exist to begin with, which prepare has said already
  try {
    await r.port.getFunction(r.name);
  } catch (error) {
    if (!(error instanceof FunctionNotFoundError)) return; // the failures, if any, say what is wrong
    if (r.tempDir) await rm(r.tempDir, { recursive: true, force: true });
    delete r.tempDir;
    throw new FunctionDeletedError(r.name, 'put it back and delete its versions', failures[0]?.error ?? error);
  }
}

/**
 * DeleteFunction answers 409 while an update of the function is in progress; that clears within seconds,
 * so it is retried (with full-jitter backoff) rather than left for someone to delete by hand.
 */
function whileUpdating(r: DeploymentRecord, remove: () => Promise<void>): Promise<void> {
  return retryWithBackoff(remove, isUpdateInProgress, {
    maxTotalMs: 30_000,
    onRetry: (attempt, delayMs) => r.log(`${r.name} is being updated; deletion retry ${attempt} in ${delayMs} ms`)
  });
}

function isUpdateInProgress(error: unknown): boolean {
  if (error instanceof UpdateInProgressError) return true;
  const cause = error instanceof AwsCallError ? error.cause : undefined;
  // Also 409, but permanent: "…the following aliases reference it". Only the passing states are retried.
  return (
    cause instanceof Error &&
    cause.name === 'ResourceConflictException' &&
    /update is in progress|following state: Pending/i.test(cause.message)
  );
}

/**
 * The commands that put `$LATEST` back by hand. The environment's values never appear (they may be secrets):
 * the command reads them from the safety version, which holds the original.
 */
function manualRestore(r: DeploymentRecord): string {
  const o = r.original;
  if (!o) return 'read the function and compare it with its last version';
  const fn = r.name;
  const safety = r.safety?.version ?? '<its last good version>';
  const environment =
    r.written.knobValues.size > 0
      ? ` --environment "$(aws lambda get-function-configuration --function-name ${fn} --qualifier ${safety} --query '{Variables: Environment.Variables}' --output json)"`
      : '';
  const config = `aws lambda update-function-configuration --function-name ${fn} --memory-size ${o.memorySize} --description ${JSON.stringify(o.description)}${environment}`;
  const architecture = r.written.architectures.size > 0 ? ` --architectures ${o.architecture}` : '';
  if (r.written.codeSha256s.size === 0 && !r.written.codeUnknown && architecture === '') return config;
  const zip = r.originalZip ?? `<the code of version ${safety}>`;
  return `${config}; aws lambda update-function-code --function-name ${fn} --zip-file fileb://${zip}${architecture}`;
}
