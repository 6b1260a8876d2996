/**
 * The action's `post:` step, and the journal the main step keeps for it. The runner cancels a job with a
 * signal and kills it soon after; when the main step was killed mid-sweep, a function may still carry a
 * candidate's memory or code, and the run's versions (or its temporary copy) may still exist. The main
 * step saves (`saveState`) each function as it was before any change, and the SHA-256 of every code it
 * is about to upload, BEFORE the upload: a run killed during the upload leaves code that carries no mark.
 * This step looks for what that run left, by its run id and that journal, and removes it. After a clean
 * run it finds nothing and changes nothing.
 *
 * {@link guardLambdaPort} is the main step's side: it keeps the journal, refuses to start changing a
 * function another run is changing, and once the run is cancelled lets through only the changes that
 * put the function back, noting each one for the message that tells what was put back.
 */
import * as core from '@actions/core';
import { z } from 'zod';
import { readCandidateZip } from './deploy/code.js';
import { RunCancelledError, RunInProgressError } from './deploy/errors.js';
import { findLeftovers, removeLeftovers, type CodeJournal, type Leftovers } from './deploy/leftovers.js';
import { runInProgress, type AgedVersion } from './deploy/naming.js';
import { createAwsPorts } from './gate/aws-ports.js';
import type { AwsPorts } from './gate/run-gate.js';
import { parseAwsInputs } from './inputs/config.js';
import { environmentDigest } from './security/environment-digest.js';
import type { CandidateCode, FunctionState, LambdaPort } from './sweep/types.js';

/** Set by the main step; the post step runs the same bundle and tells itself apart by it. */
export const STATE_IS_POST = 'isPost';
/** What the main step changed, for the post step. */
export const STATE_CLEANUP = 'cleanup';

// The fields after `description` came later: state saved by an older main step has none of them.
const entrySchema = z.object({
  functionName: z.string(),
  region: z.string(),
  runId: z.string(),
  description: z.string(),
  memorySize: z.number().optional(),
  codeSha256: z.string().optional(),
  /** CodeSha256s the run was about to upload to `$LATEST`. */
  writtenCode: z.array(z.string()).optional(),
  /** The run uploaded code from S3, whose SHA-256 it could not know beforehand. */
  codeUnknown: z.boolean().optional(),
  architecture: z.enum(['x86_64', 'arm64']).optional()
});
type CleanupEntry = z.infer<typeof entrySchema>;

const recorded: CleanupEntry[] = [];
/** Keyed digests of the original environments, by plain name: in memory only, never saved (secrets). */
const originalEnvironments = new Map<string, string>();

/** `orders` for `orders`, `arn:aws:lambda:…:function:orders` and `123456789012:function:orders`. */
function plainName(nameOrArn: string): string {
  return /(?:^|:)function:([^:]+)/.exec(nameOrArn)?.[1] ?? nameOrArn;
}

function entryOf(name: string): CleanupEntry | undefined {
  return recorded.find((entry) => plainName(entry.functionName) === plainName(name));
}

/**
 * Records a function as it was before the run changed it; saved at once, since the step may be killed next.
 *
 * @example
 * ```ts
 * recordForCleanup(await port.getFunction('orders'), '42-1-ab');
 * ```
 */
export function recordForCleanup(original: FunctionState, runId: string): void {
  recorded.push({
    functionName: original.arn,
    region: original.region,
    runId,
    description: original.description,
    memorySize: original.memorySize,
    codeSha256: original.codeSha256,
    writtenCode: [],
    architecture: original.architecture
  });
  originalEnvironments.set(plainName(original.arn), environmentDigest(original.environment));
  core.saveState(STATE_CLEANUP, JSON.stringify(recorded));
}

/** Records code about to be uploaded to a recorded function (undefined: from S3, SHA-256 unknown). */
function recordCodeWrite(entry: CleanupEntry, sha256: string | undefined): void {
  if (sha256 === undefined) entry.codeUnknown = true;
  else if (!entry.writtenCode?.includes(sha256)) entry.writtenCode = [...(entry.writtenCode ?? []), sha256];
  core.saveState(STATE_CLEANUP, JSON.stringify(recorded));
}

function journalOf(entry: CleanupEntry): CodeJournal | undefined {
  if (entry.codeSha256 === undefined) return undefined;
  return {
    originalCodeSha256: entry.codeSha256,
    written: entry.writtenCode ?? [],
    ...(entry.codeUnknown ? { unknown: true } : {})
  };
}

/** What the guarded run did to put things back, per function (plain name). */
interface LedgerEntry {
  restored: Set<string>;
  deletedVersions: string[];
  deletedCopy?: string;
}

const ledger = new Map<string, LedgerEntry>();

function ledgerOf(name: string): LedgerEntry {
  const key = plainName(name);
  const entry = ledger.get(key) ?? { restored: new Set<string>(), deletedVersions: [] };
  ledger.set(key, entry);
  return entry;
}

/**
 * What the guarded run put back and deleted, one sentence per recorded function.
 *
 * @example
 * ```ts
 * putBackSummary(); // 'orders: $LATEST put back (code, memory, description), versions 3, 4 deleted.'
 * ```
 */
export function putBackSummary(): string {
  if (recorded.length === 0) return 'No function had been changed yet.';
  return recorded
    .map((entry) => {
      const name = plainName(entry.functionName);
      const done = ledger.get(name);
      const parts = [
        done?.restored.size ? `$LATEST put back (${[...done.restored].join(', ')})` : '',
        done?.deletedVersions.length
          ? `version${done.deletedVersions.length > 1 ? 's' : ''} ${done.deletedVersions.join(', ')} deleted`
          : '',
        done?.deletedCopy ? `the temporary copy ${done.deletedCopy} deleted` : ''
      ].filter((part) => part !== '');
      return `${name}: ${parts.length > 0 ? parts.join(', ') : 'nothing had been changed'}.`;
    })
    .join(' ');
}

/**
 * Wraps the main step's Lambda port: journals code before it is uploaded; refuses to start when another
 * run is changing the function (checked when the deployer lists the versions, right after it read the
 * original, so that it never takes another run's candidate for the original); and once `signal` is
 * aborted, refuses every change but those that put a recorded value back.
 *
 * @example
 * ```ts
 * const lambda = guardLambdaPort(ports.lambda, { runId, signal, listVersionsWithAge });
 * await runGate(settings, context, { ...deps, portsFor: () => ({ ...ports, lambda }) });
 * ```
 */
export function guardLambdaPort(
  port: LambdaPort,
  options: {
    runId: string;
    signal: AbortSignal;
    listVersionsWithAge: (name: string) => Promise<AgedVersion[]>;
    now?: () => Date;
    /** Told when the run starts putting things back (for the cancellation message). */
    onStep?: (step: string) => void;
  }
): LambdaPort {
  const changed = new Set<string>();
  const checked = new Set<string>();
  const refuse = (doing: string): void => {
    if (options.signal.aborted) throw new RunCancelledError(String(options.signal.reason), doing);
  };
  const step = (text: string) => options.onStep?.(text);

  return {
    ...port,
    async listVersions(name) {
      const key = plainName(name);
      if (entryOf(name) && !changed.has(key) && !checked.has(key)) {
        checked.add(key);
        const other = runInProgress(
          await options.listVersionsWithAge(name),
          options.runId,
          options.now?.() ?? new Date()
        );
        if (other) throw new RunInProgressError(key, other.runId, other.evidence);
      }
      return port.listVersions(name);
    },
    async updateCode(name, code, revisionId, architecture) {
      const entry = entryOf(name);
      const sha256 = await codeSha256(code);
      // The original code on another architecture is a grid cell's upload, not a restore.
      const restoring =
        entry !== undefined &&
        sha256 === entry.codeSha256 &&
        (architecture === undefined || entry.architecture === undefined || architecture === entry.architecture);
      if (!restoring) {
        refuse(`deploy code to ${name}`);
        changed.add(plainName(name));
        if (entry) recordCodeWrite(entry, sha256);
      } else step(`putting the code of ${plainName(name)} back`);
      const state = await port.updateCode(name, code, revisionId, architecture);
      if (restoring) ledgerOf(name).restored.add('code');
      return state;
    },
    async updateConfiguration(name, change, revisionId) {
      const entry = entryOf(name);
      const restoring =
        entry !== undefined &&
        (change.environment === undefined ||
          environmentDigest(change.environment) === originalEnvironments.get(plainName(name))) &&
        (change.memorySize === undefined || change.memorySize === entry.memorySize) &&
        (change.description === undefined || change.description === entry.description);
      if (!restoring) {
        refuse(`change the configuration of ${name}`);
        changed.add(plainName(name));
      } else step(`putting the configuration of ${plainName(name)} back`);
      const state = await port.updateConfiguration(name, change, revisionId);
      if (restoring && change.memorySize !== undefined) ledgerOf(name).restored.add('memory');
      if (restoring && change.description !== undefined) ledgerOf(name).restored.add('description');
      if (restoring && change.environment !== undefined) ledgerOf(name).restored.add('environment');
      return state;
    },
    async publishVersion(name, expected) {
      refuse(`publish a version of ${name}`);
      changed.add(plainName(name));
      return port.publishVersion(name, expected);
    },
    async createCopy(name, source, code, tags) {
      refuse(`create the temporary copy ${name}`);
      return port.createCopy(name, source, code, tags);
    },
    async deleteVersion(name, version) {
      step(`deleting the versions of ${plainName(name)}`);
      await port.deleteVersion(name, version);
      ledgerOf(name).deletedVersions.push(version);
    },
    async deleteFunction(name) {
      step(`deleting the temporary copy ${name}`);
      await port.deleteFunction(name);
      const source = recorded.find((entry) => name.startsWith(`${plainName(entry.functionName)}-lcg-`));
      ledgerOf(source?.functionName ?? name).deletedCopy = name;
    }
  };
}

async function codeSha256(code: CandidateCode): Promise<string | undefined> {
  return (await readCandidateZip(code))?.sha256;
}

/**
 * What the recorded functions still carry of this run, checked from Lambda (after a cancelled run, to
 * say honestly whether anything is left). One line per function that is not clean.
 *
 * @example
 * ```ts
 * const left = await recordedLeftovers((region) => aws.portsFor(region)); // [] when nothing is left
 * ```
 */
export async function recordedLeftovers(portsFor: (region: string) => AwsPorts): Promise<string[]> {
  const left: string[] = [];
  for (const entry of recorded) {
    const found = await findLeftovers(portsFor(entry.region).lambda, entry.functionName, {
      runId: entry.runId,
      ...(journalOf(entry) ? { journal: journalOf(entry) } : {})
    });
    if (!isClean(found)) left.push(leftoverText(found));
  }
  return left;
}

function isClean(found: Leftovers): boolean {
  return !found.interrupted && found.versions.length === 0 && found.copies.length === 0;
}

function leftoverText(found: Leftovers): string {
  return [
    found.interrupted ? `$LATEST of ${found.functionName} still carries the run's changes` : '',
    found.versions.length ? `versions ${found.versions.map((v) => v.version).join(', ')}` : '',
    found.copies.length ? `the copy ${found.copies.join(', ')}` : ''
  ]
    .filter((part) => part !== '')
    .join(', ');
}

/**
 * Removes what the main step left. Throws a CleanupError (naming what is left and the command that removes
 * it) when something cannot be removed.
 */
export async function runPost(): Promise<void> {
  const raw = core.getState(STATE_CLEANUP);
  const entries = raw === '' ? [] : z.array(entrySchema).parse(JSON.parse(raw));
  if (entries.length === 0) {
    core.info('Nothing to clean up: the main step changed no function.');
    return;
  }
  const aws = createAwsPorts({ ...parseAwsInputs((name) => core.getInput(name)), log: (line) => core.debug(line) });
  try {
    for (const entry of entries) {
      const { lambda } = aws.portsFor(entry.region);
      const journal = journalOf(entry);
      const leftovers = await findLeftovers(lambda, entry.functionName, {
        runId: entry.runId,
        ...(journal ? { journal } : {})
      });
      if (isClean(leftovers)) {
        core.info(`${entry.functionName}: nothing left by run ${entry.runId}.`);
        continue;
      }
      const removed = await removeLeftovers(lambda, leftovers, {
        original: { description: entry.description },
        ...(journal ? { journal } : {}),
        log: (line) => core.info(line)
      });
      core.warning(
        `${entry.functionName}: the main step stopped early; ${removed.restored ? '$LATEST was put back, ' : ''}` +
          `${removed.removedVersions.length} versions and ${removed.removedCopies.length} temporary copies were removed.`
      );
    }
  } finally {
    aws.close();
  }
}
