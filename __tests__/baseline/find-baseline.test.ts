import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { findBaseline, type FindBaselineResult } from '../../src/baseline/find-baseline.js';
import { GitHubCallError } from '../../src/github/errors.js';
import type { AddRunInput } from '../support/fake-github.js';
import { rejectionOf, startTestGitHub, type TestGitHub } from '../github/helpers.js';

const NAME = 'lambda-cost-gate-baseline';

describe('findBaseline', () => {
  let gh: TestGitHub;
  /** main: m[0] … m[4]; the pull request branched at m[2] and has f[0], f[1]; main moved on since. */
  let m: string[];
  let f: string[];
  let nextRunId: number;

  beforeEach(async () => {
    gh = await startTestGitHub();
    m = gh.fake.state.addChain(3, { branch: 'main' });
    f = gh.fake.state.addChain(2, { from: m[2], branch: 'feature' });
    m.push(...gh.fake.state.addChain(2, { from: m[2], branch: 'main' }));
    nextRunId = 100;
  });
  afterEach(async () => gh.fake.close());

  /** A run for `sha` (a trusted push to main unless `run` says otherwise) with one baseline artifact. */
  function artifactFor(
    sha: string,
    run: Partial<AddRunInput> = {},
    artifact: { expired?: boolean; id?: number; createdAt?: string } = {}
  ) {
    const added = gh.fake.state.addRun({ id: nextRunId++, headSha: sha, event: 'push', headBranch: 'main', ...run });
    return gh.fake.state.addArtifact({ name: NAME, runId: added.id, files: { 'f.run-report.json': sha }, ...artifact });
  }

  const find = (maxCommits?: number): Promise<FindBaselineResult> =>
    findBaseline(gh.port, { artifactName: NAME, baseRef: 'main', baseSha: m[4]!, headSha: f[1]!, maxCommits });

  it('takes the merge base, not the tip of the base branch', async () => {
    const atTip = artifactFor(m[4]!);
    const atMergeBase = artifactFor(m[2]!);
    void atTip;

    const result = await find();

    expect(result).toMatchObject({ found: true, commit: m[2], distance: 0, mergeBase: m[2] });
    if (result.found) {
      expect(result.artifact.id).toBe(atMergeBase.id);
      expect(result.run).toMatchObject({ id: atMergeBase.runId, event: 'push', headBranch: 'main' });
    }
  });

  it('walks back to the nearest ancestor that has one', async () => {
    artifactFor(m[0]!);
    const nearest = artifactFor(m[1]!);

    expect(await find()).toMatchObject({ found: true, commit: m[1], distance: 1, artifact: { id: nearest.id } });
  });

  it('goes by ancestry whatever order the listing and the upload times come in', async () => {
    // Listed newest id first: the older commit's artifact comes first and claims the later upload time.
    const nearest = artifactFor(m[1]!, {}, { id: 9001, createdAt: '2026-01-01T00:00:00Z' });
    artifactFor(m[0]!, {}, { id: 9002, createdAt: '2026-06-01T00:00:00Z' });

    expect(await find()).toMatchObject({ found: true, commit: m[1], artifact: { id: nearest.id } });
  });

  it('takes the newest artifact when a commit has several (a re-run)', async () => {
    artifactFor(m[2]!, {}, { createdAt: '2026-02-01T00:00:00Z' });
    const rerun = artifactFor(m[2]!, {}, { createdAt: '2026-02-02T00:00:00Z' });

    expect(await find()).toMatchObject({ found: true, artifact: { id: rerun.id } });
  });

  it.each<[string, Partial<AddRunInput>]>([
    ['a pull_request run', { event: 'pull_request' }],
    ['a pull_request_target run', { event: 'pull_request_target' }],
    ['a run of a fork', { headRepositoryId: 777 }],
    ['a failed run', { conclusion: 'failure' }],
    ['a run still in progress', { status: 'in_progress', conclusion: null }],
    ['a run on another branch', { headBranch: 'release' }]
  ])('skips an artifact from %s', async (_case, run) => {
    artifactFor(m[2]!, run);
    artifactFor(m[1]!);

    expect(await find()).toMatchObject({ found: true, commit: m[1], distance: 1 });
  });

  it('trusts schedule and workflow_dispatch runs', async () => {
    artifactFor(m[2]!, { event: 'schedule' });
    expect(await find()).toMatchObject({ found: true, commit: m[2] });
  });

  it('skips expired artifacts and those whose run was deleted', async () => {
    artifactFor(m[2]!, {}, { expired: true });
    const orphan = artifactFor(m[2]!);
    gh.fake.state.runs.delete(orphan.runId);
    artifactFor(m[1]!, { event: 'workflow_dispatch' });

    expect(await find()).toMatchObject({ found: true, commit: m[1] });
  });

  it('says what it searched and what it skipped when nothing fits', async () => {
    artifactFor(m[2]!, {}, { expired: true });
    artifactFor(m[1]!, { event: 'pull_request' });
    artifactFor(m[4]!);
    artifactFor(f[1]!, { event: 'pull_request', headBranch: 'feature' });

    const result = await find();

    expect(result).toEqual({
      found: false,
      reason:
        `no trusted '${NAME}' artifact for the merge base ${m[2]!.slice(0, 7)} or its 2 nearest ancestors on main; ` +
        '2 artifacts were skipped: 1 expired, 1 from a pull_request run; ' +
        '2 other artifacts are for commits outside that range'
    });
  });

  it('looks no further back than maxCommits', async () => {
    artifactFor(m[0]!);

    expect(await find(2)).toEqual({
      found: false,
      reason:
        `no trusted '${NAME}' artifact for the merge base ${m[2]!.slice(0, 7)} or its 1 nearest ancestor on main; ` +
        '1 other artifact is for commits outside that range'
    });
  });

  it('starts from the base commit when GitHub cannot compare (404)', async () => {
    gh.fake.failNext({ pathPattern: '/compare/', status: 404 });
    artifactFor(m[4]!);

    expect(await find()).toMatchObject({ found: true, commit: m[4], mergeBase: m[4], distance: 0 });
  });

  it('fails with the GitHub error when the artifacts cannot be listed', async () => {
    gh.fake.failNext({ pathPattern: /\/actions\/artifacts$/, status: 403 });

    const error = await rejectionOf<GitHubCallError>(find());

    expect(error).toBeInstanceOf(GitHubCallError);
    expect(error.message).toContain('`actions: read`');
  });
});
