/**
 * Architecture as a grid dimension, end to end on the emulator: the candidate is uploaded once per
 * architecture, each cell is priced with its architecture's rates, the comment says what arm64 would save,
 * and the function is put back on its own architecture.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetFunctionCommand, ListVersionsByFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { resolve } from 'node:path';
import { createLambdaClient } from '../../src/aws/clients.js';
import { deployExample } from '../../src/demo/deploy-example.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import type { InputName } from '../../src/inputs/names.js';
import { parseSweepInputs } from '../../src/inputs/sweep-inputs.js';
import { priceTable } from '../../src/pricing/cost.js';
import { renderGridSection } from '../../src/report/comment-grid.js';
import type { RunReport } from '../../src/report/run-report-schema.js';
import { runSweep } from '../../src/sweep/engine.js';
import { withAwsCredentials } from '../gate/run-gate-helpers.js';

describe('an x86_64 × arm64 grid on the emulator', () => {
  let emulator: RunningEmulator;
  let aws: ReturnType<typeof createAwsPorts>;
  let client: LambdaClient;
  let report: RunReport;
  const restoreCredentials = withAwsCredentials();

  beforeAll(async () => {
    emulator = await startEmulator({ config: { updateDelayMs: 0 } });
    aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: emulator.region, maxAttempts: 3 });
    client = createLambdaClient({ endpoint: emulator.endpoint, region: emulator.region, maxAttempts: 1 });
    await deployExample(client, {
      functionName: 'primes',
      directory: resolve('examples/functions/cpu-bound'),
      memoryMb: 1024
    });
    const inputs: Partial<Record<InputName, string>> = {
      code: resolve('examples/functions/cpu-bound'),
      'memory-sizes': '1024,1769',
      architectures: 'x86_64,arm64',
      invocations: '6',
      warmup: '1',
      concurrency: '1',
      payload: '{"n":1000000}'
    };
    const settings = parseSweepInputs((name) => inputs[name] ?? '', 'primes', {
      readFile: () => '',
      newRunId: () => 'arch-1'
    });
    const ports = aws.portsFor(undefined);
    report = await runSweep({ ...settings, seed: 3 }, { lambda: ports.lambda, toolVersion: 'test' });
  }, 120_000);
  afterAll(async () => {
    client.destroy();
    aws.close();
    await emulator.close();
    restoreCredentials();
  });

  it('measures each memory size on both architectures, each priced at its own rates', () => {
    const cells = report.grid!.cells;
    expect(cells.map((c) => `${c.memoryMb} ${c.architecture}`).sort()).toEqual([
      '1024 arm64',
      '1024 x86_64',
      '1769 arm64',
      '1769 x86_64'
    ]);
    // The emulator runs both at the same speed, so the price ratio shows through: arm64's GB-second is 20 % cheaper.
    const ratio = priceTable('us-east-1', 'arm64').gbSecondUsd / priceTable('us-east-1', 'x86_64').gbSecondUsd;
    for (const memoryMb of [1024, 1769]) {
      const arm = cells.find((c) => c.memoryMb === memoryMb && c.architecture === 'arm64')!;
      const x86 = cells.find((c) => c.memoryMb === memoryMb && c.architecture === 'x86_64')!;
      // Compute cost per ms of duration: the request price is the same on both and is taken out first.
      const perMs = (c: typeof arm) =>
        (c.costPerInvocationUsd - priceTable('us-east-1', c.architecture).requestUsd) / c.p50InvocationMs;
      expect(perMs(arm) / perMs(x86)).toBeGreaterThan(ratio * 0.85);
      expect(perMs(arm) / perMs(x86)).toBeLessThan(ratio * 1.15);
    }
  });

  it('says in the comment what moving to arm64 would save', () => {
    const section = renderGridSection(report.grid!);
    expect(section).toMatch(/arm64 costs \d+ % less per (job|invocation)/);
  });

  it('judges the budgets on the function’s own architecture, and puts it back there', async () => {
    expect(report.function.architecture).toBe('x86_64');
    expect(report.pricing.architecture).toBe('x86_64');
    const after = await client.send(new GetFunctionCommand({ FunctionName: 'primes' }));
    expect(after.Configuration).toMatchObject({ Architectures: ['x86_64'], MemorySize: 1024 });
    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'primes' }));
    expect(versions.Versions!.map((v) => v.Version)).toEqual(['$LATEST']);
  });
});
