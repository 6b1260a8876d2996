/**
 * The demo's grid step (issue 8): deploy the batch-worker sample on the emulator and sweep memory × THREADS,
 * the way `grid-env: THREADS=1,2,4,8` does in a workflow. The sweep goes through the same input parsing and
 * the same engine as the action; the test of the grid runs it too.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { resolve } from 'node:path';
import type { createAwsPorts } from '../gate/aws-ports.js';
import type { InputName } from '../inputs/names.js';
import { parseSweepInputs } from '../inputs/sweep-inputs.js';
import type { RunReport } from '../report/run-report-schema.js';
import { runSweep } from '../sweep/engine.js';
import { deployExample } from './deploy-example.js';

/** What {@link sweepBatchWorker} sweeps; memory sizes and thread counts as the inputs spell them. */
export interface BatchWorkerGrid {
  functionName: string;
  memorySizes: string;
  threads: string;
  /** Measured invocations per cell. */
  invocations: number;
  /** The function's own THREADS (its configured knob value) and other variables. */
  environment: Record<string, string>;
  /** Memory the function is created with, MB. */
  memoryMb: number;
  toolVersion: string;
  log?: (line: string) => void;
}

/**
 * Eight jobs of about 25 ms of CPU each on a whole vCPU: an invocation then needs about 200 ms of CPU, twice the
 * CPU quota's 100 ms period, so the quota (not a burst that fits in one period) sets the pace.
 */
export const BATCH_PAYLOAD = '{"jobs":8,"jobSize":300000}';

/**
 * Creates the batch-worker function and sweeps it; returns the run report, whose `grid` holds every cell.
 *
 * @example
 * ```ts
 * const report = await sweepBatchWorker(client, aws, { functionName: 'batch', memorySizes: '512,1024,1769,3538',
 *   threads: '1,2,4,8', invocations: 4, environment: { THREADS: '2' }, memoryMb: 1024, toolVersion: VERSION });
 * report.grid?.parallelism?.mbPerVcpu // ≈ 1769
 * ```
 */
export async function sweepBatchWorker(
  client: LambdaClient,
  aws: ReturnType<typeof createAwsPorts>,
  grid: BatchWorkerGrid
): Promise<RunReport> {
  await deployExample(client, {
    functionName: grid.functionName,
    directory: resolve('examples/functions/batch-worker'),
    memoryMb: grid.memoryMb,
    environment: grid.environment,
    timeoutSeconds: 60
  });
  const inputs: Partial<Record<InputName, string>> = {
    'memory-sizes': grid.memorySizes,
    'grid-env': `THREADS=${grid.threads}`,
    'jobs-per-invocation': '$.jobs',
    invocations: String(grid.invocations),
    warmup: '1',
    // One at a time: two invocations at once would share the host's cores and blur the vCPU curve.
    concurrency: '1',
    payload: BATCH_PAYLOAD,
    strategy: 'cost'
  };
  const settings = parseSweepInputs((name) => inputs[name] ?? '', grid.functionName, {
    readFile: () => '',
    newRunId: () => `grid-${Date.now().toString(36)}`
  });
  const ports = aws.portsFor(undefined);
  return runSweep(
    { ...settings, seed: 1 },
    {
      lambda: ports.lambda,
      ...(ports.logs ? { logs: ports.logs } : {}),
      toolVersion: grid.toolVersion,
      ...(grid.log ? { log: grid.log } : {})
    }
  );
}
