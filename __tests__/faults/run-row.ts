/**
 * Runs one fault-matrix row through the real gate: runGate, then publishOutcome and decide as main.ts does,
 * over the real AWS adapters (see matrixPorts) against the emulator and the Octokit adapter against the fake
 * GitHub. Afterwards it lets anything still settling settle, runs the post step's clean-up (by the
 * run id, as src/post.ts does) and hands back everything the assertions look at.
 */
import { createLambdaClient } from '../../src/aws/clients.js';
import { findLeftovers, removeLeftovers } from '../../src/deploy/leftovers.js';
import { sha256Base64 } from '../../src/deploy/zip.js';
import { zipModel } from '../../src/emulator/lambda/code.js';
import { createLambdaPort } from '../../src/deploy/lambda-adapter.js';
import type { FunctionSnapshot } from '../../src/emulator/admin.js';
import { faultRuleSchema } from '../../src/emulator/faults.js';
import type { GateContext } from '../../src/gate/context.js';
import { decide } from '../../src/gate/decide.js';
import { publishOutcome } from '../../src/gate/publish.js';
import { runGate } from '../../src/gate/run-gate.js';
import type { GateOutcome } from '../../src/gate/types.js';
import { commentMarker, parseMarkers } from '../../src/github/comment-marker.js';
import { createGitHubPort } from '../../src/github/octokit-port.js';
import { parseRunReportText } from '../../src/report/run-report.js';
import type { RunReport } from '../../src/report/run-report-schema.js';
import { gateSettings, RecordingSink } from '../gate/helpers.js';
import { gateDeps } from '../gate/run-gate-helpers.js';
import {
  baseInputs,
  MODEL,
  modelZip,
  OWNER,
  REPO,
  matrixPorts,
  spyPort,
  TOKEN,
  type CallHook,
  type FaultBed
} from './fault-bed.js';
import type { FaultRow, Rule, RowContext } from './row-types.js';

export interface RowResult {
  fn: string;
  /** The CodeSha256 of the candidate's zip: what a report must say it measured. */
  candidateSha: string;
  error?: Error;
  outcome?: GateOutcome;
  report?: RunReport;
  exit: 0 | 1;
  before: FunctionSnapshot;
  after?: FunctionSnapshot;
  /** Every function's name before and after the row. */
  namesBefore: string[];
  namesAfter: string[];
  /** What the run logged (the gate's lines and the AWS adapter's: waits, retries). */
  logs: string[];
  /** Port calls by method. */
  calls: Map<string, number>;
  /** Comments on the row's pull request that carry the function's marker. */
  comments: number;
  /** Whether the post step found anything to remove. */
  leftover: boolean;
  /** Fake GitHub faults that were queued but not used: they would leak into later rows. */
  unusedGitHubFaults: number;
  hookErrors: unknown[];
}

/** The row's function name and run id, from its place in the table. */
export function rowIds(index: number): { fn: string; runId: string; pr: number } {
  const id = String(index + 1).padStart(2, '0');
  return { fn: `fm-${id}`, runId: `r${id}`, pr: 100 + index };
}

/** Runs the row; never throws for what the gate does (that is in the result). */
export async function runRow(bed: FaultBed, row: FaultRow, index: number): Promise<RowResult> {
  const { emulator, github } = bed;
  const { fn, runId, pr } = rowIds(index);
  const log: string[] = [];
  const client = createLambdaClient({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 1 });
  const setFaults = (rules: Rule[]) =>
    emulator.faults.replace(rules.map((rule) => faultRuleSchema.parse(forRow(rule, fn))));
  const ctx: RowContext = { fn, client, setFaults };
  const hookErrors: unknown[] = [];
  try {
    if (row.setup) await row.setup(ctx);
    const before = snapshot(bed, fn)!;
    const namesBefore = names(bed);

    github.state.addPullRequest({ number: pr, headSha: bed.headSha, baseSha: bed.baseSha });
    if (row.existingComment)
      github.state.addComment(pr, `${commentMarker(fn, '2026-01-01T00:00:00.000Z')}\nAn earlier run.`);
    for (const spec of row.github ?? []) github.failNext(spec);
    const requestsBefore = github.requests.length;

    const inputs = { ...baseInputs(fn, runId), ...row.inputs };
    const candidate = row.candidate ?? { ...MODEL, seed: 2 };
    inputs.code = modelZip(candidate);
    const settings = gateSettings(inputs);

    const aws = matrixPorts(emulator.endpoint, {
      maxAttempts: row.ports === 'short-waits' ? 2 : (row.ports?.maxAttempts ?? 2),
      shortWaits: row.ports === 'short-waits',
      log: (line) => log.push(line)
    });
    const pending: Array<Promise<void>> = [];
    const guard = (act: () => Promise<void>) => () => act().catch((error: unknown) => void hookErrors.push(error));
    const hooks: CallHook[] = (row.calls ?? []).map((c) => ({
      method: c.method,
      nth: c.nth,
      run: guard(() => c.act(ctx))
    }));
    const deps = gateDeps(aws);
    const ports = aws.portsFor();
    const { port: lambda, calls } = spyPort(ports.lambda, hooks, pending);
    deps.portsFor = () => ({ ...ports, lambda });
    const fired = new Set<number>();
    deps.onProgress = (_name, event) => {
      if (event.type !== 'phase') return;
      for (const [at, trigger] of (row.at ?? []).entries()) {
        if (fired.has(at) || !trigger.phase.test(event.message)) continue;
        fired.add(at);
        if (trigger.faults) setFaults(trigger.faults);
        if (trigger.act) pending.push(guard(() => trigger.act!(ctx))());
      }
    };
    const githubPort = createGitHubPort({
      token: TOKEN,
      apiUrl: github.apiUrl,
      owner: OWNER,
      repo: REPO,
      retry: { baseMs: 10, capMs: 20 }
    });
    const context = pullRequestContext(bed, pr);
    setFaults(row.faults ?? []);

    let error: Error | undefined;
    let outcome: GateOutcome | undefined;
    let exit: 0 | 1 = 1;
    try {
      const run = await runGate(settings, context, { ...deps, github: githubPort });
      const policy = { comment: settings.comment, overrideLabel: settings.overrideLabel };
      outcome = await publishOutcome(run, policy, context, {
        github: githubPort,
        sink: new RecordingSink(),
        now: new Date()
      });
      exit = decide(outcome, settings).fail ? 1 : 0;
    } catch (thrown) {
      error = thrown as Error;
    } finally {
      setFaults([]);
      aws.close();
    }
    await settled(bed, fn);
    const leftover = await postStep(bed, fn, runId, before.description);
    const reportPath = outcome?.functions[0]?.reportPath;
    const written = reportPath ? deps.written.get(reportPath) : undefined;
    return {
      fn,
      candidateSha: sha256Base64(zipModel(candidate)),
      ...(error ? { error } : {}),
      ...(outcome ? { outcome } : {}),
      ...(written ? { report: parseRunReportText(written) } : {}),
      exit,
      before,
      ...(snapshot(bed, fn) ? { after: snapshot(bed, fn)! } : {}),
      namesBefore,
      namesAfter: names(bed),
      logs: [...deps.logged, ...log],
      calls,
      comments: github.state.comments.filter(
        (c) => c.issueNumber === pr && parseMarkers(c.body).some((m) => m.functionName === fn)
      ).length,
      leftover,
      unusedGitHubFaults: unusedFaults(row, github.requests.slice(requestsBefore)),
      hookErrors
    };
  } finally {
    client.destroy();
  }
}

/** A pull_request run of the row's pull request, on top of main's head (which has the baseline). */
function pullRequestContext(bed: FaultBed, pr: number): GateContext {
  return {
    onRunner: true,
    eventName: 'pull_request',
    ref: `refs/pull/${pr}/merge`,
    repository: `${OWNER}/${REPO}`,
    defaultBranch: 'main',
    pullRequest: { number: pr, headSha: bed.headSha, baseSha: bed.baseSha, baseRef: 'main', isFork: false, labels: [] }
  };
}

/** Rules name the row's function unless they say otherwise ('*': every resource). */
function forRow(rule: Rule, fn: string): Rule {
  if (rule.resource === '*') {
    const { resource: _any, ...rest } = rule;
    return rest;
  }
  return { resource: fn, ...rule };
}

function snapshot(bed: FaultBed, fn: string): FunctionSnapshot | undefined {
  return bed.emulator.state().find((f) => f.name === fn);
}

function names(bed: FaultBed): string[] {
  return bed.emulator.state().map((f) => f.name);
}

/** A slow update the run gave up on is still going: wait until Lambda is done with it (a few seconds). */
async function settled(bed: FaultBed, fn: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const fns = bed.emulator.state().filter((f) => f.name === fn || f.name.startsWith(`${fn}-lcg-`));
    if (fns.every((f) => f.lastUpdateStatus !== 'InProgress' && f.state !== 'Pending')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the action's post step does (src/post.ts): find the run's leftovers by its id, and remove them. */
async function postStep(bed: FaultBed, fn: string, runId: string, description: string): Promise<boolean> {
  if (!snapshot(bed, fn)) return false;
  const client = createLambdaClient({ endpoint: bed.emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
  try {
    const port = createLambdaPort(client);
    const leftovers = await findLeftovers(port, fn, { runId });
    if (!leftovers.interrupted && leftovers.versions.length === 0 && leftovers.copies.length === 0) return false;
    await removeLeftovers(port, leftovers, { original: { description } });
    return true;
  } finally {
    client.destroy();
  }
}

function unusedFaults(row: FaultRow, requests: Array<{ method: string; path: string; status: number }>): number {
  let unused = 0;
  for (const spec of row.github ?? []) {
    const pattern = spec.pathPattern;
    const hits = requests.filter(
      (r) =>
        (spec.method === undefined || r.method === spec.method) &&
        r.status === spec.status &&
        (typeof pattern === 'string' ? r.path.includes(pattern) : pattern.test(r.path))
    ).length;
    unused += Math.max(0, (spec.times ?? 1) - hits);
  }
  return unused;
}
