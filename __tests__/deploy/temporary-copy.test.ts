/**
 * Temporary-copy mode: the versions live on `<name>-lcg-<run>`, which cleanup deletes; the real
 * function is never written to, so its state (RevisionId included) and versions stay byte-identical.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from '../../src/deploy/deployer.js';
import { FunctionExistsError } from '../../src/deploy/errors.js';
import { copyFunctionName } from '../../src/deploy/naming.js';
import { sha256Base64 } from '../../src/deploy/zip.js';
import { createFunction, modelCode, rejectionOf, snapshot, startDeployTestBed, type DeployTestBed } from './helpers.js';

describe('temporary-copy deployment', () => {
  let t: DeployTestBed;
  beforeAll(async () => {
    t = await startDeployTestBed();
  });
  afterAll(async () => t.close());

  it('copies the function with its own code, publishes there, and deletes the copy', async () => {
    // Prepare
    await createFunction(t.client, 'real', { environment: { STAGE: 'prod', TABLE: 'orders' } });
    await t.client.send(new PublishVersionCommand({ FunctionName: 'real', Description: 'live' }));
    const before = JSON.stringify(snapshot(t.emulator, 'real'));
    const deployment = new Deployment(t.port, 'real', {
      mode: 'temporary-copy',
      memorySizes: [128, 2048],
      runId: 'c1'
    });

    // Act
    const prepared = await deployment.prepare();

    // Assess: the copy has the real function's configuration and code, and the versions
    const copy = copyFunctionName('real', 'c1');
    expect(copy).toBe('real-lcg-c1');
    expect(prepared.target).toMatchObject({
      name: copy,
      environment: { STAGE: 'prod', TABLE: 'orders' },
      timeout: 30,
      runtime: 'nodejs20.x',
      codeSha256: prepared.original.codeSha256,
      logGroup: `/aws/lambda/${copy}`
    });
    expect(snapshot(t.emulator, copy)?.versions.map((v) => v.memorySize)).toEqual([128, 2048]);
    expect(snapshot(t.emulator, copy)?.tags).toEqual({
      'lambda-cost-gate:run-id': 'c1',
      'lambda-cost-gate:source': 'real'
    });
    expect(JSON.stringify(snapshot(t.emulator, 'real'))).toBe(before);

    await deployment.cleanup();
    expect(snapshot(t.emulator, copy)).toBeUndefined();
    expect(JSON.stringify(snapshot(t.emulator, 'real'))).toBe(before);
  });

  it('copies with the candidate code when one is given', async () => {
    await createFunction(t.client, 'real-2');
    const before = JSON.stringify(snapshot(t.emulator, 'real-2'));
    const path = join(mkdtempSync(join(tmpdir(), 'lcg-copy-')), 'candidate.zip');
    writeFileSync(path, modelCode(33));
    const deployment = new Deployment(t.port, 'real-2', {
      mode: 'temporary-copy',
      memorySizes: [512],
      runId: 'c2',
      code: { kind: 'zip', path }
    });

    const prepared = await deployment.prepare();

    expect(snapshot(t.emulator, 'real-2-lcg-c2')?.versions[0]).toMatchObject({
      memorySize: 512,
      codeSha256: sha256Base64(modelCode(33))
    });
    expect(prepared.versions).toEqual([{ memoryMb: 512, version: '1', created: true }]);
    await deployment.cleanup();
    expect(snapshot(t.emulator, 'real-2-lcg-c2')).toBeUndefined();
    expect(JSON.stringify(snapshot(t.emulator, 'real-2'))).toBe(before);
  });

  it('never deletes a function of the copy name that it did not create', async () => {
    await createFunction(t.client, 'real-3');
    await createFunction(t.client, 'real-3-lcg-c3', { description: 'not ours' });
    const deployment = new Deployment(t.port, 'real-3', { mode: 'temporary-copy', memorySizes: [512], runId: 'c3' });

    const error = await rejectionOf(deployment.prepare());
    await deployment.cleanup();

    expect(error).toBeInstanceOf(FunctionExistsError);
    const stillThere = await t.client.send(new GetFunctionCommand({ FunctionName: 'real-3-lcg-c3' }));
    expect(stillThere.Configuration?.Description).toBe('not ours');
  });

  it('keeps copy names within 64 characters and the same for the same run', () => {
    const long = 'f'.repeat(64);
    expect(copyFunctionName(long, 'c1')).toHaveLength(64);
    expect(copyFunctionName('fn', 'run 42 / attempt 1')).toMatch(/^fn-lcg-[0-9a-f]{8}$/);
    expect(copyFunctionName('fn', 'run 42 / attempt 1')).toBe(copyFunctionName('fn', 'run 42 / attempt 1'));
  });
});
