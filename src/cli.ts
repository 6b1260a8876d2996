/**
 * The `lambda-cost-gate` command line. Subcommands:
 * - `emulator [--port N] [--config FILE]`: runs the local Lambda + CloudWatch Logs emulator until stopped;
 * - `demo [--out DIR]`: the pull-request story (baseline, regressed candidate, comment, verdict) on an
 *   embedded emulator;
 * - `right-size …`: every selected function's memory from weeks of its production REPORT records.
 */
import { parseArgs } from 'node:util';
import { errorMessage, InputError } from './errors.js';
import { loadEmulatorConfig } from './emulator/config.js';
import { startEmulator } from './emulator/emulator.js';
import { runDemo } from './demo/demo.js';
import { RIGHT_SIZE_USAGE, rightSizeCommand } from './fleet/cli.js';
import { RightSizeCancelledError } from './fleet/errors.js';
import { SWEEP_USAGE, sweepCommand } from './sweep/cli-sweep.js';

const USAGE = `Usage:
  lambda-cost-gate emulator [--port N] [--config FILE]
      Runs the local AWS Lambda + CloudWatch Logs emulator on 127.0.0.1 until interrupted.
  ${SWEEP_USAGE}
      Deploys the candidate as one version per memory size, measures and prices them, restores the
      function and deletes the versions; prints a table and writes the JSON run report.
  ${RIGHT_SIZE_USAGE}
      Reads each selected function's REPORT records of the last days with CloudWatch Logs Insights and
      recommends its memory from what it really used, with the monthly savings; --apply changes them.
  lambda-cost-gate demo [--out demo-output]
      On an embedded emulator: records a baseline of a sample function, gates a pull request whose code
      regressed, prints the PR comment and writes it, the job summary and the JSON reports to --out.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'emulator':
      return emulatorCommand(rest);
    case 'sweep':
      // A cancelled sweep still restores the function and reports what it measured, then exits 130.
      return withCancellation(async (signal) => {
        await sweepCommand(
          rest,
          { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
          signal
        );
        return signal.aborted ? 130 : 0;
      });
    case 'right-size':
      // Cancelling stops the Insights queries in AWS; during --apply it stops before the next change.
      return withCancellation(async (signal) => {
        try {
          await rightSizeCommand(
            rest,
            { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
            signal
          );
        } catch (error) {
          if (!(error instanceof RightSizeCancelledError)) throw error;
          process.stderr.write(`${error.message}\n`);
        }
        return signal.aborted ? 130 : 0;
      });
    case 'demo':
      await runDemo(rest, (line) => process.stdout.write(`${line}\n`));
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      throw new InputError('command', command, 'sweep, right-size, emulator, demo or help');
  }
}

async function emulatorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, config: { type: 'string' } },
    strict: true
  });
  const port = values.port === undefined ? undefined : parsePort(values.port);
  const config = values.config ? loadEmulatorConfig(values.config) : undefined;
  const emulator = await startEmulator({
    ...(config ? { config } : {}),
    port: port ?? config?.port ?? 9001,
    log: (message) => process.stderr.write(`${message}\n`)
  });
  const { cpu, memory } = emulator.mechanisms;
  process.stdout.write(
    [
      `lambda-cost-gate emulator listening on ${emulator.endpoint} (region ${emulator.region})`,
      `CPU limit: ${describeCpu(cpu)}; memory: ${describeMemory(memory)}`,
      `Point AWS clients at it:`,
      `  export AWS_ENDPOINT_URL=${emulator.endpoint} AWS_REGION=${emulator.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
      ''
    ].join('\n')
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
  return 0;
}

/**
 * The first SIGINT/SIGTERM stops new invocations and lets the run clean up (restore the function,
 * delete its versions); a second one ends the process at once.
 */
async function withCancellation<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`${name}: stopping after the invocations in flight, then cleaning up (again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InputError('--port', raw, 'a whole number from 0 to 65535');
  return port;
}

function describeCpu(mechanism: string): string {
  switch (mechanism) {
    case 'cgroup-v1':
      return 'CFS quota through cgroup v1 (cpu.cfs_quota_us), memory/1769 vCPU per environment';
    case 'cgroup-v2':
      return 'CFS quota through cgroup v2 (cpu.max), memory/1769 vCPU per environment';
    case 'sigstop':
      return 'SIGSTOP/SIGCONT against CPU time used (no writable cgroup found), memory/1769 vCPU per environment';
    default:
      return mechanism;
  }
}

function describeMemory(mechanism: string): string {
  switch (mechanism) {
    case 'cgroup-v1':
    case 'cgroup-v2':
      return `${mechanism} memory controller: peak usage measured, environments over their size are OOM-killed`;
    case 'rss':
      return 'peak RSS of the environment process tree, sampled; environments over their size are killed';
    default:
      return mechanism;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`lambda-cost-gate: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  }
);
