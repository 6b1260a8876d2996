/**
 * A failed GitHub call, in words a user can act on: what the action was doing, the HTTP status, and
 * the likely fix (a missing token permission, a rate limit and when it resets).
 */
import { LambdaCostGateError } from '../errors.js';

/** The token permission each kind of call needs; named in the hint of a 403 or 404. */
export type GitHubPermission = 'pull-requests: write' | 'pull-requests: read' | 'actions: read' | 'contents: read';

/**
 * A GitHub REST (or artifact service) call failed. The message says what the action was doing and, when
 * it can tell, why; the client's error is the cause.
 *
 * @example
 * ```ts
 * throw new GitHubCallError('update comment 123', requestError, { permission: 'pull-requests: write' });
 * // Could not update comment 123 (HTTP 403; the token likely lacks the `pull-requests: write` permission …)
 * ```
 */
export class GitHubCallError extends LambdaCostGateError {
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** When an exhausted rate limit resets, if that was the failure. */
  readonly rateLimitResetAt?: Date;

  /**
   * @param doing - what the action tried, phrased to follow "Could not …"
   * @param cause - the client's error (an Octokit RequestError carries `status` and `response.headers`)
   * @param options - `permission`: the token permission the call needs, named when GitHub says 403 or 404
   */
  constructor(doing: string, cause: unknown, options: { permission?: GitHubPermission } = {}) {
    const status = statusOf(cause);
    const resetAt = rateLimitReset(cause, status);
    const hint = hintFor(status, resetAt, options.permission);
    super(`Could not ${doing}${status === undefined ? '' : ` (HTTP ${status}${hint === '' ? '' : `; ${hint}`})`}`, {
      cause
    });
    this.status = status;
    this.rateLimitResetAt = resetAt;
  }
}

/** The HTTP status of an Octokit error; undefined when no response came (Octokit reports those as 500). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response } = error as { status?: unknown; response?: unknown };
  if (typeof status !== 'number') return undefined;
  // A network failure has no response; its 500 is Octokit's invention, not the server's.
  return response === undefined && status === 500 ? undefined : status;
}

/** A 5xx that a second try may get past. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  return status === 500 || status === 502 || status === 503 || status === 504;
}

function headersOf(error: unknown): Record<string, unknown> {
  const headers = (error as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  return typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>) : {};
}

/** The reset time of an exhausted primary rate limit (403 or 429 with x-ratelimit-remaining: 0). */
function rateLimitReset(error: unknown, status: number | undefined): Date | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const headers = headersOf(error);
  if (String(headers['x-ratelimit-remaining']) !== '0') return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
}

function hintFor(status: number | undefined, resetAt: Date | undefined, permission?: GitHubPermission): string {
  if (resetAt !== undefined) {
    return `the GitHub API rate limit for this token is used up; it resets at ${resetAt.toISOString()}`;
  }
  if (status === 429) return 'GitHub is rate limiting this token (secondary rate limit); try again in a few minutes';
  if (status === 401) return 'the token was rejected: it is missing, expired or revoked';
  if (status === 410) return 'it has expired or was deleted';
  if ((status === 403 || status === 404) && permission !== undefined) {
    const forks =
      permission === 'pull-requests: write'
        ? '; pull requests from forks only get a read-only token, whatever the workflow asks for'
        : '';
    // GitHub answers 404 rather than 403 when the token may not even know the resource exists.
    const lead = status === 404 ? 'not found, or the token lacks' : 'the token likely lacks';
    return `${lead} the \`${permission}\` permission: add \`permissions: { ${permission} }\` to the job${forks}`;
  }
  if (status !== undefined && status >= 500) return 'GitHub had a server error; running the job again usually helps';
  return '';
}
