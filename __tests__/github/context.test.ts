import { describe, expect, it } from '@jest/globals';
import { readGitHubContext } from '../../src/github/context.js';

const RUNNER_ENV = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: 'merge000000000000000000000000000000000000',
  GITHUB_REF: 'refs/pull/12/merge',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_EVENT_PATH: '/github/workflow/event.json'
};

const repository = { id: 4242, name: 'shop', full_name: 'acme/shop', owner: { login: 'acme' }, default_branch: 'main' };

function pullRequestPayload(headRepo: unknown): unknown {
  return {
    action: 'synchronize',
    number: 12,
    repository,
    pull_request: {
      number: 12,
      title: 'Faster checkout',
      head: { sha: 'head111', ref: 'faster', repo: headRepo },
      base: { sha: 'base222', ref: 'main', repo: { full_name: 'acme/shop', fork: false, id: 4242 } },
      labels: [{ name: 'cost-regression-ok', color: 'ededed' }, { name: 'perf' }]
    }
  };
}

/** A readFile that serves one payload at the event path. */
function serving(payload: unknown): (path: string) => string {
  return (path) => {
    if (path !== RUNNER_ENV.GITHUB_EVENT_PATH) throw new Error(`ENOENT: ${path}`);
    return JSON.stringify(payload);
  };
}

describe('readGitHubContext', () => {
  it('reads a pull_request event from a branch of the same repository', () => {
    const payload = pullRequestPayload({ full_name: 'acme/shop', fork: false, id: 4242 });

    const ctx = readGitHubContext({ ...RUNNER_ENV, GITHUB_EVENT_NAME: 'pull_request' }, serving(payload));

    expect(ctx).toEqual({
      onRunner: true,
      eventName: 'pull_request',
      owner: 'acme',
      repo: 'shop',
      repositoryId: 4242,
      defaultBranch: 'main',
      sha: RUNNER_ENV.GITHUB_SHA,
      ref: 'refs/pull/12/merge',
      runId: 9876543210,
      runAttempt: 1,
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      runUrl: 'https://github.com/acme/shop/actions/runs/9876543210',
      pullRequest: {
        number: 12,
        headSha: 'head111',
        baseSha: 'base222',
        baseRef: 'main',
        isFork: false,
        labels: ['cost-regression-ok', 'perf']
      },
      eventProblem: undefined
    });
  });

  it.each([
    ['another repository', { full_name: 'mallory/shop', fork: true, id: 666 }],
    ['a fork flag alone', { full_name: 'acme/shop', fork: true, id: 4242 }],
    ['a deleted head repository', null]
  ])('marks a pull request from %s as a fork', (_case, headRepo) => {
    const env = { ...RUNNER_ENV, GITHUB_EVENT_NAME: 'pull_request_target' };
    expect(readGitHubContext(env, serving(pullRequestPayload(headRepo))).pullRequest?.isFork).toBe(true);
  });

  it('reads a push event: no pull request, the default branch and the run page of a re-run', () => {
    const payload = { ref: 'refs/heads/main', after: 'abc', repository, pusher: { name: 'dev' } };
    const env = { ...RUNNER_ENV, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ATTEMPT: '2' };

    const ctx = readGitHubContext(env, serving(payload));

    expect(ctx.pullRequest).toBeUndefined();
    expect(ctx.defaultBranch).toBe('main');
    expect(ctx.repositoryId).toBe(4242);
    expect(ctx.runUrl).toBe('https://github.com/acme/shop/actions/runs/9876543210/attempts/2');
  });

  it('ignores a pull_request object in the payload of another event', () => {
    const env = { ...RUNNER_ENV, GITHUB_EVENT_NAME: 'issue_comment' };
    const payload = pullRequestPayload({ full_name: 'acme/shop' });
    expect(readGitHubContext(env, serving(payload)).pullRequest).toBeUndefined();
  });

  it('leaves everything undefined on a laptop, without reading any file', () => {
    const ctx = readGitHubContext({}, () => {
      throw new Error('must not read');
    });

    expect(ctx.onRunner).toBe(false);
    expect(Object.entries(ctx).filter(([, value]) => value !== undefined)).toEqual([['onRunner', false]]);
  });

  it('says why an unreadable payload was not used, and keeps the variables', () => {
    const ctx = readGitHubContext({ ...RUNNER_ENV, GITHUB_EVENT_NAME: 'pull_request' }, () => {
      throw new Error('EACCES: permission denied');
    });

    expect(ctx.pullRequest).toBeUndefined();
    expect(ctx.owner).toBe('acme');
    expect(ctx.eventProblem).toBe(
      'could not read the event payload /github/workflow/event.json: EACCES: permission denied'
    );
  });

  it('says where a payload does not have the expected shape', () => {
    const payload = { repository, pull_request: { number: '12', head: {}, base: {} } };

    const ctx = readGitHubContext({ ...RUNNER_ENV, GITHUB_EVENT_NAME: 'pull_request' }, serving(payload));

    expect(ctx.pullRequest).toBeUndefined();
    expect(ctx.eventProblem).toMatch(
      /^the event payload \/github\/workflow\/event\.json is not as expected at pull_request\.number: /
    );
  });

  it('takes the owner and name from the payload when GITHUB_REPOSITORY is missing', () => {
    const env = { GITHUB_EVENT_PATH: RUNNER_ENV.GITHUB_EVENT_PATH, GITHUB_EVENT_NAME: 'push' };
    const ctx = readGitHubContext(env, serving({ repository }));
    expect([ctx.owner, ctx.repo, ctx.runUrl]).toEqual(['acme', 'shop', undefined]);
  });
});
