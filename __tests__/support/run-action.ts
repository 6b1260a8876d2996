/**
 * Runs the bundled action (`node dist/index.js`) the way the runner does: inputs as INPUT_* variables, the
 * event payload in GITHUB_EVENT_PATH, outputs, state and the job summary in files, and then the `post:` step
 * with the state the main step saved. Spawned asynchronously: the fakes answer on this process's event loop.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ACTION_ENTRY = resolve('dist/index.js');

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** What the main step saved for the post step. */
  state: Record<string, string>;
  summary: string;
  /** Lines of `::error` workflow commands. */
  errors: string[];
  warnings: string[];
}

export interface ActionInvocation {
  inputs: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** The event payload; written to GITHUB_EVENT_PATH. */
  event?: unknown;
  /** State from an earlier main step: runs the post step. */
  state?: Record<string, string>;
  /** Called with the child once it runs, e.g. to kill it mid-sweep. */
  onStart?: (child: ReturnType<typeof spawn>, dir: string) => void;
}

/**
 * @example
 * ```ts
 * const result = await runAction({ inputs: { 'function-name': 'orders' }, env: { AWS_ENDPOINT_URL: endpoint } });
 * result.outputs.verdict // 'pass'
 * ```
 */
export async function runAction(invocation: ActionInvocation): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'lcg-action-'));
  const files = {
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary.md'),
    event: join(dir, 'event.json')
  };
  for (const path of [files.output, files.state, files.summary]) writeFileSync(path, '');
  writeFileSync(files.event, JSON.stringify(invocation.event ?? {}));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    RUNNER_TEMP: dir,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1'
  };
  for (const [name, value] of Object.entries(invocation.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(invocation.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(invocation.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child = spawn(process.execPath, [ACTION_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  invocation.onStart?.(child, dir);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.on('exit', (exitCode, exitSignal) => done([exitCode, exitSignal]))
  );
  const lines = stdout.split('\n');
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs: readCommandFile(files.output),
    state: readCommandFile(files.state),
    summary: existsSync(files.summary) ? readFileSync(files.summary, 'utf8') : '',
    errors: lines.filter((line) => line.startsWith('::error')),
    warnings: lines.filter((line) => line.startsWith('::warning'))
  };
}

/** Parses GITHUB_OUTPUT / GITHUB_STATE: `name<<DELIMITER`, the value's lines, `DELIMITER`; the last value wins. */
export function readCommandFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const header = /^([^<=]+)<<(.+)$/.exec(lines[index]!);
    if (header) {
      const [, name, delimiter] = header;
      const value: string[] = [];
      for (index++; index < lines.length && lines[index] !== delimiter; index++) value.push(lines[index]!);
      values[name!] = value.join('\n');
    } else {
      const pair = /^([^=]+)=(.*)$/.exec(lines[index]!);
      if (pair) values[pair[1]!] = pair[2]!;
    }
  }
  return values;
}
