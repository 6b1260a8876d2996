/**
 * The GitHub REST adapter: {@link GitHubPort} on `getOctokit` from @actions/github. Listings are paginated
 * up to a bound, 5xx answers are retried with backoff (Octokit alone does not retry), and every failure
 * becomes a {@link GitHubCallError} that says what was being done and which permission is likely missing.
 */
import { getOctokit } from '@actions/github';
import { retryWithBackoff, type BackoffOptions } from '../deploy/retry.js';
import { GitHubCallError, isTransient, statusOf, type GitHubPermission } from './errors.js';
import type { ArtifactInfo, GitHubPort, IssueComment, WorkflowRunInfo } from './port.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface GitHubPortOptions {
  token: string;
  /** The REST API root, e.g. process.env.GITHUB_API_URL (default https://api.github.com). */
  apiUrl?: string;
  owner: string;
  repo: string;
  /** Told about retries and truncated listings. */
  log?: (message: string) => void;
  /** Most items one listing returns (default 1,000): a bound on time and rate limit, not a page size. */
  maxItems?: number;
  /** Retries of 5xx answers: attempts per request (default 3) and the backoff (tests pass a no-op sleep). */
  retry?: BackoffOptions & { maxAttempts?: number };
}

const DEFAULT_MAX_ITEMS = 1_000;

/**
 * Creates the GitHub port for one repository.
 *
 * @example
 * ```ts
 * const port = createGitHubPort({ token, apiUrl: process.env.GITHUB_API_URL, owner: 'acme', repo: 'app' });
 * const labels = await port.getPullRequestLabels(12);
 * ```
 */
export function createGitHubPort(options: GitHubPortOptions): GitHubPort {
  const { owner, repo } = options;
  const log = options.log ?? (() => undefined);
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  const octokit = getOctokit(options.token, {
    baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    // Octokit would print deprecation notices and its own request errors to the console; ours say more.
    log: { debug: () => undefined, info: () => undefined, warn: log, error: () => undefined }
  });
  installRetry(octokit, options.retry ?? {}, log);

  /** Runs one call; a failure becomes a GitHubCallError naming what was being done. */
  async function call<T>(doing: string, permission: GitHubPermission, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new GitHubCallError(doing, error, { permission });
    }
  }

  /** Collects pages until `limit` items; says so in the log when more were left. */
  async function collect<T>(what: string, pages: AsyncIterable<{ data: T[] }>, limit: number): Promise<T[]> {
    const items: T[] = [];
    for await (const page of pages) {
      for (const item of page.data) {
        if (items.length === limit) {
          log(`Listed only the first ${limit} ${what}; the rest were not read.`);
          return items;
        }
        items.push(item);
      }
    }
    return items;
  }

  return {
    listIssueComments: (issueNumber) =>
      call(`list the comments of pull request #${issueNumber}`, 'pull-requests: write', async () => {
        const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: 100
        });
        return (await collect(`comments of pull request #${issueNumber}`, pages, maxItems)).map(toComment);
      }),

    createIssueComment: (issueNumber, body) =>
      call(`comment on pull request #${issueNumber}`, 'pull-requests: write', async () => {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
        return toComment(data);
      }),

    updateIssueComment: (commentId, body) =>
      call(`update comment ${commentId}`, 'pull-requests: write', async () => {
        const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
        return toComment(data);
      }),

    getPullRequestLabels: (pullNumber) =>
      call(`read the labels of pull request #${pullNumber}`, 'pull-requests: read', async () => {
        const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
        return data.labels.map((label) => label.name);
      }),

    getMergeBase: (base, head) =>
      call(`find the merge base of ${short(base)} and ${short(head)}`, 'contents: read', async () => {
        // per_page bounds the commit list in the answer; only the merge base is read.
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
          owner,
          repo,
          basehead: `${base}...${head}`,
          per_page: 1
        });
        return data.merge_base_commit.sha;
      }),

    listAncestors: (sha, limit) =>
      call(`list the commits before ${short(sha)}`, 'contents: read', async () => {
        if (limit <= 0) return [];
        const pages = octokit.paginate.iterator(octokit.rest.repos.listCommits, {
          owner,
          repo,
          sha,
          per_page: Math.min(100, limit)
        });
        const commits: { sha: string }[] = [];
        // Not `collect`: stopping at `limit` is the point here, not a truncation worth a log line.
        for await (const page of pages) {
          commits.push(...page.data.slice(0, limit - commits.length));
          if (commits.length >= limit) break;
        }
        return commits.map((commit) => commit.sha);
      }),

    listArtifacts: (name) =>
      call(`list the artifacts named '${name}'`, 'actions: read', async () => {
        const pages = octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, {
          owner,
          repo,
          name,
          per_page: 100
        });
        const artifacts = await collect(`artifacts named '${name}'`, pages, maxItems);
        // The name filter is exact on github.com; checked again so a server that ignores it cannot mislead.
        return artifacts.filter((artifact) => artifact.name === name).map(toArtifact);
      }),

    getWorkflowRun: (runId) =>
      call(`read workflow run ${runId}`, 'actions: read', async () => {
        const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId });
        return toRun(data);
      }),

    downloadArtifact: (artifactId) =>
      call(`download artifact ${artifactId}`, 'actions: read', async () => {
        // GitHub answers 302 to a signed storage URL; fetch follows it (and drops the token on the way).
        const { data } = await octokit.rest.actions.downloadArtifact({
          owner,
          repo,
          artifact_id: artifactId,
          archive_format: 'zip'
        });
        return toBytes(data);
      })
  };
}

/**
 * Retries each request (not each listing) on 5xx, so a failed page does not restart the whole listing.
 * POSTs are not retried.
 */
function installRetry(
  octokit: Octokit,
  retry: BackoffOptions & { maxAttempts?: number },
  log: (message: string) => void
): void {
  const { maxAttempts = 3, ...backoff } = retry;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    let attempts = 1;
    return retryWithBackoff(
      async () => request(requestOptions),
      // A POST may have been done before the 5xx: sent again it could post a second comment.
      (error) => requestOptions.method !== 'POST' && isTransient(error) && attempts++ < maxAttempts,
      {
        baseMs: 500,
        maxTotalMs: 30_000,
        onRetry: (attempt, delayMs, error) =>
          log(
            `GitHub answered HTTP ${statusOf(error)} to ${requestOptions.method} ${requestOptions.url}; ` +
              `retry ${attempt} of ${maxAttempts - 1} in ${delayMs} ms`
          ),
        ...backoff
      }
    );
  });
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

function toComment(data: { id: number; body?: string | null; html_url: string }): IssueComment {
  return { id: data.id, body: data.body ?? '', htmlUrl: data.html_url };
}

interface RestArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string | null;
  workflow_run?: { id?: number; head_sha?: string } | null;
}

function toArtifact(data: RestArtifact): ArtifactInfo {
  return {
    id: data.id,
    name: data.name,
    expired: data.expired,
    createdAt: data.created_at ?? '',
    // Artifacts from before 2020 have no workflow_run; 0 and '' match no run and no commit, so they are skipped.
    workflowRunId: data.workflow_run?.id ?? 0,
    headSha: data.workflow_run?.head_sha ?? ''
  };
}

interface RestRun {
  id: number;
  event: string;
  status: string | null;
  conclusion: string | null;
  head_branch: string | null;
  head_sha: string;
  html_url: string;
  created_at: string;
  repository: { id: number };
  head_repository?: { id: number } | null;
}

function toRun(data: RestRun): WorkflowRunInfo {
  return {
    id: data.id,
    event: data.event,
    status: data.status ?? '',
    conclusion: data.conclusion,
    headBranch: data.head_branch,
    headSha: data.head_sha,
    repositoryId: data.repository.id,
    // A run without a head repository (its fork was deleted) must never count as this repository's own.
    headRepositoryId: data.head_repository?.id ?? -1,
    htmlUrl: data.html_url,
    createdAt: data.created_at
  };
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data instanceof Uint8Array) return data;
  throw new Error(`expected a zip archive, got ${typeof data === 'string' ? 'text' : typeof data}`);
}
