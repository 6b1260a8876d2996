/**
 * The action: parse every input, run the gate, tell the outcome (comments, summary, outputs), then pass or
 * fail the step. The same bundle is the `post:` step, which removes what a cancelled or killed main step
 * left in AWS (see post.ts).
 */
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage, LambdaCostGateError } from './errors.js';
import { createAwsPorts } from './gate/aws-ports.js';
import type { GateContext } from './gate/context.js';
import { decide } from './gate/decide.js';
import { publishOutcome, type GateSink } from './gate/publish.js';
import { runGate } from './gate/run-gate.js';
import { createArtifactUploader } from './github/artifact-uploader.js';
import { readGitHubContext, type GitHubContext } from './github/context.js';
import { createGitHubPort } from './github/octokit-port.js';
import type { GitHubPort } from './github/port.js';
import { parseGateSettings } from './inputs/gate-settings.js';
import { recordForCleanup, runPost, STATE_IS_POST } from './post.js';
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
    core.setFailed(errorMessage(error));
  }
}

async function runMain(): Promise<void> {
  const github = readGitHubContext(process.env);
  if (github.eventProblem) core.warning(github.eventProblem);
  const context = gateContextOf(github);
  const settings = parseGateSettings((name) => core.getInput(name), {
    readFile: (path) => readFileSync(path, 'utf8'),
    newRunId: () => newRunId(github)
  });
  const reportDir = settings.reportDir ?? join(process.env.RUNNER_TEMP || tmpdir(), 'lambda-cost-gate');
  mkdirSync(reportDir, { recursive: true });
  const aws = createAwsPorts({
    ...settings.aws,
    maxSockets: Math.max(...settings.functions.map((f) => f.sweep.options.concurrency)),
    log: (line) => core.debug(line)
  });
  const githubPort = githubPortOf(github, settings.githubToken);
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    core.warning(`Received ${signal}: stopping the invocations, then putting every function back.`);
    cancel.abort();
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const gate = await core.group('Measuring', () =>
      runGate(settings, context, {
        portsFor: aws.portsFor,
        ...(githubPort ? { github: githubPort } : {}),
        uploader: createArtifactUploader(process.env),
        readFile: (path) => readFileSync(path, 'utf8'),
        writeFile: (path, text) => writeFileSync(path, text),
        reportDir,
        toolVersion: VERSION,
        log: (line) => core.info(line),
        onProgress: (name, event) =>
          core.info(
            event.type === 'phase'
              ? `${name}: ${event.message}`
              : `${name}: ${event.memoryMb} MB ${event.done}/${event.total}${event.errors ? `, ${event.errors} errors` : ''}`
          ),
        onOriginal: (original, runId) => recordForCleanup(original, runId),
        signal: cancel.signal
      })
    );
    const outcome = await publishOutcome(
      gate,
      { comment: settings.comment, overrideLabel: settings.overrideLabel },
      context,
      { ...(githubPort ? { github: githubPort } : {}), sink: coreSink(), now: new Date() }
    );
    if (cancel.signal.aborted) {
      throw new GateFailedError('The run was cancelled; every function was put back and the versions deleted.');
    }
    const decision = decide(outcome, settings);
    if (decision.warning) core.warning(decision.warning);
    if (decision.fail) throw new GateFailedError(decision.message);
    core.info(decision.message);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    aws.close();
  }
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
    annotate: (level, message, title) => {
      const properties = { title };
      if (level === 'error') core.error(message, properties);
      else if (level === 'warning') core.warning(message, properties);
      else core.notice(message, properties);
    },
    info: (line) => core.notice(line)
  };
}
