/**
 * `lambda-cost-gate right-size` as a user runs it: flags named like the action's inputs, the markdown
 * printed, the JSON and markdown reports written, a bad flag named, a cancelled run stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { bulkLoadReports } from '../../src/emulator/logs/bulk-load.js';
import { rightSizeCommand } from '../../src/fleet/cli.js';
import { RightSizeCancelledError } from '../../src/fleet/errors.js';
import type { RightSizeReport } from '../../src/fleet/report.js';

describe('right-size command', () => {
  let emulator: RunningEmulator;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startEmulator({
      config: { updateDelayMs: 0, functions: [{ name: 'orders', model: { cpuMs: 1 }, memorySize: 1024 }] }
    });
    // The last 14 days before today: what a run today reads.
    bulkLoadReports(emulator.logs, {
      days: 14,
      functions: [{ name: 'orders', memorySizeMb: 1024, invocationsPerDay: 10, durationMs: 40, maxMemoryUsedMb: 180 }]
    });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  });
  afterAll(async () => {
    process.env = saved;
    await emulator.close();
  });

  it('prints the markdown report and writes the JSON and markdown files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcg-right-size-'));
    const out: string[] = [];
    const err: string[] = [];

    const flags = ['--all-functions', '--endpoint-url', emulator.endpoint, '--aws-region', 'us-east-1'];
    await rightSizeCommand([...flags, '--out', join(dir, 'fleet.json'), '--markdown', join(dir, 'fleet.md')], {
      out: (line) => out.push(line),
      err: (line) => err.push(line)
    });

    // 180 + 100 = 280 → 320 MB.
    expect(out.join('\n')).toContain('| `orders` | 1024 MB | **320 MB** | Mean daily peak + buffer |');
    const report = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as RightSizeReport;
    expect(report).toMatchObject({ kind: 'right-size', region: 'us-east-1', totals: { functions: 1, withData: 1 } });
    expect(report.functions[0]?.days).toHaveLength(14);
    expect(readFileSync(join(dir, 'fleet.md'), 'utf8')).toBe(out[0]);
    expect(err).toContain(`JSON report written to ${join(dir, 'fleet.json')}`);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(
      rightSizeCommand(
        ['--functions', 'orders', '--endpoint-url', emulator.endpoint, '--aws-region', 'us-east-1'],
        { out: () => undefined, err: () => undefined },
        controller.signal
      )
    ).rejects.toBeInstanceOf(RightSizeCancelledError);
  });

  it('names a bad flag, its value and what it accepts, and exits 1', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'right-size', '--all-functions', '--lookback-days', '0'],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));

    expect(code).toBe(1);
    expect(stderr).toContain('Invalid input "lookback-days": got "0"; allowed: a whole number from 1 to 90');
  });
});
