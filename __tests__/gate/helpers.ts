/**
 * Shared builders for the gate tests: hand-made comparisons and outcomes, an in-memory GitHubPort, a sink that
 * records what the gate told, and gate settings parsed from a map of inputs the way a workflow gives them.
 */
import type {
  CheckResult,
  CheckVerdict,
  FunctionComparison,
  Interval,
  SideFigures,
  SizeComparison,
  Verdict
} from '../../src/compare/types.js';
import type { GateSink } from '../../src/gate/publish.js';
import type { FunctionOutcome, GateOutcome } from '../../src/gate/types.js';
import type { ArtifactInfo, GitHubPort, IssueComment, WorkflowRunInfo } from '../../src/github/port.js';
import { parseGateSettings, type GateSettings } from '../../src/inputs/gate-settings.js';
import type { InputName } from '../../src/inputs/names.js';
import { buildRunReport } from '../support/report-fixtures.js';

export function interval(estimate: number, lower = estimate, upper = estimate): Interval {
  return { estimate, lower, upper, confidence: 0.95 };
}

/** One side's figures: 400 warm samples, p99 and cost as given. */
export function side(p99Ms: number | null, costPerMillionUsd: number | null): SideFigures {
  return {
    samples: 400,
    p50Ms: 50,
    p99Ms: p99Ms === null ? null : interval(p99Ms),
    costPerMillionUsd: costPerMillionUsd === null ? null : interval(costPerMillionUsd),
    errorRate: 0,
    errors: 0,
    measured: 400,
    maxMemoryUsedMb: 60,
    memoryUsedShare: 0.1,
    coldStarts: 1
  };
}

/** A check with a recognisable reason, so a test can find it in a message. */
export function check(verdict: CheckVerdict, reason: string, budget: CheckResult['budget'] = 'p99-increase') {
  return { budget, limit: 0.1, observed: interval(0.2), verdict, reason } satisfies CheckResult;
}

export interface SizeSpec {
  memoryMb: number;
  checks?: CheckResult[];
  p99Ms?: number | null;
  costPerMillionUsd?: number | null;
  /** Relative changes as fractions; undefined leaves them out (no baseline). */
  costChange?: number;
  p99Change?: number;
}

export function size(spec: SizeSpec): SizeComparison {
  const checks = spec.checks ?? [check('pass', `p99 at ${spec.memoryMb} MB held.`)];
  return {
    memoryMb: spec.memoryMb,
    costBasis: 'invocation',
    candidate: side(
      spec.p99Ms === undefined ? 120 : spec.p99Ms,
      spec.costPerMillionUsd === undefined ? 1.5 : spec.costPerMillionUsd
    ),
    ...(spec.costChange !== undefined ? { costChange: interval(spec.costChange) } : {}),
    ...(spec.p99Change !== undefined ? { p99Change: interval(spec.p99Change) } : {}),
    checks,
    verdict: worst(checks.map((c) => c.verdict))
  };
}

function worst(verdicts: CheckVerdict[]): CheckVerdict {
  if (verdicts.includes('fail')) return 'fail';
  return verdicts.includes('inconclusive') ? 'inconclusive' : 'pass';
}

/** A function's outcome from its gated sizes; its run report is a real one at those sizes. */
export function fnOutcome(functionName: string, sizes: SizeComparison[]): FunctionOutcome {
  const comparison: FunctionComparison = {
    functionName,
    sizes,
    verdict: worst(sizes.map((s) => s.verdict)),
    hasBaseline: sizes.some((s) => s.costChange !== undefined)
  };
  const report = buildRunReport({
    functionName,
    sizes: sizes.map((s) => ({ memoryMb: s.memoryMb, durations: [40, 42, 45, 41, 44] }))
  });
  return {
    functionName,
    report,
    baseline: { kind: 'artifact', runId: 55, commit: 'ba5e000', measuredAt: '2026-01-01T10:05:00.000Z' },
    comparison,
    reportPath: `/reports/${functionName}.run-report.json`
  };
}

export function outcome(
  functions: FunctionOutcome[],
  extra: Partial<GateOutcome> & { verdict?: Verdict } = {}
): GateOutcome {
  const verdict: Verdict = functions.length === 0 ? 'skipped' : worst(functions.map((f) => f.comparison.verdict));
  return { mode: 'compare', verdict, functions, notices: [], ...extra };
}

/** A GitHubPort over an in-memory list of comments and labels; each call is logged by name. */
export class MemoryGitHub implements GitHubPort {
  readonly calls: string[] = [];
  readonly comments: Array<IssueComment & { issueNumber: number }> = [];
  labels: string[] = [];
  /** When set, the call of that name rejects with it. */
  failures: Partial<Record<keyof GitHubPort, Error>> = {};
  private nextId = 1;

  private enter(name: keyof GitHubPort): void {
    this.calls.push(name);
    const failure = this.failures[name];
    if (failure) throw failure;
  }

  async listIssueComments(issueNumber: number): Promise<IssueComment[]> {
    this.enter('listIssueComments');
    return this.comments.filter((c) => c.issueNumber === issueNumber).map((c) => ({ ...c }));
  }

  async createIssueComment(issueNumber: number, body: string): Promise<IssueComment> {
    this.enter('createIssueComment');
    const id = this.nextId++;
    const comment = { id, body, htmlUrl: `https://github.com/acme/shop/pull/${issueNumber}#issuecomment-${id}` };
    this.comments.push({ ...comment, issueNumber });
    return comment;
  }

  async updateIssueComment(commentId: number, body: string): Promise<IssueComment> {
    this.enter('updateIssueComment');
    const comment = this.comments.find((c) => c.id === commentId);
    if (!comment) throw new Error(`no comment ${commentId}`);
    comment.body = body;
    return { id: comment.id, body, htmlUrl: comment.htmlUrl };
  }

  async getPullRequestLabels(): Promise<string[]> {
    this.enter('getPullRequestLabels');
    return [...this.labels];
  }

  async getMergeBase(): Promise<string> {
    return this.unused('getMergeBase');
  }

  async listAncestors(): Promise<string[]> {
    return this.unused('listAncestors');
  }

  async listArtifacts(): Promise<ArtifactInfo[]> {
    return this.unused('listArtifacts');
  }

  async getWorkflowRun(): Promise<WorkflowRunInfo> {
    return this.unused('getWorkflowRun');
  }

  async downloadArtifact(): Promise<Uint8Array> {
    return this.unused('downloadArtifact');
  }

  /** The publishing tests never look for a baseline: a call here is a bug in the code under test. */
  private unused(name: keyof GitHubPort): never {
    this.calls.push(name);
    throw new Error(`${name} is not faked`);
  }
}

/** A GateSink that keeps everything it was told. */
export class RecordingSink implements GateSink {
  readonly outputs = new Map<string, string>();
  readonly summaries: string[] = [];
  readonly annotations: Array<{ level: string; message: string; title: string }> = [];
  readonly lines: string[] = [];

  setOutput(name: string, value: string): void {
    this.outputs.set(name, value);
  }

  async writeSummary(markdown: string): Promise<void> {
    this.summaries.push(markdown);
  }

  annotate(level: 'error' | 'warning' | 'notice', message: string, title: string): void {
    this.annotations.push({ level, message, title });
  }

  info(line: string): void {
    this.lines.push(line);
  }
}

let runCounter = 0;

/**
 * Gate settings from inputs as a workflow's `with:` block spells them, and files (config-file, payload
 * files) from a map.
 */
export function gateSettings(
  inputs: Partial<Record<InputName, string>>,
  files: Record<string, string> = {}
): GateSettings {
  return parseGateSettings((name) => inputs[name] ?? '', {
    readFile: readFrom(files),
    newRunId: () => `gate-test-${++runCounter}`
  });
}

/** readFile over a map; a missing path throws as fs does. */
export function readFrom(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}
