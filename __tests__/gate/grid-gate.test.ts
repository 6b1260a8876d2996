/**
 * A gate run with a grid, against the emulator: the baseline carries the grid, a pull request is judged at the
 * configured pair (the function's own knob value), and its comment shows the grid.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { resolve } from 'node:path';
import { createLambdaClient } from '../../src/aws/clients.js';
import { deployExample } from '../../src/demo/deploy-example.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import { runGate } from '../../src/gate/run-gate.js';
import type { InputName } from '../../src/inputs/names.js';
import { renderFunctionComment } from '../../src/report/comment.js';
import { parseRunReportText, serializeRunReport } from '../../src/report/run-report.js';
import { gateSettings } from './helpers.js';
import { gateDeps, PR_CONTEXT, withAwsCredentials } from './run-gate-helpers.js';

const INPUTS: Partial<Record<InputName, string>> = {
  'function-name': 'primes',
  'aws-region': 'us-east-1',
  'memory-sizes': '512,1024',
  'grid-env': 'MODE=fast,careful',
  invocations: '4',
  'gate-invocations': '8',
  warmup: '1',
  concurrency: '1',
  payload: '{"n":200000}',
  'max-p99-increase': 'none'
};

describe('a gate run with a grid', () => {
  let emulator: RunningEmulator;
  let aws: ReturnType<typeof createAwsPorts>;
  let client: LambdaClient;
  const restoreCredentials = withAwsCredentials();

  beforeAll(async () => {
    emulator = await startEmulator({ config: { updateDelayMs: 0 } });
    aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    client = createLambdaClient({ endpoint: emulator.endpoint, region: emulator.region, maxAttempts: 1 });
    await deployExample(client, {
      functionName: 'primes',
      directory: resolve('examples/functions/cpu-bound'),
      memoryMb: 1024,
      environment: { MODE: 'careful' }
    });
  }, 60_000);
  afterAll(async () => {
    client.destroy();
    aws.close();
    await emulator.close();
    restoreCredentials();
  });

  it('records the grid in the baseline and judges the pull request at the configured pair', async () => {
    const recorded = await runGate(gateSettings({ ...INPUTS, mode: 'baseline' }), PR_CONTEXT, gateDeps(aws));
    const baseline = recorded.outcome.functions[0]!.report;
    expect(baseline.grid!.cells).toHaveLength(4);
    // The configured pair is MODE=careful (the function's own value) at 1024 MB, measured 8 times.
    expect(baseline.sizes.find((s) => s.memoryMb === 1024)!.measured).toBe(8);
    expect(baseline.grid!.cells.find((c) => c.memoryMb === 1024 && c.knobValue === 'fast')!.invocations).toBe(4);

    const path = '/baselines/primes.json';
    const deps = gateDeps(aws, { [path]: serializeRunReport(baseline) });
    const { outcome } = await runGate(gateSettings({ ...INPUTS, 'baseline-file': path }), PR_CONTEXT, deps);
    const fn = outcome.functions[0]!;
    expect(fn.comparison.hasBaseline).toBe(true);
    expect(fn.comparison.sizes.map((s) => s.memoryMb)).toEqual([1024]);
    expect(fn.report.sampling![0]!.reason).toMatch(/a grid sweep measures every cell alike/);
    const written = parseRunReportText(deps.written.get(fn.reportPath!)!, 'report');
    expect(written.grid!.spec.knob).toEqual({ name: 'MODE', values: ['fast', 'careful'] });

    const comment = renderFunctionComment({ marker: '<!-- m -->', outcome, fn, run: {}, now: new Date() });
    expect(comment).toContain('| Memory | MODE=fast | MODE=careful |');
    expect(comment).toContain('<summary>Every cell (4)</summary>');
  });
});
