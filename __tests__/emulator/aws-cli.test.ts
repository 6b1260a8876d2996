/**
 * The AWS CLI against the emulator: proof that it speaks the wire protocol of Lambda and
 * CloudWatch Logs, not just what our SDK version happens to send. Runs when `aws` is installed
 * (`.ci/run` installs Debian's awscli) and says so loudly when it is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipModel } from '../../src/emulator/lambda/code.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';

const run = promisify(execFile);

/** Debian's package installs /usr/bin/aws; a pyenv shim may shadow it on PATH. */
function findAwsCli(): string | undefined {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'aws'))) return join(dir, 'aws');
  }
  return undefined;
}

const awsCli = findAwsCli();
if (!awsCli) {
  console.warn(
    'SKIPPED: the AWS CLI is not installed, so the AWS CLI compatibility tests did not run (apt-get install awscli).'
  );
}
const describeWithCli = awsCli ? describe : describe.skip;

describeWithCli('AWS CLI against the emulator', () => {
  let emulator: RunningEmulator;
  const dir = mkdtempSync(join(tmpdir(), 'lcg-cli-'));
  const zipPath = join(dir, 'model.zip');

  /** Older CLIs (Debian's 2.9) predate AWS_ENDPOINT_URL, so the endpoint is passed as a flag. */
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run(awsCli!, [...args, '--endpoint-url', emulator.endpoint, '--output', 'json'], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true'
      },
      timeout: 60_000
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  beforeAll(async () => {
    writeFileSync(zipPath, zipModel({ cpuMs: 120, noiseSigma: 0 }));
    emulator = await startEmulator({ config: { updateDelayMs: 200 } });
  });
  afterAll(async () => emulator.close());

  it('creates, updates, waits, publishes, invokes, reads logs and deletes', async () => {
    const created = await aws(
      'lambda',
      'create-function',
      '--function-name',
      'cli-fn',
      '--runtime',
      'nodejs20.x',
      '--handler',
      'index.handler',
      '--role',
      'arn:aws:iam::123456789012:role/cli',
      '--zip-file',
      `fileb://${zipPath}`
    );
    expect(created).toMatchObject({ FunctionName: 'cli-fn', State: 'Pending', MemorySize: 128 });
    await aws('lambda', 'wait', 'function-active-v2', '--function-name', 'cli-fn');
    await aws('lambda', 'update-function-configuration', '--function-name', 'cli-fn', '--memory-size', '1769');
    await aws('lambda', 'wait', 'function-updated', '--function-name', 'cli-fn');
    const config = await aws('lambda', 'get-function-configuration', '--function-name', 'cli-fn');
    expect(config).toMatchObject({ MemorySize: 1769, LastUpdateStatus: 'Successful' });
    const version = await aws(
      'lambda',
      'publish-version',
      '--function-name',
      'cli-fn',
      '--code-sha256',
      String(config.CodeSha256)
    );
    expect(version.Version).toBe('1');
    const versions = await aws('lambda', 'list-versions-by-function', '--function-name', 'cli-fn');
    expect((versions.Versions as unknown[]).length).toBe(2);
    await aws('lambda', 'tag-resource', '--resource', String(created.FunctionArn), '--tags', 'run=cli');
    expect((await aws('lambda', 'list-tags', '--resource', String(created.FunctionArn))).Tags).toEqual({ run: 'cli' });

    const out = join(dir, 'out.json');
    const invoked = await aws(
      'lambda',
      'invoke',
      '--function-name',
      'cli-fn',
      '--qualifier',
      '1',
      '--log-type',
      'Tail',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"x":1}',
      out
    );
    expect(invoked).toMatchObject({ StatusCode: 200, ExecutedVersion: '1' });
    expect(Buffer.from(String(invoked.LogResult), 'base64').toString()).toMatch(
      /REPORT RequestId: .*Memory Size: 1769 MB/
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ ok: true });

    const events = await aws(
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/aws/lambda/cli-fn',
      '--filter-pattern',
      'REPORT'
    );
    expect((events.events as unknown[]).length).toBe(1);
    const now = Math.floor(Date.now() / 1000);
    const query = await aws(
      'logs',
      'start-query',
      '--log-group-name',
      '/aws/lambda/cli-fn',
      '--start-time',
      String(now - 3600),
      '--end-time',
      String(now + 60),
      '--query-string',
      'filter @type = "REPORT" | stats count(*) as n, max(@memorySize) as mem'
    );
    const results = await aws('logs', 'get-query-results', '--query-id', String(query.queryId));
    expect(results.status).toBe('Complete');
    expect(results.results).toEqual([
      [
        { field: 'n', value: '1' },
        { field: 'mem', value: expect.any(String) }
      ]
    ]);

    await aws('lambda', 'delete-function', '--function-name', 'cli-fn', '--qualifier', '1');
    await aws('lambda', 'delete-function', '--function-name', 'cli-fn');
    expect(emulator.state()).toEqual([]);
  });

  it('reports AWS errors the way the CLI prints them', async () => {
    const failure = await aws('lambda', 'get-function', '--function-name', 'missing').catch(
      (error: { stderr: string }) => error.stderr
    );
    expect(failure).toContain('ResourceNotFoundException');
    expect(failure).toContain('Function not found');
  });
});
