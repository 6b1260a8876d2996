/**
 * `lambda-cost-gate demo`: the whole loop on a laptop, no AWS account. Starts an embedded emulator,
 * deploys a sample function, publishes one version per memory size, invokes them in rotation,
 * reads Lambda's REPORT lines and prints cost and latency per size. Everything it creates is
 * removed at the end, also when it fails.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type LambdaClient
} from '@aws-sdk/client-lambda';
import { decodeLogTail, findReport, type ReportRecord } from '../analyze/report-line.js';
import { createLambdaClient } from '../aws/clients.js';
import { InputError } from '../errors.js';
import { startEmulator } from '../emulator/emulator.js';
import { zipDirectory } from '../emulator/lambda/code.js';
import { renderDemoTable, type DemoRow } from './demo-table.js';

const SAMPLES: Record<string, { payload: unknown; timeout: number }> = {
  'cpu-bound': { payload: { n: 600_000 }, timeout: 30 },
  'memory-hungry': { payload: { mb: 200 }, timeout: 30 },
  flaky: { payload: { failRate: 0.2 }, timeout: 10 },
  'batch-worker': { payload: { jobs: 8, jobSize: 20000 }, timeout: 60 }
};
const WAIT = { minDelay: 1, maxDelay: 2, maxWaitTime: 60 };

export async function runDemo(args: string[], print: (line: string) => void): Promise<void> {
  const options = parseDemoArgs(args);
  const emulator = await startEmulator({ config: { updateDelayMs: 0 } });
  const lambda = createLambdaClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }
  });
  print(
    `Emulator at ${emulator.endpoint}; CPU limit by ${emulator.mechanisms.cpu}, memory by ${emulator.mechanisms.memory}.`
  );
  const name = `demo-${options.sample}`;
  try {
    await deploy(lambda, name, options.codeDir, SAMPLES[options.sample]!.timeout);
    const versions = await publishVersions(lambda, name, options.memorySizes);
    print(
      `Published versions ${versions.map((v) => `${v.version} (${v.memory} MB)`).join(', ')}; $LATEST is back at 128 MB.`
    );
    const payload = Buffer.from(JSON.stringify(SAMPLES[options.sample]!.payload));
    const samples = new Map<string, ReportRecord[]>(versions.map((v) => [v.version, []]));
    const colds = new Map<string, number>();
    for (const v of versions) {
      const report = await invoke(lambda, name, v.version, payload);
      if (report?.initDurationMs !== undefined) colds.set(v.version, report.initDurationMs);
    }
    // Rotate across versions so drift on the machine affects every size alike.
    for (let round = 0; round < options.invocations; round += 1) {
      for (const v of versions) {
        const report = await invoke(lambda, name, v.version, payload);
        if (report) samples.get(v.version)!.push(report);
      }
    }
    const rows: DemoRow[] = versions.map((v) => ({
      memoryMb: v.memory,
      reports: samples.get(v.version) ?? [],
      ...(colds.has(v.version) ? { initDurationMs: colds.get(v.version)! } : {})
    }));
    for (const line of renderDemoTable(rows, emulator.region)) print(line);
  } finally {
    await cleanUp(lambda, name).catch((error: unknown) => print(`Could not delete ${name}: ${String(error)}`));
    lambda.destroy();
    await emulator.close();
  }
}

interface DemoOptions {
  sample: string;
  codeDir: string;
  memorySizes: number[];
  invocations: number;
}

function parseDemoArgs(args: string[]): DemoOptions {
  const { values } = parseArgs({
    args,
    options: {
      'memory-sizes': { type: 'string', default: '128,256,512,1024,1769,3008' },
      invocations: { type: 'string', default: '8' },
      function: { type: 'string', default: 'cpu-bound' }
    },
    strict: true
  });
  const sample = values.function;
  if (!(sample in SAMPLES)) throw new InputError('--function', sample, Object.keys(SAMPLES).join(', '));
  const codeDir = resolve('examples', 'functions', sample);
  if (!existsSync(codeDir)) {
    throw new InputError(
      '--function',
      sample,
      `a folder under ${resolve('examples', 'functions')}: run the demo from the repository root`
    );
  }
  const memorySizes = values['memory-sizes'].split(',').map((part) => Number(part.trim()));
  if (
    memorySizes.some((m) => !Number.isInteger(m) || m < 128 || m > 10240) ||
    new Set(memorySizes).size !== memorySizes.length
  ) {
    throw new InputError(
      '--memory-sizes',
      values['memory-sizes'],
      'distinct whole numbers of MB from 128 to 10240, comma-separated'
    );
  }
  const invocations = Number(values.invocations);
  if (!Number.isInteger(invocations) || invocations < 1 || invocations > 1000) {
    throw new InputError('--invocations', values.invocations, 'a whole number from 1 to 1000');
  }
  return { sample, codeDir, memorySizes, invocations };
}

async function deploy(lambda: LambdaClient, name: string, codeDir: string, timeout: number): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::123456789012:role/demo',
      Handler: 'index.handler',
      Code: { ZipFile: zipDirectory(codeDir) },
      MemorySize: 128,
      Timeout: timeout,
      Environment: { Variables: { THREADS: '2' } }
    })
  );
  await waitUntilFunctionActiveV2({ client: lambda, ...WAIT }, { FunctionName: name });
}

/** One frozen version per memory size, made with the RevisionId and CodeSha256 preconditions. */
async function publishVersions(
  lambda: LambdaClient,
  name: string,
  sizes: number[]
): Promise<Array<{ memory: number; version: string }>> {
  const versions: Array<{ memory: number; version: string }> = [];
  for (const memory of sizes) {
    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        MemorySize: memory,
        Description: `lambda-cost-gate demo ${memory} MB`,
        RevisionId: current.RevisionId
      })
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, ...WAIT }, { FunctionName: name });
    const updated = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const published = await lambda.send(
      new PublishVersionCommand({ FunctionName: name, CodeSha256: updated.CodeSha256, RevisionId: updated.RevisionId })
    );
    await waitUntilPublishedVersionActive(
      { client: lambda, ...WAIT },
      { FunctionName: name, Qualifier: published.Version }
    );
    versions.push({ memory, version: published.Version ?? '' });
  }
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 128, Description: '' }));
  await waitUntilFunctionUpdatedV2({ client: lambda, ...WAIT }, { FunctionName: name });
  return versions;
}

async function invoke(
  lambda: LambdaClient,
  name: string,
  version: string,
  payload: Buffer
): Promise<ReportRecord | undefined> {
  const response = await lambda.send(
    new InvokeCommand({ FunctionName: name, Qualifier: version, LogType: 'Tail', Payload: payload })
  );
  return findReport(decodeLogTail(response.LogResult));
}

/** The demo's function exists only for the demo: deleting it removes its versions too. */
async function cleanUp(lambda: LambdaClient, name: string): Promise<void> {
  await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
}
