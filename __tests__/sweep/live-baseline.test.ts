/**
 * A live A/B baseline: the deployed code (an alias) is invoked in the same rounds as the candidate, through
 * the real SDK against the emulator, and comes back as its own report, without touching the alias.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createLambdaClient } from '../../src/aws/clients.js';
import { createLambdaPort } from '../../src/deploy/lambda-adapter.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { MODEL_FILE_NAME } from '../../src/emulator/model/schema.js';
import { parseRunReport } from '../../src/report/run-report.js';
import { runSweepWithBaseline } from '../../src/sweep/engine.js';
import type { LambdaPort } from '../../src/sweep/types.js';

describe('runSweepWithBaseline', () => {
  let emulator: RunningEmulator;
  let client: LambdaClient;
  let lambda: LambdaPort;

  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        updateDelayMs: 20,
        functions: [{ name: 'api', model: { cpuMs: 40, noiseSigma: 0.02, memoryUsedMb: 60 }, memorySize: 512 }]
      }
    });
    client = createLambdaClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' }
    });
    lambda = createLambdaPort(client, { waitMaxSeconds: 30 });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it('measures the alias at its own memory beside a 50 % slower candidate and leaves the alias alone', async () => {
    const fn = await lambda.getFunction('api');
    const version = await lambda.publishVersion('api', {
      codeSha256: fn.codeSha256,
      revisionId: fn.revisionId,
      description: 'release 7'
    });
    await client.send(new CreateAliasCommand({ FunctionName: 'api', Name: 'live', FunctionVersion: version }));
    const candidateDir = mkdtempSync(join(tmpdir(), 'lcg-candidate-'));
    writeFileSync(
      join(candidateDir, MODEL_FILE_NAME),
      JSON.stringify({ cpuMs: 60, noiseSigma: 0.02, memoryUsedMb: 60 })
    );

    const { report, liveBaseline } = await runSweepWithBaseline(
      {
        options: {
          functionName: 'api',
          code: { kind: 'directory', path: candidateDir },
          memorySizes: [256, 512],
          invocations: 5,
          sizeInvocations: [{ memoryMb: 512, invocations: 20 }],
          liveBaseline: { qualifier: 'live', invocations: 20 },
          warmup: 1,
          concurrency: 3,
          payloads: [{ json: '{}', weight: 1 }],
          mode: 'in-place',
          strategy: 'balanced',
          balancedWeight: 0.5,
          runId: 'ab-test'
        },
        confidence: 0.95,
        includePayloads: false,
        priceOverrides: {}
      },
      { lambda, toolVersion: 'test' }
    );

    expect(report.sizes.map((s) => [s.memoryMb, s.measured])).toEqual([
      [256, 5],
      [512, 20]
    ]);
    expect(report.plan.sizeInvocations).toEqual([{ memoryMb: 512, invocations: 20 }]);
    const baseline = parseRunReport(JSON.parse(JSON.stringify(liveBaseline)), 'live baseline');
    expect(baseline.function.qualifier).toBe('live');
    expect(baseline.function.codeSha256).toBe(fn.codeSha256);
    expect(baseline.function.codeSha256).not.toBe(report.function.codeSha256);
    expect(baseline.sizes.map((s) => [s.memoryMb, s.measured])).toEqual([[512, 20]]);
    expect(baseline.samples.every((s) => s.version === version)).toBe(true);
    // The candidate does 60 ms of CPU against the release's 40 ms.
    const p50 = (r: typeof report) => r.sizes.find((s) => s.memoryMb === 512)!.duration!.p50.value;
    expect(p50(report) / p50(baseline)).toBeGreaterThan(1.35);
    expect(p50(report) / p50(baseline)).toBeLessThan(1.65);
    const alias = await client.send(new GetAliasCommand({ FunctionName: 'api', Name: 'live' }));
    expect(alias.FunctionVersion).toBe(version);
    const after = emulator.state().find((f) => f.name === 'api')!;
    expect(after.versions.map((v) => v.version)).toEqual([version]);
    expect(after.codeSha256).toBe(fn.codeSha256);
  });

  it('stops before changing anything when the alias does not exist', async () => {
    const before = emulator.state().find((f) => f.name === 'api')!;
    await expect(
      runSweepWithBaseline(
        {
          options: {
            functionName: 'api',
            memorySizes: [512],
            invocations: 2,
            liveBaseline: { qualifier: 'missing', invocations: 2 },
            warmup: 0,
            concurrency: 1,
            payloads: [{ json: '{}', weight: 1 }],
            mode: 'in-place',
            strategy: 'balanced',
            balancedWeight: 0.5,
            runId: 'ab-missing'
          },
          confidence: 0.95,
          includePayloads: false,
          priceOverrides: {}
        },
        { lambda, toolVersion: 'test' }
      )
    ).rejects.toThrow(/missing/);
    expect(emulator.state().find((f) => f.name === 'api')).toEqual(before);
  });
});
