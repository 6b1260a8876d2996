/**
 * The README's IAM policy against the AWS calls the action really makes. The bundled action runs the
 * whole story against the emulator (each main step followed by its post step, as the runner does): a
 * push that records a baseline, pull requests measured in place with monthly-invocations auto, on a
 * temporary copy, and against a live alias, and a run cancelled while it counts traffic. Every call in
 * the emulator's request log is mapped to the IAM actions and resources it needs; the policy must allow
 * each one (sufficient) and every action and resource it lists must be needed by some run (minimal).
 *
 * The emulator always returns a REPORT line in the Invoke log tail, so the CloudWatch Logs lookup the
 * runner falls back on (FilterLogEvents) is reached by two in-process sweeps whose tails are dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  PublishVersionCommand,
  waitUntilFunctionActiveV2
} from '@aws-sdk/client-lambda';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLambdaClient } from '../../src/aws/clients.js';
import { startEmulator, type RequestLogEntry, type RunningEmulator } from '../../src/emulator/emulator.js';
import { zipModel } from '../../src/emulator/lambda/code.js';
import { MODEL_FILE_NAME } from '../../src/emulator/model/schema.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import { runSweep } from '../../src/sweep/engine.js';
import type { DeployMode, LambdaPort } from '../../src/sweep/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { ACTION_ENTRY, runAction, type ActionInvocation, type ActionRun } from '../support/run-action.js';
import { withAwsCredentials } from '../gate/run-gate-helpers.js';
import {
  allowing,
  jsonBlocks,
  needsOf,
  permissionsSection,
  statementsOf,
  unusedParts,
  type Account,
  type Need
} from './iam-policy.js';
import { pullRequestEvent } from '../support/events.js';

// The README's placeholders, so that its policy applies to the emulator's account as written.
const ACCOUNT: Account = {
  region: 'eu-west-1',
  accountId: '123456789012',
  roleArn: 'arn:aws:iam::123456789012:role/orders-api-role'
};
const FUNCTION = 'orders-api';
const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_test_token';
const MODEL = { cpuMs: 20, noiseSigma: 0.02, memoryUsedMb: 70 };

/** One run of the story: its calls (main and post step) and what it started from. */
interface StoryRun {
  name: string;
  mode: DeployMode;
  calls: RequestLogEntry[];
  versionsBefore: Set<string>;
  result?: ActionRun;
}

describe('the IAM policy in the README, against the calls of every run', () => {
  let emulator: RunningEmulator;
  let github: FakeGitHub;
  const runs: StoryRun[] = [];
  const section = permissionsSection();
  const blocks = jsonBlocks(section);
  const policy = statementsOf(blocks[0]);
  const copyExtrasBlock = blocks.find((block) => JSON.stringify(block).includes('lambda:CreateFunction'));
  const copyExtras = copyExtrasBlock ? statementsOf(copyExtrasBlock) : [];

  const candidate = (() => {
    const dir = mkdtempSync(join(tmpdir(), 'lcg-iam-candidate-'));
    writeFileSync(join(dir, MODEL_FILE_NAME), JSON.stringify(MODEL));
    return dir;
  })();
  const inputs = (extra: Record<string, string> = {}) => ({
    'function-name': FUNCTION,
    'memory-sizes': '256,512',
    invocations: '3',
    'gate-invocations': '10',
    warmup: '1',
    concurrency: '4',
    'github-token': TOKEN,
    // The story is about calls, not verdicts: budgets that the emulator's noise cannot break.
    'max-cost-increase': '50%',
    'max-p99-increase': '200%',
    ...extra
  });
  const env = (extra: Record<string, string>) => ({
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_REGION: ACCOUNT.region,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_SERVER_URL: github.serverUrl,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    ...extra
  });
  const repository = { id: 4242, name: REPO, owner: { login: OWNER }, default_branch: 'main' };
  const versionsNow = () =>
    new Set(emulator.state().flatMap((fn) => fn.versions.map((v) => `${fn.name}:${v.version}`)));

  /** Runs the main step, then the post step with the state it saved; records the calls of both. */
  async function story(name: string, mode: DeployMode, invocation: ActionInvocation): Promise<ActionRun> {
    const from = emulator.requests().length;
    const versionsBefore = versionsNow();
    const result = await runAction(invocation);
    const post = await runAction({ ...invocation, state: result.state, onStart: () => undefined });
    // The outcome with its reasons, so a failing run says why.
    const stderr = post.code === 0 ? '' : post.stderr.slice(-500);
    expect({ name, post: post.code, errors: post.errors, stderr }).toEqual({ name, post: 0, errors: [], stderr: '' });
    runs.push({ name, mode, calls: emulator.requests().slice(from), versionsBefore, result });
    return result;
  }

  function pullRequest(number: number, extra: Record<string, string>, more: Partial<ActionInvocation> = {}) {
    const baseSha = github.state.branches.get('main')!;
    const headSha = github.state.addCommit({ parents: [baseSha], message: `PR ${number}` });
    github.state.addPullRequest({ number, headSha, baseSha, baseRef: 'main' });
    const event = pullRequestEvent(repository, { number, headSha, baseSha: baseSha! });
    return {
      inputs: inputs({ code: candidate, ...extra }),
      event,
      env: env({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: `refs/pull/${number}/merge`,
        GITHUB_SHA: headSha,
        GITHUB_RUN_ID: String(3000 + number)
      }),
      ...more
    };
  }

  /** A sweep in this process whose Invoke tails are dropped, so every REPORT comes from CloudWatch Logs. */
  async function sweepWithoutTails(mode: DeployMode, runId: string): Promise<void> {
    const restore = withAwsCredentials();
    const aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: ACCOUNT.region, maxAttempts: 3 });
    const from = emulator.requests().length;
    const versionsBefore = versionsNow();
    try {
      const { lambda, logs } = aws.portsFor(ACCOUNT.region);
      const tailless: LambdaPort = {
        ...lambda,
        invoke: async (name, qualifier, payload) => {
          const { logResult: _dropped, ...outcome } = await lambda.invoke(name, qualifier, payload);
          return outcome;
        }
      };
      const report = await runSweep(
        {
          options: {
            functionName: FUNCTION,
            memorySizes: [256],
            invocations: 2,
            warmup: 0,
            concurrency: 2,
            payloads: [{ json: '{}', weight: 1 }],
            mode,
            strategy: 'balanced',
            balancedWeight: 0.5,
            runId
          },
          confidence: 0.95,
          includePayloads: false,
          priceOverrides: {}
        },
        { lambda: tailless, ...(logs ? { logs } : {}), toolVersion: 'test' }
      );
      expect(report.samples.every((s) => s.reportSource === 'logs')).toBe(true);
    } finally {
      aws.close();
      restore();
    }
    runs.push({
      name: `${mode} sweep without log tails`,
      mode,
      calls: emulator.requests().slice(from),
      versionsBefore
    });
  }

  beforeAll(async () => {
    expect(existsSync(ACTION_ENTRY)).toBe(true);
    emulator = await startEmulator({
      // Queries stay Running long enough for the cancelled run to be cancelled while one is.
      config: { region: ACCOUNT.region, accountId: ACCOUNT.accountId, updateDelayMs: 20, queryLatencyMs: 1500 }
    });
    github = await startFakeGitHub({ owner: OWNER, repo: REPO, repositoryId: 4242, defaultBranch: 'main' });
    github.state.addChain(2, { branch: 'main' });
    // The function, with the README's role, and the alias production traffic calls.
    const client = createLambdaClient({
      endpoint: emulator.endpoint,
      region: ACCOUNT.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' }
    });
    await client.send(
      new CreateFunctionCommand({
        FunctionName: FUNCTION,
        Runtime: 'nodejs20.x',
        Role: ACCOUNT.roleArn,
        Handler: 'index.handler',
        Code: { ZipFile: zipModel(MODEL) },
        MemorySize: 1024,
        Timeout: 10
      })
    );
    await waitUntilFunctionActiveV2({ client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 }, { FunctionName: FUNCTION });
    const { Version } = await client.send(new PublishVersionCommand({ FunctionName: FUNCTION }));
    await client.send(new CreateAliasCommand({ FunctionName: FUNCTION, Name: 'live', FunctionVersion: Version }));
    client.destroy();

    const head = github.state.branches.get('main')!;
    github.state.addRun({ id: 500, event: 'push', conclusion: 'success', headBranch: 'main', headSha: head });
    const baseline = await story('push: record a baseline', 'in-place', {
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
    expect({ code: baseline.code, errors: baseline.errors }).toEqual({ code: 0, errors: [] });
    const inPlace = await story(
      'PR in place, monthly-invocations auto',
      'in-place',
      pullRequest(1, { 'monthly-invocations': 'auto' })
    );
    expect({ code: inPlace.code, errors: inPlace.errors }).toEqual({ code: 0, errors: [] });
    const copy = await story(
      'PR on a temporary copy',
      'temporary-copy',
      pullRequest(2, { 'deploy-mode': 'temporary-copy' })
    );
    expect({ code: copy.code, errors: copy.errors }).toEqual({ code: 0, errors: [] });
    const live = await story('PR against the live alias', 'in-place', pullRequest(3, { 'baseline-qualifier': 'live' }));
    expect({ code: live.code, errors: live.errors }).toEqual({ code: 0, errors: [] });
    const cancelled = await story(
      'PR cancelled while counting traffic',
      'in-place',
      pullRequest(
        4,
        { 'monthly-invocations': 'auto' },
        {
          onStart: (child) => {
            const from = emulator.requests().length;
            const timer = setInterval(() => {
              if (
                emulator
                  .requests()
                  .slice(from)
                  .some((r) => r.operation === 'StartQuery')
              ) {
                clearInterval(timer);
                child.kill('SIGTERM');
              }
            }, 10);
            child.on('exit', () => clearInterval(timer));
          }
        }
      )
    );
    expect(cancelled.code).toBe(1);
    await sweepWithoutTails('in-place', 'iam-tail-1');
    await sweepWithoutTails('temporary-copy', 'iam-tail-2');
  }, 240_000);

  afterAll(async () => {
    await github?.close();
    await emulator?.close();
  });

  const needs = (mode?: DeployMode): Need[] =>
    runs
      .filter((run) => mode === undefined || run.mode === mode)
      .flatMap((run) => run.calls.flatMap((c) => needsOf(c, ACCOUNT)));
  const describeNeed = (need: Need) => `${need.action} on ${need.arns[0]} (${need.entry.operation})`;

  it('allows every call of an in-place run with the policy alone', () => {
    const refused = needs('in-place').filter((need) => allowing(policy, need).length === 0);
    expect(refused.map(describeNeed)).toEqual([]);
  });

  it('allows every call of a temporary-copy run with the policy and the documented additions', () => {
    expect(copyExtras.length).toBeGreaterThan(0);
    const refused = needs('temporary-copy').filter((need) => allowing([...policy, ...copyExtras], need).length === 0);
    expect(refused.map(describeNeed)).toEqual([]);
  });

  it('lists nothing no run needs: every action and resource of the policy is used', () => {
    expect(unusedParts(policy, needs())).toEqual([]);
    // The additions only for what the policy does not already allow.
    const extraNeeds = needs('temporary-copy').filter((need) => allowing(policy, need).length === 0);
    expect(unusedParts(copyExtras, extraNeeds)).toEqual([]);
  });

  it('documents the three actions only the temporary copy needs, by name, in the text', () => {
    const inPolicy = new Set(policy.flatMap((s) => s.actions.map((a) => a.toLowerCase())));
    const added = [...new Set(copyExtras.flatMap((s) => s.actions))].filter((a) => !inPolicy.has(a.toLowerCase()));
    expect(added.sort()).toEqual(['iam:PassRole', 'lambda:CreateFunction', 'lambda:TagResource']);
    const prose = section.replace(/```[\s\S]*?```/g, '');
    for (const action of added) expect(prose).toContain(action);
    expect(prose).toMatch(/temporary-copy/);
  });

  it('observes every IAM action of the policy being called, and reports the set', () => {
    const observed = [...new Set(needs().map((need) => need.action))].sort();
    expect(observed).toEqual(
      [
        'iam:PassRole',
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:InvokeFunction',
        'lambda:ListVersionsByFunction',
        'lambda:PublishVersion',
        'lambda:TagResource',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'logs:FilterLogEvents',
        'logs:GetQueryResults',
        'logs:StartQuery',
        'logs:StopQuery'
      ].sort()
    );
  });

  it('calls DeleteFunction only on a version the same run published, or on the copy it created', () => {
    let deletes = 0;
    for (const run of runs) {
      const published = new Set(
        run.calls
          .filter((c) => c.operation === 'PublishVersion' && c.status === 201 && c.version)
          .map((c) => `${c.resource}:${c.version}`)
          .filter((version) => !run.versionsBefore.has(version))
      );
      const created = new Set(
        run.calls.filter((c) => c.operation === 'CreateFunction' && c.status === 201).map((c) => c.resource)
      );
      for (const call of run.calls.filter((c) => c.operation === 'DeleteFunction')) {
        deletes += 1;
        const target = call.qualifier ? `${call.resource}:${call.qualifier}` : call.resource;
        const ours = call.qualifier ? published.has(target!) : created.has(call.resource);
        expect({ run: run.name, target, ours }).toEqual({ run: run.name, target, ours: true });
      }
    }
    expect(deletes).toBeGreaterThan(0);
    // And nothing the runs made is left: the alias's version is the one version there is.
    expect(emulator.state().map((fn) => ({ name: fn.name, versions: fn.versions.map((v) => v.version) }))).toEqual([
      { name: FUNCTION, versions: ['1'] }
    ]);
  });
});
