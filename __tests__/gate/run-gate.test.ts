/**
 * A gate run end to end against the emulator: real SDK clients, modelled functions that answer at once, the
 * same input parsing as the action. What must hold before the sweep (fork, foreign or corrupt baseline) is
 * checked against the emulator's state, revision ids included.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateAliasCommand, GetAliasCommand, PublishVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createLambdaClient } from '../../src/aws/clients.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { InputError } from '../../src/errors.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import { BaselineMismatchError } from '../../src/gate/baseline.js';
import type { GateContext } from '../../src/gate/context.js';
import { GATE_RESULT_FILE, runGate } from '../../src/gate/run-gate.js';
import type { InputName } from '../../src/inputs/names.js';
import { RunReportError, parseRunReportText, serializeRunReport } from '../../src/report/run-report.js';
import { buildRunReport } from '../support/report-fixtures.js';
import { gateSettings } from './helpers.js';
import { gateDeps, PR_CONTEXT, withAwsCredentials } from './run-gate-helpers.js';

const INPUTS: Partial<Record<InputName, string>> = {
  'function-name': 'orders',
  'aws-region': 'us-east-1',
  'memory-sizes': '256',
  invocations: '3',
  'gate-invocations': '6',
  warmup: '0',
  concurrency: '2'
};
const FORK: GateContext = { ...PR_CONTEXT, pullRequest: { ...PR_CONTEXT.pullRequest!, isFork: true } };

describe('runGate against the emulator', () => {
  let emulator: RunningEmulator;
  let aws: ReturnType<typeof createAwsPorts>;
  let client: LambdaClient;
  const restoreCredentials = withAwsCredentials();

  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        updateDelayMs: 0,
        functions: [
          { name: 'orders', model: { cpuMs: 20, noiseSigma: 0.05 }, memorySize: 512 },
          { name: 'billing', model: { cpuMs: 10, noiseSigma: 0.05 }, memorySize: 1024 },
          { name: 'search', model: { cpuMs: 5, noiseSigma: 0.05 }, memorySize: 256 }
        ]
      }
    });
    aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    client = createLambdaClient({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    aws.close();
    await emulator.close();
    restoreCredentials();
  });

  it('skips a pull request from a fork without a single AWS call', async () => {
    const before = emulator.state();
    const deps = gateDeps(aws);

    const { outcome, reportPath } = await runGate(gateSettings(INPUTS), FORK, deps);

    expect(outcome).toMatchObject({ mode: 'compare', verdict: 'skipped', functions: [] });
    expect(outcome.notices.join(' ')).toMatch(/fork.*no AWS credentials/);
    expect(reportPath).toBeUndefined();
    expect(deps.regions).toHaveLength(0);
    expect(deps.written.size).toBe(0);
    expect(emulator.state()).toEqual(before);
  });

  it.each([
    ['another function', buildRunReport({ functionName: 'billing', sizes: [{ memoryMb: 512, durations: [20, 21] }] })],
    [
      'the same name in another region',
      (() => {
        const report = buildRunReport({ functionName: 'orders', sizes: [{ memoryMb: 512, durations: [20, 21] }] });
        return { ...report, function: { ...report.function, region: 'eu-west-1' } };
      })()
    ]
  ])('refuses a baseline-file of %s before anything changes', async (_what, foreign) => {
    const path = '/baselines/orders.json';
    const before = emulator.state();
    const deps = gateDeps(aws, { [path]: serializeRunReport(foreign) });

    const error = await runGate(gateSettings({ ...INPUTS, 'baseline-file': path }), PR_CONTEXT, deps).catch(
      (e: unknown) => e
    );

    expect(error).toBeInstanceOf(BaselineMismatchError);
    expect((error as Error).message).toContain(`baseline-file ${path}`);
    expect((error as Error).message).toContain(
      `measured function ${foreign.function.name} in ${foreign.function.region}, not orders in us-east-1`
    );
    expect(emulator.state()).toEqual(before);
    expect(deps.written.size).toBe(0);
  });

  it('refuses a truncated baseline-file before anything changes', async () => {
    const path = '/baselines/orders.json';
    const text = serializeRunReport(buildRunReport({ sizes: [{ memoryMb: 512, durations: [20, 21] }] }));
    const before = emulator.state();
    const deps = gateDeps(aws, { [path]: text.slice(0, Math.floor(text.length / 2)) });

    const error = await runGate(gateSettings({ ...INPUTS, 'baseline-file': path }), PR_CONTEXT, deps).catch(
      (e: unknown) => e
    );

    expect(error).toBeInstanceOf(RunReportError);
    expect((error as Error).message).toMatch(/^The baseline-file \/baselines\/orders\.json is not JSON/);
    expect(emulator.state()).toEqual(before);
    expect(deps.written.size).toBe(0);
  });

  it('refuses a baseline-file that cannot be read, naming the input, before anything changes', async () => {
    const before = emulator.state();

    const error = await runGate(
      gateSettings({ ...INPUTS, 'baseline-file': '/baselines/missing.json' }),
      PR_CONTEXT,
      gateDeps(aws)
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ input: 'baseline-file', value: '/baselines/missing.json' });
    expect(emulator.state()).toEqual(before);
  });

  it('refuses a bad baseline of the second function before the first one is swept', async () => {
    const path = '/baselines/billing.json';
    const foreign = buildRunReport({ functionName: 'search', sizes: [{ memoryMb: 256, durations: [5, 6] }] });
    const config = [
      'functions:',
      '  - function-name: orders',
      '  - function-name: billing',
      `    baseline-file: ${path}`
    ].join('\n');
    const before = emulator.state();
    const deps = gateDeps(aws, { [path]: serializeRunReport(foreign), 'gate.yml': config });

    const error = await runGate(
      gateSettings({ ...INPUTS, 'function-name': '', 'config-file': 'gate.yml' }, { 'gate.yml': config }),
      PR_CONTEXT,
      deps
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BaselineMismatchError);
    expect(emulator.state()).toEqual(before);
    expect(deps.written.size).toBe(0);
  });

  it('in baseline mode uploads one artifact per baseline-artifact name and says when it did not', async () => {
    const config = [
      'functions:',
      '  - function-name: orders',
      '    baseline-artifact: shop-baseline',
      '  - function-name: billing',
      '    baseline-artifact: shop-baseline',
      '  - function-name: search',
      '    baseline-artifact: search-baseline'
    ].join('\n');
    const { 'function-name': _, ...shared } = INPUTS;
    const settings = gateSettings({ ...shared, mode: 'baseline', 'config-file': 'gate.yml' }, { 'gate.yml': config });
    const before = emulator.state();
    const deps = gateDeps(aws, {}, { refuse: { 'search-baseline': 'there is no artifact service on a local run' } });

    const { outcome, reportPath } = await runGate(settings, { onRunner: false }, deps);

    expect(outcome.mode).toBe('baseline');
    expect(outcome.functions.map((f) => f.functionName)).toEqual(['orders', 'billing', 'search']);
    expect(deps.uploads).toEqual([
      {
        name: 'shop-baseline',
        files: ['/reports/orders.run-report.json', '/reports/billing.run-report.json'],
        root: '/reports'
      },
      { name: 'search-baseline', files: ['/reports/search.run-report.json'], root: '/reports' }
    ]);
    expect(outcome.notices).toEqual([
      expect.stringMatching(/^Baseline recorded: artifact "shop-baseline" \(2 reports, \d+ bytes\)\.$/),
      'Baseline NOT uploaded: there is no artifact service on a local run. The report is at /reports/search.run-report.json.'
    ]);
    expect(reportPath).toBe(`/reports/${GATE_RESULT_FILE}`);
    for (const name of ['orders', 'billing', 'search']) {
      const report = parseRunReportText(deps.written.get(`/reports/${name}.run-report.json`)!);
      expect(report.function.name).toBe(name);
    }
    // The sweep put every function back as it was.
    const settle = (state: typeof before) => state.map((f) => [f.name, f.memorySize, f.codeSha256, f.versions]);
    expect(settle(emulator.state())).toEqual(settle(before));
  });

  it('writes the combined result file naming both functions of a compare run', async () => {
    const config = ['functions:', '  - function-name: orders', '  - function-name: billing'].join('\n');
    const { 'function-name': _, ...shared } = INPUTS;
    const settings = gateSettings({ ...shared, mode: 'compare', 'config-file': 'gate.yml' }, { 'gate.yml': config });
    const deps = gateDeps(aws);

    const { outcome, reportPath } = await runGate(settings, { onRunner: false }, deps);

    expect(reportPath).toBe(`/reports/${GATE_RESULT_FILE}`);
    const result = JSON.parse(deps.written.get(reportPath!)!) as {
      verdict: string;
      functions: Array<{ functionName: string; verdict: string; reportPath: string; baseline: { kind: string } }>;
    };
    expect(result.verdict).toBe(outcome.verdict);
    expect(result.functions.map((f) => [f.functionName, f.reportPath, f.baseline.kind])).toEqual([
      ['orders', '/reports/orders.run-report.json', 'none'],
      ['billing', '/reports/billing.run-report.json', 'none']
    ]);
    expect(deps.uploads).toEqual([]);
    expect(outcome.notices).toEqual([
      expect.stringMatching(
        /^No baseline for orders: This is not a pull request.*a push to the default branch records a baseline\.$/
      ),
      expect.stringMatching(/^No baseline for billing: /)
    ]);
  });

  it('measures the baseline-qualifier alias side by side and compares at its memory', async () => {
    const { Version } = await client.send(new PublishVersionCommand({ FunctionName: 'orders', Description: 'v1' }));
    await client.send(new CreateAliasCommand({ FunctionName: 'orders', Name: 'live', FunctionVersion: Version! }));
    const deps = gateDeps(aws);

    const { outcome, reportPath } = await runGate(
      gateSettings({ ...INPUTS, 'baseline-qualifier': 'live', 'max-error-rate': '1%' }),
      PR_CONTEXT,
      deps
    );

    const [fn] = outcome.functions;
    expect(fn!.baseline).toMatchObject({ kind: 'live', qualifier: 'live' });
    expect(fn!.baseline.measuredAt).toBe(fn!.report.finishedAt);
    expect(fn!.baseline.note).toBeUndefined();
    expect(fn!.comparison.hasBaseline).toBe(true);
    const [gated] = fn!.comparison.sizes;
    expect(gated!.memoryMb).toBe(512);
    expect(gated!.baseline?.measured).toBe(6);
    expect(gated!.candidate.measured).toBe(6);
    expect(gated!.costChange).toBeDefined();
    expect(gated!.checks.map((c) => c.budget)).toEqual(expect.arrayContaining(['cost-increase', 'p99-increase']));
    expect(reportPath).toBe('/reports/orders.run-report.json');
    const alias = await client.send(new GetAliasCommand({ FunctionName: 'orders', Name: 'live' }));
    expect(alias.FunctionVersion).toBe(Version);
  });

  it('prices a fixed monthly-invocations against a baseline-file of the same function', async () => {
    const path = '/baselines/orders.json';
    const baseline = buildRunReport({ sizes: [{ memoryMb: 512, durations: { median: 20, sigma: 0.05, n: 40 } }] });
    const deps = gateDeps(aws, { [path]: serializeRunReport(baseline) });

    const { outcome } = await runGate(
      gateSettings({ ...INPUTS, 'baseline-file': path, 'monthly-invocations': '2,000,000' }),
      PR_CONTEXT,
      deps
    );

    const [fn] = outcome.functions;
    expect(fn!.baseline).toMatchObject({ kind: 'file', path, commit: '0123abc', measuredAt: baseline.finishedAt });
    const [gated] = fn!.comparison.sizes;
    expect(gated!.memoryMb).toBe(512);
    expect(gated!.monthly).toMatchObject({
      invocationsPerMonth: 2_000_000,
      source: 'the monthly-invocations input'
    });
    expect(gated!.monthly!.candidateUsd).toBeGreaterThan(0);
    expect(gated!.monthly!.baselineUsd).toBeGreaterThan(0);
    expect(gated!.monthly!.change).toBeDefined();
  });
});
