/**
 * `npm run bench:sweep`: what the sweep engine itself costs.
 * 1. Orchestration overhead: a 6-size × 100-invocation sweep of a modelled 50 ms function at
 *    concurrency 10 on the emulator, through the real SDK; wall time / ideal time, where ideal =
 *    invocations × 50 ms / 10 (target ≤ 1.15). The control plane answers at once (updateDelayMs 0)
 *    so that waiting for AWS is not counted as our overhead; the phases are timed separately.
 * 2. Analysis throughput: 1,000,000 REPORT lines parsed, classified and summarised per size
 *    (target < 1 s and < 300 MB).
 * The last line is one JSON object with every figure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseReportLine } from '../src/analyze/report-line.js';
import { summarizeSize } from '../src/analyze/size-summary.js';
import { createLambdaClient, createLogsClient } from '../src/aws/clients.js';
import { createLogsPort } from '../src/aws/logs-port.js';
import { createLambdaPort } from '../src/deploy/lambda-adapter.js';
import { priceTable } from '../src/pricing/cost.js';
import { classify } from '../src/sweep/classify.js';
import { runSweep } from '../src/sweep/engine.js';
import type { ProgressEvent, Sample } from '../src/sweep/types.js';

const SIZES = [128, 256, 512, 1024, 1769, 3008];
const INVOCATIONS = 100;
const CONCURRENCY = 10;
const DURATION_MS = 50;
const print = (line: string): void => console.log(line);

// 1. Orchestration overhead. The model spends its 50 ms waiting (I/O), so every size takes the same
// time and the ideal is exact; no warm-up, and no init time, so cold starts cost nothing extra.
// The emulator runs in its own process, as Lambda runs elsewhere: its work must not be counted as ours.
const emulator = await startEmulatorProcess({
  updateDelayMs: 0,
  functions: [
    {
      name: 'bench-50ms',
      model: { cpuMs: 0, ioMs: DURATION_MS, noiseSigma: 0, initCpuMs: 0, initFixedMs: 0, timeScale: 1 },
      memorySize: 512
    }
  ]
});
const clientOptions = {
  endpoint: emulator.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  maxAttempts: 1
};
const lambdaClient = createLambdaClient(clientOptions);
const logsClient = createLogsClient(clientOptions);
const phases: Array<{ at: number; message: string }> = [];
const started = performance.now();
const report = await runSweep(
  {
    options: {
      functionName: 'bench-50ms',
      memorySizes: SIZES,
      invocations: INVOCATIONS,
      warmup: 0,
      concurrency: CONCURRENCY,
      payloads: [{ json: '{}', weight: 1 }],
      mode: 'in-place',
      strategy: 'balanced',
      balancedWeight: 0.5,
      runId: 'bench'
    },
    confidence: 0.95,
    includePayloads: false,
    priceOverrides: {}
  },
  {
    lambda: createLambdaPort(lambdaClient),
    logs: createLogsPort(logsClient),
    toolVersion: 'bench',
    onProgress: (event: ProgressEvent) => {
      if (event.type === 'phase') phases.push({ at: performance.now(), message: event.message });
    }
  }
);
const wallMs = performance.now() - started;
const invokeStart = phases.find((p) => p.message.startsWith('Invoking'))?.at ?? started;
const invokeEnd = phases.find((p) => p.message.includes('invocations made'))?.at ?? performance.now();
const invocations = SIZES.length * INVOCATIONS;
const idealMs = (invocations * DURATION_MS) / CONCURRENCY;
const errors = report.samples.filter((s) => s.error).length;
lambdaClient.destroy();
logsClient.destroy();
await emulator.stop();
print(
  `Sweep of ${SIZES.length} sizes × ${INVOCATIONS} invocations of a ${DURATION_MS} ms function at concurrency ${CONCURRENCY}:`
);
print(
  `  wall ${wallMs.toFixed(0)} ms, ideal ${idealMs.toFixed(0)} ms → overhead ratio ${(wallMs / idealMs).toFixed(3)}`
);
print(
  `  of which invoking ${(invokeEnd - invokeStart).toFixed(0)} ms (ratio ${((invokeEnd - invokeStart) / idealMs).toFixed(3)}), deploy + cleanup + analysis ${(wallMs - (invokeEnd - invokeStart)).toFixed(0)} ms; ${errors} errors`
);

// 2. Analysis throughput: lines made up front (not timed), then parse + classify + summarise.
const LINES = 1_000_000;
const lines: string[] = new Array<string>(LINES);
for (let i = 0; i < LINES; i += 1) {
  const memory = SIZES[i % SIZES.length]!;
  const duration = 20 + ((i * 7919) % 1000) / 10;
  const cold = i % 500 === 0 ? `\tInit Duration: ${(150 + (i % 50)).toFixed(2)} ms` : '';
  lines[i] =
    `REPORT RequestId: ${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000\tDuration: ${duration.toFixed(2)} ms\t` +
    `Billed Duration: ${Math.ceil(duration)} ms\tMemory Size: ${memory} MB\tMax Memory Used: 70 MB${cold}\t`;
}
// Log lines arrive as flat strings (decoded from a tail or an API response); the template strings above
// are rope-like until first read. Flatten them, and collect the garbage, before the baseline.
let checksum = 0;
for (const line of lines) checksum += line.charCodeAt(line.length - 1);
if (checksum === 0) throw new Error('no lines');
(globalThis as { gc?: () => void }).gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const rssBefore = process.memoryUsage().rss;
const analysisStarted = performance.now();
const bySize = new Map<number, Sample[]>(SIZES.map((m) => [m, []]));
const empty = new Uint8Array();
for (let i = 0; i < LINES; i += 1) {
  const record = parseReportLine(lines[i]!);
  if (!record) throw new Error(`line ${i} did not parse`);
  const sample = classify({
    memoryMb: record.memorySizeMb,
    plannedVersion: '1',
    payloadIndex: 0,
    phase: 'measure',
    outcome: { statusCode: 200, payload: empty },
    report: record,
    reportSource: 'tail',
    roundTripMs: record.durationMs + 5,
    startedAt: 0
  });
  bySize.get(record.memorySizeMb)!.push(sample);
}
const prices = priceTable('us-east-1', 'x86_64');
const summaries = SIZES.map((memoryMb) =>
  summarizeSize({ memoryMb, version: '1', samples: bySize.get(memoryMb)!, prices })
);
const analysisMs = performance.now() - analysisStarted;
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
const rssMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
print(
  `\nAnalysis of ${LINES.toLocaleString('en')} REPORT lines (parse, classify, summarise ${summaries.length} sizes):`
);
print(
  `  ${analysisMs.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB, RSS +${rssMb.toFixed(0)} MB (p99 at 128 MB: ${summaries[0]!.duration!.p99.value.toFixed(2)} ms)`
);

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;
print(
  JSON.stringify({
    orchestration: {
      sizes: SIZES.length,
      invocationsPerSize: INVOCATIONS,
      concurrency: CONCURRENCY,
      functionMs: DURATION_MS,
      wallMs: Math.round(wallMs),
      idealMs: Math.round(idealMs),
      overheadRatio: round(wallMs / idealMs),
      invokePhaseRatio: round((invokeEnd - invokeStart) / idealMs),
      errors
    },
    analysis: { lines: LINES, ms: Math.round(analysisMs), heapMb: Math.round(heapMb), rssMb: Math.round(rssMb) },
    targets: {
      overheadRatioAtMost1_15: wallMs / idealMs <= 1.15,
      analysisUnder1s: analysisMs < 1000,
      analysisUnder300Mb: Math.max(heapMb, rssMb) < 300
    }
  })
);

/** Starts `lambda-cost-gate emulator` in a child process and waits for its endpoint. */
async function startEmulatorProcess(config: unknown): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const file = join(mkdtempSync(join(tmpdir(), 'lcg-bench-')), 'emulator.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'emulator', '--port', '0', '--config', file],
    {
      stdio: ['ignore', 'pipe', 'inherit']
    }
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
  });
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      })
  };
}
