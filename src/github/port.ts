/**
 * The GitHub calls the action makes, behind a small interface: the Octokit adapter implements it for
 * the real REST API (and the local fake in tests); the gate core never imports Octokit.
 */

/** An issue comment on a pull request. */
export interface IssueComment {
  id: number;
  body: string;
  htmlUrl: string;
}

/** One workflow artifact, as the REST API lists it. */
export interface ArtifactInfo {
  id: number;
  name: string;
  /** Expired artifacts are listed but cannot be downloaded. */
  expired: boolean;
  createdAt: string;
  workflowRunId: number;
  /** The commit the uploading run was for. */
  headSha: string;
}

/** One workflow run, as the REST API returns it. */
export interface WorkflowRunInfo {
  id: number;
  /** push, pull_request, schedule, workflow_dispatch, … */
  event: string;
  status: string;
  /** success, failure, …; null while running. */
  conclusion: string | null;
  headBranch: string | null;
  headSha: string;
  /** The repository the run belongs to. */
  repositoryId: number;
  /** The repository the run's code came from (a fork for fork pull requests). */
  headRepositoryId: number;
  htmlUrl: string;
  createdAt: string;
}

/** Calls against one repository (owner/name fixed by the adapter). */
export interface GitHubPort {
  listIssueComments(issueNumber: number): Promise<IssueComment[]>;
  createIssueComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>;
  /** The pull request's labels now (the event payload may be older than a label). */
  getPullRequestLabels(pullNumber: number): Promise<string[]>;
  /** The merge base of two commits (compare base...head). */
  getMergeBase(base: string, head: string): Promise<string>;
  /** Commits reachable from `sha`, newest first, `sha` itself first; at most `limit`. */
  listAncestors(sha: string, limit: number): Promise<string[]>;
  /** Every artifact of this repository with this exact name (all pages, up to a bound). */
  listArtifacts(name: string): Promise<ArtifactInfo[]>;
  getWorkflowRun(runId: number): Promise<WorkflowRunInfo>;
  /** The artifact's zip archive. */
  downloadArtifact(artifactId: number): Promise<Uint8Array>;
}

/** Uploads workflow artifacts (the Actions results service behind `@actions/artifact`). */
export interface ArtifactUploader {
  /**
   * Uploads files as one artifact. Resolves `{ uploaded: false, reason }` when there is no artifact service
   * (a local run), never throws for that.
   */
  upload(
    name: string,
    files: string[],
    rootDirectory: string
  ): Promise<{ uploaded: true; id: number; size: number } | { uploaded: false; reason: string }>;
}
