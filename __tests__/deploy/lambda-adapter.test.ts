/**
 * The SDK adapter on its own: preconditions mapped to typed errors, versions deleted safely, pages
 * followed, invocations that never throw — against the emulator; and, with aws-sdk-client-mock, the
 * replies the emulator cannot give (defaults of old functions, Lambda storing other code).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeMismatchError,
  ConcurrentChangeError,
  FunctionNotFoundError,
  UpdateInProgressError
} from '../../src/deploy/errors.js';
import { createLambdaPort } from '../../src/deploy/lambda-adapter.js';
import { sha256Base64 } from '../../src/deploy/zip.js';
import { faultRuleSchema } from '../../src/emulator/faults.js';
import { AwsCallError } from '../../src/errors.js';
import {
  createFunction,
  MAX_ATTEMPTS,
  modelCode,
  rejectionOf,
  startDeployTestBed,
  type DeployTestBed
} from './helpers.js';

describe('Lambda port over the emulator', () => {
  let t: DeployTestBed;
  const s3Dir = mkdtempSync(join(tmpdir(), 'lcg-s3-'));
  const setFaults = (rules: Array<Record<string, unknown>>) =>
    t.emulator.faults.replace(rules.map((rule) => faultRuleSchema.parse(rule)));

  beforeAll(async () => {
    mkdirSync(join(s3Dir, 'builds'));
    writeFileSync(join(s3Dir, 'builds', 'v2.zip'), modelCode(222));
    t = await startDeployTestBed({ config: { updateDelayMs: 0, s3Dir } });
    await createFunction(t.client, 'fn');
  });
  afterAll(async () => t.close());

  it('reads a function into FunctionState with Lambda defaults', async () => {
    const state = await t.port.getFunction('fn');
    expect(state).toMatchObject({
      name: 'fn',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      region: 'us-east-1',
      memorySize: 1024,
      architecture: 'x86_64',
      logGroup: '/aws/lambda/fn',
      logFormat: 'Text',
      packageType: 'Zip',
      ephemeralStorageMb: 512,
      lastUpdateStatus: 'Successful',
      state: 'Active'
    });
    expect(state.vpc).toBeUndefined();
    const missing = await rejectionOf(t.port.getFunction('nope'));
    expect(missing).toBeInstanceOf(FunctionNotFoundError);
    expect(missing.message).toBe('Could not read function nope');
  });

  it('maps a stale RevisionId and a changed CodeSha256 to ConcurrentChangeError', async () => {
    const state = await t.port.getFunction('fn');
    const stale = await rejectionOf(t.port.updateConfiguration('fn', { memorySize: 256 }, 'stale-revision'));
    expect(stale).toBeInstanceOf(ConcurrentChangeError);
    const wrongCode = await rejectionOf(
      t.port.publishVersion('fn', { codeSha256: 'AAAA', revisionId: state.revisionId, description: 'x' })
    );
    expect(wrongCode).toBeInstanceOf(ConcurrentChangeError);
    expect(wrongCode.message).toContain('noticed while trying to publish a version of function fn');
  });

  it('retries "an update is in progress" with backoff, then names it when it lasts too long', async () => {
    setFaults([{ operation: 'UpdateFunctionConfiguration', kind: 'slow-update', delayMs: 1500, count: 1 }]);
    const state = await t.port.getFunction('fn');
    await t.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Timeout: 31 }));
    const lines: string[] = [];
    const impatient = t.portWith({
      conflictRetry: { baseMs: 20, capMs: 50, maxTotalMs: 200 },
      log: (l) => lines.push(l)
    });
    const fresh = await t.port.getFunction('fn');

    const refused = await rejectionOf(impatient.updateConfiguration('fn', { memorySize: 256 }, fresh.revisionId));
    const patient = t.portWith({ conflictRetry: { baseMs: 50, capMs: 300, maxTotalMs: 5_000 } });
    const updated = await patient.updateConfiguration('fn', { memorySize: 256 }, fresh.revisionId);

    expect(refused).toBeInstanceOf(UpdateInProgressError);
    expect(refused.message).toContain('an update of the function is in progress elsewhere');
    expect(lines.some((l) => l.includes('is being updated elsewhere; retry 1'))).toBe(true);
    expect(updated).toMatchObject({ memorySize: 256, timeout: 31, lastUpdateStatus: 'Successful' });
    expect(updated.revisionId).not.toBe(state.revisionId);
    setFaults([]);
  });

  it('deploys code from S3 and publishes a version that waits until Active', async () => {
    const state = await t.port.getFunction('fn');
    const updated = await t.port.updateCode('fn', { kind: 's3', bucket: 'builds', key: 'v2.zip' }, state.revisionId);
    expect(updated.codeSha256).toBe(sha256Base64(modelCode(222)));
    const version = await t.port.publishVersion('fn', {
      codeSha256: updated.codeSha256,
      revisionId: updated.revisionId,
      description: 'from s3'
    });
    expect(await t.port.getFunction('fn', version)).toMatchObject({ state: 'Active', description: 'from s3' });
    expect(await t.port.downloadCode(`fn:${version}`)).toEqual(new Uint8Array(modelCode(222)));
  });

  it('deletes versions safely: gone counts as deleted, and never anything but a version number', async () => {
    await t.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Description: 'v-del' }));
    const { Version } = await t.client.send(new PublishVersionCommand({ FunctionName: 'fn' }));
    await t.port.deleteVersion('fn', Version ?? '');
    await t.port.deleteVersion('fn', Version ?? '');
    expect((await t.port.listVersions('fn')).map((v) => v.version)).not.toContain(Version);
    await expect(t.port.deleteVersion('fn', '$LATEST')).rejects.toThrow(/Refusing to delete "\$LATEST"/);
    await expect(t.port.deleteVersion('fn', '')).rejects.toThrow(/not a version number/);
    await t.port.deleteFunction('never-existed');
  });

  it('lists every version across pages', async () => {
    await createFunction(t.client, 'many');
    for (let i = 0; i < 55; i++) {
      await t.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'many', Description: `d${i}` }));
      await t.client.send(new PublishVersionCommand({ FunctionName: 'many' }));
    }
    const versions = await t.port.listVersions('many');
    expect(versions).toHaveLength(55);
    expect(versions[54]).toEqual({ version: '55', description: 'd54' });
  });

  it('invokes without ever throwing: function errors, throttles and client errors come back as outcomes', async () => {
    await createFunction(t.client, 'erring', { code: modelCode(5, { errorRate: 1 }) });
    await createFunction(t.client, 'fine', { code: modelCode(5) });
    const ok = await t.port.invoke('fine', '$LATEST', '{}');
    expect(ok).toMatchObject({ statusCode: 200, executedVersion: '$LATEST' });
    expect(Buffer.from(ok.logResult ?? '', 'base64').toString()).toContain('REPORT RequestId');
    const failed = await t.port.invoke('erring', '$LATEST', '{}');
    expect(failed.functionError).toBe('Unhandled');
    expect(failed.failure).toBeUndefined();

    setFaults([{ operation: 'Invoke', kind: 'throttle', count: MAX_ATTEMPTS }]);
    const throttled = await t.port.invoke('fine', '$LATEST', '{}');
    setFaults([]);
    expect(throttled.failure).toEqual({ kind: 'throttled', message: 'Rate Exceeded.' });
    const missing = await t.port.invoke('fine', '99', '{}');
    expect(missing.failure?.kind).toBe('client');
  });
});

describe('Lambda port over a mocked client', () => {
  const configuration = {
    FunctionName: 'old',
    FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:old:3',
    MemorySize: 512,
    CodeSha256: 'stored',
    RevisionId: 'r2',
    LastUpdateStatus: 'Successful' as const,
    State: 'Active' as const,
    VpcConfig: { SubnetIds: [], SecurityGroupIds: [] }
  };

  it('fills in what old functions leave out, and keeps the unqualified ARN', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(GetFunctionCommand).resolves({ Configuration: configuration });
    const state = await createLambdaPort(client).getFunction('old', '3');
    expect(state).toMatchObject({
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:old',
      region: 'eu-west-1',
      architecture: 'x86_64',
      environment: {},
      layers: [],
      logGroup: '/aws/lambda/old',
      packageType: 'Zip'
    });
    expect(state.vpc).toBeUndefined();
  });

  it('fails clearly when Lambda stores other code than was sent', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'stored' });
    mock.on(GetFunctionCommand).resolves({ Configuration: configuration });
    const zip = join(mkdtempSync(join(tmpdir(), 'lcg-mock-')), 'c.zip');
    writeFileSync(zip, modelCode(1));

    const error = await rejectionOf(createLambdaPort(client).updateCode('old', { kind: 'zip', path: zip }, 'r1'));

    expect(error).toBeInstanceOf(CodeMismatchError);
    expect(error.message).toMatch(/^The code Lambda stored is not the code we sent/);
  });

  it('wraps a code location that cannot be fetched', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    mockClient(client)
      .on(GetFunctionCommand)
      .resolves({ Configuration: configuration, Code: { Location: 'http://127.0.0.1:9/unreachable' } });
    const error = await rejectionOf(createLambdaPort(client).downloadCode('old'));
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.message).toBe('Could not download the code of function old');
  });
});
