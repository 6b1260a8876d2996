/**
 * `npm run bench:fleet`: fleet right-sizing at scale. For 100 and then 1,000 modelled functions, each
 * with 14 days of seeded REPORT records (half text, half JSON; one in a hundred never invoked, so it
 * has no log group and its batch is looked up and run again), runs `runRightSize` against the
 * emulator through the real SDK clients, as the action would, and prints the wall time, the Logs
 * Insights queries issued and the peak of concurrent queries. The emulator keeps each query Running
 * for QUERY_LATENCY_MS, a stand-in for Insights' own latency, so the time shows how the pool and the
 * batching scale rather than how fast this machine scans. The last line is one JSON object.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../src/emulator/emulator.js';
import { bulkLoadReports, type SeededFunction } from '../src/emulator/logs/bulk-load.js';
import { createFleetLambdaPort, createInsightsPort } from '../src/fleet/aws-ports.js';
import { runRightSize } from '../src/fleet/run.js';
import { parseRightSizeInputs } from '../src/inputs/right-size-inputs.js';

const FLEETS = [100, 1000];
const DAYS = 14;
const RECORDS_PER_DAY = 24;
const QUERY_LATENCY_MS = 1000;
/** The emulated account's limit (AWS's default); the run's own pool stays at its default of 10. */
const ACCOUNT_QUERY_LIMIT = 30;
const SIZES = [128, 256, 512, 1024, 2048];

const print = (line: string): void => console.log(line);

/** A varied but deterministic fleet: sizes, usage shares and formats cycle through the functions. */
function fleet(count: number): SeededFunction[] {
  return Array.from({ length: count }, (_, i) => {
    const memorySizeMb = SIZES[i % SIZES.length] as number;
    const share = [0.25, 0.45, 0.7, 0.85, 0.95][i % 5] as number;
    const idle = i % 100 === 99;
    return {
      name: `fn-${String(i).padStart(4, '0')}`,
      format: i % 2 === 0 ? 'Text' : 'JSON',
      memorySizeMb,
      invocationsPerDay: idle ? 0 : RECORDS_PER_DAY,
      durationMs: 40 + (i % 17) * 25,
      durationSpread: 0.4,
      maxMemoryUsedMb: [Math.round(memorySizeMb * share), Math.round(memorySizeMb * share * 0.9)],
      memoryDipMb: 20,
      coldStartsPerDay: idle ? 0 : 1,
      timeoutsPerDay: !idle && i % 97 === 0 ? 1 : 0
    };
  });
}

interface Figures {
  functions: number;
  records: number;
  loadMs: number;
  wallMs: number;
  queries: number;
  peakConcurrentQueries: number;
  batchSplits: number;
  logGroupLookups: number;
  controlPlaneRequests: number;
  monthlySavingsUsd: number;
}

async function measure(count: number): Promise<Figures> {
  const specs = fleet(count);
  const emulator = await startEmulator({
    config: {
      updateDelayMs: 0,
      queryLatencyMs: QUERY_LATENCY_MS,
      maxConcurrentQueries: ACCOUNT_QUERY_LIMIT,
      functions: specs.map((fn) => ({
        name: fn.name,
        model: { cpuMs: 1 },
        memorySize: fn.memorySizeMb as number,
        logFormat: fn.format ?? 'Text'
      }))
    }
  });
  const common = {
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }
  };
  const lambda = new LambdaClient(common);
  const logs = new CloudWatchLogsClient(common);
  try {
    const loadStart = performance.now();
    const loaded = bulkLoadReports(emulator.logs, { functions: specs, days: DAYS });
    const loadMs = performance.now() - loadStart;
    const settings = parseRightSizeInputs((name) => (name === 'all-functions' ? 'true' : ''));
    const start = performance.now();
    const { report } = await runRightSize(settings, {
      lambda: createFleetLambdaPort(lambda),
      insights: createInsightsPort(logs),
      region: emulator.region
    });
    const wallMs = performance.now() - start;
    const analysed = report.functions.filter((f) => f.recommendation.memoryMb !== null).length;
    const idle = specs.filter((fn) => fn.invocationsPerDay === 0).length;
    if (analysed !== count - idle)
      throw new Error(`${analysed} of ${count - idle} active functions got a recommendation`);
    if (report.queries.peakConcurrent > settings.maxConcurrentQueries) {
      throw new Error(`${report.queries.peakConcurrent} queries ran at once, above the limit`);
    }
    return {
      functions: count,
      records: loaded.reports,
      loadMs: Math.round(loadMs),
      wallMs: Math.round(wallMs),
      queries: report.queries.issued,
      peakConcurrentQueries: report.queries.peakConcurrent,
      batchSplits: report.queries.splits,
      logGroupLookups: report.queries.groupLookups,
      controlPlaneRequests: report.controlPlaneRequests,
      monthlySavingsUsd: Number(report.totals.monthlySavingsUsd.toFixed(2))
    };
  } finally {
    lambda.destroy();
    logs.destroy();
    await emulator.close();
  }
}

print(
  `Fleet right-size: ${DAYS} days × ${RECORDS_PER_DAY} REPORT records per function-day; Insights latency ` +
    `${QUERY_LATENCY_MS} ms per query, pool of 10 queries (account limit ${ACCOUNT_QUERY_LIMIT}), ` +
    `ListFunctions at 10 requests/s.`
);
const results: Figures[] = [];
for (const count of FLEETS) {
  const figures = await measure(count);
  results.push(figures);
  print(
    `${String(count).padStart(5)} functions: ${figures.records.toLocaleString('en-US')} records loaded in ` +
      `${figures.loadMs} ms; right-size in ${(figures.wallMs / 1000).toFixed(2)} s with ${figures.queries} queries ` +
      `(peak ${figures.peakConcurrentQueries} at once, ${figures.logGroupLookups} batches re-run without ` +
      `never-invoked functions, ${figures.batchSplits} splits), ` +
      `${figures.controlPlaneRequests} control-plane requests; savings at the seeded traffic $${figures.monthlySavingsUsd}/month`
  );
}
const [small, large] = results as [Figures, Figures];
print(
  `10× the functions took ${(large.wallMs / small.wallMs).toFixed(1)}× the time: queries grow with ` +
    `functions / 50, and run 10 at a time.`
);
print(JSON.stringify({ benchmark: 'fleet', days: DAYS, recordsPerFunctionDay: RECORDS_PER_DAY, fleets: results }));
