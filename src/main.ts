/**
 * The action: parse every input, run the gate, tell the outcome (comments, summary, outputs), then pass or
 * fail the step. The same bundle is the `post:` step, which removes what a cancelled or killed main step
 * left in AWS (see post.ts).
 *
 * Cancellation: the runner sends SIGINT, then SIGTERM, then kills the job. The first signal stops the run
 * where it is: no new invocation, no change that moves a function further from its original (post.ts's
 * guard refuses them), every function put back and its versions deleted, no comment posted when the
 * signal came before the comment. A later signal is noted and NOT obeyed: obeying it would abandon a
 * function half put back, while going on costs nothing, and when the runner's kill comes first the post
 * step finishes the job from the journal. The step then fails, saying when it was cancelled, what was put
 * back, and what a check of Lambda found left.
 */
import * as core from '@actions/core';
import { paginateListVersionsByFunction, type LambdaClient } from '@aws-sdk/client-lambda';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLambdaClient } from './aws/clients.js';
import { RunCancelledError } from './deploy/errors.js';
import type { AgedVersion } from './deploy/naming.js';
import { AwsCallError, errorMessage, LambdaCostGateError } from './errors.js';
import { createAwsPorts } from './gate/aws-ports.js';
import type { GateContext } from './gate/context.js';
import { decide } from './gate/decide.js';
import { publishOutcome, type GateSink } from './gate/publish.js';
import { runGate, type AwsPorts, type GateRun } from './gate/run-gate.js';
import { createArtifactUploader } from './github/artifact-uploader.js';
import { readGitHubContext, type GitHubContext } from './github/context.js';
import { createGitHubPort } from './github/octokit-port.js';
import type { GitHubPort } from './github/port.js';
import { runRightSizeAction } from './fleet/action.js';
import { checkCandidateCode } from './inputs/candidate-code.js';
import { parseGateSettings } from './inputs/gate-settings.js';
import { GateInputs } from './inputs/names.js';
import {
  guardLambdaPort,
  putBackSummary,
  recordedLeftovers,
  recordForCleanup,
  runPost,
  STATE_IS_POST
} from './post.js';
import { maskSecretsIn } from './security/redact.js';
import { VERSION } from './version.js';

/** The step fails: a budget is broken, or the run was cancelled. */
export class GateFailedError extends LambdaCostGateError {}

/**
 * Runs the action (or its post step). Never throws: every failure ends in one `core.setFailed` call.
 *
 * @example
 * ```ts
 * import { run } from './main.js';
 * await run();
 * ```
 */
export async function run(): Promise<void> {
  try {
    if (core.getState(STATE_IS_POST) === 'true') {
      await runPost();
      return;
    }
    core.saveState(STATE_IS_POST, 'true');
    await runMain();
  } catch (error) {
    // Masked, and registered with the runner so the secret is masked wherever else it shows up.
    core.setFailed(errorMessage(error, core.setSecret));
  }
}

async function runMain(): Promise<void> {
  // Listening before anything else: a signal that finds no listener kills the process on the spot.
  const cancel = watchSignals();
  try {
    await measureAndTell(cancel);
  } finally {
    cancel.dispose();
  }
}

async function measureAndTell(cancel: Cancellation): Promise<void> {
  if (core.getInput(GateInputs.Mode).trim() === 'right-size') {
    await runRightSizeAction({
      read: (name) => core.getInput(name),
      setOutput: (name, value) => core.setOutput(name, value),
      writeSummary: (markdown) => coreSink().writeSummary(markdown),
      log: (line) => core.info(line),
      debug: (line) => core.debug(line),
      reportDir:
        core.getInput(GateInputs.ReportDir).trim() || join(process.env.RUNNER_TEMP || tmpdir(), 'lambda-cost-gate'),
      signal: cancel.signal
    });
    return;
  }
  const github = readGitHubContext(process.env);
  if (github.eventProblem) core.warning(github.eventProblem);
  const context = gateContextOf(github);
  const settings = parseGateSettings((name) => core.getInput(name), {
    readFile: (path) => readFileSync(path, 'utf8'),
    newRunId: () => newRunId(github),
    checkCode: checkCandidateCode
  });
  const reportDir = settings.reportDir ?? join(process.env.RUNNER_TEMP || tmpdir(), 'lambda-cost-gate');
  mkdirSync(reportDir, { recursive: true });
  const aws = createAwsPorts({
    ...settings.aws,
    maxSockets: Math.max(...settings.functions.map((f) => f.sweep.options.concurrency)),
    log: (line) => core.debug(line)
  });
  const versions = createVersionLister(settings.aws);
  const runId = settings.functions[0]?.sweep.options.runId ?? '';
  const guarded = new Map<string, AwsPorts>();
  const portsFor = (region: string | undefined): AwsPorts => {
    const key = region ?? '';
    const existing = guarded.get(key);
    if (existing) return existing;
    const ports = aws.portsFor(region);
    const listVersionsWithAge = versions.forRegion(region);
    const lambda = guardLambdaPort(ports.lambda, {
      runId,
      signal: cancel.signal,
      listVersionsWithAge,
      onStep: (step) => cancel.setPhase(step)
    });
    const wrapped = { ...ports, lambda, listVersionsWithAge };
    guarded.set(key, wrapped);
    return wrapped;
  };
  const githubPort = githubPortOf(github, settings.githubToken);
  const stopped = (error?: unknown) => cancelledError(cancel, (region) => aws.portsFor(region), error);
  try {
    let gate: GateRun;
    try {
      gate = await core.group('Measuring', () =>
        runGate(settings, context, {
          portsFor,
          ...(githubPort ? { github: githubPort } : {}),
          uploader: createArtifactUploader(process.env),
          readFile: (path) => readFileSync(path, 'utf8'),
          writeFile: (path, text) => writeFileSync(path, text),
          reportDir,
          toolVersion: VERSION,
          log: (line) => core.info(line),
          warn: (line) => core.warning(line),
          onProgress: (name, event) => {
            if (event.type === 'phase') cancel.setPhase(`${name}: ${event.message}`);
            core.info(
              event.type === 'phase'
                ? `${name}: ${event.message}`
                : `${name}: ${event.memoryMb} MB ${event.done}/${event.total}${event.errors ? `, ${event.errors} errors` : ''}`
            );
          },
          onOriginal: (original, id) => recordForCleanup(original, id),
          signal: cancel.signal
        })
      );
    } catch (error) {
      if (cancel.signal.aborted) throw await stopped(error);
      throw error;
    }
    // Cancelled after the measurements: their figures are whole, but a cancelled job posts nothing.
    if (cancel.signal.aborted) throw await stopped();
    cancel.setPhase('posting the comment and the job summary');
    const outcome = await publishOutcome(
      gate,
      { comment: settings.comment, overrideLabel: settings.overrideLabel },
      context,
      { ...(githubPort ? { github: githubPort } : {}), sink: coreSink(), now: new Date() }
    );
    if (cancel.signal.aborted) throw await stopped();
    const decision = decide(outcome, settings);
    if (decision.warning) core.warning(decision.warning);
    if (decision.fail) throw new GateFailedError(decision.message);
    core.info(decision.message);
  } finally {
    aws.close();
    versions.close();
  }
}

/** The runner's cancellation, as the run sees it. */
interface Cancellation {
  signal: AbortSignal;
  /** What the run is doing now, for the message when a signal comes. */
  setPhase(phase: string): void;
  /** What it was doing when the first signal came. */
  phaseAtSignal(): string;
  dispose(): void;
}

/** The first SIGINT or SIGTERM aborts the signal; later ones are noted and not obeyed (see the module notes). */
function watchSignals(): Cancellation {
  const controller = new AbortController();
  let phase = 'reading the inputs';
  let atSignal = '';
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      core.warning(
        `Received ${signal} again: still putting every function back, which this step finishes first. ` +
          'If the job is killed meanwhile, the post step removes what is left.'
      );
      return;
    }
    atSignal = phase;
    core.warning(`Received ${signal} while ${phase}: stopping, then putting every function back.`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    setPhase: (next) => (phase = next),
    phaseAtSignal: () => atSignal,
    dispose: () => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  };
}

/** The step's failure after a cancellation: when, what was put back, and what Lambda shows is left. */
async function cancelledError(
  cancel: Cancellation,
  portsFor: (region: string) => AwsPorts,
  error?: unknown
): Promise<GateFailedError> {
  let check: string;
  try {
    const left = await recordedLeftovers(portsFor);
    check =
      left.length === 0
        ? 'Checked afterwards: nothing this run made is left, and $LATEST is as it was.'
        : `Still left: ${left.join('; ')}. The post step removes it.`;
  } catch (checkError) {
    check = `What is left could not be checked (${errorMessage(checkError)}); the post step looks again.`;
  }
  const reported =
    error === undefined || error instanceof RunCancelledError ? '' : ` Stopping also reported: ${errorMessage(error)}`;
  return new GateFailedError(
    `The run was cancelled (${String(cancel.signal.reason)} while ${cancel.phaseAtSignal()}). ` +
      `${putBackSummary()} ${check}${reported}`
  );
}

/**
 * ListVersionsByFunction with each LastModified (and `$LATEST`), which the Lambda port's listVersions
 * leaves out; the next run needs them to tell a dead run's leftovers from a live run's versions.
 *
 * @example
 * ```ts
 * const lister = createVersionLister({ region: 'eu-west-1', maxAttempts: 3 });
 * const aged = await lister.forRegion(undefined)('orders'); // [{ version: '$LATEST', lastModified, … }, …]
 * lister.close();
 * ```
 */
export function createVersionLister(aws: { endpointUrl?: string; region?: string; maxAttempts: number }) {
  const clients = new Map<string, LambdaClient>();
  const clientFor = (region: string | undefined): LambdaClient => {
    const key = region ?? '';
    const client =
      clients.get(key) ??
      createLambdaClient({ region: region ?? aws.region, endpoint: aws.endpointUrl, maxAttempts: aws.maxAttempts });
    clients.set(key, client);
    return client;
  };
  return {
    forRegion: (region: string | undefined) => async (name: string) => {
      const aged: AgedVersion[] = [];
      try {
        for await (const page of paginateListVersionsByFunction(
          { client: clientFor(region) },
          { FunctionName: name }
        )) {
          for (const v of page.Versions ?? []) {
            // A date that is missing or unreadable counts as now: too young to be removed.
            const modified = Date.parse(v.LastModified ?? '');
            aged.push({
              version: v.Version ?? '',
              description: v.Description ?? '',
              lastModified: new Date(Number.isNaN(modified) ? Date.now() : modified),
              codeSha256: v.CodeSha256 ?? '',
              memorySize: v.MemorySize ?? 0
            });
          }
        }
      } catch (error) {
        throw new AwsCallError(`list the versions of function ${name}`, error);
      }
      return aged;
    },
    close: () => {
      for (const client of clients.values()) client.destroy();
    }
  };
}

function gateContextOf(github: GitHubContext): GateContext {
  return {
    onRunner: github.onRunner,
    ...(github.eventName ? { eventName: github.eventName } : {}),
    ...(github.ref ? { ref: github.ref } : {}),
    ...(github.sha ? { sha: github.sha } : {}),
    ...(github.defaultBranch ? { defaultBranch: github.defaultBranch } : {}),
    ...(github.owner && github.repo ? { repository: `${github.owner}/${github.repo}` } : {}),
    ...(github.runId !== undefined ? { runId: github.runId } : {}),
    ...(github.runAttempt !== undefined ? { runAttempt: github.runAttempt } : {}),
    ...(github.runUrl ? { runUrl: github.runUrl } : {}),
    ...(github.pullRequest ? { pullRequest: github.pullRequest } : {})
  };
}

function githubPortOf(github: GitHubContext, token: string | undefined): GitHubPort | undefined {
  if (!token || !github.owner || !github.repo || !github.apiUrl) return undefined;
  return createGitHubPort({
    token,
    apiUrl: github.apiUrl,
    owner: github.owner,
    repo: github.repo,
    log: (line: string) => core.debug(line)
  });
}

/** Unique per job, even for the jobs of one matrix: the run, its attempt and a random suffix. */
function newRunId(github: GitHubContext): string {
  const suffix = randomBytes(3).toString('hex');
  return github.runId !== undefined ? `${github.runId}-${github.runAttempt ?? 1}-${suffix}` : `local-${suffix}`;
}

function coreSink(): GateSink {
  return {
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary: async (markdown) => {
      // No summary file outside a runner (a local run): the terminal gets the text instead.
      if (!process.env.GITHUB_STEP_SUMMARY) {
        core.info(markdown);
        return;
      }
      await core.summary.addRaw(markdown, true).write();
    },
    annotate: (level, text, title) => {
      const message = maskSecretsIn(text, core.setSecret);
      const properties = { title };
      if (level === 'error') core.error(message, properties);
      else if (level === 'warning') core.warning(message, properties);
      else core.notice(message, properties);
    },
    info: (line) => core.notice(line)
  };
}
