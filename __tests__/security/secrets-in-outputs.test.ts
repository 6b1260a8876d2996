/**
 * A function that leaks: its error messages and error types carry a fake AWS access key and a password,
 * its result a GitHub token, its logs all three, and the payload an API key. Gated end to end (real code on
 * the emulator, the real SDK, the gate, the comment and summary), none of them may appear in the pull
 * request comment, the job summary, the run report, the annotations or anything printed; the payload may
 * appear in the run report only when include-payloads asks for it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { errorMessage } from '../../src/errors.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import type { GateContext } from '../../src/gate/context.js';
import { publishOutcome } from '../../src/gate/publish.js';
import { runGate } from '../../src/gate/run-gate.js';
import type { InputName } from '../../src/inputs/names.js';
import { parseRunReportText } from '../../src/report/run-report.js';
import { gateSettings, MemoryGitHub, RecordingSink } from '../gate/helpers.js';
import { gateDeps, PR_CONTEXT, withAwsCredentials } from '../gate/run-gate-helpers.js';

const AWS_KEY = 'AKIAZZLEAKEDKEY00042';
const PASSWORD = 'Tr0ub4dor&3-hunter2';
const GH_TOKEN = 'ghp_' + 'LeakedToken0123456789abcdefABCDEF012345';
const API_KEY = 'sk-live-0123456789abcdef';
const SECRETS = [AWS_KEY, PASSWORD, GH_TOKEN, API_KEY];

/** Fails every other call: the error's message and type name the secrets; the result carries the token. */
const HANDLER = `
let calls = 0;
export const handler = async (event) => {
  calls += 1;
  console.log('connecting as app with password=${PASSWORD} and key ${AWS_KEY}, event ' + JSON.stringify(event));
  if (calls % 2 === 0) {
    const error = new Error('login failed for app: {"password":"${PASSWORD}","accessKeyId":"${AWS_KEY}"}');
    error.name = 'DbLoginError ${AWS_KEY}';
    throw error;
  }
  return { ok: true, session: '${GH_TOKEN}', echo: event };
};
`;

const PUSH: GateContext = {
  onRunner: true,
  eventName: 'push',
  ref: 'refs/heads/main',
  sha: 'ba5e000',
  repository: 'acme/shop',
  defaultBranch: 'main'
};

describe('secrets a function leaks', () => {
  let emulator: RunningEmulator;
  let aws: ReturnType<typeof createAwsPorts>;
  const restoreCredentials = withAwsCredentials();
  const inputs = (extra: Partial<Record<InputName, string>> = {}): Partial<Record<InputName, string>> => ({
    'function-name': 'leaky',
    'aws-region': 'us-east-1',
    'memory-sizes': '256',
    invocations: '6',
    'gate-invocations': '6',
    warmup: '1',
    concurrency: '2',
    payload: JSON.stringify({ orderId: 42, apiKey: API_KEY }),
    ...extra
  });

  beforeAll(async () => {
    const code = mkdtempSync(join(tmpdir(), 'lcg-leaky-'));
    writeFileSync(join(code, 'index.mjs'), HANDLER);
    emulator = await startEmulator({
      config: { updateDelayMs: 0, functions: [{ name: 'leaky', code, memorySize: 512, timeout: 10 }] }
    });
    aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
  });
  afterAll(async () => {
    aws.close();
    await emulator.close();
    restoreCredentials();
  });

  /** Gates once and publishes; returns every text the run produced, by where it went. */
  async function gateAndPublish(context: GateContext, extra: Partial<Record<InputName, string>>, files = {}) {
    const deps = gateDeps(aws, files);
    const github = new MemoryGitHub();
    const sink = new RecordingSink();
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    const progress: string[] = [];
    let failure = '';
    try {
      const settings = gateSettings(inputs(extra), files);
      const gate = await runGate(settings, context, {
        ...deps,
        github,
        onProgress: (name, event) => progress.push(`${name} ${JSON.stringify(event)}`)
      });
      await publishOutcome(gate, { comment: settings.comment, overrideLabel: settings.overrideLabel }, context, {
        github,
        sink,
        now: new Date('2026-01-01T00:00:00Z')
      });
    } catch (error) {
      failure = errorMessage(error);
    } finally {
      process.stdout.write = write;
    }
    const reports = [...deps.written.values()];
    return {
      reports,
      outputs: {
        comments: github.comments.map((c) => c.body),
        summary: sink.summaries,
        report: reports,
        annotations: sink.annotations.map((a) => `${a.title}: ${a.message}`),
        printed: [...printed, ...deps.logged, ...progress, ...sink.lines, failure, ...sink.outputs.values()]
      }
    };
  }

  const leaksIn = (outputs: Record<string, string[]>) =>
    Object.entries(outputs).flatMap(([where, texts]) =>
      SECRETS.filter((secret) => texts.some((text) => text.includes(secret))).map((secret) => `${secret} in ${where}`)
    );

  it('keeps every secret out of the comment, summary, report, annotations and logs', async () => {
    const baseline = await gateAndPublish(PUSH, {});
    expect(leaksIn(baseline.outputs)).toEqual([]);

    const { outputs, reports } = await gateAndPublish(
      PR_CONTEXT,
      { 'baseline-file': '/baseline.json' },
      { '/baseline.json': baseline.reports[0]! }
    );

    expect(leaksIn(outputs)).toEqual([]);
    // Not vacuous: the failing calls were measured and shown, with their error type masked.
    expect(outputs.comments).toHaveLength(1);
    const report = parseRunReportText(reports[0]!);
    const failed = report.samples.filter((s) => s.error === 'unhandled');
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((s) => s.errorType))).toEqual(new Set(['DbLoginError ***']));
    expect(report.payloads).toBeUndefined();
  }, 60_000);

  it('stores the payloads in the run report only with include-payloads, and still nowhere else', async () => {
    const { outputs, reports } = await gateAndPublish(PUSH, { 'include-payloads': 'true' });

    expect(parseRunReportText(reports[0]!).payloads).toEqual([JSON.stringify({ orderId: 42, apiKey: API_KEY })]);
    const { report: _asked, ...elsewhere } = outputs;
    expect(leaksIn(elsewhere)).toEqual([]);
  }, 60_000);
});
