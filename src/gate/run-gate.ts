/**
 * A gate run: for each function, find its baseline (before anything in AWS changes), sweep the candidate
 * (with the live baseline when asked), price the traffic, compare against the budgets and write the JSON
 * report; in baseline mode, upload the reports for later pull requests instead. Pure orchestration over
 * ports: no SDK, no @actions/core (main.ts and publish.ts do the talking).
 *
 * Before a function is read, what dead runs left on it is removed (their post step never ran), and a
 * cancelled run (the signal) stops between steps with a {@link RunCancelledError}; the sweep itself
 * puts the function back before that error leaves it.
 */
import { join } from 'node:path';
import { compareRuns, STORED_BASELINE_RUN_VARIATION, worstVerdict } from '../compare/index.js';
import type { FunctionComparison } from '../compare/types.js';
import { reportFileName } from '../baseline/artifact-files.js';
import type { TrafficPort } from '../aws/traffic.js';
import { RunCancelledError } from '../deploy/errors.js';
import { removeStaleRuns } from '../deploy/leftovers.js';
import type { AgedVersion } from '../deploy/naming.js';
import { errorMessage } from '../errors.js';
import { priceTable } from '../pricing/cost.js';
import type { ArtifactUploader, GitHubPort } from '../github/port.js';
import type { FunctionSettings, GateSettings } from '../inputs/gate-settings.js';
import { serializeRunReport } from '../report/run-report.js';
import type { RunReport } from '../report/run-report-schema.js';
import { runSweepWithBaseline } from '../sweep/engine.js';
import type { FunctionState, LambdaPort, LogsPort, ProgressEvent } from '../sweep/types.js';
import { storedBaseline } from './baseline.js';
import { resolveMode, type GateContext } from './context.js';
import { planGate } from './gated-sizes.js';
import { monthlyTraffic } from './monthly.js';
import { uploadBaselines, writeGateResult } from './results.js';
import { createSampler, samplingSummary, withLookVerdicts } from './sampling.js';
import type { BaselineSource, FunctionOutcome, GateOutcome } from './types.js';

/** The AWS side of one region. */
export interface AwsPorts {
  lambda: LambdaPort;
  logs?: LogsPort;
  traffic?: TrafficPort;
  /**
   * `$LATEST` and every version with LastModified, to find what dead runs left; without it nothing
   * is looked for.
   */
  listVersionsWithAge?: (name: string) => Promise<AgedVersion[]>;
}

export interface GateDependencies {
  /** The ports for a function's region (from its ARN; undefined = the SDK's chain). */
  portsFor: (region: string | undefined) => AwsPorts;
  /** Absent without a token and a repository. */
  github?: GitHubPort;
  uploader: ArtifactUploader;
  readFile: (path: string) => string;
  writeFile: (path: string, text: string) => void;
  /** Where the JSON reports go. */
  reportDir: string;
  toolVersion: string;
  log: (line: string) => void;
  /** Lines a reader should not miss (what earlier runs left); `log` when absent. */
  warn?: (line: string) => void;
  onProgress?: (functionName: string, event: ProgressEvent) => void;
  /** The function as it was before the run, for a post step that may have to put it back. */
  onOriginal?: (original: FunctionState, runId: string) => void;
  /** Cancels the run: no new step starts, and the sweep puts the function back. */
  signal?: AbortSignal;
  /** The clock for reports and for the age of what earlier runs left. */
  now?: () => Date;
  /** Seed of the schedule and the bootstrap; fixed in tests. */
  seed?: number;
}

/** What a gate run produced, besides the outcome. */
export interface GateRun {
  outcome: GateOutcome;
  /** The JSON report the `report-path` output names. */
  reportPath?: string;
}

export { GATE_RESULT_FILE } from './results.js';

/**
 * Runs the gate for every function, one after another (they share the control plane's rate limit).
 *
 * @example
 * ```ts
 * const { outcome } = await runGate(settings, context, deps);
 * outcome.verdict // 'pass' | 'fail' | 'inconclusive' | 'skipped'
 * ```
 */
export async function runGate(settings: GateSettings, context: GateContext, deps: GateDependencies): Promise<GateRun> {
  const mode = resolveMode(settings.mode, context);
  if (context.pullRequest?.isFork) {
    return {
      outcome: {
        mode,
        verdict: 'skipped',
        functions: [],
        notices: [
          'Skipped: this pull request comes from a fork, which gets no AWS credentials and a read-only token. ' +
            'A maintainer can run the gate on a branch of this repository.'
        ]
      }
    };
  }
  // Every function's configuration, baseline and traffic are read before the first sweep, so a bad
  // baseline for the second function stops the run before the first one is touched.
  const prepared: PreparedFunction[] = [];
  for (const fn of settings.functions) {
    throwIfCancelled(deps.signal, `read function ${fn.functionName}`);
    prepared.push(await prepareFunction(fn, mode, context, deps));
  }
  const functions: FunctionOutcome[] = [];
  for (const ready of prepared) {
    throwIfCancelled(deps.signal, `measure function ${ready.state.name}`);
    functions.push(await gateFunction(ready, mode, context, deps));
  }
  const notices: string[] = [];
  if (mode === 'compare') {
    for (const fn of functions.filter((f) => f.baseline.kind === 'none')) {
      notices.push(
        `No baseline for ${fn.functionName}: ${fn.baseline.note ?? 'none was found'} ` +
          'Only the absolute budgets and the error rate were judged; a push to the default branch records a baseline.'
      );
    }
  }
  if (mode === 'baseline') notices.push(...(await uploadBaselines(settings, functions, deps)));
  const reportPath = writeGateResult(functions, deps);
  return {
    outcome: {
      mode,
      // In baseline mode only the absolute budgets and the error rate are judged; they warn, never fail.
      verdict: worstVerdict(functions.map((f) => f.comparison.verdict)),
      functions,
      notices
    },
    reportPath
  };
}

/** What is read about a function before anything changes. */
interface PreparedFunction {
  fn: FunctionSettings;
  aws: AwsPorts;
  state: FunctionState;
  stored: { report?: RunReport; source: BaselineSource };
  monthly?: { perMonth: number; source: string };
}

async function prepareFunction(
  fn: FunctionSettings,
  mode: 'baseline' | 'compare',
  context: GateContext,
  deps: GateDependencies
): Promise<PreparedFunction> {
  const aws = deps.portsFor(fn.region);
  let state = await aws.lambda.getFunction(fn.functionName);
  if (await removeWhatDeadRunsLeft(fn, aws, deps)) state = await aws.lambda.getFunction(fn.functionName);
  const stored =
    mode === 'compare'
      ? await storedBaseline(fn, state, context, {
          ...(deps.github ? { github: deps.github } : {}),
          readFile: deps.readFile
        })
      : {
          source: { kind: 'none', note: 'Baseline mode records this run; it compares with nothing.' } as BaselineSource
        };
  // Counted before the sweep, whose own invocations land in the same log group.
  const monthly = fn.monthlyInvocations
    ? await monthlyTraffic(fn.monthlyInvocations, state, { ...deps, ...(aws.traffic ? { traffic: aws.traffic } : {}) })
    : undefined;
  return { fn, aws, state, stored, ...(monthly ? { monthly } : {}) };
}

async function gateFunction(
  prepared: PreparedFunction,
  mode: 'baseline' | 'compare',
  context: GateContext,
  deps: GateDependencies
): Promise<FunctionOutcome> {
  const { fn, aws, state, stored, monthly } = prepared;
  const log = deps.log;
  const options = fn.sweep.options;
  const plan = planGate(fn.gateMemory, state.memorySize, options.memorySizes, options.invocations, fn.gateInvocations);
  const live = mode === 'compare' && stored.source.kind === 'live' ? stored.source.qualifier : undefined;
  log(
    `${state.name}: sweeping ${plan.memorySizes.join(', ')} MB; gating ${plan.gatedSizes.join(', ')} MB` +
      (live ? ` against the live ${live}` : stored.report ? ' against the stored baseline' : '')
  );
  const sampler = createSampler({
    gatedSizes: plan.gatedSizes,
    budgets: fn.budgets,
    confidence: fn.sweep.confidence,
    cap: fn.gateInvocations,
    // A baseline is measured in full: every later pull request's p99 comparison needs its samples.
    // A grid measures every cell alike, in one go.
    mode: mode === 'baseline' || options.grid ? 'fixed' : fn.sampling,
    seed: deps.seed ?? 1,
    pricing: priceTable(state.region, state.architecture, fn.sweep.priceOverrides),
    ephemeralStorageMb: state.ephemeralStorageMb,
    ...(mode === 'compare' && !live && stored.report ? { stored: stored.report } : {}),
    ...(live ? { live: { invocations: fn.gateInvocations } } : {}),
    ...(monthly ? { monthlyInvocations: monthly.perMonth } : {}),
    log: (line) => log(`${state.name}: ${line}`)
  });
  const result = await runSweepWithBaseline(
    {
      ...fn.sweep,
      options: {
        ...options,
        memorySizes: plan.memorySizes,
        sizeInvocations: plan.sizeInvocations,
        ...(live ? { liveBaseline: { qualifier: live, invocations: fn.gateInvocations } } : {})
      },
      seed: deps.seed ?? Date.now(),
      ...(sampler.adaptive ? { adaptive: sampler.adaptive } : {})
    },
    {
      lambda: aws.lambda,
      ...(aws.logs ? { logs: aws.logs } : {}),
      toolVersion: deps.toolVersion,
      log,
      ...(deps.onProgress ? { onProgress: (event: ProgressEvent) => deps.onProgress!(state.name, event) } : {}),
      ...(deps.onOriginal
        ? { onOriginal: (original: FunctionState) => deps.onOriginal!(original, options.runId) }
        : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...gitOf(context),
      ...(deps.now ? { now: deps.now } : {})
    }
  );
  // The sweep stopped early and put everything back: its partial figures must not be judged.
  throwIfCancelled(deps.signal, `compare the figures of ${state.name}`);
  const baselineReport: RunReport | undefined = live ? result.liveBaseline : stored.report;
  const source = liveSource(stored.source, result.liveBaseline, plan.gatedSizes);
  const oneShot = compareRuns(result.report, mode === 'compare' ? baselineReport : undefined, {
    gatedSizes: plan.gatedSizes,
    budgets: fn.budgets,
    confidence: fn.sweep.confidence,
    ...(monthly ? { monthlyInvocations: monthly } : {}),
    seed: deps.seed ?? 1,
    runVariation: live ? 0 : STORED_BASELINE_RUN_VARIATION
  });
  const comparison: FunctionComparison = withLookVerdicts(oneShot, sampler.decisions);
  const sampling = samplingSummary(
    result.report,
    plan.gatedSizes,
    sampler.decisions,
    mode === 'baseline' ? 'baseline' : options.grid ? 'grid' : fn.sampling,
    fn.gateInvocations
  );
  const report = { ...result.report, sampling };
  const reportPath = join(deps.reportDir, reportFileName(state.name));
  deps.writeFile(reportPath, serializeRunReport(report));
  return { functionName: state.name, report, baseline: source, comparison, reportPath };
}

/**
 * Removes what dead runs left on the function; true when something was removed. Never fails the run: a
 * leftover that stays is reported, and a run still at work on the function is refused later, when this
 * run is about to change it.
 */
async function removeWhatDeadRunsLeft(fn: FunctionSettings, aws: AwsPorts, deps: GateDependencies): Promise<boolean> {
  if (!aws.listVersionsWithAge) return false;
  const warn = deps.warn ?? deps.log;
  try {
    const notes = await removeStaleRuns(aws.lambda, fn.functionName, {
      ownRunId: fn.sweep.options.runId,
      aged: await aws.listVersionsWithAge(fn.functionName),
      now: deps.now?.() ?? new Date(),
      log: deps.log
    });
    for (const note of notes) warn(note);
    return notes.some((note) => note.startsWith('Removed'));
  } catch (error) {
    warn(`Could not remove what earlier runs left on ${fn.functionName}: ${errorMessage(error)}`);
    return true;
  }
}

function throwIfCancelled(signal: AbortSignal | undefined, next: string): void {
  if (signal?.aborted) throw new RunCancelledError(String(signal.reason ?? 'a signal'), next);
}

/** A live baseline's source, with its commit, and a note when it ran at a size that is not gated. */
function liveSource(source: BaselineSource, live: RunReport | undefined, gated: number[]): BaselineSource {
  if (source.kind !== 'live' || !live) return source;
  const memory = live.function.memorySizeBefore;
  const liveMemory = live.sizes[0]?.memoryMb ?? memory;
  return {
    ...source,
    measuredAt: live.finishedAt,
    ...(gated.includes(liveMemory)
      ? {}
      : {
          note: `${source.qualifier} runs at ${liveMemory} MB, which is not gated (${gated.join(', ')} MB), so no relative budget could be judged.`
        })
  };
}

function gitOf(context: GateContext): { git?: { commit?: string; ref?: string; repository?: string } } {
  const git = {
    ...(context.pullRequest ? { commit: context.pullRequest.headSha } : context.sha ? { commit: context.sha } : {}),
    ...(context.ref ? { ref: context.ref } : {}),
    ...(context.repository ? { repository: context.repository } : {})
  };
  return Object.keys(git).length > 0 ? { git } : {};
}
