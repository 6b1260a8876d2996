/**
 * Finds the baseline artifact for a pull request: the one uploaded by a trusted run of the base branch
 * for the merge base, or for its nearest ancestor that has one.
 *
 * The walk goes by commit ancestry, never by the order the artifact or run listings come in (GitHub
 * does not promise one), and only trusts runs that a pull request cannot have written.
 */
import { GitHubCallError } from '../github/errors.js';
import type { ArtifactInfo, GitHubPort, WorkflowRunInfo } from '../github/port.js';

export interface FindBaselineInput {
  artifactName: string;
  /** The pull request's base branch, e.g. main: only runs on it are trusted. */
  baseRef: string;
  baseSha: string;
  headSha: string;
  /** Commits looked at, the merge base included (default 100). */
  maxCommits?: number;
}

export type FindBaselineResult =
  | {
      found: true;
      artifact: ArtifactInfo;
      run: WorkflowRunInfo;
      /** The commit the baseline measured. */
      commit: string;
      /** How many commits before the merge base it is (0: the merge base itself). */
      distance: number;
      mergeBase: string;
    }
  | { found: false; reason: string };

/** Events a pull request cannot trigger with its own code. */
const TRUSTED_EVENTS = new Set(['push', 'schedule', 'workflow_dispatch']);

/**
 * Looks for the baseline. Throws {@link GitHubCallError} when GitHub cannot be read (the caller decides
 * whether that fails the run); a search that simply finds nothing resolves `{ found: false, reason }`.
 *
 * @example
 * ```ts
 * const result = await findBaseline(port, { artifactName: 'lambda-cost-gate-baseline', baseRef: 'main', baseSha, headSha });
 * if (!result.found) core.notice(result.reason);
 * ```
 */
export async function findBaseline(port: GitHubPort, input: FindBaselineInput): Promise<FindBaselineResult> {
  const maxCommits = Math.max(1, input.maxCommits ?? 100);
  const mergeBase = await mergeBaseOf(port, input.baseSha, input.headSha);
  const ancestors = await port.listAncestors(mergeBase, maxCommits);
  const artifacts = await port.listArtifacts(input.artifactName);

  const skipped = new Map<string, number>();
  const skip = (why: string): void => void skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const byCommit = new Map<string, ArtifactInfo[]>();
  const walked = new Set(ancestors);
  let outside = 0;
  for (const artifact of artifacts) {
    if (!walked.has(artifact.headSha)) outside++;
    else if (artifact.expired) skip('expired');
    else byCommit.set(artifact.headSha, [...(byCommit.get(artifact.headSha) ?? []), artifact]);
  }

  const runs = new Map<number, Promise<WorkflowRunInfo | undefined>>();
  for (const [distance, commit] of ancestors.entries()) {
    const candidates = (byCommit.get(commit) ?? []).sort(newestFirst);
    for (const artifact of candidates) {
      if (!runs.has(artifact.workflowRunId))
        runs.set(artifact.workflowRunId, runOrUndefined(port, artifact.workflowRunId));
      const run = await runs.get(artifact.workflowRunId);
      if (run === undefined) {
        skip('whose workflow run was deleted');
        continue;
      }
      const distrust = distrustReason(run, input.baseRef);
      if (distrust === undefined) return { found: true, artifact, run, commit, distance, mergeBase };
      skip(distrust);
    }
  }
  return { found: false, reason: reasonText(input, mergeBase, ancestors.length, skipped, outside) };
}

/** The merge base, or the base commit when GitHub cannot compare (404: e.g. the head was force-pushed away). */
async function mergeBaseOf(port: GitHubPort, baseSha: string, headSha: string): Promise<string> {
  try {
    return await port.getMergeBase(baseSha, headSha);
  } catch (error) {
    if (error instanceof GitHubCallError && error.status === 404) return baseSha;
    throw error;
  }
}

async function runOrUndefined(port: GitHubPort, runId: number): Promise<WorkflowRunInfo | undefined> {
  try {
    return await port.getWorkflowRun(runId);
  } catch (error) {
    // A deleted run keeps no trust; any other failure (permissions, rate limit) must surface.
    if (error instanceof GitHubCallError && error.status === 404) return undefined;
    throw error;
  }
}

/** Why a run's artifacts cannot be trusted as a baseline, or undefined when they can. */
function distrustReason(run: WorkflowRunInfo, baseRef: string): string | undefined {
  if (!TRUSTED_EVENTS.has(run.event)) return `from a ${run.event} run`;
  if (run.conclusion !== 'success') return `from a run that did not succeed (${run.conclusion ?? run.status})`;
  if (run.headBranch !== baseRef) return `from a run on another branch (${run.headBranch ?? 'none'})`;
  if (run.headRepositoryId !== run.repositoryId) return 'from a run of a fork';
  return undefined;
}

function newestFirst(a: ArtifactInfo, b: ArtifactInfo): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id - a.id;
}

function reasonText(
  input: FindBaselineInput,
  mergeBase: string,
  walked: number,
  skipped: Map<string, number>,
  outside: number
): string {
  const others = walked - 1;
  const range = others > 0 ? ` or its ${others} nearest ${others === 1 ? 'ancestor' : 'ancestors'}` : '';
  let text = `no trusted '${input.artifactName}' artifact for the merge base ${mergeBase.slice(0, 7)}${range} on ${input.baseRef}`;
  const total = [...skipped.values()].reduce((sum, n) => sum + n, 0);
  if (total > 0) {
    const parts = [...skipped.entries()].map(([why, n]) => `${n} ${why}`);
    text += `; ${total} ${total === 1 ? 'artifact was' : 'artifacts were'} skipped: ${parts.join(', ')}`;
  }
  if (outside > 0) {
    text += `; ${outside} other ${outside === 1 ? 'artifact is' : 'artifacts are'} for commits outside that range`;
  }
  return text;
}
