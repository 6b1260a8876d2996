/**
 * `npm run bench:emulator`: is the emulator faithful and fast enough to tune against?
 * Prints, through the real SDK over HTTP:
 * 1. the CPU-bound sample's warm duration at 128–1769 MB, and each ratio to 1769 MB against 1769/M
 *    (target: within ±15 %);
 * 2. the warm no-op invocation overhead, client round trip (target p50 < 3 ms);
 * 3. the p99 of control-plane calls (target < 5 ms);
 * 4. 200 concurrent invocations of a modelled function (target: no errors).
 * The last line is one JSON object with every figure.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  DeleteFunctionCommand,
  ListVersionsByFunctionCommand
} from '@aws-sdk/client-lambda';
import { decodeLogTail, findReport } from '../src/analyze/report-line.js';
import { summarize } from '../src/analyze/stats.js';
import { startEmulator } from '../src/emulator/emulator.js';
import { zipDirectory } from '../src/deploy/zip.js';
import { zipModel } from '../src/emulator/lambda/code.js';

const SIZES = [128, 256, 512, 1024, 1769];
const CPU_PAYLOAD = Buffer.from(JSON.stringify({ n: 1_000_000 }));
const ROLE = 'arn:aws:iam::123456789012:role/bench';

const emulator = await startEmulator({ config: { updateDelayMs: 0 } });
const lambda = new LambdaClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  maxAttempts: 1
});
const print = (line: string): void => console.log(line);
print(
  `Emulator ${emulator.endpoint}; CPU limit by ${emulator.mechanisms.cpu}, memory by ${emulator.mechanisms.memory}.`
);

const create = async (name: string, zip: Uint8Array, memorySize: number, timeout = 60): Promise<void> => {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip },
      MemorySize: memorySize,
      Timeout: timeout
    })
  );
};
const invokeReport = async (name: string, qualifier: string, payload?: Buffer) => {
  const response = await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Qualifier: qualifier,
      LogType: 'Tail',
      ...(payload ? { Payload: payload } : {})
    })
  );
  if (response.FunctionError)
    throw new Error(`${name}:${qualifier} failed: ${Buffer.from(response.Payload ?? []).toString()}`);
  return findReport(decodeLogTail(response.LogResult));
};

// 1. CPU follows memory: one version per size, invoked in rotation so drift hits every size alike.
await create('bench-cpu', zipDirectory(resolve('examples/functions/cpu-bound')), 128);
const versions: Array<{ memory: number; version: string }> = [];
for (const memory of SIZES) {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'bench-cpu', MemorySize: memory }));
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'bench-cpu' }));
  versions.push({ memory, version: published.Version ?? '' });
}
const durations = new Map<number, number[]>(SIZES.map((m) => [m, []]));
for (const v of versions) await invokeReport('bench-cpu', v.version, CPU_PAYLOAD); // cold starts, not measured
for (let round = 0; round < 5; round += 1) {
  for (const v of versions) {
    const report = await invokeReport('bench-cpu', v.version, CPU_PAYLOAD);
    if (report) durations.get(v.memory)!.push(report.durationMs);
  }
}
const base = summarize(durations.get(1769)!).p50;
const cpu = SIZES.map((memory) => {
  const p50 = summarize(durations.get(memory)!).p50;
  const ratio = p50 / base;
  const expected = 1769 / memory;
  return {
    memoryMb: memory,
    p50Ms: round(p50),
    ratio: round(ratio, 3),
    expectedRatio: round(expected, 3),
    errorPercent: round(((ratio - expected) / expected) * 100, 1)
  };
});
print('\nCPU-bound sample, warm p50 of 5 invocations per size:');
for (const row of cpu) {
  print(
    `  ${String(row.memoryMb).padStart(5)} MB  ${row.p50Ms.toFixed(1).padStart(8)} ms  ratio ${row.ratio.toFixed(2).padStart(6)}  expected ${row.expectedRatio.toFixed(2).padStart(6)}  (${row.errorPercent >= 0 ? '+' : ''}${row.errorPercent} %)`
  );
}
const cpuWithinTarget = cpu.every((row) => Math.abs(row.errorPercent) <= 15);

// 2. Warm no-op overhead: client round trip of a handler that returns at once.
const noopDir = mkdtempSync(join(tmpdir(), 'lcg-noop-'));
writeFileSync(join(noopDir, 'index.mjs'), 'export const handler = async () => ({ ok: true });\n');
await create('bench-noop', zipDirectory(noopDir), 1769);
for (let i = 0; i < 20; i += 1) await invokeReport('bench-noop', '$LATEST');
const roundTrips: number[] = [];
const platform: number[] = [];
for (let i = 0; i < 300; i += 1) {
  const started = performance.now();
  const report = await invokeReport('bench-noop', '$LATEST');
  roundTrips.push(performance.now() - started);
  if (report) platform.push(report.durationMs);
}
const noop = summarize(roundTrips);
print(
  `\nWarm no-op invocation, client round trip over 300 calls: p50 ${noop.p50.toFixed(2)} ms, p99 ${noop.p99.toFixed(2)} ms (REPORT Duration p50 ${summarize(platform).p50.toFixed(2)} ms)`
);

// 3. Control-plane latency: reads, updates and publishes.
await create('bench-control', zipModel({ cpuMs: 10 }), 128);
const control: number[] = [];
const timed = async (call: () => Promise<unknown>): Promise<void> => {
  const started = performance.now();
  await call();
  control.push(performance.now() - started);
};
for (let i = 0; i < 200; i += 1) {
  await timed(() => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bench-control' })));
  await timed(() =>
    lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'bench-control', MemorySize: 128 + (i % 50) }))
  );
  await timed(() => lambda.send(new PublishVersionCommand({ FunctionName: 'bench-control' })));
  await timed(() => lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'bench-control', MaxItems: 50 })));
}
const controlStats = summarize(control);
print(
  `\nControl-plane calls (${control.length}: get, update, publish, list): p50 ${controlStats.p50.toFixed(2)} ms, p99 ${controlStats.p99.toFixed(2)} ms`
);

// 4. 200 concurrent invocations of a modelled function that holds each environment for 200 ms.
// The SDK's HTTP agent allows 50 sockets by default, which would cap the test at 50 in flight.
await create('bench-concurrent', zipModel({ cpuMs: 150, ioMs: 50, timeScale: 1, noiseSigma: 0.1 }), 1769);
const wide = new LambdaClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  maxAttempts: 1,
  requestHandler: { httpAgent: { maxSockets: 256 } }
});
const started = performance.now();
const outcomes = await Promise.allSettled(
  Array.from({ length: 200 }, () => wide.send(new InvokeCommand({ FunctionName: 'bench-concurrent', LogType: 'Tail' })))
);
wide.destroy();
const wall = performance.now() - started;
const errors = outcomes.filter((o) => o.status === 'rejected' || o.value.FunctionError).length;
const coldStarts = outcomes.filter(
  (o) => o.status === 'fulfilled' && findReport(decodeLogTail(o.value.LogResult))?.initDurationMs !== undefined
).length;
print(
  `\n200 concurrent invocations of a modelled function: ${errors} errors, ${coldStarts} cold starts (= environments), ${wall.toFixed(0)} ms wall time`
);

for (const name of ['bench-cpu', 'bench-noop', 'bench-control', 'bench-concurrent']) {
  await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
}
lambda.destroy();
await emulator.close();

const figures = {
  cpuMechanism: emulator.mechanisms.cpu,
  memoryMechanism: emulator.mechanisms.memory,
  cpuBound: cpu,
  cpuWithinTarget,
  warmNoopP50Ms: round(noop.p50, 2),
  warmNoopP99Ms: round(noop.p99, 2),
  controlPlaneP99Ms: round(controlStats.p99, 2),
  concurrent: { invocations: 200, errors, coldStarts, wallMs: round(wall, 0) },
  targets: {
    cpuRatioWithin15Percent: cpuWithinTarget,
    warmNoopP50Below3Ms: noop.p50 < 3,
    controlPlaneP99Below5Ms: controlStats.p99 < 5,
    concurrentWithoutErrors: errors === 0
  }
};
print(JSON.stringify(figures));

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
