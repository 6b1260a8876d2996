/**
 * The Lambda control plane through the real SDK client over HTTP: create, update, publish,
 * versions, aliases, tags, delete, the waiters, and the preconditions that protect a sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  paginateListVersionsByFunction,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipModel } from '../../src/emulator/lambda/code.js';
import { ROLE, rejectionOf, startTestEmulator, type TestEmulator } from './helpers.js';

const WAIT = { minDelay: 1, maxDelay: 1, maxWaitTime: 20 };
const modelZip = (cpuMs: number) => zipModel({ cpuMs, noiseSigma: 0 });

describe('Lambda control plane', () => {
  let t: TestEmulator;
  const s3Dir = mkdtempSync(join(tmpdir(), 'lcg-s3-'));

  beforeAll(async () => {
    mkdirSync(join(s3Dir, 'bucket', 'builds'), { recursive: true });
    writeFileSync(join(s3Dir, 'bucket', 'builds', 'v2.zip'), modelZip(222));
    // A real delay, so that the waiters have something to wait for.
    t = await startTestEmulator({ config: { updateDelayMs: 300, s3Dir } });
  });
  afterAll(async () => t.close());

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: modelZip(100) },
        ...extra
      })
    );

  it('creates a function that is Pending until the waiter sees it Active', async () => {
    const created = await create('lifecycle', { MemorySize: 256, Tags: { team: 'perf' } });
    expect(created.State).toBe('Pending');
    expect(created.FunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:lifecycle');
    expect(created.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await waitUntilFunctionActiveV2({ client: t.lambda, ...WAIT }, { FunctionName: 'lifecycle' });
    const got = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'lifecycle' }));
    expect(got.Configuration).toMatchObject({ State: 'Active', MemorySize: 256, Timeout: 3, Version: '$LATEST' });
    expect(got.Configuration?.LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/lifecycle' });
    expect(got.Tags).toEqual({ team: 'perf' });
  });

  it("serves the deployed zip at GetFunction's Code.Location, as Lambda's presigned URL does", async () => {
    const got = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'lifecycle' }));
    const response = await fetch(got.Code?.Location ?? '');
    expect(response.status).toBe(200);
    const zip = Buffer.from(await response.arrayBuffer());
    expect(createHash('sha256').update(zip).digest('base64')).toBe(got.Configuration?.CodeSha256);
  });

  it('reports an update InProgress, refuses a second one meanwhile, and settles for the waiter', async () => {
    const before = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    const updating = await t.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'lifecycle',
        MemorySize: 512,
        RevisionId: before.RevisionId
      })
    );
    expect(updating.LastUpdateStatus).toBe('InProgress');
    expect(updating.RevisionId).not.toBe(before.RevisionId);
    const conflict = await rejectionOf(
      t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'lifecycle', MemorySize: 1024 }))
    );
    expect(conflict).toBeInstanceOf(ResourceConflictException);
    expect(conflict.message).toContain('An update is in progress');
    const waited = await waitUntilFunctionUpdatedV2({ client: t.lambda, ...WAIT }, { FunctionName: 'lifecycle' });
    expect(waited.state).toBe('SUCCESS');
    const after = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    expect(after).toMatchObject({ LastUpdateStatus: 'Successful', MemorySize: 512 });
  });

  it('rejects an update made against a stale RevisionId', async () => {
    const stale = await rejectionOf(
      t.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'lifecycle', MemorySize: 640, RevisionId: 'stale' })
      )
    );
    expect(stale).toBeInstanceOf(PreconditionFailedException);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    expect(config.MemorySize).toBe(512);
  });

  it('publishes frozen versions guarded by CodeSha256 and RevisionId, and reuses an unchanged one', async () => {
    const latest = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    const wrongCode = await rejectionOf(
      t.lambda.send(new PublishVersionCommand({ FunctionName: 'lifecycle', CodeSha256: 'AAAA' }))
    );
    expect(wrongCode).toBeInstanceOf(InvalidParameterValueException);
    expect(wrongCode.message).toContain('CodeSHA256 (AAAA) is different');
    const wrongRevision = await rejectionOf(
      t.lambda.send(new PublishVersionCommand({ FunctionName: 'lifecycle', RevisionId: 'other' }))
    );
    expect(wrongRevision).toBeInstanceOf(PreconditionFailedException);

    const v1 = await t.lambda.send(
      new PublishVersionCommand({
        FunctionName: 'lifecycle',
        CodeSha256: latest.CodeSha256,
        RevisionId: latest.RevisionId
      })
    );
    expect(v1).toMatchObject({ Version: '1', MemorySize: 512, State: 'Pending' });
    await waitUntilPublishedVersionActive({ client: t.lambda, ...WAIT }, { FunctionName: 'lifecycle', Qualifier: '1' });
    const again = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'lifecycle' }));
    expect(again.Version).toBe('1');

    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'lifecycle', MemorySize: 1024 }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, ...WAIT }, { FunctionName: 'lifecycle' });
    const frozen = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle', Qualifier: '1' })
    );
    expect(frozen).toMatchObject({ MemorySize: 512, Version: '1', FunctionArn: `${latest.FunctionArn}:1` });
    const v2 = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'lifecycle', Description: 'at 1 GB' }));
    expect(v2).toMatchObject({ Version: '2', MemorySize: 1024, Description: 'at 1 GB' });
  });

  it('lists versions page by page with the SDK paginator', async () => {
    const pages = paginateListVersionsByFunction({ client: t.lambda, pageSize: 1 }, { FunctionName: 'lifecycle' });
    const versions: string[] = [];
    let pageCount = 0;
    for await (const page of pages) {
      pageCount += 1;
      versions.push(...(page.Versions ?? []).map((v) => v.Version ?? ''));
    }
    expect(versions).toEqual(['$LATEST', '1', '2']);
    expect(pageCount).toBe(3);
  });

  it('manages aliases and will not delete a version an alias points to', async () => {
    await waitUntilPublishedVersionActive({ client: t.lambda, ...WAIT }, { FunctionName: 'lifecycle', Qualifier: '2' });
    const alias = await t.lambda.send(
      new CreateAliasCommand({ FunctionName: 'lifecycle', Name: 'live', FunctionVersion: '1' })
    );
    expect(alias.AliasArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:lifecycle:live');
    const updated = await t.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'lifecycle',
        Name: 'live',
        FunctionVersion: '2',
        RevisionId: alias.RevisionId
      })
    );
    expect(updated.FunctionVersion).toBe('2');
    const staleAlias = await rejectionOf(
      t.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'lifecycle',
          Name: 'live',
          FunctionVersion: '1',
          RevisionId: alias.RevisionId
        })
      )
    );
    expect(staleAlias).toBeInstanceOf(PreconditionFailedException);
    const viaAlias = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle', Qualifier: 'live' })
    );
    expect(viaAlias.Version).toBe('2');

    const refused = await rejectionOf(
      t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lifecycle', Qualifier: '2' }))
    );
    expect(refused).toBeInstanceOf(ResourceConflictException);
    expect(refused.message).toContain('aliases reference it');

    await t.lambda.send(new DeleteAliasCommand({ FunctionName: 'lifecycle', Name: 'live' }));
    expect(
      await rejectionOf(t.lambda.send(new GetAliasCommand({ FunctionName: 'lifecycle', Name: 'live' })))
    ).toBeInstanceOf(ResourceNotFoundException);
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lifecycle', Qualifier: '2' }));
    const left = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'lifecycle' }));
    expect(left.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    const latestGone = await rejectionOf(
      t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lifecycle', Qualifier: '$LATEST' }))
    );
    expect(latestGone).toBeInstanceOf(InvalidParameterValueException);
  });

  it('updates code from zip bytes and from the local S3 folder, and rejects images', async () => {
    const before = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    const fromS3 = await t.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'lifecycle', S3Bucket: 'bucket', S3Key: 'builds/v2.zip' })
    );
    expect(fromS3.CodeSha256).not.toBe(before.CodeSha256);
    await waitUntilFunctionUpdatedV2({ client: t.lambda, ...WAIT }, { FunctionName: 'lifecycle' });
    const missing = await rejectionOf(
      t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'lifecycle', S3Bucket: 'bucket', S3Key: 'nope.zip' }))
    );
    expect(missing).toBeInstanceOf(InvalidParameterValueException);
    expect(missing.message).toContain('NoSuchKey');
    const image = await rejectionOf(
      t.lambda.send(
        new UpdateFunctionCodeCommand({
          FunctionName: 'lifecycle',
          ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1'
        })
      )
    );
    expect(image).toBeInstanceOf(InvalidParameterValueException);
    expect(image.message).toContain('Container images');
    const back = await t.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'lifecycle', ZipFile: modelZip(100), Architectures: ['arm64'] })
    );
    expect(back).toMatchObject({ CodeSha256: before.CodeSha256, Architectures: ['arm64'] });
    await waitUntilFunctionUpdatedV2({ client: t.lambda, ...WAIT }, { FunctionName: 'lifecycle' });
  });

  it('tags and untags a function by its ARN', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:lifecycle';
    await t.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { run: 'r-1', owner: 'me' } }));
    await t.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['team'] }));
    const tags = await t.lambda.send(new ListTagsCommand({ Resource: arn }));
    expect(tags.Tags).toEqual({ run: 'r-1', owner: 'me' });
  });

  it('deletes the whole function, and then knows nothing of it', async () => {
    await t.lambda.send(
      new DeleteFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:lifecycle' })
    );
    const gone = await rejectionOf(t.lambda.send(new GetFunctionCommand({ FunctionName: 'lifecycle' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:lifecycle');
    expect(t.emulator.state().find((fn) => fn.name === 'lifecycle')).toBeUndefined();
  });
});
