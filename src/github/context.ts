/**
 * Where the action runs: the repository, commit, run and (for pull request events) the pull request,
 * read from the GITHUB_* variables and the event payload. A local run has none of them; every field is
 * then undefined, never an error.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PullRequestInfo } from '../gate/context.js';

/** The pull request of a pull_request event: the gate's own shape, filled from the payload. */
export type PullRequestContext = PullRequestInfo;

export interface GitHubContext {
  /** GITHUB_ACTIONS is 'true': running on an Actions runner. */
  onRunner: boolean;
  eventName?: string;
  owner?: string;
  repo?: string;
  repositoryId?: number;
  defaultBranch?: string;
  /** GITHUB_SHA: for pull_request events the test merge commit, not the head. */
  sha?: string;
  ref?: string;
  runId?: number;
  runAttempt?: number;
  serverUrl?: string;
  apiUrl?: string;
  /** The run's page (with /attempts/N for a re-run). */
  runUrl?: string;
  pullRequest?: PullRequestContext;
  /** Why the event payload could not be used, when it was expected but unreadable. */
  eventProblem?: string;
}

// Lenient: only the parts read here are checked; anything else in the payload is ignored.
const repoRef = z.object({ full_name: z.string(), fork: z.boolean().optional() }).nullable().optional();
const payloadSchema = z.object({
  repository: z
    .object({
      id: z.number().optional(),
      name: z.string().optional(),
      owner: z.object({ login: z.string() }).optional(),
      default_branch: z.string().optional()
    })
    .optional(),
  pull_request: z
    .object({
      number: z.number(),
      head: z.object({ sha: z.string(), repo: repoRef }),
      base: z.object({ sha: z.string(), ref: z.string(), repo: repoRef }),
      labels: z.array(z.object({ name: z.string() })).optional()
    })
    .optional()
});
type Payload = z.infer<typeof payloadSchema>;

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * Reads the GitHub Actions context. Never throws: a missing variable or an unreadable payload leaves
 * the fields it would have filled undefined.
 *
 * @example
 * ```ts
 * const ctx = readGitHubContext();
 * if (ctx.pullRequest?.isFork) core.notice('Fork pull request: the comment may not be posted.');
 * ```
 */
export function readGitHubContext(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')
): GitHubContext {
  const eventName = nonEmpty(env.GITHUB_EVENT_NAME);
  const { payload, problem } = readPayload(env.GITHUB_EVENT_PATH, readFile);
  const [envOwner, envRepo] = (nonEmpty(env.GITHUB_REPOSITORY) ?? '').split('/');
  const owner = nonEmpty(envOwner) ?? payload?.repository?.owner?.login;
  const repo = nonEmpty(envRepo) ?? payload?.repository?.name;
  const serverUrl = nonEmpty(env.GITHUB_SERVER_URL)?.replace(/\/+$/, '');
  const runId = positiveInteger(env.GITHUB_RUN_ID);
  const runAttempt = positiveInteger(env.GITHUB_RUN_ATTEMPT);
  const runUrl =
    serverUrl && owner && repo && runId !== undefined
      ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}${runAttempt !== undefined && runAttempt > 1 ? `/attempts/${runAttempt}` : ''}`
      : undefined;

  return {
    onRunner: env.GITHUB_ACTIONS === 'true',
    eventName,
    owner,
    repo,
    repositoryId: payload?.repository?.id ?? positiveInteger(env.GITHUB_REPOSITORY_ID),
    defaultBranch: payload?.repository?.default_branch,
    sha: nonEmpty(env.GITHUB_SHA),
    ref: nonEmpty(env.GITHUB_REF),
    runId,
    runAttempt,
    serverUrl,
    apiUrl: nonEmpty(env.GITHUB_API_URL)?.replace(/\/+$/, ''),
    runUrl,
    pullRequest: eventName !== undefined && PULL_REQUEST_EVENTS.has(eventName) ? toPullRequest(payload) : undefined,
    eventProblem: problem
  };
}

function toPullRequest(payload: Payload | undefined): PullRequestContext | undefined {
  const pr = payload?.pull_request;
  if (pr === undefined) return undefined;
  const head = pr.head.repo;
  const base = pr.base.repo;
  return {
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    // A deleted head repository is unknown code: treat it as a fork, the safe side.
    isFork: head === null || head === undefined || head.fork === true || head.full_name !== base?.full_name,
    labels: (pr.labels ?? []).map((label) => label.name)
  };
}

function readPayload(
  path: string | undefined,
  readFile: (path: string) => string
): { payload?: Payload; problem?: string } {
  if (path === undefined || path === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFile(path));
  } catch (error) {
    return {
      problem: `could not read the event payload ${path}: ${error instanceof Error ? error.message : String(error)}`
    };
  }
  const parsed = payloadSchema.safeParse(raw);
  if (parsed.success) return { payload: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    problem: `the event payload ${path} is not as expected at ${issue?.path.join('.') ?? '?'}: ${issue?.message}`
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function positiveInteger(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
