/**
 * The names and descriptions a run leaves on Lambda, and how they are read again: which run made a
 * version, which version holds a run's original, whether another run is at work on a function. They
 * are how a later step recognises what a run made (and only that), so they live in one place.
 */
import { createHash } from 'node:crypto';
import { LambdaCostGateError } from '../errors.js';

/** Every description a run writes starts with this; nothing else is ever deleted by description. */
export const RUN_DESCRIPTION_PREFIX = 'lambda-cost-gate run ';

/** The description of `$LATEST` and of the version published for one memory size. */
export function runDescription(runId: string, memoryMb: number): string {
  return `${RUN_DESCRIPTION_PREFIX}${runId}: ${memoryMb} MB`;
}

/** A knob value shown as it is in a description; any other is shown as a hash (still one per value). */
const PLAIN_VALUE = /^[A-Za-z0-9._+-]{1,32}$/;

/**
 * The description of `$LATEST` and of the version published for one grid cell. Each cell has its own, so
 * every cell is a new version and a killed run's versions are still known as its own. A knob value that
 * could read as part of the format (`: `) or is long is replaced by `#` and 8 hex digits of its SHA-256.
 *
 * @example
 * ```ts
 * cellDescription('42', { memoryMb: 512, architecture: 'arm64', knobValue: '4' }, 'THREADS');
 * // 'lambda-cost-gate run 42: 512 MB arm64 THREADS=4'
 * ```
 */
export function cellDescription(
  runId: string,
  cell: { memoryMb: number; architecture: string; knobValue?: string },
  knobName?: string
): string {
  const value = cell.knobValue;
  const shown =
    value === undefined || PLAIN_VALUE.test(value)
      ? value
      : `#${createHash('sha256').update(value).digest('hex').slice(0, 8)}`;
  const knob = shown === undefined || knobName === undefined ? '' : ` ${knobName}=${shown}`;
  return `${RUN_DESCRIPTION_PREFIX}${runId}: ${cell.memoryMb} MB ${cell.architecture}${knob}`;
}

/** Lambda's limit on a description, in characters. */
const MAX_DESCRIPTION = 256;
/** What separates a run id from a carried description in a safety version's description. */
const CARRIED = ': original; description "';

/**
 * The description of the safety version that freezes the original `$LATEST` before any change. A
 * version's description is the PublishVersion parameter, not the function's, so the function's own
 * description is carried along when it fits: a later run that finds the version after a killed run
 * can then put it back (see {@link parseOriginalDescription}).
 *
 * @example
 * ```ts
 * originalDescription('42-1-ab'); // 'lambda-cost-gate run 42-1-ab: original'
 * originalDescription('42-1-ab', 'Orders API'); // 'lambda-cost-gate run 42-1-ab: original; description "Orders API"'
 * ```
 */
export function originalDescription(runId: string, functionDescription?: string): string {
  const plain = `${RUN_DESCRIPTION_PREFIX}${runId}: original`;
  if (functionDescription === undefined) return plain;
  const carried = `${plain}; description ${JSON.stringify(functionDescription)}`;
  return carried.length <= MAX_DESCRIPTION ? carried : plain;
}

/**
 * Reads a safety version's description: the run that made it and, when it was carried, the function's
 * own description at the time. Undefined for any other description.
 */
export function parseOriginalDescription(
  description: string
): { runId: string; functionDescription?: string } | undefined {
  const runId = runIdOf(description);
  if (runId === undefined) return undefined;
  const rest = description.slice(`${RUN_DESCRIPTION_PREFIX}${runId}: `.length);
  if (rest === 'original') return { runId };
  const carried = /^original; description (".*")$/s.exec(rest);
  if (!carried) return undefined;
  try {
    const functionDescription: unknown = JSON.parse(carried[1]!);
    return typeof functionDescription === 'string' ? { runId, functionDescription } : { runId };
  } catch {
    // Edited by hand into something that is not JSON: the run is still known, the description is not.
    return { runId };
  }
}

/**
 * The run id in a description this project wrote, or undefined for any other description. The run id
 * ends at the last `: ` (before `512 MB` or `original`), or before a carried description, which may
 * contain `: ` itself.
 */
export function runIdOf(description: string): string | undefined {
  if (!description.startsWith(RUN_DESCRIPTION_PREFIX)) return undefined;
  const rest = description.slice(RUN_DESCRIPTION_PREFIX.length);
  const carried = rest.indexOf(CARRIED);
  const end = carried > 0 ? carried : rest.lastIndexOf(': ');
  return end > 0 ? rest.slice(0, end) : undefined;
}

/** Lambda function names: letters, digits, `-` and `_`, at most 64 characters. */
const MAX_NAME = 64;

/**
 * The temporary copy's name: `<name>-lcg-<short run id>`, cut to Lambda's 64 characters. A run id
 * that is long or not name-safe is replaced by 8 hex digits of its SHA-256, so the name is still the
 * same for the same run (a later step can find the copy again).
 *
 * @example
 * ```ts
 * copyFunctionName('checkout-api', '1234567890'); // 'checkout-api-lcg-1234567890'
 * ```
 */
export function copyFunctionName(name: string, runId: string): string {
  const short = /^[A-Za-z0-9_-]{1,10}$/.test(runId)
    ? runId
    : createHash('sha256').update(runId).digest('hex').slice(0, 8);
  const suffix = `-lcg-${short}`;
  return `${name.slice(0, MAX_NAME - suffix.length)}${suffix}`;
}

/**
 * The version holding a run's original: its safety version, else the newest version that no run made
 * and that is older than every version of the run (PublishVersion returned an existing version).
 *
 * @example
 * ```ts
 * findOriginalVersion([{ version: '3', description: 'lambda-cost-gate run 42: original' }], '42'); // '3'
 * ```
 */
export function findOriginalVersion(
  all: Array<{ version: string; description: string }>,
  runId: string
): string | undefined {
  const versions = all.filter((v) => v.version !== '$LATEST');
  const safety = versions.find((v) => parseOriginalDescription(v.description)?.runId === runId);
  if (safety) return safety.version;
  const runVersions = versions.filter((v) => runIdOf(v.description) === runId).map((v) => Number(v.version));
  const firstOfRun = Math.min(...runVersions, Number.POSITIVE_INFINITY);
  const before = versions
    .filter((v) => runIdOf(v.description) === undefined && Number(v.version) < firstOfRun)
    .map((v) => Number(v.version));
  return before.length > 0 ? String(Math.max(...before)) : undefined;
}

/** `$LATEST` or a version as ListVersionsByFunction lists it, with its LastModified. */
export interface AgedVersion {
  /** `$LATEST` or a version number. */
  version: string;
  description: string;
  lastModified: Date;
  codeSha256: string;
  memorySize: number;
}

/**
 * `$LATEST` still carries a run's marks this long after its last change: that run is dead. A live run
 * changes `$LATEST` again within minutes while it prepares (each step waits at most 5 minutes).
 */
export const LATEST_STALE_AFTER_MS = 15 * 60_000;
/**
 * Another run's versions, with no mark of it on `$LATEST`, are this old before a later run deletes them:
 * the run may still be measuring them, for as long as a job may run (6 hours on GitHub-hosted runners).
 */
export const VERSIONS_STALE_AFTER_MS = 6 * 60 * 60_000;

/** Another run's marks on a function. */
export interface OtherRun {
  runId: string;
  versions: AgedVersion[];
  /** Its safety version: the original `$LATEST`, frozen before the run changed it. */
  safety?: AgedVersion;
  /** `$LATEST` carries the run's description. */
  onLatest: boolean;
}

/**
 * Every run but `ownRunId` with marks on the function, and `$LATEST`.
 *
 * @example
 * ```ts
 * const { latest, runs } = otherRuns(aged, '42-1-ab');
 * runs.map((run) => run.runId); // ['41-1-cd'] when run 41 left versions
 * ```
 */
export function otherRuns(aged: AgedVersion[], ownRunId: string): { latest: AgedVersion; runs: OtherRun[] } {
  const latest = aged.find((v) => v.version === '$LATEST');
  if (!latest) throw new LambdaCostGateError('ListVersionsByFunction did not list $LATEST');
  const runs = new Map<string, OtherRun>();
  for (const v of aged) {
    const runId = runIdOf(v.description);
    if (runId === undefined || runId === ownRunId) continue;
    const run = runs.get(runId) ?? { runId, versions: [], onLatest: false };
    runs.set(runId, run);
    if (v.version === '$LATEST') {
      run.onLatest = true;
    } else {
      run.versions.push(v);
      if (parseOriginalDescription(v.description)) run.safety = v;
    }
  }
  return { latest, runs: [...runs.values()] };
}

/** Code or memory of `$LATEST` is not what a safety version froze. */
export const differsFrom = (latest: AgedVersion, safety: AgedVersion): boolean =>
  latest.codeSha256 !== safety.codeSha256 || latest.memorySize !== safety.memorySize;
/** How long ago a version (or `$LATEST`) last changed, in ms. */
export const ageMs = (v: AgedVersion, now: Date): number => now.getTime() - v.lastModified.getTime();
const ago = (v: AgedVersion, now: Date): string => `${Math.round(ageMs(v, now) / 60_000)} min ago`;

/**
 * Is another run changing the function now? Its description on `$LATEST`, or a `$LATEST` that differs
 * from that run's safety version and changed within {@link LATEST_STALE_AFTER_MS}. A run that only
 * measures its versions does not count: `$LATEST` is back to the original then, and nothing it still
 * does can meet this run's changes.
 *
 * @example
 * ```ts
 * const other = runInProgress(aged, '42-1-ab', new Date());
 * if (other) throw new RunInProgressError('orders', other.runId, other.evidence);
 * ```
 */
export function runInProgress(
  aged: AgedVersion[],
  ownRunId: string,
  now: Date
): { runId: string; evidence: string } | undefined {
  const { latest, runs } = otherRuns(aged, ownRunId);
  for (const run of runs) {
    if (run.onLatest) {
      return { runId: run.runId, evidence: `$LATEST carries its description, set ${ago(latest, now)}` };
    }
    if (run.safety && differsFrom(latest, run.safety) && ageMs(latest, now) < LATEST_STALE_AFTER_MS) {
      return {
        runId: run.runId,
        evidence: `$LATEST has other code or memory than version ${run.safety.version}, which that run saved as the original, and changed ${ago(latest, now)}`
      };
    }
  }
  return undefined;
}
