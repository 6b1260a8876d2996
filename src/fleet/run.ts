/**
 * `mode: right-size` and `lambda-cost-gate right-size`: every selected function's memory from what it
 * really used, at fleet scale. The one entry point is {@link runRightSize}; AWS is reached only through
 * the ports in `deps` (aws-ports.ts builds them from SDK clients; tests build them on the emulator).
 *
 * Steps: select the functions (control-plane rate), read every sweep report given, aggregate the
 * window's REPORT records per function, day and memory size with batched Logs Insights queries (a pool
 * within the concurrent-query limit), recommend and price, apply within bounds (dry run by default),
 * then build the JSON report, the markdown and the outputs.
 */
import { priceTable, type PriceTable } from '../pricing/cost.js';
import type { Architecture } from '../pricing/prices.js';
import { parseRunReportText, type RunReport } from '../report/run-report.js';
import { VERSION } from '../version.js';
import { summarizeUsage } from './aggregate.js';
import { applyRecommendations } from './apply.js';
import { functionCost } from './cost.js';
import { SweepReportError } from './errors.js';
import { planBatches, resultKey, runBatches } from './insights.js';
import { renderRightSizeMarkdown } from './markdown.js';
import { Pacer, realClock, type Clock } from './pace.js';
import { QueryPool, type PollOptions } from './query-pool.js';
import {
  rightSizeOutputs,
  sortBySavings,
  totalsOf,
  RIGHT_SIZE_REPORT_VERSION,
  type FunctionReport,
  type RightSizeReport
} from './report.js';
import { recommendMemory } from './rules.js';
import { selectFunctions } from './select.js';
import type { FleetLambdaPort, InsightsPort, RightSizeSettings } from './types.js';
import type { RightSizeOutputName } from '../inputs/right-size-names.js';

const DAY_MS = 86_400_000;

export interface RightSizeDeps {
  lambda: FleetLambdaPort;
  insights: InsightsPort;
  /** The region the ports reach: prices and the report. */
  region: string;
  /** Reads a sweep report file (required when settings name any). */
  readFile?: (path: string) => string;
  clock?: Clock;
  /** Polling of Insights queries (tests shorten it). */
  poll?: Omit<PollOptions, 'timeoutMs'>;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface RightSizeResult {
  report: RightSizeReport;
  markdown: string;
  outputs: Record<RightSizeOutputName, string>;
}

/**
 * The analysis window: the last `days` whole UTC days before `now` (today, still running, is left out).
 *
 * @example
 * ```ts
 * analysisWindow(Date.parse('2026-03-15T10:00:00Z'), 14)
 * // { startMs: Date.parse('2026-03-01'), endMs: Date.parse('2026-03-15'), startTimeSec: 1772323200, endTimeSec: 1773532799 }
 * ```
 */
export function analysisWindow(now: number, days: number) {
  const endMs = Math.floor(now / DAY_MS) * DAY_MS;
  const startMs = endMs - days * DAY_MS;
  // StartQuery takes whole seconds and includes both ends.
  return { startMs, endMs, startTimeSec: startMs / 1000, endTimeSec: endMs / 1000 - 1 };
}

/**
 * Runs a right-size analysis (and the apply step when enabled).
 *
 * @example
 * ```ts
 * const { report, markdown, outputs } = await runRightSize(settings, {
 *   lambda: createFleetLambdaPort(lambdaClient),
 *   insights: createInsightsPort(logsClient),
 *   region: 'eu-west-1'
 * });
 * core.summary.addRaw(markdown); // job summary
 * ```
 * @throws {@link RightSizeCancelledError} when cancelled before the apply step (queries are stopped)
 * @throws {@link SweepReportError} for an unreadable sweep report
 */
export async function runRightSize(settings: RightSizeSettings, deps: RightSizeDeps): Promise<RightSizeResult> {
  const clock = deps.clock ?? realClock;
  const log = deps.log ?? (() => undefined);
  const pacer = new Pacer(settings.controlPlaneRate, clock);
  const window = analysisWindow(clock.now(), settings.lookbackDays);
  const warnings: string[] = [];

  const sweeps = readSweeps(settings.sweepReportPaths, deps.readFile);
  const { functions, missing } = await selectFunctions(settings.selection, deps.lambda, pacer, deps.signal);
  log(`Selected ${functions.length} functions; reading ${settings.lookbackDays} days of REPORT records`);
  if (functions.length === 0) warnings.push('No function matched the selection.');

  const pool = new QueryPool(
    deps.insights,
    settings.maxConcurrentQueries,
    clock,
    { ...deps.poll, timeoutMs: settings.queryTimeoutSeconds * 1000 },
    deps.signal
  );
  const batches = planBatches(functions, settings.lookbackDays);
  const lookup = deps.insights.existingLogGroups?.bind(deps.insights);
  const { results, splits, lookups } = await runBatches(batches, window, pool, lookup);
  const shared = new Set(batches.filter((b) => b.functionName).map((b) => b.groups[0]));

  const prices = new Map<Architecture, PriceTable>();
  const priceFor = (architecture: Architecture): PriceTable => {
    const known = prices.get(architecture) ?? priceTable(deps.region, architecture, settings.priceOverrides);
    prices.set(architecture, known);
    return known;
  };
  const reports: FunctionReport[] = functions.map((fn) => {
    const usage = summarizeUsage(results.get(resultKey(fn.logGroup, shared.has(fn.logGroup) ? fn.name : undefined)));
    const sweep = sweeps.get(fn.name);
    const recommendation = recommendMemory(fn, usage, settings, sweep?.report);
    const cost = functionCost(
      fn,
      usage,
      recommendation,
      priceFor(fn.architecture),
      settings.lookbackDays,
      sweep?.report
    );
    const { days, ...summary } = usage;
    return { function: fn, usage: summary, days, recommendation, cost, ...(sweep ? { sweepReport: sweep.path } : {}) };
  });
  for (const name of sweeps.keys()) {
    if (!functions.some((fn) => fn.name === name))
      warnings.push(`A sweep report names ${name}, which was not selected.`);
  }
  const failed = reports.filter((r) => r.usage.status === 'query-failed').length;
  if (failed > 0) warnings.push(`The logs of ${failed} functions could not be read: they have no recommendation.`);

  const sorted = sortBySavings(reports);
  const applied = await applyRecommendations(
    sorted.map((r) => ({ fn: r.function, rec: r.recommendation })),
    settings.apply,
    deps.lambda,
    pacer,
    deps.signal,
    log
  );
  if (deps.signal?.aborted) warnings.push('The run was cancelled during the apply step: the changes listed were made.');

  const x86 = priceFor('x86_64');
  const report: RightSizeReport = {
    schemaVersion: RIGHT_SIZE_REPORT_VERSION,
    kind: 'right-size',
    tool: { name: 'lambda-cost-gate', version: VERSION },
    region: deps.region,
    generatedAt: new Date(clock.now()).toISOString(),
    window: {
      start: new Date(window.startMs).toISOString(),
      end: new Date(window.endMs).toISOString(),
      days: settings.lookbackDays
    },
    settings,
    pricing: {
      source: x86.source,
      gbSecondUsd: { x86_64: x86.gbSecondUsd, arm64: priceFor('arm64').gbSecondUsd },
      requestUsd: x86.requestUsd
    },
    queries: { ...pool.statistics(), batches: batches.length, splits, groupLookups: lookups },
    controlPlaneRequests: pacer.requests,
    functions: sorted,
    missing,
    apply: { enabled: settings.apply.enabled, results: applied },
    totals: totalsOf(sorted, applied),
    warnings
  };
  return { report, markdown: renderRightSizeMarkdown(report), outputs: rightSizeOutputs(report) };
}

/** Sweep reports by function name; of two for the same function, the one given last is used. */
function readSweeps(
  paths: readonly string[],
  readFile: ((path: string) => string) | undefined
): Map<string, { path: string; report: RunReport }> {
  const sweeps = new Map<string, { path: string; report: RunReport }>();
  if (paths.length === 0) return sweeps;
  if (!readFile) throw new SweepReportError('Sweep reports were given but the run cannot read files');
  for (const path of paths) {
    let text: string;
    try {
      text = readFile(path);
    } catch (error) {
      throw new SweepReportError(`Could not read the sweep report ${path}`, { cause: error });
    }
    let report: RunReport;
    try {
      report = parseRunReportText(text, `sweep report ${path}`);
    } catch (error) {
      throw new SweepReportError(`The sweep report ${path} cannot be used`, { cause: error });
    }
    sweeps.set(report.function.name, { path, report });
  }
  return sweeps;
}
