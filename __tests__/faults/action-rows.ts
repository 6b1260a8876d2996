/**
 * A few fault-matrix rows run through the bundled action (`node dist/index.js`, as the runner runs it), where
 * what matters is what only the process shows: the exit status, the `::error` / `::warning` lines, and the
 * `post:` step cleaning up after a main step that could not. Their expectations hold for the bundle as it is
 * and as it will be rebuilt: none depends on wording the in-process rows pin down.
 */
import { faultRuleSchema } from '../../src/emulator/faults.js';
import { parseMarkers } from '../../src/github/comment-marker.js';
import type { FaultSpec } from '../support/fake-github.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { MODEL, modelZip, OWNER, REPO, TOKEN, type FaultBed } from './fault-bed.js';
import { RATE_LIMIT_HEADERS, type Phase, type Rule } from './row-types.js';

export interface ActionRow {
  fault: string;
  phase: Phase;
  faults?: Rule[];
  github?: FaultSpec[];
  expect: {
    exit: 0 | 1;
    verdict?: string;
    /** Must match one `::error` line, or one `::warning` line. */
    error?: RegExp;
    warning?: RegExp;
    comments: 0 | 1;
    /** false: not even the RevisionId moved. */
    touched?: boolean;
    /** The main step left something; the post step, run with its saved state, removes it. */
    leftover?: boolean;
  };
}

export const ACTION_ROWS: ActionRow[] = [
  {
    fault: 'LastUpdateStatus Failed (bundled action)',
    phase: 'deploy: UpdateFunctionCode',
    faults: [{ operation: 'UpdateFunctionCode', kind: 'update-failure', count: 1 }],
    expect: { exit: 1, error: /^::error::The update of function fa-\d+ failed: /, comments: 0 }
  },
  {
    fault: 'GitHub rate limit (403, remaining 0), artifact listing (bundled action)',
    phase: 'baseline download',
    github: [{ method: 'GET', pathPattern: /\/actions\/artifacts$/, status: 403, headers: RATE_LIMIT_HEADERS }],
    expect: {
      exit: 1,
      error: /^::error::Could not list the artifacts .*rate limit for this token is used up/,
      comments: 0,
      touched: false
    }
  },
  {
    fault: 'GitHub 5xx, posting (bundled action)',
    phase: 'commenting',
    github: [{ method: 'POST', pathPattern: /\/issues\/\d+\/comments$/, status: 502 }],
    expect: {
      exit: 0,
      verdict: 'pass',
      warning: /^::warning title=.*::Could not comment on pull request #\d+ \(HTTP 502/,
      comments: 0
    }
  },
  {
    fault: 'throttle 429 (every call, bundled action)',
    phase: 'invoke: Invoke',
    faults: [{ operation: 'Invoke', kind: 'throttle' }],
    // Workflow commands escape % as %25.
    expect: {
      exit: 1,
      verdict: 'fail',
      error: /^::error::Budget broken: fa-\d+ at 512 MB: error rate 100 %25 \(3 of 3 measured/,
      comments: 1
    }
  },
  {
    fault: '5xx (retries exhausted; the post step deletes, bundled action)',
    phase: 'cleanup: DeleteFunction',
    faults: [{ operation: 'DeleteFunction', kind: 'server-error', count: 2 }],
    expect: {
      exit: 1,
      error: /^::error::Cleanup left 1 item\(s\) behind:%0A- version \d+ of function fa-\d+/,
      comments: 0,
      leftover: true
    }
  }
];

export interface ActionRowResult {
  main: ActionRun;
  /** Versions of the function once the main step ended (before any post step). */
  versionsAfterMain: number;
  post?: ActionRun;
  comments: number;
}

/** The action on the row's pull request; the post step too when the main step saved something to clean. */
export async function runActionRow(bed: FaultBed, row: ActionRow, fn: string, pr: number): Promise<ActionRowResult> {
  const { emulator, github } = bed;
  github.state.addPullRequest({ number: pr, headSha: bed.headSha, baseSha: bed.baseSha });
  for (const spec of row.github ?? []) github.failNext(spec);
  const repository = { id: 77, name: REPO, owner: { login: OWNER }, default_branch: 'main' };
  const pullRequest = {
    number: pr,
    head: { sha: bed.headSha, ref: `feature-${pr}`, repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
    base: { sha: bed.baseSha, ref: 'main', repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
    labels: []
  };
  const invocation = {
    inputs: {
      'function-name': fn,
      'memory-sizes': '256',
      invocations: '2',
      'gate-invocations': '3',
      warmup: '1',
      concurrency: '2',
      'max-cost-increase': '50%',
      'max-p99-increase': 'none',
      'max-attempts': '2',
      'github-token': TOKEN,
      code: modelZip({ ...MODEL, seed: 2 })
    },
    event: { action: 'opened', number: pr, repository, pull_request: pullRequest },
    env: {
      AWS_ENDPOINT_URL: emulator.endpoint,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_SERVER_URL: github.serverUrl,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: `refs/pull/${pr}/merge`,
      GITHUB_SHA: bed.headSha,
      GITHUB_RUN_ID: String(3000 + pr)
    }
  };
  emulator.faults.replace((row.faults ?? []).map((rule) => faultRuleSchema.parse({ resource: fn, ...rule })));
  let main: ActionRun;
  try {
    main = await runAction(invocation);
  } finally {
    emulator.faults.replace([]);
  }
  const versionsAfterMain = emulator.state().find((f) => f.name === fn)?.versions.length ?? 0;
  const post = row.expect.leftover ? await runAction({ ...invocation, state: main.state }) : undefined;
  const comments = github.state.comments.filter(
    (c) => c.issueNumber === pr && parseMarkers(c.body).some((m) => m.functionName === fn)
  ).length;
  return { main, versionsAfterMain, ...(post ? { post } : {}), comments };
}
