/**
 * The fault matrix's test bed: one emulator holding a function per row (all alike: a model that answers at
 * once, 512 MB), a fake GitHub with a trusted baseline artifact for every one of them, and a pull request per
 * row. A row runs the real gate in process (runGate, then publishOutcome) over the real AWS and GitHub
 * adapters; a spy around the Lambda port counts calls and runs a row's hooks at the moment they are due.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLambdaClient, createLogsClient } from '../../src/aws/clients.js';
import { createLogsPort } from '../../src/aws/logs-port.js';
import { createLambdaPort } from '../../src/deploy/lambda-adapter.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { zipModel } from '../../src/emulator/lambda/code.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import type { GateContext } from '../../src/gate/context.js';
import { runGate, type AwsPorts } from '../../src/gate/run-gate.js';
import { reportFileName } from '../../src/baseline/artifact-files.js';
import type { InputName } from '../../src/inputs/names.js';
import { parseRunReportText, serializeRunReport } from '../../src/report/run-report.js';
import type { LambdaPort } from '../../src/sweep/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { gateSettings } from '../gate/helpers.js';
import { gateDeps, withAwsCredentials } from '../gate/run-gate-helpers.js';

export const OWNER = 'acme';
export const REPO = 'shop';
export const TOKEN = 'ghs_fault_matrix';
/** Every row's function, before the row changes anything: answers at once, no noise, no INIT cost. */
export const MODEL = { cpuMs: 20, noiseSigma: 0, memoryUsedMb: 60, initCpuMs: 0, initFixedMs: 0 };
export const MEMORY_MB = 512;
/** The account's memory quota: a size above it is refused by UpdateFunctionConfiguration. */
export const MEMORY_QUOTA_MB = 3008;
export const TEMPLATE = 'fm-template';

/** A model's code zip, as a file the `code` input can name. */
export function modelZip(model: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lcg-fault-')), 'candidate.zip');
  writeFileSync(path, zipModel(model));
  return path;
}

/** The inputs every row starts from: two sizes, a handful of invocations, generous cost budget, no p99 budget. */
export function baseInputs(functionName: string, runId: string): Partial<Record<InputName, string>> {
  return {
    'function-name': functionName,
    'aws-region': 'us-east-1',
    'memory-sizes': '256',
    invocations: '2',
    'gate-invocations': '3',
    warmup: '1',
    concurrency: '2',
    'max-cost-increase': '50%',
    'max-p99-increase': 'none',
    'run-id': runId,
    comment: 'always'
  };
}

export interface FaultBed {
  emulator: RunningEmulator;
  github: FakeGitHub;
  /** The pull request's base (main's head, with the baseline) and head commits. */
  baseSha: string;
  headSha: string;
  close(): Promise<void>;
}

/**
 * Starts the emulator with `functions` (plus the template the baselines are measured on) and the fake
 * GitHub, and records a trusted baseline artifact holding a report for every function.
 */
export async function startFaultBed(
  functions: Array<{ name: string; model?: Record<string, unknown> }>
): Promise<FaultBed> {
  const restoreCredentials = withAwsCredentials();
  const emulator = await startEmulator({
    config: {
      updateDelayMs: 0,
      memoryQuotaMb: MEMORY_QUOTA_MB,
      functions: [{ name: TEMPLATE }, ...functions].map((fn: { name: string; model?: Record<string, unknown> }) => ({
        name: fn.name,
        model: fn.model ?? MODEL,
        memorySize: MEMORY_MB
      }))
    }
  });
  const github = await startFakeGitHub({ owner: OWNER, repo: REPO, repositoryId: 77, defaultBranch: 'main' });
  const [, baseSha] = github.state.addChain(2, { branch: 'main' });
  const headSha = github.state.addCommit({ parents: [baseSha!], message: 'the pull request' });
  const template = await measureTemplate(emulator, baseSha!);
  const files: Record<string, string> = {};
  for (const fn of functions) {
    const report = {
      ...template,
      function: { ...template.function, name: fn.name, arn: template.function.arn.replace(TEMPLATE, fn.name) }
    };
    files[reportFileName(fn.name)] = serializeRunReport(report);
  }
  github.state.addRun({ id: 500, event: 'push', conclusion: 'success', headBranch: 'main', headSha: baseSha! });
  github.state.addArtifact({ name: 'lambda-cost-gate-baseline', runId: 500, files });
  return {
    emulator,
    github,
    baseSha: baseSha!,
    headSha,
    close: async () => {
      await github.close();
      await emulator.close();
      restoreCredentials();
    }
  };
}

/** A baseline-mode run of the template: the report every row's baseline copies. */
async function measureTemplate(emulator: RunningEmulator, sha: string) {
  const aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
  try {
    const context: GateContext = {
      onRunner: true,
      eventName: 'push',
      ref: 'refs/heads/main',
      sha,
      repository: `${OWNER}/${REPO}`,
      defaultBranch: 'main'
    };
    const deps = gateDeps(aws);
    const { outcome } = await runGate(gateSettings(baseInputs(TEMPLATE, 'template')), context, deps);
    return parseRunReportText(serializeRunReport(outcome.functions[0]!.report));
  } finally {
    aws.close();
  }
}

/**
 * The gate's AWS ports, built as createAwsPorts builds them (the one client factory, the real adapters), but
 * with the control-plane rate limiter off: against a local emulator it would only make 60 rows take minutes
 * (it has its own tests). `shortWaits`: 2 s waiters and a 4 s 409 budget, for the rows that outlast them
 * (the action's are 300 s and 60 s).
 */
export function matrixPorts(
  endpoint: string,
  options: { maxAttempts: number; shortWaits: boolean; log: (line: string) => void }
): { portsFor: () => AwsPorts; close: () => void } {
  const clientOptions = { endpoint, region: 'us-east-1', maxAttempts: options.maxAttempts };
  const lambdaClient = createLambdaClient({ ...clientOptions, lambdaRateLimits: false });
  const logsClient = createLogsClient(clientOptions);
  const ports: AwsPorts = {
    lambda: createLambdaPort(lambdaClient, {
      log: options.log,
      ...(options.shortWaits ? { waitMaxSeconds: 2, conflictRetry: { baseMs: 50, capMs: 400, maxTotalMs: 4_000 } } : {})
    }),
    logs: createLogsPort(logsClient)
  };
  return {
    portsFor: () => ports,
    close: () => {
      lambdaClient.destroy();
      logsClient.destroy();
    }
  };
}

/** A hook that runs before the nth call of a port method. */
export interface CallHook {
  method: keyof LambdaPort;
  nth: number;
  run: () => Promise<void>;
}

/**
 * A pass-through Lambda port that counts calls, waits for `pending` work (a progress hook's change "by
 * someone else") before every call, and runs call hooks when due.
 */
export function spyPort(
  port: LambdaPort,
  hooks: CallHook[],
  pending: Array<Promise<void>>
): { port: LambdaPort; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const spied = new Proxy(port, {
    get(target, property: keyof LambdaPort) {
      const real = target[property] as (...args: unknown[]) => Promise<unknown>;
      if (typeof real !== 'function') return real;
      return async (...args: unknown[]) => {
        await Promise.all(pending);
        const nth = (calls.get(property) ?? 0) + 1;
        calls.set(property, nth);
        for (const hook of hooks) if (hook.method === property && hook.nth === nth) await hook.run();
        return real.apply(target, args);
      };
    }
  });
  return { port: spied, calls };
}
