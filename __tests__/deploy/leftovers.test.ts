/**
 * Leftovers of runs that never cleaned up (a killed process): found from Lambda alone, removed, and
 * an interrupted `$LATEST` put back from the run's original version.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PublishVersionCommand } from '@aws-sdk/client-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from '../../src/deploy/deployer.js';
import { CleanupError } from '../../src/deploy/errors.js';
import { findLeftovers, removeLeftovers } from '../../src/deploy/leftovers.js';
import type { FunctionState, LambdaPort } from '../../src/sweep/types.js';
import {
  createFunction,
  interceptingPort,
  latestOf,
  modelCode,
  rejectionOf,
  snapshot,
  startDeployTestBed,
  versionsOf,
  type DeployTestBed
} from './helpers.js';

/** A port that "kills" the run (throws, and nothing cleans up) at the given updateConfiguration call. */
const killedAt = (port: LambdaPort, call: number) =>
  interceptingPort(port, {
    updateConfiguration: (n) => {
      if (n === call) throw new Error('killed');
    }
  });

describe('leftovers of killed runs', () => {
  let t: DeployTestBed;
  beforeAll(async () => {
    t = await startDeployTestBed();
  });
  afterAll(async () => t.close());

  it('finds the versions of a run that never cleaned up, and only that run’s when asked', async () => {
    // Prepare: a pre-existing version, a run that finished prepare but never cleaned up, and another run.
    await createFunction(t.client, 'abandoned');
    await t.client.send(new PublishVersionCommand({ FunctionName: 'abandoned', Description: 'release 1' }));
    await new Deployment(t.port, 'abandoned', { mode: 'in-place', memorySizes: [128, 256], runId: 'k1' }).prepare();
    await new Deployment(t.port, 'abandoned', { mode: 'in-place', memorySizes: [512], runId: 'other' }).prepare();

    // Act
    const mine = await findLeftovers(t.port, 'abandoned', { runId: 'k1' });
    const all = await findLeftovers(t.port, 'abandoned');

    // Assess
    expect(mine.versions.map((v) => v.description)).toEqual([
      'lambda-cost-gate run k1: 128 MB',
      'lambda-cost-gate run k1: 256 MB'
    ]);
    expect(mine.interrupted).toBeUndefined();
    // Run k1's safety publish got version 1 back (unchanged since); run other's made its own.
    expect(all.versions.map((v) => v.runId)).toEqual(['k1', 'k1', 'other', 'other']);
    const removed = await removeLeftovers(t.port, mine);
    expect(removed).toEqual({ removedVersions: ['2', '3'], removedCopies: [], restored: false });
    expect(snapshot(t.emulator, 'abandoned')?.versions.map((v) => v.description)).toEqual([
      'release 1',
      'lambda-cost-gate run other: original; description "checkout API"',
      'lambda-cost-gate run other: 512 MB'
    ]);
  });

  it('puts back a $LATEST left half-way (memory, description, code) from the safety version', async () => {
    // Prepare: a candidate is deployed and one size published, then the process dies.
    await createFunction(t.client, 'interrupted');
    const before = latestOf(t.emulator, 'interrupted');
    const zip = join(mkdtempSync(join(tmpdir(), 'lcg-left-')), 'candidate.zip');
    writeFileSync(zip, modelCode(45));
    let saved: FunctionState | undefined;
    const run = new Deployment(
      killedAt(t.port, 2),
      'interrupted',
      { mode: 'in-place', memorySizes: [128, 256], runId: 'k2', code: { kind: 'zip', path: zip } },
      { onOriginal: (original) => (saved = original) }
    );
    await rejectionOf(run.prepare());
    expect(latestOf(t.emulator, 'interrupted')).toMatchObject({
      memorySize: 128,
      description: 'lambda-cost-gate run k2: 128 MB'
    });

    // Act
    const leftovers = await findLeftovers(t.port, 'interrupted', { runId: 'k2' });
    const removed = await removeLeftovers(t.port, leftovers, saved ? { original: saved } : {});

    // Assess
    expect(leftovers.interrupted).toEqual({ runId: 'k2', originalVersion: '1' });
    expect(removed).toEqual({ removedVersions: ['1', '2'], removedCopies: [], restored: true });
    expect(latestOf(t.emulator, 'interrupted')).toEqual(before);
    expect(versionsOf(t.emulator, 'interrupted')).toEqual([]);
  });

  it('uses the existing version PublishVersion handed back as the original, and reports an unknown description', async () => {
    await createFunction(t.client, 'no-hint', { memorySize: 640 });
    await t.client.send(new PublishVersionCommand({ FunctionName: 'no-hint', Description: 'release 9' }));
    const before = latestOf(t.emulator, 'no-hint');
    const run = new Deployment(killedAt(t.port, 2), 'no-hint', {
      mode: 'in-place',
      memorySizes: [128, 256],
      runId: 'k3'
    });
    await rejectionOf(run.prepare());

    const leftovers = await findLeftovers(t.port, 'no-hint', { runId: 'k3' });
    const error = await rejectionOf(removeLeftovers(t.port, leftovers));

    expect(leftovers.interrupted).toEqual({ runId: 'k3', originalVersion: '1' });
    expect(error).toBeInstanceOf(CleanupError);
    expect((error as CleanupError).failures.map((f) => f.item)).toEqual(['the description of no-hint']);
    expect(latestOf(t.emulator, 'no-hint')).toEqual({ ...before, description: 'lambda-cost-gate run k3: 128 MB' });
    expect(versionsOf(t.emulator, 'no-hint')).toEqual(['1']);
  });

  it('finds and deletes a temporary copy left by a killed run', async () => {
    await createFunction(t.client, 'copied');
    await new Deployment(t.port, 'copied', { mode: 'temporary-copy', memorySizes: [128], runId: 'k4' }).prepare();

    const leftovers = await findLeftovers(t.port, 'copied', { runId: 'k4' });
    await removeLeftovers(t.port, leftovers);

    expect(leftovers.copies).toEqual(['copied-lcg-k4']);
    expect(snapshot(t.emulator, 'copied-lcg-k4')).toBeUndefined();
  });
});
