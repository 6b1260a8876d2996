/**
 * The bundled action, run as the runner runs it (`node dist/index.js` with INPUT_* variables, a real
 * pull_request event payload, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_API_URL at a local fake of the
 * GitHub REST API and artifact service) against the emulator through the real AWS SDK.
 *
 * The story, in order: a push to main records a baseline artifact; a clean pull request passes; a regressed
 * one gets its comment and then fails; a second run updates the same comment; the override label turns the
 * failure into an acknowledged pass; a fork's pull request is skipped; a pull request with no baseline passes
 * with a notice; a killed run is cleaned up by the post step.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { MODEL_FILE_NAME } from '../../src/emulator/model/schema.js';
import { parseMarkers } from '../../src/github/comment-marker.js';
import { parseRunReportText } from '../../src/report/run-report.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { pullRequestEvent } from '../support/events.js';
import { ACTION_ENTRY, runAction, type ActionInvocation } from '../support/run-action.js';

const OWNER = 'acme';
const REPO = 'shop';
const REPOSITORY_ID = 4242;
const TOKEN = 'ghs_test_token';
const MODEL = { cpuMs: 30, noiseSigma: 0.03, memoryUsedMb: 80 };

/** A candidate: the same model, or one whose code does `factor` times the CPU work. */
function candidate(factor: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'lcg-candidate-'));
  writeFileSync(join(dir, MODEL_FILE_NAME), JSON.stringify({ ...MODEL, cpuMs: MODEL.cpuMs * factor }));
  return dir;
}

describe('the action, as the runner runs it', () => {
  let emulator: RunningEmulator;
  let github: FakeGitHub;
  let mainCommits: string[];
  const clean = candidate(1);
  const regressed = candidate(2);

  const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
    'function-name': 'orders',
    'memory-sizes': '512,1024',
    invocations: '5',
    'gate-invocations': '300',
    warmup: '1',
    concurrency: '8',
    'max-cost-increase': '10%',
    'max-p99-increase': '25%',
    'github-token': TOKEN,
    ...extra
  });
  const env = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
    AWS_ENDPOINT_URL: emulator.endpoint,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_SERVER_URL: github.serverUrl,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    ...extra
  });
  const repository = { id: REPOSITORY_ID, name: REPO, owner: { login: OWNER }, default_branch: 'main' };

  /** A pull request on the fake and the event payload the runner would write for it. */
  function pullRequest(number: number, options: { baseSha?: string; fork?: boolean } = {}) {
    const baseSha = options.baseSha ?? mainCommits.at(-1)!;
    const headSha = github.state.addCommit({ parents: [baseSha], message: `PR ${number}` });
    const headRepo = options.fork ? 'mallory/shop' : `${OWNER}/${REPO}`;
    github.state.addPullRequest({ number, headSha, baseSha, baseRef: 'main', headRepoFullName: headRepo });
    const event = pullRequestEvent(repository, { number, headSha, baseSha, headRepo });
    const run = (code: string, extraInputs: Record<string, string> = {}, more: Partial<ActionInvocation> = {}) =>
      runAction({
        inputs: inputs({ code, ...extraInputs }),
        event,
        env: env({
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_REF: `refs/pull/${number}/merge`,
          GITHUB_SHA: headSha,
          GITHUB_RUN_ID: String(1000 + number)
        }),
        ...more
      });
    return { run, headSha };
  }
  const commentsOn = (number: number) => github.state.comments.filter((c) => c.issueNumber === number);
  const stateOfOrders = () => emulator.state().find((fn) => fn.name === 'orders')!;

  beforeAll(async () => {
    expect(existsSync(ACTION_ENTRY)).toBe(true);
    emulator = await startEmulator({
      config: { updateDelayMs: 20, functions: [{ name: 'orders', model: MODEL, memorySize: 1024, timeout: 10 }] }
    });
    github = await startFakeGitHub({ owner: OWNER, repo: REPO, repositoryId: REPOSITORY_ID, defaultBranch: 'main' });
    mainCommits = github.state.addChain(3, { branch: 'main' });
  });
  afterAll(async () => {
    await github.close();
    await emulator.close();
  });

  it('records a baseline artifact on a push to main, and leaves the function as it was', async () => {
    const before = stateOfOrders();
    const head = mainCommits.at(-1)!;
    github.state.addRun({ id: 500, event: 'push', conclusion: 'success', headBranch: 'main', headSha: head });
    const result = await runAction({
      inputs: inputs(),
      event: { ref: 'refs/heads/main', after: head, repository },
      env: env({
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: head,
        GITHUB_RUN_ID: '500',
        ACTIONS_RUNTIME_TOKEN: github.runtimeTokenFor(500),
        ACTIONS_RESULTS_URL: github.resultsUrl
      })
    });
    // Nothing but the SDK's notice about Node versions (the runner's node24 does not get it).
    expect(result.stderr.replace(/^.*NodeVersionSupportWarning[\s\S]*?trace-warnings.*\n/m, '')).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(result.stdout).toContain('Baseline recorded: artifact "lambda-cost-gate-baseline"');
    const artifacts = github.state.artifacts.filter((a) => a.name === 'lambda-cost-gate-baseline');
    expect(artifacts.map((a) => a.runId)).toEqual([500]);
    const report = parseRunReportText(readFileSync(result.outputs['report-path']!, 'utf8'));
    expect(report.git?.commit).toBe(head);
    expect(report.sizes.find((s) => s.memoryMb === 1024)!.measured).toBe(300);
    expect(stateOfOrders()).toEqual({ ...before, revisionId: expect.any(String) });
    expect(stateOfOrders().versions).toEqual([]);
  });

  it('passes a clean pull request and comments once, naming the baseline it used', async () => {
    const pr = pullRequest(7);
    const result = await pr.run(clean);
    expect(result.code).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(Number(result.outputs['cost-change-percent'])).toBeLessThan(10);
    expect(result.outputs['cost-per-million']).toMatch(/^\d+(\.\d+)?$/);
    expect(result.outputs['p99-ms']).toMatch(/^\d+(\.\d+)?$/);
    expect(result.outputs['recommended-memory']).toMatch(/^\d+$/);
    const comments = commentsOn(7);
    expect(comments).toHaveLength(1);
    expect(result.outputs['comment-url']).toContain('#issuecomment-');
    expect(comments[0]!.body).toContain('✅');
    expect(comments[0]!.body).toContain(mainCommits.at(-1)!.slice(0, 7));
    expect(comments[0]!.body).toContain('/actions/runs/500');
    expect(result.summary).toContain('| Memory |');
    expect(stateOfOrders().versions).toEqual([]);
  });

  it('posts the comment on a regressed pull request first, then fails the check naming the budget', async () => {
    const before = stateOfOrders();
    const pr = pullRequest(8);
    const result = await pr.run(regressed);
    expect(result.code).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    expect(Number(result.outputs['cost-change-percent'])).toBeGreaterThan(50);
    const comments = commentsOn(8);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('❌');
    expect(result.errors.some((line) => /Budget broken: orders at 1024 MB: .*budget/.test(line))).toBe(true);
    // The comment went out before the step failed: the POST is in the log, and the failure came after it.
    expect(github.requests.some((r) => r.method === 'POST' && r.path.endsWith('/issues/8/comments'))).toBe(true);
    expect(stateOfOrders()).toEqual({ ...before, revisionId: expect.any(String) });
  });

  it('updates the same comment on a second run instead of adding one', async () => {
    const first = commentsOn(8)[0]!;
    const markerBefore = parseMarkers(first.body)[0]!;
    const event = github.state.pullRequests.get(8)!;
    const pr = { run: () => pullRequestRerun(8, event.headSha, event.baseSha) };
    const result = await pr.run();
    expect(result.code).toBe(1);
    const comments = commentsOn(8);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.id).toBe(first.id);
    expect(Date.parse(parseMarkers(comments[0]!.body)[0]!.updated)).toBeGreaterThan(Date.parse(markerBefore.updated));
  });

  it('turns the failure into an acknowledged pass when the pull request carries the override label', async () => {
    github.state.pullRequests.get(8)!.labels.push('cost-regression-accepted');
    const event = github.state.pullRequests.get(8)!;
    const result = await pullRequestRerun(8, event.headSha, event.baseSha);
    expect(result.code).toBe(0);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.warnings.some((line) => line.includes('Regression accepted with the label'))).toBe(true);
    const comments = commentsOn(8);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('cost-regression-accepted');
  });

  it('skips a pull request from a fork without touching AWS or commenting', async () => {
    const before = stateOfOrders();
    const pr = pullRequest(9, { fork: true });
    const result = await pr.run(regressed);
    expect(result.code).toBe(0);
    expect(result.outputs.verdict).toBe('skipped');
    expect(result.summary).toContain('fork');
    expect(commentsOn(9)).toHaveLength(0);
    expect(stateOfOrders()).toEqual(before);
  });

  it('passes with a clear notice when no baseline exists, and still writes the report', async () => {
    const side = github.state.addChain(1, { branch: 'release' });
    const pr = pullRequest(10, { baseSha: side[0]! });
    const result = await pr.run(regressed, { 'baseline-artifact': 'no-such-baseline' });
    expect(result.code).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(result.stdout).toMatch(/no trusted 'no-such-baseline' artifact/);
    expect(commentsOn(10)[0]!.body).toMatch(/no trusted/);
    expect(existsSync(result.outputs['report-path']!)).toBe(true);
  });

  it('puts the function back in the post step when the main step is killed mid-sweep', async () => {
    const before = stateOfOrders();
    const pr = pullRequest(11);
    const killed = await pr.run(
      regressed,
      { 'gate-invocations': '3000' },
      {
        onStart: (child) => {
          const timer = setInterval(() => {
            if (stateOfOrders().versions.length >= 2) {
              clearInterval(timer);
              child.kill('SIGKILL');
            }
          }, 20);
          child.on('exit', () => clearInterval(timer));
        }
      }
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.state.cleanup).toBeDefined();
    expect(stateOfOrders().versions.length).toBeGreaterThan(0);
    const post = await pr.run(regressed, {}, { state: killed.state });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/versions and 0 temporary copies were removed/);
    expect(stateOfOrders()).toEqual({ ...before, revisionId: expect.any(String) });
    expect(stateOfOrders().versions).toEqual([]);
  });

  /** Runs the action again for an existing pull request, with the event payload as the runner writes it. */
  function pullRequestRerun(number: number, headSha: string, baseSha: string) {
    const pr = github.state.pullRequests.get(number)!;
    return runAction({
      inputs: inputs({ code: regressed }),
      event: pullRequestEvent(repository, {
        number,
        headSha,
        baseSha,
        headRepo: pr.headRepoFullName,
        headRef: pr.headRef,
        action: 'synchronize'
      }),
      env: env({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: `refs/pull/${number}/merge`,
        GITHUB_SHA: headSha,
        GITHUB_RUN_ID: String(2000 + number)
      })
    });
  }
});
