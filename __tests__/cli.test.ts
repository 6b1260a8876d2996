/**
 * The `lambda-cost-gate` command as a user runs it: the emulator starts, prints its endpoint and
 * CPU mechanism, serves requests, and stops cleanly on SIGTERM; bad flags name themselves.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the CLI from source through tsx, as `npm run demo` does. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the CLI');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('lambda-cost-gate CLI', () => {
  it('runs the emulator with a config file until SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcg-cli-config-'));
    const config = join(dir, 'emulator.json');
    writeFileSync(config, JSON.stringify({ functions: [{ name: 'modelled', model: { cpuMs: 50 } }] }));
    const cli = startCli(['emulator', '--port', '0', '--config', config]);
    await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.test(cli.output().stdout));
    const { stdout } = cli.output();
    const endpoint = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
    expect(stdout).toMatch(/CPU limit: .*(cgroup|SIGSTOP)/);
    expect(stdout).toContain(`export AWS_ENDPOINT_URL=${endpoint}`);
    const state = (await (await fetch(`${endpoint}/__admin/state`)).json()) as { functions: Array<{ name: string }> };
    expect(state.functions.map((fn) => fn.name)).toEqual(['modelled']);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('names the bad flag, its value and what is allowed', async () => {
    const cli = startCli(['emulator', '--port', '70000']);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toContain(
      'Invalid input "--port": got "70000"; allowed: a whole number from 0 to 65535'
    );
  });

  it('names the config file and the field when the config is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcg-cli-bad-'));
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ updateDelayMs: -5 }));
    const cli = startCli(['emulator', '--config', config]);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toContain(`Invalid emulator config file ${config}: updateDelayMs:`);
  });
});
