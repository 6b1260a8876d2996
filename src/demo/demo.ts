/**
 * `lambda-cost-gate demo`: the whole loop on a laptop, no AWS account. Starts an embedded emulator,
 * deploys a sample function as if it were yours, and runs the real sweep engine against it: one
 * version per memory size, interleaved invocations, REPORT lines priced, the function put back and
 * the versions deleted. Prints the same table `lambda-cost-gate sweep` prints.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLambdaClient, createLogsClient } from '../aws/clients.js';
import { createLogsPort } from '../aws/logs-port.js';
import { createLambdaPort } from '../deploy/lambda-adapter.js';
import { zipDirectory } from '../deploy/zip.js';
import { InputError } from '../errors.js';
import { startEmulator } from '../emulator/emulator.js';
import { renderTextSummary } from '../report/text-summary.js';
import { runSweep } from '../sweep/engine.js';
import { VERSION } from '../version.js';
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';

/** Sample functions the demo can tune, with a payload that shows their curve in seconds. */
const SAMPLES: Record<string, { payload: unknown; timeout: number; memorySizes: string }> = {
  'cpu-bound': { payload: { n: 600_000 }, timeout: 30, memorySizes: '128,256,512,1024,1769,3008' },
  'memory-hungry': { payload: { mb: 200 }, timeout: 30, memorySizes: '128,256,512,1024' },
  flaky: { payload: { failRate: 0.2, slowRate: 0.1, slowMs: 200 }, timeout: 10, memorySizes: '128,256,512' },
  'batch-worker': { payload: { jobs: 8, jobSize: 100_000 }, timeout: 60, memorySizes: '512,1769,3538' }
};
const CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };

export async function runDemo(args: string[], print: (line: string) => void): Promise<void> {
  const options = parseDemoArgs(args);
  const sample = SAMPLES[options.sample]!;
  const emulator = await startEmulator({ config: { updateDelayMs: 0 } });
  const clientOptions = { endpoint: emulator.endpoint, region: emulator.region, credentials: CREDENTIALS };
  const lambdaClient = createLambdaClient(clientOptions);
  const logsClient = createLogsClient(clientOptions);
  print(
    `Emulator at ${emulator.endpoint}; CPU limited by ${emulator.mechanisms.cpu}, memory by ${emulator.mechanisms.memory}.`
  );
  try {
    const name = `demo-${options.sample}`;
    await lambdaClient.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::123456789012:role/demo',
        Handler: 'index.handler',
        Code: { ZipFile: zipDirectory(options.codeDir) },
        MemorySize: 1024,
        Timeout: sample.timeout,
        Environment: { Variables: { THREADS: '2' } }
      })
    );
    await waitUntilFunctionActiveV2({ client: lambdaClient, minDelay: 1, maxWaitTime: 30 }, { FunctionName: name });
    print(
      `Deployed ${name} at 1024 MB; sweeping ${options.memorySizes.join(', ')} MB, ${options.invocations} invocations each.`
    );
    const report = await runSweep(
      {
        options: {
          functionName: name,
          memorySizes: options.memorySizes,
          invocations: options.invocations,
          warmup: 1,
          concurrency: 2,
          payloads: [{ json: JSON.stringify(sample.payload), weight: 1 }],
          ...(options.sample === 'batch-worker'
            ? { jobsPerInvocation: { kind: 'response-path' as const, path: '$.jobs' } }
            : {}),
          mode: 'in-place',
          strategy: 'balanced',
          balancedWeight: 0.5,
          runId: 'demo'
        },
        confidence: 0.95,
        includePayloads: false,
        priceOverrides: {}
      },
      {
        lambda: createLambdaPort(lambdaClient),
        logs: createLogsPort(logsClient),
        toolVersion: VERSION,
        onProgress: (event) => {
          if (event.type === 'phase') print(event.message);
        }
      }
    );
    print('');
    for (const line of renderTextSummary(report)) print(line);
    const after = emulator.state().find((fn) => fn.name === name);
    print('');
    print(`Afterwards ${name} is at ${after?.memorySize} MB with ${after?.versions.length ?? 0} versions: as it was.`);
  } finally {
    lambdaClient.destroy();
    logsClient.destroy();
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
      'memory-sizes': { type: 'string' },
      invocations: { type: 'string', default: '10' },
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
  const rawSizes = values['memory-sizes'] ?? SAMPLES[sample]!.memorySizes;
  const memorySizes = rawSizes.split(',').map((part) => Number(part.trim()));
  if (
    memorySizes.some((m) => !Number.isInteger(m) || m < 128 || m > 10240) ||
    new Set(memorySizes).size !== memorySizes.length
  ) {
    throw new InputError('--memory-sizes', rawSizes, 'distinct whole numbers of MB from 128 to 10240, comma-separated');
  }
  const invocations = Number(values.invocations);
  if (!Number.isInteger(invocations) || invocations < 1 || invocations > 1000) {
    throw new InputError('--invocations', values.invocations, 'a whole number from 1 to 1000');
  }
  return { sample, codeDir, memorySizes, invocations };
}
