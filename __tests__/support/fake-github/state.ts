/**
 * The fake GitHub's data: a commit graph, pull requests, comments, workflow runs and artifacts, with the
 * seeding helpers tests call and the git queries (ancestors, merge base) the REST routes answer from.
 */
import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';

export interface FakeCommit {
  sha: string;
  parents: string[];
  /** Committer date (ISO); the commit listing sorts by it, newest first, as `git log` does. */
  date: string;
  message: string;
}

export interface FakePullRequest {
  number: number;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  labels: string[];
  /** owner/name of the head repository; differs from the base for fork pull requests. */
  headRepoFullName: string;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  userLogin: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeRun {
  id: number;
  event: string;
  status: string;
  conclusion: string | null;
  headBranch: string | null;
  headSha: string;
  /** The repository the run's code came from; another id for fork pull requests. */
  headRepositoryId: number;
  createdAt: string;
}

export interface FakeArtifact {
  id: number;
  name: string;
  runId: number;
  createdAt: string;
  expired: boolean;
  /** The archive the /zip download serves. */
  zip: Uint8Array;
}

export interface AddRunInput {
  id: number;
  event?: string;
  status?: string;
  conclusion?: string | null;
  headBranch?: string | null;
  headSha: string;
  headRepositoryId?: number;
  createdAt?: string;
}

export interface AddArtifactInput {
  name: string;
  runId: number;
  /** File name → text or bytes; zipped as the artifact service would store them. */
  files?: Record<string, string | Uint8Array>;
  /** A ready archive instead of `files`. */
  zip?: Uint8Array;
  id?: number;
  createdAt?: string;
  expired?: boolean;
}

const EPOCH = Date.parse('2026-01-01T00:00:00Z');

/** Everything the fake knows; tests seed it through the methods and inspect the arrays directly. */
export class FakeGitHubState {
  readonly commits = new Map<string, FakeCommit>();
  readonly branches = new Map<string, string>();
  readonly pullRequests = new Map<number, FakePullRequest>();
  readonly comments: FakeComment[] = [];
  readonly runs = new Map<number, FakeRun>();
  readonly artifacts: FakeArtifact[] = [];
  private counter = 0;
  private nextCommentId = 1001;
  private nextArtifactId = 5001;

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly repositoryId: number,
    readonly defaultBranch = 'main'
  ) {}

  /** Adds a commit (parents must exist) and moves `branch` to it. Returns its sha. */
  addCommit(input: { sha?: string; parents?: string[]; branch?: string; message?: string } = {}): string {
    const n = ++this.counter;
    const sha = input.sha ?? createHash('sha1').update(`commit ${n}`).digest('hex');
    for (const parent of input.parents ?? []) {
      if (!this.commits.has(parent)) throw new Error(`fake GitHub: parent ${parent} of ${sha} is not a known commit`);
    }
    // Dates increase with insertion, so a child is always newer than its parents.
    const date = new Date(EPOCH + n * 60_000).toISOString();
    this.commits.set(sha, { sha, parents: input.parents ?? [], date, message: input.message ?? `commit ${n}` });
    if (input.branch !== undefined) this.branches.set(input.branch, sha);
    return sha;
  }

  /** Adds `count` commits, each the child of the previous one, starting from `from` (or a root). */
  addChain(count: number, options: { from?: string; branch?: string } = {}): string[] {
    const shas: string[] = [];
    let parent = options.from;
    for (let i = 0; i < count; i++) {
      parent = this.addCommit({ parents: parent === undefined ? [] : [parent], branch: options.branch });
      shas.push(parent);
    }
    return shas;
  }

  addPullRequest(input: Partial<FakePullRequest> & { number: number; headSha: string; baseSha: string }): void {
    this.pullRequests.set(input.number, {
      headRef: 'feature',
      baseRef: 'main',
      labels: [],
      headRepoFullName: `${this.owner}/${this.repo}`,
      ...input
    });
  }

  /** Adds a comment as if someone wrote it (e.g. an older run of the action). */
  addComment(issueNumber: number, body: string, userLogin = 'github-actions[bot]'): FakeComment {
    const now = new Date().toISOString();
    const comment = { id: this.nextCommentId++, issueNumber, body, userLogin, createdAt: now, updatedAt: now };
    this.comments.push(comment);
    return comment;
  }

  addRun(input: AddRunInput): FakeRun {
    const run: FakeRun = {
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      headBranch: 'main',
      headRepositoryId: this.repositoryId,
      createdAt: new Date(EPOCH).toISOString(),
      ...input
    };
    this.runs.set(run.id, run);
    return run;
  }

  addArtifact(input: AddArtifactInput): FakeArtifact {
    if (!this.runs.has(input.runId)) throw new Error(`fake GitHub: add run ${input.runId} before its artifacts`);
    const zip = input.zip ?? zipSync(toZipInput(input.files ?? {}));
    const id = input.id ?? this.nextArtifactId++;
    const artifact: FakeArtifact = {
      id,
      name: input.name,
      runId: input.runId,
      createdAt: input.createdAt ?? new Date(EPOCH + id * 1000).toISOString(),
      expired: input.expired ?? false,
      zip
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** Resolves a sha or a branch name to a commit. */
  resolve(ref: string): FakeCommit | undefined {
    return this.commits.get(this.branches.get(ref) ?? ref);
  }

  /** Every commit reachable from `sha` (itself included), newest first by date, as `git log` lists them. */
  ancestors(sha: string): FakeCommit[] {
    const seen = new Map<string, FakeCommit>();
    const stack = [sha];
    while (stack.length > 0) {
      const current = this.commits.get(stack.pop() as string);
      if (current === undefined || seen.has(current.sha)) continue;
      seen.set(current.sha, current);
      stack.push(...current.parents);
    }
    return [...seen.values()].sort((a, b) => b.date.localeCompare(a.date));
  }

  /** The newest common ancestor of two commits, as `git merge-base` would pick for these graphs. */
  mergeBase(a: string, b: string): FakeCommit | undefined {
    const ofB = new Set(this.ancestors(b).map((commit) => commit.sha));
    return this.ancestors(a).find((commit) => ofB.has(commit.sha));
  }
}

function toZipInput(files: Record<string, string | Uint8Array>): Record<string, Uint8Array> {
  return Object.fromEntries(
    Object.entries(files).map(([name, content]) => [
      name,
      typeof content === 'string' ? new TextEncoder().encode(content) : content
    ])
  );
}
