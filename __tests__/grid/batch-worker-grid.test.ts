/**
 * The batch-worker sample swept on the emulator over 4 memory sizes × 4 thread counts (real SDK clients over
 * HTTP, real worker threads under the emulator's CPU quota). The emulator gives memory / 1769 vCPUs, up to
 * the host's cores: the fitted parallelism must recover that, and the grid must show what threads are worth.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetFunctionCommand, ListVersionsByFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { cpus } from 'node:os';
import { createLambdaClient } from '../../src/aws/clients.js';
import { sweepBatchWorker } from '../../src/demo/grid-demo.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import type { CellFigures } from '../../src/grid/types.js';
import type { RunReport } from '../../src/report/run-report-schema.js';
import { parseRunReportText, serializeRunReport } from '../../src/report/run-report.js';
import { withAwsCredentials } from '../gate/run-gate-helpers.js';

const SECRET = 'sk_live_grid_test_0123456789';

describe('a memory × THREADS grid of the batch-worker sample on the emulator', () => {
  let emulator: RunningEmulator;
  let aws: ReturnType<typeof createAwsPorts>;
  let client: LambdaClient;
  let report: RunReport;
  const logged: string[] = [];
  const restoreCredentials = withAwsCredentials();
  const cell = (memoryMb: number, threads: number): CellFigures =>
    report.grid!.cells.find((c) => c.memoryMb === memoryMb && c.knobValue === String(threads))!;

  beforeAll(async () => {
    emulator = await startEmulator({ config: { updateDelayMs: 0 } });
    aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: emulator.region, maxAttempts: 3 });
    client = createLambdaClient({ endpoint: emulator.endpoint, region: emulator.region, maxAttempts: 1 });
    report = await sweepBatchWorker(client, aws, {
      functionName: 'batch',
      memorySizes: '512,1024,1769,3538',
      threads: '1,2,4,8',
      invocations: 4,
      environment: { THREADS: '2', API_KEY: SECRET },
      memoryMb: 1024,
      toolVersion: 'test',
      log: (line) => logged.push(line)
    });
  }, 180_000);
  afterAll(async () => {
    client.destroy();
    aws.close();
    await emulator.close();
    restoreCredentials();
  });

  it('measures all 16 cells, each with its 8 jobs and their durations', () => {
    const grid = report.grid!;
    expect(grid.plan.cells).toHaveLength(16);
    expect(grid.cells).toHaveLength(16);
    expect(grid.costBasis).toBe('job');
    for (const figures of grid.cells) {
      expect(figures.invocations).toBe(4);
      expect(figures.jobsPerInvocation).toBe(8);
      expect(figures.threads).toBe(Number(figures.knobValue));
      expect(figures.p99JobMs).not.toBeNull();
    }
  });

  it('recovers one vCPU per 1769 MB, up to the host’s cores', () => {
    const fit = report.grid!.parallelism!;
    expect(fit).toBeDefined();
    // Lambda documents one vCPU per 1,769 MB; the emulator's CPU quota gives the same share.
    expect(fit.mbPerVcpu).toBeGreaterThan(1769 * 0.75);
    expect(fit.mbPerVcpu).toBeLessThan(1769 * 1.25);
    expect(fit.rSquared).toBeGreaterThan(0.9);
    // At 3538 MB two vCPUs are there to use, when the host has two cores.
    const best3538 = Math.max(...[1, 2, 4, 8].map((t) => cell(3538, t).jobsPerSecondAverage!));
    const oneVcpu = Math.max(...[1, 2, 4, 8].map((t) => cell(1769, t).jobsPerSecondAverage!));
    // Not 2 on a 2-core host: the second core is shared with the emulator and the test runner (1.37 to 1.9 seen).
    expect(best3538 / oneVcpu).toBeGreaterThan(1 + (Math.min(2, cpus().length) - 1) * 0.2);
  });

  it('shows what threads are worth: one thread at 3538 MB pays for a vCPU it leaves idle', () => {
    if (cpus().length < 2) return; // One core: a second vCPU cannot exist (the fit test above still holds).
    // Ideally 2 (the second vCPU is paid for and idle); the host's second core is shared with the emulator and the
    // test runner, so a loaded machine shows less (1.37 to 1.9 seen): still clearly above 1.
    expect(cell(3538, 1).costPerJobUsd! / cell(3538, 2).costPerJobUsd!).toBeGreaterThan(1.2);
    // Below one vCPU, more threads only share it: cost per job stays within a quarter.
    expect(cell(512, 8).costPerJobUsd! / cell(512, 1).costPerJobUsd!).toBeLessThan(1.25);
  });

  it('picks the best cells: throughput at the most vCPUs with enough threads, cost never with idle vCPUs', () => {
    const best = new Map(report.grid!.best.map((b) => [b.strategy, b]));
    const throughput = best.get('throughput')!.cell;
    expect(throughput.memoryMb).toBe(3538);
    expect(Number(throughput.knobValue)).toBeGreaterThanOrEqual(2);
    const cost = best.get('cost')!.cell;
    // Memory beyond threads × 1769 MB buys vCPUs no thread uses: never the cheapest.
    expect(cost.memoryMb).toBeLessThanOrEqual(Number(cost.knobValue) * 1769 * 1.01);
  });

  it('reports the configured column (THREADS=2) as the sizes the budgets judge', () => {
    expect(report.sizes.map((s) => s.memoryMb)).toEqual([512, 1024, 1769, 3538]);
    const at1769 = report.sizes.find((s) => s.memoryMb === 1769)!;
    expect(at1769.costPerJobUsd).toBeCloseTo(cell(1769, 2).costPerJobUsd!, 12);
  });

  it('round-trips the grid through the report schema, as a baseline would', () => {
    const read = parseRunReportText(serializeRunReport(report), 'baseline-file');
    expect(read.grid).toEqual(report.grid);
  });

  it('puts the function back: memory, THREADS and the other variables, and no version left', async () => {
    const after = await client.send(new GetFunctionCommand({ FunctionName: 'batch' }));
    expect(after.Configuration).toMatchObject({
      MemorySize: 1024,
      Environment: { Variables: { THREADS: '2', API_KEY: SECRET } }
    });
    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'batch' }));
    expect(versions.Versions!.map((v) => v.Version)).toEqual(['$LATEST']);
    expect(logged.join('\n')).not.toContain(SECRET);
    expect(serializeRunReport(report)).not.toContain(SECRET);
  });
});
