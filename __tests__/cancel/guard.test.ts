/**
 * The cancelled run's guard on a grid's writes: putting the original environment back is a restore (allowed
 * after a cancel, and said so), setting a cell's environment or uploading the original code for another
 * architecture is a forward change (refused after a cancel). The original environment is recognised by a
 * keyed digest kept in memory, never by a saved copy.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Base64, zipDirectory } from '../../src/deploy/zip.js';
import { RunCancelledError } from '../../src/deploy/errors.js';
import { guardLambdaPort, putBackSummary, recordForCleanup } from '../../src/post.js';
import type { FunctionState, LambdaPort } from '../../src/sweep/types.js';

const ORIGINAL: FunctionState = {
  name: 'grid-fn',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:grid-fn',
  region: 'us-east-1',
  runtime: 'nodejs20.x',
  handler: 'index.handler',
  role: 'arn:aws:iam::123456789012:role/r',
  memorySize: 1024,
  timeout: 30,
  description: 'orders',
  codeSha256: 'not-the-zip',
  revisionId: 'r1',
  architecture: 'x86_64',
  environment: { THREADS: '2', API_KEY: 'sk_live_secret_value' },
  layers: [],
  ephemeralStorageMb: 512,
  logGroup: '/aws/lambda/grid-fn',
  logFormat: 'Text',
  packageType: 'Zip',
  lastUpdateStatus: 'Successful',
  state: 'Active'
};

function fakePort(): { port: LambdaPort; calls: string[] } {
  const calls: string[] = [];
  const port = {
    updateConfiguration: jest.fn(async (_name: string, change: object) => {
      calls.push(`config ${JSON.stringify(change)}`);
      return ORIGINAL;
    }),
    updateCode: jest.fn(async (_name: string, _code: unknown, _revision: string, architecture?: string) => {
      calls.push(`code ${architecture ?? 'same'}`);
      return ORIGINAL;
    })
  } as unknown as LambdaPort;
  return { port, calls };
}

/** Records the original as the main step does; core.saveState prints a command, kept out of the test output. */
function recordQuietly(original: FunctionState): void {
  const saved = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    recordForCleanup(original, 'run-7');
  } finally {
    process.stdout.write = saved;
  }
}

/** A guarded fake port whose run was cancelled by SIGTERM. */
function cancelledGuard(): { guarded: LambdaPort; calls: string[] } {
  const controller = new AbortController();
  const { port, calls } = fakePort();
  const guarded = guardLambdaPort(port, {
    runId: 'run-7',
    signal: controller.signal,
    listVersionsWithAge: async () => []
  });
  controller.abort('SIGTERM');
  return { guarded, calls };
}

describe('the guard of a cancelled grid run', () => {
  recordQuietly(ORIGINAL);

  it('lets the original environment back and says so; refuses a cell’s environment', async () => {
    const { guarded, calls } = cancelledGuard();

    await expect(
      guarded.updateConfiguration('grid-fn', { environment: { ...ORIGINAL.environment, THREADS: '8' } }, 'r2')
    ).rejects.toBeInstanceOf(RunCancelledError);
    // The same variables in another order are the original.
    await guarded.updateConfiguration(
      'grid-fn',
      { memorySize: 1024, environment: { API_KEY: 'sk_live_secret_value', THREADS: '2' } },
      'r3'
    );

    expect(calls).toHaveLength(1);
    expect(putBackSummary()).toContain('grid-fn: $LATEST put back (memory, environment)');
    expect(putBackSummary()).not.toContain('sk_live');
  });

  it('refuses the original code on another architecture after a cancel: that is a grid cell, not a restore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-'));
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => 1;\n');
    const zip = zipDirectory(dir);
    const path = join(dir, 'original.zip');
    writeFileSync(path, zip);
    const withZip = { ...ORIGINAL, name: 'grid-arch', arn: ORIGINAL.arn.replace('grid-fn', 'grid-arch') };
    recordQuietly({ ...withZip, codeSha256: sha256Base64(zip) });
    const { guarded, calls } = cancelledGuard();
    const code = { kind: 'zip' as const, path };

    await expect(guarded.updateCode('grid-arch', code, 'r4', 'arm64')).rejects.toBeInstanceOf(RunCancelledError);
    await guarded.updateCode('grid-arch', code, 'r5', 'x86_64');

    expect(calls).toEqual(['code x86_64']);
    expect(putBackSummary()).toContain('grid-arch: $LATEST put back (code)');
  });
});
