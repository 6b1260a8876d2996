/**
 * The sweep engine end to end against the emulator, through the real SDK clients: curve shapes,
 * a function left exactly as it was, nothing left behind, also when a fault strikes half-way.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { createLambdaClient, createLogsClient } from '../../src/aws/clients.js';
import { createLogsPort } from '../../src/aws/logs-port.js';
import { createLambdaPort } from '../../src/deploy/lambda-adapter.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import type { FunctionSnapshot } from '../../src/emulator/admin.js';
import { parseRunReport } from '../../src/report/run-report.js';
import { runSweep, type SweepRequest } from '../../src/sweep/engine.js';
import type { LambdaPort, SweepOptions } from '../../src/sweep/types.js';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('runSweep on the emulator', () => {
  let emulator: RunningEmulator;
  let lambda: LambdaPort;
  let destroy: () => void;
  let logsPort: ReturnType<typeof createLogsPort>;

  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        updateDelayMs: 50,
        functions: [
          // CPU-bound: 400 ms of CPU at one vCPU, single-threaded.
          {
            name: 'cpu',
            model: { cpuMs: 400, noiseSigma: 0.03, memoryUsedMb: 70 },
            memorySize: 1024,
            timeout: 30,
            description: 'prod'
          },
          // I/O-bound: waits 100 ms whatever the memory.
          { name: 'io', model: { cpuMs: 0.5, ioMs: 100, noiseSigma: 0.03, memoryUsedMb: 70 }, memorySize: 512 },
          // Needs 300 MB: smaller sizes die.
          { name: 'hungry', model: { cpuMs: 50, memoryUsedMb: 300, noiseSigma: 0.03 }, memorySize: 1024 },
          { name: 'fragile', model: { cpuMs: 20, noiseSigma: 0.03 }, memorySize: 256, environment: { MODE: 'x' } },
          { name: 'real', code: resolve('examples/functions/cpu-bound'), memorySize: 256, timeout: 60 }
        ]
      }
    });
    const options = { endpoint: emulator.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 2 };
    const lambdaClient = createLambdaClient(options);
    const logsClient = createLogsClient(options);
    lambda = createLambdaPort(lambdaClient, { waitMaxSeconds: 30 });
    logsPort = createLogsPort(logsClient);
    destroy = () => {
      lambdaClient.destroy();
      logsClient.destroy();
    };
  });
  afterAll(async () => {
    destroy();
    await emulator.close();
  });

  const request = (functionName: string, extra: Partial<SweepOptions> = {}): SweepRequest => ({
    options: {
      functionName,
      memorySizes: [128, 256, 512, 1024, 1769, 3008],
      invocations: 30,
      warmup: 1,
      concurrency: 4,
      payloads: [{ json: '{}', weight: 1 }],
      mode: 'in-place',
      strategy: 'balanced',
      balancedWeight: 0.5,
      runId: `test-${functionName}`,
      ...extra
    },
    confidence: 0.95,
    includePayloads: false,
    priceOverrides: {}
  });
  const sweep = (r: SweepRequest, port: LambdaPort = lambda) =>
    runSweep(r, { lambda: port, logs: logsPort, toolVersion: 'test' });
  const stateOf = (name: string): FunctionSnapshot => emulator.state().find((fn) => fn.name === name)!;

  it('finds the CPU-bound curve: duration falls as 1769/M, then stays flat', async () => {
    const before = stateOf('cpu');
    const report = parseRunReport(JSON.parse(JSON.stringify(await sweep(request('cpu')))));
    const p50 = (m: number) => report.sizes.find((s) => s.memoryMb === m)!.duration!.p50.value;
    expect(p50(128) / p50(1769)).toBeGreaterThan(12);
    expect(p50(128) / p50(1769)).toBeLessThan(15.5);
    expect(p50(512) / p50(1024)).toBeCloseTo(2, 0);
    expect(p50(3008) / p50(1769)).toBeCloseTo(1, 1);
    // Below one vCPU, memory × duration is constant, so cost barely moves; above it, cost grows.
    const cost = (m: number) => report.sizes.find((s) => s.memoryMb === m)!.costPerMillionUsd!;
    expect(cost(3008)).toBeGreaterThan(cost(1769) * 1.5);
    expect(report.recommendation.fastest).toBeGreaterThanOrEqual(1769);
    expect(report.recommendation.cheapest).toBeLessThanOrEqual(1769);
    expect(report.samples.filter((s) => s.phase === 'measure')).toHaveLength(6 * 30);
    // $LATEST exactly as before (a restore is an update: only RevisionId moves), and no version left.
    expect(stateOf('cpu')).toEqual({ ...before, revisionId: expect.any(String) });
  });

  it('finds the I/O-bound curve: flat duration, cost rising with memory, cheapest at 128 MB', async () => {
    const report = await sweep(request('io', { strategy: 'cost' }));
    const durations = report.sizes.map((s) => s.duration!.p50.value);
    expect(Math.max(...durations) / Math.min(...durations)).toBeLessThan(1.2);
    const costs = report.sizes.map((s) => s.costPerMillionUsd!);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    expect(report.recommendation).toMatchObject({ strategy: 'cost', memoryMb: 128, cheapest: 128 });
    expect(report.sweepCost.usd).toBeGreaterThan(0);
    expect(stateOf('io').versions).toEqual([]);
  });

  it('reports sizes that run out of memory as unusable and recommends among the rest', async () => {
    const report = await sweep(request('hungry', { memorySizes: [128, 256, 512, 1024], invocations: 10 }));
    const unusable = report.sizes.filter((s) => s.unusable).map((s) => s.memoryMb);
    expect(unusable).toEqual([128, 256]);
    expect(report.recommendation.candidates).toEqual([512, 1024]);
    expect(report.warnings.join(' ')).toContain('128 MB is unusable');
    expect(stateOf('hungry')).toMatchObject({ memorySize: 1024, versions: [] });
  });

  it('keeps versions it did not create, and deploys candidate code only into its own versions', async () => {
    const existing = await lambda.publishVersion('real', {
      codeSha256: stateOf('real').codeSha256,
      revisionId: stateOf('real').revisionId,
      description: 'release 1'
    });
    const before = stateOf('real');
    expect(before.versions.map((v) => v.version)).toEqual([existing]);
    const report = await sweep(
      request('real', {
        memorySizes: [512, 1769],
        invocations: 3,
        warmup: 1,
        concurrency: 1,
        payloads: [{ json: '{"n":50000}', weight: 1 }],
        code: { kind: 'directory', path: resolve('examples/functions/flaky') }
      })
    );
    expect(report.function.codeSha256).not.toBe(before.codeSha256);
    expect(report.sizes.every((s) => s.measured === 3)).toBe(true);
    // Restoring $LATEST is an update, so only its RevisionId differs.
    expect(stateOf('real')).toEqual({ ...before, revisionId: expect.any(String) });
  });

  it('restores $LATEST and deletes every created version when an update fails half-way', async () => {
    const before = stateOf('fragile');
    emulator.faults.replace([]);
    // The third configuration update (the third size) fails after the first two published versions.
    let updates = 0;
    const failing: LambdaPort = {
      ...lambda,
      updateConfiguration: async (...args) => {
        updates += 1;
        if (updates === 3) {
          emulator.faults.replace([
            {
              operation: 'UpdateFunctionConfiguration',
              resource: 'fragile',
              kind: 'update-failure',
              count: 1,
              rate: 1,
              delayMs: 0,
              reason: 'ConcurrentInvocationLimitExceeded',
              status: 500
            }
          ]);
        }
        return lambda.updateConfiguration(...args);
      }
    };
    await expect(sweep(request('fragile'), failing)).rejects.toThrow(/fragile/);
    emulator.faults.replace([]);
    expect(stateOf('fragile')).toEqual({ ...before, revisionId: expect.any(String) });
    expect(stateOf('fragile').versions).toEqual([]);
  });

  it('counts throttles as errors and goes on, and reads REPORT lines from CloudWatch Logs when the tail lacks them', async () => {
    emulator.faults.replace([
      {
        operation: 'Invoke',
        resource: 'io',
        kind: 'throttle',
        rate: 0.2,
        delayMs: 0,
        reason: 'ConcurrentInvocationLimitExceeded',
        status: 500
      }
    ]);
    const tailless: LambdaPort = {
      ...lambda,
      invoke: async (...args) => {
        const outcome = await lambda.invoke(...args);
        delete outcome.logResult;
        return outcome;
      }
    };
    try {
      const report = await sweep(request('io', { memorySizes: [256, 512], invocations: 20, concurrency: 2 }), tailless);
      const throttled = report.sizes.reduce((n, s) => n + s.errorsByKind.throttled, 0);
      expect(throttled).toBeGreaterThan(0);
      const fromLogs = report.samples.filter((s) => s.reportSource === 'logs');
      expect(fromLogs.length).toBeGreaterThan(0);
      expect(report.samples.filter((s) => !s.error).every((s) => s.reportSource === 'logs')).toBe(true);
      expect(report.sizes.every((s) => s.duration !== null && s.unpriced === 0)).toBe(true);
    } finally {
      emulator.faults.replace([]);
    }
  });

  it('sweeps a temporary copy and never touches the real function', async () => {
    const before = stateOf('cpu');
    const names = () => emulator.state().map((fn) => fn.name);
    const namesBefore = names();
    const report = await sweep(request('cpu', { mode: 'temporary-copy', memorySizes: [512, 1024], invocations: 5 }));
    expect(report.function.deployMode).toBe('temporary-copy');
    expect(report.sizes.map((s) => s.measured)).toEqual([5, 5]);
    expect(stateOf('cpu')).toEqual(before);
    expect(names()).toEqual(namesBefore);
  });
});
