/**
 * The event payloads the runner writes to GITHUB_EVENT_PATH, as the action reads them: one builder, so every
 * test that runs the bundled action sends the same shape.
 */

/** The `repository` object of an event payload. */
export interface EventRepository {
  id: number;
  name: string;
  owner: { login: string };
  default_branch: string;
}

/** A pull_request event (opened by default) for a pull request from `headRepo` (default: the repository itself). */
export function pullRequestEvent(
  repository: EventRepository,
  pr: { number: number; headSha: string; baseSha: string; headRepo?: string; headRef?: string; action?: string }
): Record<string, unknown> {
  const full = `${repository.owner.login}/${repository.name}`;
  const headRepo = pr.headRepo ?? full;
  return {
    action: pr.action ?? 'opened',
    number: pr.number,
    repository,
    pull_request: {
      number: pr.number,
      head: {
        sha: pr.headSha,
        ref: pr.headRef ?? `feature-${pr.number}`,
        repo: { full_name: headRepo, fork: headRepo !== full }
      },
      base: { sha: pr.baseSha, ref: repository.default_branch, repo: { full_name: full, fork: false } },
      labels: []
    }
  };
}
