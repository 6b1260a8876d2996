import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { unzipSync } from 'fflate';
import { errorMessage } from '../../src/errors.js';
import { GitHubCallError } from '../../src/github/errors.js';
import { createGitHubPort } from '../../src/github/octokit-port.js';
import { REPO, rejectionOf, startTestGitHub, type TestGitHub } from './helpers.js';

describe('createGitHubPort against the fake GitHub', () => {
  let gh: TestGitHub;
  beforeEach(async () => {
    gh = await startTestGitHub();
    const [base] = gh.fake.state.addChain(1, { branch: 'main' });
    gh.fake.state.addPullRequest({ number: 7, headSha: base!, baseSha: base!, labels: ['perf', 'cost-ok'] });
  });
  afterEach(async () => gh.fake.close());

  describe('comments', () => {
    it('creates, lists and updates a comment, with its web address', async () => {
      const created = await gh.port.createIssueComment(7, 'first');
      expect(created.htmlUrl).toBe(`https://github.com/acme/shop/pull/7#issuecomment-${created.id}`);

      const updated = await gh.port.updateIssueComment(created.id, 'second');
      expect(updated).toEqual({ ...created, body: 'second' });
      expect(await gh.port.listIssueComments(7)).toEqual([updated]);
    });

    it('reads every page of a long thread', async () => {
      for (let i = 0; i < 150; i++) gh.fake.state.addComment(7, `comment ${i}`);

      const comments = await gh.port.listIssueComments(7);

      expect(comments.map((c) => c.body)).toEqual(Array.from({ length: 150 }, (_, i) => `comment ${i}`));
      expect(gh.fake.requests.filter((r) => r.path.endsWith('/issues/7/comments'))).toHaveLength(2);
    });

    it('stops at the item bound and says so', async () => {
      const bounded = await startTestGitHub({ maxItems: 120 });
      try {
        const [sha] = bounded.fake.state.addChain(1, { branch: 'main' });
        bounded.fake.state.addPullRequest({ number: 1, headSha: sha!, baseSha: sha! });
        for (let i = 0; i < 150; i++) bounded.fake.state.addComment(1, `c${i}`);

        expect(await bounded.port.listIssueComments(1)).toHaveLength(120);
        expect(bounded.logged).toContain(
          'Listed only the first 120 comments of pull request #1; the rest were not read.'
        );
      } finally {
        await bounded.fake.close();
      }
    });
  });

  it('reads the labels a pull request has now', async () => {
    gh.fake.state.pullRequests.get(7)!.labels.push('added-later');
    expect(await gh.port.getPullRequestLabels(7)).toEqual(['perf', 'cost-ok', 'added-later']);
  });

  describe('commits', () => {
    it('finds the merge base of a branch that diverged from main', async () => {
      const main = gh.fake.state.addChain(3, { branch: 'main' });
      const feature = gh.fake.state.addChain(2, { from: main[0] });
      expect(await gh.port.getMergeBase(main[2]!, feature[1]!)).toBe(main[0]);
    });

    it('lists ancestors newest first, starting with the commit itself, across pages, up to the limit', async () => {
      const chain = gh.fake.state.addChain(250, { branch: 'main' });

      const ancestors = await gh.port.listAncestors(chain[249]!, 150);

      expect(ancestors).toEqual(chain.slice(100).reverse());
      expect(gh.fake.requests.filter((r) => r.path.endsWith('/commits'))).toHaveLength(2);
    });

    it('returns fewer ancestors when the history is shorter than the limit', async () => {
      const chain = gh.fake.state.addChain(3);
      expect(await gh.port.listAncestors(chain[2]!, 100)).toEqual([...chain].reverse());
    });
  });

  describe('workflow runs and artifacts', () => {
    it('lists every artifact with the name, with the run and commit each came from', async () => {
      const sha = gh.fake.state.addCommit({ branch: 'main' });
      gh.fake.state.addRun({ id: 11, headSha: sha });
      for (let i = 0; i < 130; i++) gh.fake.state.addArtifact({ name: 'baseline', runId: 11, files: { a: 'x' } });
      gh.fake.state.addArtifact({ name: 'other', runId: 11, files: { a: 'x' } });
      const expired = gh.fake.state.addArtifact({ name: 'baseline', runId: 11, files: { a: 'x' }, expired: true });

      const artifacts = await gh.port.listArtifacts('baseline');

      expect(artifacts).toHaveLength(131);
      expect(new Set(artifacts.map((a) => a.name))).toEqual(new Set(['baseline']));
      expect(artifacts.find((a) => a.id === expired.id)).toEqual({
        id: expired.id,
        name: 'baseline',
        expired: true,
        createdAt: expired.createdAt,
        workflowRunId: 11,
        headSha: sha
      });
    });

    it('reads a workflow run, telling a fork run by its head repository', async () => {
      gh.fake.state.addRun({
        id: 21,
        event: 'pull_request',
        headSha: 'abc',
        headBranch: 'patch-1',
        headRepositoryId: 999
      });

      const run = await gh.port.getWorkflowRun(21);

      expect(run).toMatchObject({
        id: 21,
        event: 'pull_request',
        status: 'completed',
        conclusion: 'success',
        headBranch: 'patch-1',
        headSha: 'abc',
        repositoryId: REPO.repositoryId,
        headRepositoryId: 999,
        htmlUrl: 'https://github.com/acme/shop/actions/runs/21'
      });
    });

    it('downloads an artifact by following the redirect to storage', async () => {
      gh.fake.state.addRun({ id: 31, headSha: 'abc' });
      const artifact = gh.fake.state.addArtifact({ name: 'b', runId: 31, files: { 'f.json': '{"ok":true}' } });

      const zip = await gh.port.downloadArtifact(artifact.id);

      expect(new TextDecoder().decode(unzipSync(zip)['f.json'])).toBe('{"ok":true}');
      expect(gh.fake.requests.slice(-2).map((r) => `${r.status} ${r.path}`)).toEqual([
        `302 /repos/acme/shop/actions/artifacts/${artifact.id}/zip`,
        `200 /blob/artifacts/${artifact.id}`
      ]);
    });
  });

  describe('failures', () => {
    it('names the missing pull-requests: write permission when commenting is forbidden', async () => {
      gh.fake.failNext({ method: 'POST', pathPattern: '/issues/7/comments', status: 403 });

      const error = await rejectionOf<GitHubCallError>(gh.port.createIssueComment(7, 'hi'));

      expect(error).toBeInstanceOf(GitHubCallError);
      expect(error.status).toBe(403);
      expect(error.message).toContain('Could not comment on pull request #7 (HTTP 403; the token likely lacks');
      expect(error.message).toContain('`pull-requests: write`');
      expect(error.message).toContain('forks');
      expect(errorMessage(error)).toContain('Resource not accessible by integration');
    });

    it('names the actions: read permission when artifacts are not found', async () => {
      gh.fake.failNext({ method: 'GET', pathPattern: /\/actions\/artifacts$/, status: 404 });

      const error = await rejectionOf<GitHubCallError>(gh.port.listArtifacts('baseline'));

      expect(error.message).toContain(
        "Could not list the artifacts named 'baseline' (HTTP 404; not found, or the token lacks the `actions: read` permission"
      );
    });

    it('says when an exhausted rate limit resets', async () => {
      const reset = Date.parse('2026-05-01T10:30:00Z') / 1000;
      gh.fake.failNext({
        pathPattern: '/pulls/7',
        status: 403,
        message: 'API rate limit exceeded for installation ID 1.',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-limit': '5000' }
      });

      const error = await rejectionOf<GitHubCallError>(gh.port.getPullRequestLabels(7));

      expect(error.rateLimitResetAt?.toISOString()).toBe('2026-05-01T10:30:00.000Z');
      expect(error.message).toContain('rate limit for this token is used up; it resets at 2026-05-01T10:30:00.000Z');
      expect(error.message).not.toContain('permission');
    });

    it('retries a server error and succeeds', async () => {
      gh.fake.failNext({ pathPattern: '/pulls/7', status: 502 });

      expect(await gh.port.getPullRequestLabels(7)).toEqual(['perf', 'cost-ok']);
      expect(gh.logged).toHaveLength(1);
      expect(gh.logged[0]).toMatch(
        /^GitHub answered HTTP 502 to GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}; retry 1 of 2 in \d+ ms$/
      );
    });

    it('gives up after three attempts at a server error', async () => {
      gh.fake.failNext({ pathPattern: '/pulls/7', status: 503, times: 5 });

      const error = await rejectionOf<GitHubCallError>(gh.port.getPullRequestLabels(7));

      expect(error.status).toBe(503);
      expect(error.message).toContain('GitHub had a server error');
      expect(gh.fake.requests.filter((r) => r.path.endsWith('/pulls/7'))).toHaveLength(3);
    });

    it('does not send a comment twice after a server error', async () => {
      gh.fake.failNext({ method: 'POST', pathPattern: '/issues/7/comments', status: 502 });

      const error = await rejectionOf<GitHubCallError>(gh.port.createIssueComment(7, 'once'));

      expect(error.status).toBe(502);
      expect(gh.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    });

    it('says an expired artifact cannot be downloaded', async () => {
      gh.fake.state.addRun({ id: 41, headSha: 'abc' });
      const artifact = gh.fake.state.addArtifact({ name: 'b', runId: 41, files: { a: 'x' }, expired: true });

      const error = await rejectionOf<GitHubCallError>(gh.port.downloadArtifact(artifact.id));

      expect(error.message).toBe(
        `Could not download artifact ${artifact.id} (HTTP 410; it has expired or was deleted)`
      );
    });

    it('says a rejected token was rejected', async () => {
      const port = createGitHubPort({ token: 'wrong', apiUrl: gh.fake.apiUrl, owner: 'acme', repo: 'shop' });

      const error = await rejectionOf<GitHubCallError>(port.getPullRequestLabels(7));

      expect(error.status).toBe(401);
      expect(error.message).toContain('the token was rejected');
    });

    it('wraps an unreachable API without inventing a status', async () => {
      const apiUrl = gh.fake.apiUrl;
      await gh.fake.close();
      const port = createGitHubPort({ token: 't', apiUrl, owner: 'acme', repo: 'shop', retry: { maxAttempts: 1 } });

      const error = await rejectionOf<GitHubCallError>(port.getMergeBase('a', 'b'));

      expect(error).toBeInstanceOf(GitHubCallError);
      expect(error.status).toBeUndefined();
      expect(error.message).toBe('Could not find the merge base of a and b');
      expect(errorMessage(error)).toMatch(/^Could not find the merge base of a and b: .+/);
      gh = await startTestGitHub(); // afterEach closes this one
    });
  });
});
