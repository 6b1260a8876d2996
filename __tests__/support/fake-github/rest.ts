/**
 * The REST routes the action calls, answered from the fake's state in the real API's (snake_case) shapes:
 * commits and compare, pull requests, issue comments, workflow runs and artifacts (with the /zip redirect).
 */
import { apiError, jsonBody, paginate, type FakeRequest, type FakeResponse } from './http.js';
import type { FakeArtifact, FakeComment, FakeCommit, FakeGitHubState, FakePullRequest, FakeRun } from './state.js';

/** Where the routes build their URLs from. */
export interface RestUrls {
  /** The API root, e.g. http://127.0.0.1:1234 (what GITHUB_API_URL would be). */
  apiUrl: string;
  /** The web root for html_url fields. */
  serverUrl: string;
  /** Where the /zip redirect points: a signed blob URL on the same server. */
  blobDownloadUrl: (artifact: FakeArtifact) => string;
}

/** Answers one REST request, or undefined when no route matches. */
export function handleRest(state: FakeGitHubState, urls: RestUrls, request: FakeRequest): FakeResponse | undefined {
  const prefix = `/repos/${state.owner}/${state.repo}`;
  if (request.method === 'GET' && request.path === prefix)
    return { status: 200, body: new Shapes(state, urls).repository() };
  if (!request.path.startsWith(`${prefix}/`)) return undefined;
  const rest = request.path.slice(prefix.length);
  const shapes = new Shapes(state, urls);
  const route = `${request.method} ${rest}`;
  let match: RegExpMatchArray | null;

  if (route === 'GET /commits') return listCommits(state, shapes, urls, request);
  if ((match = route.match(/^GET \/compare\/(.+)$/))) return compare(state, shapes, decodeURIComponent(match[1]!));
  if ((match = route.match(/^GET \/pulls\/(\d+)$/))) {
    const pr = state.pullRequests.get(Number(match[1]));
    return pr === undefined ? apiError(404) : { status: 200, body: shapes.pullRequest(pr) };
  }
  if ((match = route.match(/^GET \/issues\/(\d+)\/labels$/))) {
    const pr = state.pullRequests.get(Number(match[1]));
    return pr === undefined ? apiError(404) : paginate(request, pr.labels.map(Shapes.label), urls.apiUrl);
  }
  if ((match = route.match(/^(GET|POST) \/issues\/(\d+)\/comments$/))) {
    const issueNumber = Number(match[2]);
    if (!state.pullRequests.has(issueNumber)) return apiError(404);
    if (match[1] === 'GET') {
      const comments = state.comments.filter((c) => c.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
      return paginate(request, comments.map(shapes.comment), urls.apiUrl);
    }
    const body = jsonBody(request)?.body;
    if (typeof body !== 'string') return apiError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    return { status: 201, body: shapes.comment(state.addComment(issueNumber, body)) };
  }
  if ((match = route.match(/^(GET|PATCH) \/issues\/comments\/(\d+)$/))) {
    const comment = state.comments.find((c) => c.id === Number(match![2]));
    if (comment === undefined) return apiError(404);
    if (match[1] === 'PATCH') {
      const body = jsonBody(request)?.body;
      if (typeof body !== 'string') return apiError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
      comment.body = body;
      comment.updatedAt = new Date().toISOString();
    }
    return { status: 200, body: shapes.comment(comment) };
  }
  if ((match = route.match(/^GET \/actions\/runs\/(\d+)$/))) {
    const run = state.runs.get(Number(match[1]));
    return run === undefined ? apiError(404) : { status: 200, body: shapes.run(run) };
  }
  if (route === 'GET /actions/artifacts') {
    const name = request.query.get('name');
    // The real listing is newest first; tests that need another order seed ids out of order.
    const artifacts = state.artifacts.filter((a) => name === null || a.name === name).sort((a, b) => b.id - a.id);
    return paginate(request, artifacts.map(shapes.artifact), urls.apiUrl, (page) => ({
      total_count: artifacts.length,
      artifacts: page
    }));
  }
  if ((match = route.match(/^GET \/actions\/artifacts\/(\d+)(\/(zip))?$/))) {
    const artifact = state.artifacts.find((a) => a.id === Number(match![1]));
    if (artifact === undefined) return apiError(404);
    if (match[3] === undefined) return { status: 200, body: shapes.artifact(artifact) };
    if (artifact.expired) return apiError(410, 'Artifact has expired');
    return { status: 302, headers: { location: urls.blobDownloadUrl(artifact) } };
  }
  return undefined;
}

function listCommits(state: FakeGitHubState, shapes: Shapes, urls: RestUrls, request: FakeRequest): FakeResponse {
  const ref = request.query.get('sha') ?? state.defaultBranch;
  const start = state.resolve(ref);
  if (start === undefined) return apiError(404, `No commit found for SHA: ${ref}`);
  return paginate(request, state.ancestors(start.sha).map(shapes.commit), urls.apiUrl);
}

function compare(state: FakeGitHubState, shapes: Shapes, basehead: string): FakeResponse {
  const [baseRef, headRef] = basehead.split('...');
  const base = state.resolve(baseRef ?? '');
  const head = state.resolve(headRef ?? '');
  if (base === undefined || head === undefined) return apiError(404, 'Not Found');
  const mergeBase = state.mergeBase(base.sha, head.sha);
  // Unrelated histories: GitHub answers 404 "No common ancestor between …".
  if (mergeBase === undefined) return apiError(404, `No common ancestor between ${baseRef} and ${headRef}.`);
  const ofBase = new Set(state.ancestors(base.sha).map((c) => c.sha));
  const ofHead = new Set(state.ancestors(head.sha).map((c) => c.sha));
  const ahead = state.ancestors(head.sha).filter((c) => !ofBase.has(c.sha));
  const behindBy = [...ofBase].filter((sha) => !ofHead.has(sha)).length;
  const status =
    ahead.length === 0 && behindBy === 0
      ? 'identical'
      : behindBy === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged';
  return {
    status: 200,
    body: {
      url: `${shapes.repoApi}/compare/${basehead}`,
      html_url: `${shapes.repoHtml}/compare/${basehead}`,
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      base_commit: shapes.commit(base),
      merge_base_commit: shapes.commit(mergeBase),
      commits: ahead.reverse().map(shapes.commit),
      files: []
    }
  };
}

/** The REST shapes of the fake's records. Arrow properties so they can be passed to `map`. */
class Shapes {
  readonly repoApi: string;
  readonly repoHtml: string;

  constructor(
    private readonly state: FakeGitHubState,
    private readonly urls: RestUrls
  ) {
    this.repoApi = `${urls.apiUrl}/repos/${state.owner}/${state.repo}`;
    this.repoHtml = `${urls.serverUrl}/${state.owner}/${state.repo}`;
  }

  static label(name: string, index: number): Record<string, unknown> {
    return { id: 100 + index, name, color: 'ededed', default: false, description: null };
  }

  repository = (fullName = `${this.state.owner}/${this.state.repo}`, id = this.state.repositoryId): unknown => {
    const [login, name] = fullName.split('/');
    const isBase = id === this.state.repositoryId;
    return {
      id,
      name,
      full_name: fullName,
      owner: { login, type: 'User' },
      private: false,
      fork: !isBase,
      default_branch: this.state.defaultBranch
    };
  };

  commit = (commit: FakeCommit): unknown => {
    const author = { name: 'Dev', email: 'dev@example.com', date: commit.date };
    return {
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 8)}`,
      url: `${this.repoApi}/commits/${commit.sha}`,
      html_url: `${this.repoHtml}/commit/${commit.sha}`,
      commit: { message: commit.message, author, committer: author },
      parents: commit.parents.map((sha) => ({ sha, url: `${this.repoApi}/commits/${sha}` }))
    };
  };

  pullRequest = (pr: FakePullRequest): unknown => {
    const base = `${this.state.owner}/${this.state.repo}`;
    const headId = pr.headRepoFullName === base ? this.state.repositoryId : this.state.repositoryId + 1_000_000;
    return {
      number: pr.number,
      state: 'open',
      html_url: `${this.repoHtml}/pull/${pr.number}`,
      labels: pr.labels.map(Shapes.label),
      head: { ref: pr.headRef, sha: pr.headSha, repo: this.repository(pr.headRepoFullName, headId) },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: this.repository() }
    };
  };

  comment = (comment: FakeComment): unknown => ({
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${this.repoApi}/issues/comments/${comment.id}`,
    html_url: `${this.repoHtml}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${this.repoApi}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: { login: comment.userLogin, type: comment.userLogin.endsWith('[bot]') ? 'Bot' : 'User' },
    author_association: 'NONE',
    created_at: comment.createdAt,
    updated_at: comment.updatedAt
  });

  run = (run: FakeRun): unknown => ({
    id: run.id,
    name: 'CI',
    node_id: `WFR_${run.id}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: '.github/workflows/ci.yml',
    run_number: run.id,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: 1,
    url: `${this.repoApi}/actions/runs/${run.id}`,
    html_url: `${this.repoHtml}/actions/runs/${run.id}`,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    pull_requests: [],
    repository: this.repository(),
    head_repository: this.repository(
      run.headRepositoryId === this.state.repositoryId ? undefined : `fork-owner/${this.state.repo}`,
      run.headRepositoryId
    )
  });

  artifact = (artifact: FakeArtifact): unknown => {
    const run = this.state.runs.get(artifact.runId);
    const expires = new Date(Date.parse(artifact.createdAt) + 90 * 86_400_000).toISOString();
    return {
      id: artifact.id,
      node_id: `MDg6QXJ0aWZhY3Q${artifact.id}`,
      name: artifact.name,
      size_in_bytes: artifact.zip.byteLength,
      url: `${this.repoApi}/actions/artifacts/${artifact.id}`,
      archive_download_url: `${this.repoApi}/actions/artifacts/${artifact.id}/zip`,
      expired: artifact.expired,
      created_at: artifact.createdAt,
      updated_at: artifact.createdAt,
      expires_at: expires,
      digest: null,
      workflow_run: {
        id: artifact.runId,
        repository_id: this.state.repositoryId,
        head_repository_id: run?.headRepositoryId ?? this.state.repositoryId,
        head_branch: run?.headBranch ?? null,
        head_sha: run?.headSha ?? ''
      }
    };
  };
}
