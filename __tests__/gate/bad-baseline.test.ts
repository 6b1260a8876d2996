/**
 * Bad baseline files, each refused with an error that says what is wrong with which file, before anything in
 * AWS changes (the emulator's state is compared whole, revision ids included) and before any report is written.
 * The table is the list of baseline files tried.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import { runGate } from '../../src/gate/run-gate.js';
import type { InputName } from '../../src/inputs/names.js';
import { serializeRunReport } from '../../src/report/run-report.js';
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
  concurrency: '2',
  'baseline-file': 'baseline.json'
};

const good = buildRunReport({ functionName: 'orders', sizes: [{ memoryMb: 256, durations: [20, 21, 22] }] });
const text = serializeRunReport(good);
const withFunction = (change: Record<string, unknown>) =>
  JSON.stringify({ ...good, function: { ...good.function, ...change } });

/** [what, file contents, what the error must say] */
const BAD_BASELINES: Array<[string, string, RegExp]> = [
  ['an empty file', '', /baseline-file baseline\.json is not JSON/],
  ['a truncated report', text.slice(0, Math.floor(text.length / 2)), /baseline-file baseline\.json is not JSON/],
  ['binary garbage', '\u0000\u0001PK\u0003\u0004garbage', /baseline-file baseline\.json is not JSON/],
  ['a JSON array', '[]', /baseline-file baseline\.json/],
  ['a JSON object that is not a report', '{"hello":"world"}', /schemaVersion/],
  ['a report from a newer tool (schemaVersion 2)', JSON.stringify({ ...good, schemaVersion: 2 }), /schemaVersion 2/],
  ['a report without schemaVersion', JSON.stringify({ ...good, schemaVersion: undefined }), /schemaVersion/],
  [
    'a report whose sizes are not a list',
    JSON.stringify({ ...good, sizes: 'many' }),
    /baseline-file baseline\.json.*sizes/
  ],
  [
    'a report of another function',
    withFunction({ name: 'billing' }),
    /measured function billing in us-east-1, not orders/
  ],
  [
    'a report of the same name in another region',
    withFunction({ region: 'eu-west-1' }),
    /in eu-west-1, not orders in us-east-1/
  ]
];

describe('bad baseline files', () => {
  let emulator: RunningEmulator;
  let aws: ReturnType<typeof createAwsPorts>;
  const restoreCredentials = withAwsCredentials();

  beforeAll(async () => {
    emulator = await startEmulator({
      config: { updateDelayMs: 0, functions: [{ name: 'orders', model: { cpuMs: 5 }, memorySize: 256 }] }
    });
    aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: 'us-east-1', maxAttempts: 1 });
  });
  afterAll(async () => {
    aws.close();
    await emulator.close();
    restoreCredentials();
  });

  it.each(BAD_BASELINES)('refuses %s before anything changes', async (_what, contents, says) => {
    const before = emulator.state();
    const deps = gateDeps(aws, { 'baseline.json': contents });
    const error = await runGate(gateSettings(INPUTS), PR_CONTEXT, deps).then(
      () => new Error('expected the baseline to be refused'),
      (thrown: unknown) => thrown as Error
    );
    expect(error.message).toMatch(says);
    expect(emulator.state()).toEqual(before);
    expect(deps.written.size).toBe(0);
  });
});
