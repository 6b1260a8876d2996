/**
 * Fault-matrix rows for the GitHub side: reading the baseline (merge base, commits, artifact listing, workflow
 * run, artifact zip) happens before AWS is touched, so a failure there must stop the run with the call and the
 * status named and the function untouched (RevisionId and all); commenting happens after the verdict, so a
 * failure there must be told as a notice without changing the verdict, and never leave two comments.
 */
import { GitHubCallError } from '../../src/github/errors.js';
import { RATE_LIMIT_HEADERS, RATE_LIMIT_MESSAGE, type FaultRow } from './row-types.js';

const BASELINE = 'baseline download';
const COMMENT = 'commenting';

const LISTING = /\/actions\/artifacts$/;
const ZIP = /\/actions\/artifacts\/\d+\/zip$/;
const RUN = /\/actions\/runs\/500$/;
const COMMENTS = /\/issues\/\d+\/comments$/;
const COMMENT_BY_ID = /\/issues\/comments\/\d+$/;

const refused = (message: RegExp) =>
  ({
    error: { type: GitHubCallError, message },
    exit: 1,
    measured: false,
    touched: false,
    comments: 0
  }) as const;
const passes = { verdict: 'pass', exit: 0, measured: true, comments: 1 } as const;
const notPosted = (notice: RegExp, comments: 0 | 1 = 0) =>
  ({ verdict: 'pass', exit: 0, measured: true, comments, notices: [notice] }) as const;

export const GITHUB_ROWS: FaultRow[] = [
  // The baseline: read before anything in AWS changes.
  {
    fault: 'GitHub 5xx (once)',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: LISTING, status: 502 }],
    expect: passes
  },
  {
    fault: 'GitHub 5xx (retries exhausted), artifact listing',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: LISTING, status: 500, times: 3 }],
    expect: refused(
      /^Could not list the artifacts named 'lambda-cost-gate-baseline' \(HTTP 500; GitHub had a server error/
    )
  },
  {
    fault: 'GitHub 404, artifact listing',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: LISTING, status: 404 }],
    expect: refused(/\(HTTP 404; not found, or the token lacks the `actions: read` permission/)
  },
  {
    fault: 'GitHub rate limit (403, remaining 0), artifact listing',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: LISTING, status: 403, headers: RATE_LIMIT_HEADERS }],
    expect: refused(RATE_LIMIT_MESSAGE)
  },
  {
    fault: 'GitHub 5xx (retries exhausted), artifact zip',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: ZIP, status: 503, times: 3 }],
    expect: refused(/^Could not download artifact \d+ \(HTTP 503; GitHub had a server error/)
  },
  {
    fault: 'GitHub 404, artifact zip',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: ZIP, status: 404 }],
    expect: refused(/^Could not download artifact \d+ \(HTTP 404; not found, or the token lacks the `actions: read`/)
  },
  {
    fault: 'GitHub rate limit (403, remaining 0), artifact zip',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: ZIP, status: 403, headers: RATE_LIMIT_HEADERS }],
    expect: refused(RATE_LIMIT_MESSAGE)
  },
  {
    fault: 'GitHub 5xx (retries exhausted), workflow run',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: RUN, status: 500, times: 3 }],
    expect: refused(/^Could not read workflow run 500 \(HTTP 500/)
  },
  {
    fault: 'GitHub 404, workflow run (deleted: not trusted)',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: RUN, status: 404 }],
    expect: {
      ...passes,
      notices: [
        /^No baseline for fm-\d+: no trusted 'lambda-cost-gate-baseline' artifact .*1 whose workflow run was deleted/
      ]
    }
  },
  {
    fault: 'GitHub 404, merge base (falls back to the base commit)',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: /\/compare\//, status: 404 }],
    expect: passes
  },
  {
    fault: 'GitHub rate limit (403, remaining 0), commit listing',
    phase: BASELINE,
    github: [{ method: 'GET', pathPattern: /\/commits$/, status: 403, headers: RATE_LIMIT_HEADERS }],
    expect: refused(RATE_LIMIT_MESSAGE)
  },

  // The comment: after the verdict; it is told, never hidden.
  {
    fault: 'GitHub 5xx (once), listing comments',
    phase: COMMENT,
    github: [{ method: 'GET', pathPattern: COMMENTS, status: 502 }],
    expect: passes
  },
  {
    fault: 'GitHub 5xx (retries exhausted), listing comments',
    phase: COMMENT,
    github: [{ method: 'GET', pathPattern: COMMENTS, status: 500, times: 3 }],
    expect: notPosted(
      /^The comment for fm-\d+ could not be posted: Could not list the comments of pull request #\d+ \(HTTP 500/
    )
  },
  {
    fault: 'GitHub rate limit (403, remaining 0), listing comments',
    phase: COMMENT,
    github: [{ method: 'GET', pathPattern: COMMENTS, status: 403, headers: RATE_LIMIT_HEADERS }],
    expect: notPosted(RATE_LIMIT_MESSAGE)
  },
  {
    fault: 'GitHub 5xx, posting (not retried: it may have been posted)',
    phase: COMMENT,
    github: [{ method: 'POST', pathPattern: COMMENTS, status: 502 }],
    expect: notPosted(/^The comment for fm-\d+ could not be posted: Could not comment on pull request #\d+ \(HTTP 502/)
  },
  {
    fault: 'GitHub rate limit (403, remaining 0), posting',
    phase: COMMENT,
    github: [{ method: 'POST', pathPattern: COMMENTS, status: 403, headers: RATE_LIMIT_HEADERS }],
    expect: notPosted(RATE_LIMIT_MESSAGE)
  },
  {
    fault: 'GitHub 404, posting',
    phase: COMMENT,
    github: [{ method: 'POST', pathPattern: COMMENTS, status: 404 }],
    expect: notPosted(/not found, or the token lacks the `pull-requests: write` permission/)
  },
  {
    fault: 'GitHub 5xx (retries exhausted), updating the earlier comment',
    phase: COMMENT,
    existingComment: true,
    github: [{ method: 'PATCH', pathPattern: COMMENT_BY_ID, status: 500, times: 3 }],
    expect: notPosted(/^The comment for fm-\d+ could not be posted: Could not update comment \d+ \(HTTP 500/, 1)
  },
  {
    fault: 'GitHub rate limit (403, remaining 0), updating the earlier comment',
    phase: COMMENT,
    existingComment: true,
    github: [{ method: 'PATCH', pathPattern: COMMENT_BY_ID, status: 403, headers: RATE_LIMIT_HEADERS }],
    expect: notPosted(RATE_LIMIT_MESSAGE, 1)
  },
  {
    fault: 'GitHub 5xx (retries exhausted), reading the labels of a failing pull request',
    phase: COMMENT,
    inputs: { 'max-cost-per-million': '0.01' },
    github: [{ method: 'GET', pathPattern: /\/pulls\/\d+$/, status: 500, times: 3 }],
    expect: {
      verdict: 'fail',
      exit: 1,
      measured: true,
      comments: 1,
      notices: [
        /^The pull request's labels could not be read \(Could not read the labels of pull request #\d+ \(HTTP 500/
      ]
    }
  }
];
