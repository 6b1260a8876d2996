import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readReportFromZip, reportFileName } from '../../src/baseline/artifact-files.js';
import { findBaseline } from '../../src/baseline/find-baseline.js';
import { createArtifactUploader } from '../../src/github/artifact-uploader.js';
import { quietly, startTestGitHub, type TestGitHub } from '../github/helpers.js';

const NAME = 'lambda-cost-gate-baseline';

/** A run report on disk, as the action writes it before uploading. */
function writeReport(functionName: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lcg-round-trip-'));
  const file = join(dir, reportFileName(functionName));
  writeFileSync(file, text);
  return { dir, file };
}

describe('baseline round trip: upload on main, find and read back from a pull request', () => {
  let gh: TestGitHub;
  let mainSha: string;
  let featureSha: string;

  beforeEach(async () => {
    gh = await startTestGitHub();
    [mainSha] = gh.fake.state.addChain(1, { branch: 'main' }) as [string];
    [featureSha] = gh.fake.state.addChain(1, { from: mainSha, branch: 'feature' }) as [string];
    gh.fake.state.addRun({ id: 77, headSha: mainSha, event: 'push', headBranch: 'main' });
  });
  afterEach(async () => gh.fake.close());

  async function readBack(functionName: string): Promise<string> {
    const result = await findBaseline(gh.port, {
      artifactName: NAME,
      baseRef: 'main',
      baseSha: mainSha,
      headSha: featureSha
    });
    if (!result.found) throw new Error(result.reason);
    expect(result.run.id).toBe(77);
    return readReportFromZip(await gh.port.downloadArtifact(result.artifact.id), functionName);
  }

  it('in process, with createArtifactUploader', async () => {
    const text = JSON.stringify({ functionName: 'orders-api', p50: 12.5, note: 'ünïcode' });
    const { dir, file } = writeReport('orders-api', text);
    const env = {
      ACTIONS_RUNTIME_TOKEN: gh.fake.runtimeTokenFor(77),
      ACTIONS_RESULTS_URL: gh.fake.resultsUrl,
      GITHUB_RUN_ID: '77'
    };

    const uploaded = await quietly(() => createArtifactUploader(env).upload(NAME, [file], dir));

    expect(uploaded).toMatchObject({ uploaded: true });
    expect(await readBack('orders-api')).toBe(text);
  });

  it('from a child process that only has the environment, as the action runs', async () => {
    const text = JSON.stringify({ functionName: 'arn:aws:lambda:eu-west-1:1:function:f:live' });
    const { dir, file } = writeReport('arn:aws:lambda:eu-west-1:1:function:f:live', text);
    const script =
      "import { DefaultArtifactClient } from '@actions/artifact';" +
      'const [name, file, dir] = process.argv.slice(1);' +
      'await new DefaultArtifactClient().uploadArtifact(name, [file], dir);';
    const env = {
      PATH: process.env.PATH,
      ACTIONS_RUNTIME_TOKEN: gh.fake.runtimeTokenFor(77),
      ACTIONS_RESULTS_URL: gh.fake.resultsUrl,
      GITHUB_RUN_ID: '77'
    };

    // Asynchronous on purpose: the fake answers on this process's event loop.
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, NAME, file, dir], {
      env,
      cwd: process.cwd()
    });

    expect(await readBack('arn:aws:lambda:eu-west-1:1:function:f:live')).toBe(text);
  });
});
