/**
 * `lambda-cost-gate sweep` as a user runs it against the emulator: a table on stdout, progress on
 * stderr, the report file; and a bad flag refused before anything in AWS changes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { parseRunReportText } from '../../src/report/run-report.js';

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, NODE_OPTIONS: '', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('lambda-cost-gate sweep', () => {
  let emulator: RunningEmulator;
  const dir = mkdtempSync(join(tmpdir(), 'lcg-sweep-cli-'));

  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        updateDelayMs: 0,
        functions: [{ name: 'orders', model: { cpuMs: 100, noiseSigma: 0.05 }, memorySize: 512, timeout: 10 }]
      }
    });
  });
  afterAll(async () => emulator.close());

  const common = () => ['--endpoint-url', emulator.endpoint, '--aws-region', 'us-east-1'];

  it('sweeps, prints the table and writes a report that validates against the schema', async () => {
    const before = emulator.state();
    const out = join(dir, 'report.json');
    const result = await runCli([
      'sweep',
      '--function-name',
      'orders',
      '--memory-sizes',
      '256,1024',
      '--invocations',
      '8',
      '--concurrency',
      '2',
      '--payload',
      '{"secret":"s3cr3t"}',
      '--strategy',
      'cost',
      '--out',
      out,
      ...common()
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/memory MB +n +errors/);
    expect(result.stdout).toMatch(/Recommended \(cost\): (256|1024) MB/);
    expect(result.stdout).toContain(`Run report written to ${out}`);
    expect(result.stderr).toContain('Publishing version');
    expect(result.stderr).toMatch(/ 1024 MB: 10\/10/);
    const report = parseRunReportText(readFileSync(out, 'utf8'), out);
    expect(report.sizes.map((s) => s.memoryMb)).toEqual([256, 1024]);
    expect(report.plan).toMatchObject({ invocations: 8, concurrency: 2, strategy: 'cost' });
    expect(report.git?.commit).toMatch(/^[0-9a-f]{40}$/);
    // Payloads stay out of logs and the report unless asked for.
    expect(result.stdout + result.stderr + readFileSync(out, 'utf8')).not.toContain('s3cr3t');
    expect(emulator.state()).toEqual([{ ...before[0], revisionId: expect.any(String) }]);
  });

  it('refuses a bad input, naming it, before touching the function', async () => {
    const before = emulator.state();
    const result = await runCli(['sweep', '--function-name', 'orders', '--memory-sizes', '64,128', ...common()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid input "memory-sizes": got "64,128"; allowed: distinct whole numbers of MB'
    );
    expect(emulator.state()).toEqual(before);
  });

  it('says which function is missing, with what it was doing', async () => {
    const result = await runCli(['sweep', '--function-name', 'nope', ...common()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not .*nope.*Function not found/);
  });
});
