/**
 * `lambda-cost-gate sweep`: the sweep engine from a terminal. Its flags are the action's input
 * names (`--function-name`, `--memory-sizes`, …); `--out FILE` writes the JSON run report.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLambdaClient, createLogsClient } from '../aws/clients.js';
import { createLogsPort } from '../aws/logs-port.js';
import { createLambdaPort } from '../deploy/lambda-adapter.js';
import { InputError } from '../errors.js';
import { parseConfig } from '../inputs/config.js';
import { Inputs, SweepInputs, type InputName } from '../inputs/names.js';
import { checkCandidateCode } from '../inputs/candidate-code.js';
import { parseSweepInputs } from '../inputs/sweep-inputs.js';
import { resolveTarget } from '../inputs/target.js';
import { serializeRunReport } from '../report/run-report.js';
import type { RunReport } from '../report/run-report-schema.js';
import { renderTextSummary } from '../report/text-summary.js';
import { VERSION } from '../version.js';
import { runSweep } from './engine.js';
import type { ProgressEvent } from './types.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const FLAG_NAMES: InputName[] = [...Object.values(Inputs), ...Object.values(SweepInputs)];

export const SWEEP_USAGE = `lambda-cost-gate sweep --function-name NAME [--code PATH | --s3-bucket B --s3-key K]
      [--memory-sizes 128,256,512] [--invocations 50] [--warmup 2] [--concurrency 5]
      [--payload JSON | --payload-file FILE | --payloads-file FILE] [--jobs-per-invocation N|$.path]
      [--deploy-mode in-place|temporary-copy] [--strategy cost|speed|balanced] [--balanced-weight 0.5]
      [--endpoint-url URL] [--aws-region REGION] [--out report.json]`;

/** Runs a sweep from flags; returns the report (written to `--out` when given). */
export async function sweepCommand(args: string[], io: CliIo, signal?: AbortSignal): Promise<RunReport> {
  const { values } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(FLAG_NAMES.map((name) => [name, { type: 'string' as const }])),
      out: { type: 'string' }
    },
    strict: true
  });
  const read = (name: InputName): string => (values as Record<string, string | undefined>)[name] ?? '';
  const config = parseConfig(read);
  const target = resolveTarget(config.functionName, config.region);
  const settings = parseSweepInputs(read, target.functionName, {
    readFile: (path) => readFileSync(path, 'utf8'),
    newRunId: () => randomUUID().slice(0, 8),
    checkCode: checkCandidateCode
  });
  const out = values.out;
  if (out === '') throw new InputError('--out', out, 'a file path for the JSON run report');
  const clientOptions = {
    ...(target.region ? { region: target.region } : config.region ? { region: config.region } : {}),
    ...(config.endpointUrl ? { endpoint: config.endpointUrl } : {}),
    maxAttempts: config.maxAttempts,
    maxSockets: settings.options.concurrency
  };
  const lambdaClient = createLambdaClient(clientOptions);
  const logsClient = createLogsClient(clientOptions);
  try {
    const report = await runSweep(
      { ...settings, seed: Date.now() },
      {
        lambda: createLambdaPort(lambdaClient, { log: io.err }),
        logs: createLogsPort(logsClient),
        toolVersion: VERSION,
        ...gitInfo(),
        log: io.err,
        onProgress: (event) => io.err(describeProgress(event)),
        ...(signal ? { signal } : {})
      }
    );
    for (const line of renderTextSummary(report)) io.out(line);
    if (out) {
      writeFileSync(out, serializeRunReport(report));
      io.out(`Run report written to ${out}`);
    }
    return report;
  } finally {
    lambdaClient.destroy();
    logsClient.destroy();
  }
}

/** The commit measured: GitHub's variables in a workflow, else the checkout in the current folder. */
function gitInfo(): { git?: { commit?: string; ref?: string; repository?: string } } {
  const env = process.env;
  let commit = env.GITHUB_SHA;
  let ref = env.GITHUB_REF;
  if (!commit) {
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore']
      }).trim();
      ref ??= execFileSync('git', ['symbolic-ref', '-q', 'HEAD'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore']
      }).trim();
    } catch {
      // Not a git checkout, or no git: the report simply has no commit.
    }
  }
  const git = {
    ...(commit ? { commit } : {}),
    ...(ref ? { ref } : {}),
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {})
  };
  return Object.keys(git).length > 0 ? { git } : {};
}

function describeProgress(event: ProgressEvent): string {
  if (event.type === 'phase') return event.message;
  const errors = event.errors === 0 ? '' : `, ${event.errors} errors`;
  return `  ${String(event.memoryMb).padStart(5)} MB: ${event.done}/${event.total}${errors}`;
}
