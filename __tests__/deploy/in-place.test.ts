/**
 * In-place deployments against the emulator with the real SDK: one frozen version per memory size,
 * `$LATEST` exactly as it was right after prepare, and cleanup that removes what the run created and
 * nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2
} from '@aws-sdk/client-lambda';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from '../../src/deploy/deployer.js';
import { sha256Base64, zipDirectory } from '../../src/deploy/zip.js';
import { MODEL_FILE_NAME } from '../../src/emulator/model/schema.js';
import type { ProgressEvent } from '../../src/sweep/types.js';
import {
  createFunction,
  interceptingPort,
  latestOf,
  modelCode,
  snapshot,
  startDeployTestBed,
  versionsOf,
  type DeployTestBed
} from './helpers.js';

const WAIT = { minDelay: 1, maxDelay: 1, maxWaitTime: 10 };

describe('in-place deployment', () => {
  let t: DeployTestBed;
  beforeAll(async () => {
    t = await startDeployTestBed();
  });
  afterAll(async () => t.close());

  it('publishes one version per size, leaves $LATEST as it was, and cleanup removes every created version', async () => {
    // Prepare
    await createFunction(t.client, 'plain');
    const before = latestOf(t.emulator, 'plain');
    const events: ProgressEvent[] = [];
    const deployment = new Deployment(
      t.port,
      'plain',
      { mode: 'in-place', memorySizes: [128, 512, 2048, 512], runId: 'r1' },
      { progress: (e) => events.push(e) }
    );

    // Act
    const prepared = await deployment.prepare();

    // Assess: one version per distinct size, each frozen at its size with the run's description
    expect(prepared.versions.map((v) => v.memoryMb)).toEqual([128, 512, 2048]);
    expect(prepared.versions.every((v) => v.created)).toBe(true);
    const frozen = snapshot(t.emulator, 'plain')?.versions ?? [];
    for (const v of prepared.versions) {
      expect(frozen.find((f) => f.version === v.version)).toEqual({
        version: v.version,
        memorySize: v.memoryMb,
        description: `lambda-cost-gate run r1: ${v.memoryMb} MB`,
        codeSha256: before.codeSha256
      });
    }
    // The safety version of the untouched original exists too until cleanup, carrying its description.
    expect(
      frozen.find((f) => f.description === 'lambda-cost-gate run r1: original; description "checkout API"')
    ).toMatchObject({
      memorySize: 1024,
      codeSha256: before.codeSha256
    });
    expect(latestOf(t.emulator, 'plain')).toEqual(before);
    expect(prepared.target).toMatchObject({
      memorySize: 1024,
      description: 'checkout API',
      environment: { STAGE: 'prod' }
    });
    expect(events.filter((e) => e.type === 'phase').length).toBeGreaterThanOrEqual(4);

    await deployment.cleanup();
    expect(versionsOf(t.emulator, 'plain')).toEqual([]);
    expect(latestOf(t.emulator, 'plain')).toEqual(before);
    // Cleanup is idempotent.
    await deployment.cleanup();
  });

  it('keeps versions it did not create, including the one PublishVersion handed back', async () => {
    // Prepare: version 1 holds older settings; version 2 freezes $LATEST exactly as it is, so the
    // run's first publish (the safety version of the original) gets version 2 back instead of a new one.
    await createFunction(t.client, 'reused', { memorySize: 256 });
    const v1 = await t.client.send(new PublishVersionCommand({ FunctionName: 'reused', Description: 'release 7' }));
    await t.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'reused', Timeout: 20 }));
    await waitUntilFunctionUpdatedV2({ client: t.client, ...WAIT }, { FunctionName: 'reused' });
    const v2 = await t.client.send(new PublishVersionCommand({ FunctionName: 'reused', Description: 'release 8' }));
    const before = latestOf(t.emulator, 'reused');
    const seen: string[] = [];
    const port = interceptingPort(t.port, {
      getFunction: (_call, [, qualifier]) => {
        if (typeof qualifier === 'string') seen.push(qualifier);
      }
    });
    const deployment = new Deployment(port, 'reused', { mode: 'in-place', memorySizes: [512, 1024], runId: 'r2' });

    // Act
    const prepared = await deployment.prepare();
    const during = versionsOf(t.emulator, 'reused');
    await deployment.cleanup();

    // Assess: the run checked version 2 as its safety copy, created only the two size versions, and
    // cleanup deleted exactly those.
    expect(seen[0]).toBe(v2.Version);
    expect(prepared.versions.map((v) => v.created)).toEqual([true, true]);
    expect(during).toEqual([v1.Version, v2.Version, ...prepared.versions.map((v) => v.version)]);
    expect(versionsOf(t.emulator, 'reused')).toEqual([v1.Version, v2.Version]);
    expect(snapshot(t.emulator, 'reused')?.versions.map((v) => v.description)).toEqual(['release 7', 'release 8']);
    expect(latestOf(t.emulator, 'reused')).toEqual(before);
  });

  it('deploys a candidate from a folder: versions carry its CodeSha256, $LATEST keeps the original', async () => {
    // Prepare
    await createFunction(t.client, 'from-dir', { code: modelCode(100) });
    const before = latestOf(t.emulator, 'from-dir');
    const dir = mkdtempSync(join(tmpdir(), 'lcg-candidate-'));
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, MODEL_FILE_NAME), JSON.stringify({ cpuMs: 50, noiseSigma: 0 }));
    writeFileSync(join(dir, 'lib', 'unused.txt'), 'ignored by the model');
    const candidateSha = sha256Base64(zipDirectory(dir));
    const deployment = new Deployment(t.port, 'from-dir', {
      mode: 'in-place',
      memorySizes: [256, 1024],
      runId: 'r3',
      code: { kind: 'directory', path: dir }
    });

    // Act
    const prepared = await deployment.prepare();

    // Assess
    const frozen = snapshot(t.emulator, 'from-dir')?.versions ?? [];
    for (const v of prepared.versions)
      expect(frozen.find((f) => f.version === v.version)?.codeSha256).toBe(candidateSha);
    expect(candidateSha).not.toBe(before.codeSha256);
    expect(latestOf(t.emulator, 'from-dir')).toEqual(before);
    await deployment.cleanup();
    expect(versionsOf(t.emulator, 'from-dir')).toEqual([]);
  });

  it('deploys a candidate from a zip file', async () => {
    // Prepare
    await createFunction(t.client, 'from-zip', { code: modelCode(100) });
    const before = latestOf(t.emulator, 'from-zip');
    const zipPath = join(mkdtempSync(join(tmpdir(), 'lcg-zip-')), 'candidate.zip');
    writeFileSync(zipPath, modelCode(70));
    const deployment = new Deployment(t.port, 'from-zip', {
      mode: 'in-place',
      memorySizes: [640],
      runId: 'r4',
      code: { kind: 'zip', path: zipPath }
    });

    // Act
    const prepared = await deployment.prepare();

    // Assess
    const version = snapshot(t.emulator, 'from-zip')?.versions.find((v) => v.version === prepared.versions[0]?.version);
    expect(version).toMatchObject({ memorySize: 640, codeSha256: sha256Base64(modelCode(70)) });
    expect(latestOf(t.emulator, 'from-zip')).toEqual(before);
    await deployment.cleanup();
    expect(versionsOf(t.emulator, 'from-zip')).toEqual([]);
  });

  it('refuses a container image before changing anything', async () => {
    const port = {
      ...t.port,
      getFunction: async (name: string) => ({ ...(await t.port.getFunction(name)), packageType: 'Image' as const })
    };
    await createFunction(t.client, 'image');
    const before = snapshot(t.emulator, 'image');
    const deployment = new Deployment(port, 'image', { mode: 'in-place', memorySizes: [256], runId: 'r5' });
    await expect(deployment.prepare()).rejects.toThrow(/container image \(PackageType Image\)/);
    await deployment.cleanup();
    expect(snapshot(t.emulator, 'image')).toEqual(before);
  });
});
