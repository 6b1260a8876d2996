/**
 * Failures half-way through prepare: each gives a clear typed error, and cleanup then puts `$LATEST`
 * back and deletes every version the run created (checked in the emulator's own state).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetFunctionConfigurationCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2
} from '@aws-sdk/client-lambda';
import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from '../../src/deploy/deployer.js';
import { CleanupError, ConcurrentChangeError, UpdateFailedError, WaitTimeoutError } from '../../src/deploy/errors.js';
import { AwsCallError } from '../../src/errors.js';
import { faultRuleSchema } from '../../src/emulator/faults.js';
import {
  createFunction,
  interceptingPort,
  latestOf,
  MAX_ATTEMPTS,
  modelCode,
  rejectionOf,
  startDeployTestBed,
  versionsOf,
  type DeployTestBed
} from './helpers.js';

describe('failures during prepare', () => {
  let t: DeployTestBed;
  const setFaults = (rules: Array<Record<string, unknown>>) =>
    t.emulator.faults.replace(rules.map((rule) => faultRuleSchema.parse(rule)));
  const candidateZip = (cpuMs: number) => {
    const path = join(mkdtempSync(join(tmpdir(), 'lcg-faults-')), 'candidate.zip');
    writeFileSync(path, modelCode(cpuMs));
    return { kind: 'zip' as const, path };
  };

  beforeAll(async () => {
    t = await startDeployTestBed();
  });
  afterEach(() => setFaults([]));
  afterAll(async () => t.close());

  it('an update that fails on the 3rd size: UpdateFailedError, then $LATEST and its code are put back', async () => {
    // Prepare
    await createFunction(t.client, 'fails-third');
    const before = latestOf(t.emulator, 'fails-third');
    const port = interceptingPort(t.port, {
      updateConfiguration: (call) => {
        if (call === 3)
          setFaults([
            { operation: 'UpdateFunctionConfiguration', resource: 'fails-third', kind: 'update-failure', count: 1 }
          ]);
      }
    });
    const deployment = new Deployment(port, 'fails-third', {
      mode: 'in-place',
      memorySizes: [256, 512, 1536, 3008],
      runId: 'f1',
      code: candidateZip(60)
    });

    // Act
    const error = await rejectionOf(deployment.prepare());

    // Assess
    expect(error).toBeInstanceOf(UpdateFailedError);
    expect(error.message).toContain(
      'The update of function fails-third failed: The update failed because of an internal error'
    );
    expect(latestOf(t.emulator, 'fails-third')).toMatchObject({ memorySize: 1536, lastUpdateStatus: 'Failed' });
    await deployment.cleanup();
    expect(latestOf(t.emulator, 'fails-third')).toEqual(before);
    expect(versionsOf(t.emulator, 'fails-third')).toEqual([]);
  });

  it(`a PublishVersion that keeps failing after the SDK's ${MAX_ATTEMPTS} attempts: AwsCallError, then cleanup`, async () => {
    await createFunction(t.client, 'publish-fails');
    const before = latestOf(t.emulator, 'publish-fails');
    const port = interceptingPort(t.port, {
      publishVersion: (call) => {
        // Call 1 is the safety version; call 3 is the second size.
        if (call === 3) setFaults([{ operation: 'PublishVersion', kind: 'server-error', count: MAX_ATTEMPTS }]);
      }
    });
    const deployment = new Deployment(port, 'publish-fails', {
      mode: 'in-place',
      memorySizes: [128, 256, 512],
      runId: 'f2'
    });

    const error = await rejectionOf(deployment.prepare());

    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.message).toBe('Could not publish a version of function publish-fails');
    expect(versionsOf(t.emulator, 'publish-fails')).toHaveLength(2);
    await deployment.cleanup();
    expect(latestOf(t.emulator, 'publish-fails')).toEqual(before);
    expect(versionsOf(t.emulator, 'publish-fails')).toEqual([]);
  });

  it('someone else changes the function between two steps: ConcurrentChangeError, and only our changes are undone', async () => {
    // Prepare: before the second size is published, "someone else" changes the timeout.
    await createFunction(t.client, 'contended');
    const before = latestOf(t.emulator, 'contended');
    const port = interceptingPort(t.port, {
      publishVersion: async (call) => {
        if (call !== 3) return;
        await t.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'contended', Timeout: 42 }));
        await waitUntilFunctionUpdatedV2(
          { client: t.client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 },
          { FunctionName: 'contended' }
        );
      }
    });
    const deployment = new Deployment(port, 'contended', {
      mode: 'in-place',
      memorySizes: [128, 256, 512],
      runId: 'f3',
      code: candidateZip(80)
    });

    // Act
    const error = await rejectionOf(deployment.prepare());
    await deployment.cleanup();

    // Assess
    expect(error).toBeInstanceOf(ConcurrentChangeError);
    expect(error.message).toMatch(/was changed by someone else during the run .*it was not measured/);
    expect(latestOf(t.emulator, 'contended')).toEqual(before);
    const config = await t.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'contended' }));
    expect(config.Timeout).toBe(42);
    expect(versionsOf(t.emulator, 'contended')).toEqual([]);
  });

  it('leaves a memory size someone else set during the run, says so, and still restores what was ours', async () => {
    await createFunction(t.client, 'resized');
    const before = latestOf(t.emulator, 'resized');
    const port = interceptingPort(t.port, {
      publishVersion: async (call) => {
        if (call !== 2) return;
        await t.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'resized', MemorySize: 3000 }));
        await waitUntilFunctionUpdatedV2(
          { client: t.client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 },
          { FunctionName: 'resized' }
        );
      }
    });
    const lines: string[] = [];
    const deployment = new Deployment(
      port,
      'resized',
      { mode: 'in-place', memorySizes: [128, 256], runId: 'f8' },
      { log: (line) => lines.push(line) }
    );

    const error = await rejectionOf(deployment.prepare());
    await deployment.cleanup();

    expect(error).toBeInstanceOf(ConcurrentChangeError);
    expect(latestOf(t.emulator, 'resized')).toEqual({ ...before, memorySize: 3000 });
    expect(lines).toContain('Warning: resized now has 3000 MB, set by someone else; left as it is');
    expect(versionsOf(t.emulator, 'resized')).toEqual([]);
  });

  it('reads again and retries when someone changes the function while it is being restored', async () => {
    await createFunction(t.client, 'restore-race');
    const before = latestOf(t.emulator, 'restore-race');
    const port = interceptingPort(t.port, {
      updateConfiguration: async (call) => {
        if (call !== 3) return; // calls 1 and 2 set the sizes; 3 is the restore
        await t.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'restore-race', Timeout: 12 }));
        await waitUntilFunctionUpdatedV2(
          { client: t.client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 },
          { FunctionName: 'restore-race' }
        );
      }
    });
    const deployment = new Deployment(port, 'restore-race', { mode: 'in-place', memorySizes: [128, 256], runId: 'f9' });

    const prepared = await deployment.prepare();
    await deployment.cleanup();

    expect(prepared.target).toMatchObject({ memorySize: 1024, description: 'checkout API', timeout: 12 });
    expect(latestOf(t.emulator, 'restore-race')).toEqual(before);
    expect(versionsOf(t.emulator, 'restore-race')).toEqual([]);
  });

  it('an update slower than the wait limit: WaitTimeoutError naming the limit; cleanup waits for it, then restores', async () => {
    await createFunction(t.client, 'slow');
    const before = latestOf(t.emulator, 'slow');
    const port = interceptingPort(t.portWith({ waitMaxSeconds: 2 }), {
      updateConfiguration: (call) => {
        if (call === 2)
          setFaults([
            { operation: 'UpdateFunctionConfiguration', resource: 'slow', kind: 'slow-update', delayMs: 3500, count: 1 }
          ]);
      }
    });
    const deployment = new Deployment(port, 'slow', { mode: 'in-place', memorySizes: [128, 256], runId: 'f4' });

    const error = await rejectionOf(deployment.prepare());

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toBe('The update of function slow did not settle within 2 s');
    expect(latestOf(t.emulator, 'slow').lastUpdateStatus).toBe('InProgress');
    await deployment.cleanup();
    expect(latestOf(t.emulator, 'slow')).toEqual(before);
    expect(versionsOf(t.emulator, 'slow')).toEqual([]);
  });

  it('a version Lambda published whose reply was lost is still found and deleted', async () => {
    await createFunction(t.client, 'lost-reply');
    const port = { ...t.port };
    let calls = 0;
    port.publishVersion = async (name, expected) => {
      const version = await t.port.publishVersion(name, expected);
      calls += 1;
      if (calls === 2) throw new Error('socket hang up (after Lambda published the version)');
      return version;
    };
    const deployment = new Deployment(port, 'lost-reply', { mode: 'in-place', memorySizes: [128, 256], runId: 'f5' });

    await rejectionOf(deployment.prepare());
    expect(versionsOf(t.emulator, 'lost-reply')).toHaveLength(2);
    await deployment.cleanup();

    expect(versionsOf(t.emulator, 'lost-reply')).toEqual([]);
  });

  it('lists what it could not remove with the command to remove it, and finishes on a second call', async () => {
    await createFunction(t.client, 'stuck');
    const deployment = new Deployment(t.port, 'stuck', { mode: 'in-place', memorySizes: [128, 256], runId: 'f6' });
    const { versions } = await deployment.prepare();
    setFaults([{ operation: 'DeleteFunction', resource: 'stuck', kind: 'server-error', count: MAX_ATTEMPTS }]);

    const error = await rejectionOf(deployment.cleanup());

    expect(error).toBeInstanceOf(CleanupError);
    const failures = (error as CleanupError).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]?.manual).toMatch(/^aws lambda delete-function --function-name stuck --qualifier \d+$/);
    expect(error.message).toContain('fix by hand: aws lambda delete-function --function-name stuck --qualifier');
    expect(versionsOf(t.emulator, 'stuck')).toHaveLength(1);
    await deployment.cleanup();
    expect(versionsOf(t.emulator, 'stuck')).toEqual([]);
    expect(versions).toHaveLength(2);
  });

  it('keeps the safety version while $LATEST cannot be restored, and says so', async () => {
    // Prepare: the candidate is deployed, then publishing fails; the restore's code update fails too.
    await createFunction(t.client, 'unrestorable');
    const before = latestOf(t.emulator, 'unrestorable');
    const port = interceptingPort(t.port, {
      publishVersion: (call) => {
        if (call === 2) setFaults([{ operation: 'PublishVersion', kind: 'server-error', count: MAX_ATTEMPTS }]);
      }
    });
    const deployment = new Deployment(port, 'unrestorable', {
      mode: 'in-place',
      memorySizes: [128],
      runId: 'f7',
      code: candidateZip(90)
    });
    await rejectionOf(deployment.prepare());
    setFaults([{ operation: 'UpdateFunctionCode', kind: 'server-error', count: MAX_ATTEMPTS }]);

    // Act
    const error = await rejectionOf(deployment.cleanup());

    // Assess
    expect(error).toBeInstanceOf(CleanupError);
    const items = (error as CleanupError).failures.map((f) => f.item);
    expect(items).toEqual([
      '$LATEST of function unrestorable (memory, description, code)',
      'version 1 of function unrestorable'
    ]);
    expect(error.message).toContain('aws lambda update-function-code --function-name unrestorable --zip-file fileb://');
    expect(error.message).toContain('kept on purpose');
    expect(versionsOf(t.emulator, 'unrestorable')).toEqual(['1']);
    await deployment.cleanup();
    expect(latestOf(t.emulator, 'unrestorable')).toEqual(before);
    expect(versionsOf(t.emulator, 'unrestorable')).toEqual([]);
  });
});
