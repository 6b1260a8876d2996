import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { errorMessage } from '../../src/errors.js';
import { createArtifactUploader } from '../../src/github/artifact-uploader.js';
import { GitHubCallError } from '../../src/github/errors.js';
import { quietly, rejectionOf, startTestGitHub, type TestGitHub } from './helpers.js';

function reportDir(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lcg-uploader-'));
  const file = join(dir, 'orders-api.run-report.json');
  writeFileSync(file, '{"functionName":"orders-api"}');
  return { dir, file };
}

describe('createArtifactUploader without an artifact service', () => {
  it('says it did not upload, and why, when ACTIONS_RUNTIME_TOKEN is missing', async () => {
    const { dir, file } = reportDir();
    expect(await createArtifactUploader({}).upload('baseline', [file], dir)).toEqual({
      uploaded: false,
      reason:
        'no GitHub Actions artifact service here (ACTIONS_RUNTIME_TOKEN is not set), so the report was not uploaded'
    });
  });

  it('names ACTIONS_RESULTS_URL when only that is missing', async () => {
    const { dir, file } = reportDir();
    const result = await createArtifactUploader({ ACTIONS_RUNTIME_TOKEN: 'x' }).upload('baseline', [file], dir);
    expect(result).toMatchObject({
      uploaded: false,
      reason: expect.stringContaining('(ACTIONS_RESULTS_URL is not set)')
    });
  });
});

describe('createArtifactUploader against the fake results service', () => {
  let gh: TestGitHub;
  beforeEach(async () => {
    gh = await startTestGitHub();
  });
  afterEach(async () => gh.fake.close());

  const envFor = (runId: number) => ({
    ACTIONS_RUNTIME_TOKEN: gh.fake.runtimeTokenFor(runId),
    ACTIONS_RESULTS_URL: gh.fake.resultsUrl,
    GITHUB_RUN_ID: String(runId)
  });

  it('uploads through the real client as an artifact of the run the token belongs to', async () => {
    const sha = gh.fake.state.addCommit({ branch: 'main' });
    gh.fake.state.addRun({ id: 55, headSha: sha });
    const { dir, file } = reportDir();
    const before = process.env.ACTIONS_RUNTIME_TOKEN;

    const result = await quietly(() => createArtifactUploader(envFor(55)).upload('baseline', [file], dir));

    const [listed] = await gh.port.listArtifacts('baseline');
    expect(result).toEqual({ uploaded: true, id: listed!.id, size: expect.any(Number) });
    expect(listed).toMatchObject({ workflowRunId: 55, headSha: sha, expired: false });
    // The client wrote blocks and then committed the block list, as it does against Azure storage.
    const puts = gh.fake.requests
      .filter((r) => r.method === 'PUT')
      .map((r) => new URLSearchParams(r.query).get('comp'));
    expect(puts).toEqual(['block', 'blocklist']);
    // The run's variables were only lent to the library for the upload.
    expect(process.env.ACTIONS_RUNTIME_TOKEN).toBe(before);
  });

  it('fails with the service error when the upload is refused', async () => {
    const { dir, file } = reportDir();

    const error = await rejectionOf(quietly(() => createArtifactUploader(envFor(404)).upload('baseline', [file], dir)));

    expect(error).toBeInstanceOf(GitHubCallError);
    expect(errorMessage(error)).toMatch(/^Could not upload the artifact 'baseline': .*workflow run 404 is not known/);
  });

  it('does not upload to GitHub Enterprise Server, which the artifact client does not support', async () => {
    const { dir, file } = reportDir();
    const env = { ...envFor(1), GITHUB_SERVER_URL: 'https://ghe.example.com' };

    const result = await quietly(() => createArtifactUploader(env).upload('baseline', [file], dir));

    expect(result).toMatchObject({ uploaded: false, reason: expect.stringContaining('GitHub Enterprise Server') });
    expect(gh.fake.requests).toEqual([]);
  });
});
