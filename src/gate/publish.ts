/**
 * Tells the outcome: one comment per function on the pull request (found again by its hidden marker and
 * updated in place), the job summary, annotations on the breaches, and the outputs. Comments go out before
 * the step fails, so a failed check always says why. A comment that cannot be posted is reported, never a
 * reason to hide the verdict.
 */
import type { CommentPolicy } from '../inputs/gate-settings.js';
import { commentMarker, parseMarkers } from '../github/comment-marker.js';
import type { GitHubPort } from '../github/port.js';
import { upsertComment } from '../github/sticky-comment.js';
import { Outputs } from '../inputs/names.js';
import { annotationsFor } from '../report/annotations.js';
import { renderFunctionComment, renderJobSummary } from '../report/comment.js';
import { errorMessage } from '../errors.js';
import type { GateContext } from './context.js';
import { gateOutputs } from './decide.js';
import type { GateRun } from './run-gate.js';
import type { FunctionOutcome, GateOutcome, RunContext } from './types.js';

/** Where the outcome is told: @actions/core in the action, the terminal in the demo, a recorder in tests. */
export interface GateSink {
  setOutput(name: string, value: string): void;
  writeSummary(markdown: string): Promise<void>;
  annotate(level: 'error' | 'warning' | 'notice', message: string, title: string): void;
  info(line: string): void;
}

export interface PublishSettings {
  comment: CommentPolicy;
  overrideLabel: string;
}

/**
 * Applies the override label, posts the comments, writes the summary, annotations and outputs.
 *
 * @returns the outcome with `override` set when the label acknowledged a failure
 */
export async function publishOutcome(
  run: GateRun,
  settings: PublishSettings,
  context: GateContext,
  deps: { github?: GitHubPort; sink: GateSink; now: Date }
): Promise<GateOutcome> {
  const { sink, now } = deps;
  const outcome: GateOutcome = { ...run.outcome, notices: [...run.outcome.notices] };
  const pr = context.pullRequest;
  if (outcome.verdict === 'fail' && pr) {
    const labels = await currentLabels(deps.github, pr.number, pr.labels, outcome);
    if (labels.includes(settings.overrideLabel)) outcome.override = { label: settings.overrideLabel };
  }
  const runContext = runContextOf(context);
  const urls: string[] = [];
  if (pr && !pr.isFork && deps.github && settings.comment !== 'never' && outcome.mode === 'compare') {
    for (const fn of outcome.functions) {
      try {
        const url = await postComment(deps.github, settings.comment, pr.number, outcome, fn, runContext, now);
        if (url) urls.push(url);
      } catch (error) {
        outcome.notices.push(`The comment for ${fn.functionName} could not be posted: ${errorMessage(error)}`);
        sink.annotate('warning', errorMessage(error), `lambda-cost-gate: comment for ${fn.functionName}`);
      }
    }
  }
  await sink.writeSummary(renderJobSummary(outcome, runContext, now));
  for (const annotation of annotationsFor(outcome)) {
    sink.annotate(annotation.level, annotation.message, annotation.title);
  }
  for (const notice of outcome.notices) sink.info(notice);
  const outputs = gateOutputs(outcome);
  sink.setOutput(Outputs.Verdict, outputs.verdict);
  sink.setOutput(Outputs.RecommendedMemory, outputs.recommendedMemory);
  sink.setOutput(Outputs.CostPerMillion, outputs.costPerMillion);
  sink.setOutput(Outputs.P99Ms, outputs.p99Ms);
  sink.setOutput(Outputs.CostChangePercent, outputs.costChangePercent);
  sink.setOutput(Outputs.P99ChangePercent, outputs.p99ChangePercent);
  sink.setOutput(Outputs.ReportPath, run.reportPath ?? '');
  sink.setOutput(Outputs.CommentUrl, urls[0] ?? '');
  return outcome;
}

/** The labels now: a label added after the event (the usual way to accept a regression) must count. */
async function currentLabels(
  github: GitHubPort | undefined,
  pullNumber: number,
  fromEvent: string[],
  outcome: GateOutcome
): Promise<string[]> {
  if (!github) return fromEvent;
  try {
    return await github.getPullRequestLabels(pullNumber);
  } catch (error) {
    outcome.notices.push(`The pull request's labels could not be read (${errorMessage(error)}); using the event's.`);
    return fromEvent;
  }
}

/** Posts or updates one function's comment; `on-change` leaves a passing function alone unless it has one. */
async function postComment(
  github: GitHubPort,
  policy: CommentPolicy,
  issueNumber: number,
  outcome: GateOutcome,
  fn: FunctionOutcome,
  run: RunContext,
  now: Date
): Promise<string | undefined> {
  if (policy === 'on-change' && fn.comparison.verdict === 'pass') {
    const existing = await github.listIssueComments(issueNumber);
    const has = existing.some((c) => parseMarkers(c.body).some((m) => m.functionName === fn.functionName));
    if (!has) return undefined;
  }
  const marker = commentMarker(fn.functionName, now);
  const body = renderFunctionComment({ marker, outcome, fn, run, now });
  const result = await upsertComment(github, { issueNumber, functionName: fn.functionName, body, updatedAt: now });
  return result.url;
}

function runContextOf(context: GateContext): RunContext {
  return {
    ...(context.repository ? { repository: context.repository } : {}),
    ...(context.pullRequest ? { commit: context.pullRequest.headSha } : context.sha ? { commit: context.sha } : {}),
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(context.pullRequest ? { pullRequest: context.pullRequest.number } : {})
  };
}
