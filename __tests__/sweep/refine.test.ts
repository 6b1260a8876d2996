/**
 * The refine step against the emulator: after a coarse sweep, two more sizes are measured around the fitted
 * optimum (here the knee at one vCPU, 1769 MB, which lies between the swept 1024 and 2048 MB), and the function
 * is left with no version, as after any sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLambdaClient } from '../../src/aws/clients.js';
import { createLambdaPort } from '../../src/deploy/lambda-adapter.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { parseSweepInputs } from '../../src/inputs/sweep-inputs.js';
import type { InputName } from '../../src/inputs/names.js';
import { runSweep } from '../../src/sweep/engine.js';
import type { LambdaPort } from '../../src/sweep/types.js';
import { withAwsCredentials } from '../gate/run-gate-helpers.js';

describe('refine: a second, smaller sweep around the fitted optimum', () => {
  let emulator: RunningEmulator;
  let lambda: LambdaPort;
  let client: ReturnType<typeof createLambdaClient>;
  const restoreCredentials = withAwsCredentials();

  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        updateDelayMs: 0,
        functions: [{ name: 'knee', model: { cpuMs: 200, ioMs: 5, noiseSigma: 0.02 }, memorySize: 512 }]
      }
    });
    client = createLambdaClient({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    lambda = createLambdaPort(client, { waitMaxSeconds: 30 });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
    restoreCredentials();
  });

  const sweep = (extra: Partial<Record<InputName, string>>) => {
    const inputs: Partial<Record<InputName, string>> = {
      'memory-sizes': '256,512,1024,2048',
      invocations: '10',
      warmup: '1',
      strategy: 'speed',
      ...extra
    };
    const settings = parseSweepInputs((name) => inputs[name] ?? '', 'knee', {
      readFile: () => '',
      newRunId: () => 'r'
    });
    return runSweep({ ...settings, seed: 5 }, { lambda, toolVersion: 'test' });
  };

  it('measures up to two sizes around the fitted knee and reports all of them', async () => {
    const report = await sweep({ refine: 'true' });

    const sizes = report.sizes.map((s) => s.memoryMb);
    const added = sizes.filter((size) => ![256, 512, 1024, 2048].includes(size));
    expect(added.length).toBeGreaterThanOrEqual(1);
    expect(added.length).toBeLessThanOrEqual(2);
    // Around the knee between 1024 and 2048 MB, never a size already measured.
    for (const size of added) {
      expect(size).toBeGreaterThan(1024);
      expect(size).toBeLessThan(2048);
    }
    expect(report.warnings.join(' ')).toMatch(/^.*Refined: .* MB were measured in a second sweep/);
    expect(report.fittedRecommendation!.speed!.memoryMb).toBeGreaterThan(1600);
    expect(report.fittedRecommendation!.speed!.memoryMb).toBeLessThan(1950);
    expect(emulator.state().find((f) => f.name === 'knee')!.versions).toHaveLength(0);
  });

  it('does nothing more without refine', async () => {
    const report = await sweep({});

    expect(report.sizes.map((s) => s.memoryMb)).toEqual([256, 512, 1024, 2048]);
    expect(report.warnings.join(' ')).not.toContain('Refined');
  });
});
