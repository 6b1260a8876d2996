/**
 * Adaptive sampling at the gated size, end to end against the emulator (real SDK clients, modelled
 * functions): a clear regression stops at the first look, fixed sampling spends the whole cap, and an
 * unchanged function takes more looks without a false alarm. The run report says how each size was sampled.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import { runGate } from '../../src/gate/run-gate.js';
import type { InputName } from '../../src/inputs/names.js';
import { parseRunReportText, serializeRunReport } from '../../src/report/run-report.js';
import type { RunReport } from '../../src/report/run-report-schema.js';
import { gateSettings } from './helpers.js';
import { gateDeps, PR_CONTEXT, withAwsCredentials } from './run-gate-helpers.js';

const INPUTS: Partial<Record<InputName, string>> = {
  'function-name': 'orders',
  'aws-region': 'us-east-1',
  'memory-sizes': '512',
  invocations: '5',
  'gate-invocations': '300',
  warmup: '1',
  concurrency: '8'
};
const BASELINE_FILE = '/baselines/orders.json';

describe('adaptive sampling at the gated size', () => {
  let emulator: RunningEmulator;
  let aws: ReturnType<typeof createAwsPorts>;
  let baseline: RunReport;
  const restoreCredentials = withAwsCredentials();

  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        updateDelayMs: 0,
        functions: [{ name: 'orders', model: { cpuMs: 40, noiseSigma: 0.05 }, memorySize: 512 }]
      }
    });
    aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    const deps = gateDeps(aws);
    const { outcome } = await runGate(gateSettings({ ...INPUTS, mode: 'baseline' }), PR_CONTEXT, deps);
    baseline = outcome.functions[0]!.report;
  });
  afterAll(async () => {
    aws.close();
    await emulator.close();
    restoreCredentials();
  });

  /** The baseline as if the code had been twice as fast: the candidate then looks like a +100 % regression. */
  function fasterBaseline(): RunReport {
    const half = (ms: number | undefined) => (ms === undefined ? undefined : Math.max(1, Math.round(ms / 2)));
    return {
      ...baseline,
      samples: baseline.samples.map((sample) => ({
        ...sample,
        ...(sample.durationMs !== undefined ? { durationMs: sample.durationMs / 2 } : {}),
        ...(sample.billedDurationMs !== undefined ? { billedDurationMs: half(sample.billedDurationMs)! } : {})
      }))
    };
  }

  async function compareWith(stored: RunReport, extra: Partial<Record<InputName, string>> = {}) {
    const deps = gateDeps(aws, { [BASELINE_FILE]: serializeRunReport(stored) });
    const run = await runGate(gateSettings({ ...INPUTS, ...extra, 'baseline-file': BASELINE_FILE }), PR_CONTEXT, deps);
    const fn = run.outcome.functions[0]!;
    const written = parseRunReportText(deps.written.get(fn.reportPath!)!, 'report');
    return { fn, written, logged: deps.logged };
  }

  it('stops a clear regression at the first look, after 50 of the 300 invocations', async () => {
    const { fn, written, logged } = await compareWith(fasterBaseline());

    expect(fn.comparison.verdict).toBe('fail');
    const size = written.sizes.find((s) => s.memoryMb === 512)!;
    expect(size.measured).toBe(50);
    expect(written.sampling).toEqual([
      expect.objectContaining({ memoryMb: 512, mode: 'adaptive', looks: 1, invocations: 50, cap: 300 })
    ]);
    expect(written.sampling![0]!.stoppedBecause).toBe('decided');
    expect(written.sampling![0]!.costUsd).toBeCloseTo(size.totalCostUsd, 12);
    expect(logged.join('\n')).toMatch(/orders: Look 1 at 512 MB after 50 invocations: Fail/);
    // The failing check is the look's, judged at the share of the error rate the first look may spend.
    const cost = fn.comparison.sizes[0]!.checks.find((check) => check.budget === 'cost-increase')!;
    expect(cost.verdict).toBe('fail');
    expect(cost.observed!.confidence).toBeGreaterThan(0.95);
  });

  it('measures a baseline in full, so later p99 comparisons have their samples', () => {
    expect(baseline.sizes.find((s) => s.memoryMb === 512)!.measured).toBe(300);
    expect(baseline.sampling).toEqual([
      expect.objectContaining({ mode: 'fixed', looks: 1, invocations: 300, stoppedBecause: 'cap' })
    ]);
  });

  it('spends the whole cap in one go with sampling: fixed', async () => {
    const { fn, written } = await compareWith(fasterBaseline(), { sampling: 'fixed' });

    expect(fn.comparison.verdict).toBe('fail');
    expect(written.sizes.find((s) => s.memoryMb === 512)!.measured).toBe(300);
    expect(written.sampling).toEqual([
      expect.objectContaining({ memoryMb: 512, mode: 'fixed', looks: 1, invocations: 300, cap: 300 })
    ]);
  });

  it('takes more looks for unchanged code and raises no false alarm', async () => {
    const { fn, written } = await compareWith(baseline);

    expect(fn.comparison.verdict).not.toBe('fail');
    const [sampling] = written.sampling!;
    // The p99 needs 299 warm samples for an interval: a pass cannot come before the cap's look.
    expect(sampling!.looks).toBeGreaterThan(1);
    expect(sampling!.invocations).toBeGreaterThan(50);
    expect(sampling!.invocations).toBeLessThanOrEqual(300);
    expect(written.sizes.find((s) => s.memoryMb === 512)!.measured).toBe(sampling!.invocations);
  });

  it('records the fitted recommendation between sampled sizes in the report', async () => {
    const deps = gateDeps(aws);
    const { outcome } = await runGate(
      gateSettings({ ...INPUTS, mode: 'baseline', 'memory-sizes': '128,256,1024,2048', invocations: '20' }),
      PR_CONTEXT,
      deps
    );
    const fitted = outcome.functions[0]!.report.fittedRecommendation!;

    expect(fitted.fitted).toBe(true);
    // 40 ms of single-threaded CPU at 1769 MB: the duration falls with memory up to one vCPU, then stays.
    expect(fitted.model!.cpuMs).toBeGreaterThan(30);
    expect(fitted.model!.cpuMs).toBeLessThan(50);
    expect(fitted.speed!.memoryMb).toBeGreaterThan(1024);
    expect(fitted.speed!.memoryMb).toBeLessThanOrEqual(2048);
    expect(fitted.floor!.memoryMb).toBeGreaterThanOrEqual(128);
  });
});
