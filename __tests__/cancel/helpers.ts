/**
 * Shared set-up for the cancellation tests: the emulator (one function per phase, so that runs can go in
 * parallel), the fake GitHub, pull-request events, the bundled action, and triggers that act on a run at a
 * chosen moment (an emulator fault rule that holds an operation and counts its hits).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCandidateZip } from '../../src/deploy/code.js';
import type { FunctionSnapshot } from '../../src/emulator/admin.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { faultRulesSchema } from '../../src/emulator/faults.js';
import { MODEL_FILE_NAME } from '../../src/emulator/model/schema.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { runAction, type ActionInvocation, type ActionRun } from '../support/run-action.js';
import { pullRequestEvent } from '../support/events.js';

export const OWNER = 'acme';
export const REPO = 'shop';
const TOKEN = 'ghs_test_token';
export const MODEL = { cpuMs: 10, noiseSigma: 0.03, memoryUsedMb: 80 };
/** Every function starts like this; a run must leave it so. */
export const FUNCTION = { memorySize: 1024, timeout: 10, description: 'Orders service' };

/** A candidate folder whose code does `factor` times the model's CPU work, and its CodeSha256. */
export async function candidate(factor: number): Promise<{ dir: string; sha256: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lcg-cancel-'));
  writeFileSync(join(dir, MODEL_FILE_NAME), JSON.stringify({ ...MODEL, cpuMs: MODEL.cpuMs * factor }));
  const zip = await readCandidateZip({ kind: 'directory', path: dir });
  return { dir, sha256: zip!.sha256 };
}

export interface TestBed {
  emulator: RunningEmulator;
  github: FakeGitHub;
  /** The function's snapshot now. */
  stateOf(name: string): FunctionSnapshot | undefined;
  /** Functions a run may have created (temporary copies). */
  copies(): string[];
  /** Runs the action for a new pull request on `functionName`; `number` also makes the workflow run id. */
  runPr(number: number, functionName: string, options?: PrOptions): Promise<ActionRun>;
  commentsOn(number: number): number;
  /** Hits of the fault rules for an operation on a function. */
  hits(operation: string, functionName: string): number;
  /** Replaces the fault rules (their hit counts start again at 0). */
  faults(rules: unknown[]): void;
  close(): Promise<void>;
}

export interface PrOptions {
  code?: string;
  inputs?: Record<string, string>;
  onStart?: ActionInvocation['onStart'];
  /** The state of an earlier main step: runs the post step with the same pull request. */
  state?: Record<string, string>;
}

/** Starts the emulator with the functions (`FUNCTION`, with `overrides` by name) and the fake GitHub. */
export async function startTestBed(
  functionNames: string[],
  overrides: Record<string, Partial<typeof FUNCTION>> = {}
): Promise<TestBed> {
  const emulator = await startEmulator({
    config: {
      updateDelayMs: 0,
      functions: functionNames.map((name) => ({ name, model: MODEL, ...FUNCTION, ...overrides[name] }))
    }
  });
  const github = await startFakeGitHub({ owner: OWNER, repo: REPO, repositoryId: 4242, defaultBranch: 'main' });
  const [baseSha] = github.state.addChain(1, { branch: 'main' });
  const repository = { id: 4242, name: REPO, owner: { login: OWNER }, default_branch: 'main' };
  const events = new Map<number, { event: unknown; headSha: string }>();

  const eventFor = (number: number) => {
    const known = events.get(number);
    if (known) return known;
    const headSha = github.state.addCommit({ parents: [baseSha!], message: `PR ${number}` });
    github.state.addPullRequest({
      number,
      headSha,
      baseSha: baseSha!,
      baseRef: 'main',
      headRepoFullName: `${OWNER}/${REPO}`
    });
    const event = pullRequestEvent(repository, { number, headSha, baseSha: baseSha! });
    events.set(number, { event, headSha });
    return { event, headSha };
  };

  return {
    emulator,
    github,
    stateOf: (name) => emulator.state().find((fn) => fn.name === name),
    copies: () =>
      emulator
        .state()
        .map((fn) => fn.name)
        .filter((name) => name.includes('-lcg-')),
    runPr: (number, functionName, options = {}) => {
      const { event, headSha } = eventFor(number);
      return runAction({
        inputs: {
          'function-name': functionName,
          'memory-sizes': '512,1024',
          invocations: '3',
          'gate-invocations': '6',
          warmup: '0',
          concurrency: '4',
          'github-token': TOKEN,
          'baseline-artifact': 'none-yet',
          ...(options.code ? { code: options.code } : {}),
          ...options.inputs
        },
        event,
        env: {
          AWS_ENDPOINT_URL: emulator.endpoint,
          GITHUB_API_URL: github.apiUrl,
          GITHUB_SERVER_URL: github.serverUrl,
          GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_REF: `refs/pull/${number}/merge`,
          GITHUB_SHA: headSha,
          GITHUB_RUN_ID: String(9000 + number)
        },
        ...(options.onStart ? { onStart: options.onStart } : {}),
        ...(options.state ? { state: options.state } : {})
      });
    },
    commentsOn: (number) => github.state.comments.filter((c) => c.issueNumber === number).length,
    hits: (operation, functionName) =>
      emulator.faults
        .list()
        .filter((rule) => rule.operation === operation && rule.resource === functionName)
        .reduce((sum, rule) => sum + rule.hits, 0),
    faults: (rules) => emulator.faults.replace(faultRulesSchema.parse(rules)),
    close: async () => {
      await github.close();
      await emulator.close();
    }
  };
}

/**
 * An `onStart` that polls `ready` every 10 ms and, once it holds, acts on the child (once). Each further
 * step runs `delayMs` after the one before, e.g. SIGINT and then SIGTERM as the runner does.
 */
export function when(
  ready: () => boolean,
  ...steps: Array<{ delayMs?: number; act: (child: { kill: (signal: NodeJS.Signals) => boolean }) => void }>
): NonNullable<ActionInvocation['onStart']> {
  return (child) => {
    let exited = false;
    child.on('exit', () => (exited = true));
    const timer = setInterval(() => {
      if (exited) return clearInterval(timer);
      if (!ready()) return;
      clearInterval(timer);
      let at = 0;
      for (const step of steps) {
        at += step.delayMs ?? 0;
        setTimeout(() => {
          if (!exited) step.act(child);
        }, at);
      }
    }, 10);
  };
}

/** Waits until `done` holds (polling), or fails after `ms`. */
export async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > ms) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The `::error::` lines of a run, decoded (workflow commands escape newlines and percent signs). */
export function errorText(run: ActionRun): string {
  return run.errors
    .map((line) => line.replace(/^::error[^:]*::/, ''))
    .join('\n')
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%');
}
