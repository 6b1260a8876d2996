/**
 * The job killed outright (SIGKILL, as the runner does after its signals, or a runner that dies) in each
 * phase. The post step, run with the state the killed main step saved, removes what was left. When no post
 * step ran, the NEXT run of the action on the same function does, but only what a dead run left: marks on
 * `$LATEST` unchanged for 15 minutes, versions alone after 6 hours (a live run may still measure them). The
 * next run's clock is injected (in-process runGate) to stand for the time that passed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { PublishVersionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { createLambdaClient } from '../../src/aws/clients.js';
import { createAwsPorts } from '../../src/gate/aws-ports.js';
import { runGate } from '../../src/gate/run-gate.js';
import { originalDescription } from '../../src/deploy/naming.js';
import { removeStaleRuns } from '../../src/deploy/leftovers.js';
import { createVersionLister } from '../../src/main.js';
import { gateSettings } from '../gate/helpers.js';
import { gateDeps, PR_CONTEXT, withAwsCredentials } from '../gate/run-gate-helpers.js';
import { ACTION_ENTRY, type ActionRun } from '../support/run-action.js';
import { candidate, errorText, startTestBed, until, when, type TestBed } from './helpers.js';

const hold = (operation: string, fn: string, delayMs: number) => ({
  operation,
  resource: fn,
  kind: 'latency',
  delayMs
});
const MINUTE = 60_000;

interface Phase {
  name: string;
  fn: string;
  rules: unknown[];
  inside: (bed: TestBed, pr: number) => () => boolean;
  inputs?: Record<string, string>;
  /** What the post step says it did. */
  post: RegExp;
}

const PHASES: Phase[] = [
  {
    name: 'deploy',
    fn: 'k-deploy',
    rules: [hold('UpdateFunctionCode', 'k-deploy', 800)],
    inside: (bed) => () => bed.hits('UpdateFunctionCode', 'k-deploy') >= 1,
    // The candidate's code landed after the kill, before the run wrote any description: only the journal
    // written before the upload tells it is the run's.
    post: /k-deploy: the main step stopped early; \$LATEST was put back, 1 versions and 0 temporary copies were removed/
  },
  {
    name: 'version publishing',
    fn: 'k-publish',
    rules: [hold('PublishVersion', 'k-publish', 500)],
    inside: (bed) => () => bed.hits('PublishVersion', 'k-publish') >= 2,
    post: /k-publish: the main step stopped early; \$LATEST was put back, 2 versions and 0 temporary copies were removed/
  },
  {
    name: 'invocation',
    fn: 'k-invoke',
    rules: [hold('Invoke', 'k-invoke', 30)],
    inside: (bed) => () => bed.hits('Invoke', 'k-invoke') >= 4,
    inputs: { invocations: '400', 'gate-invocations': '400', sampling: 'fixed' },
    post: /k-invoke: the main step stopped early; 3 versions and 0 temporary copies were removed/
  },
  {
    name: 'cleanup',
    fn: 'k-cleanup',
    rules: [hold('DeleteFunction', 'k-cleanup', 800)],
    inside: (bed) => () => bed.hits('DeleteFunction', 'k-cleanup') >= 1,
    post: /k-cleanup: the main step stopped early; 2 versions and 0 temporary copies were removed/
  },
  {
    name: 'invocation on a temporary copy',
    fn: 'k-copy',
    rules: [],
    inside: (bed) => () => {
      const copy = bed.copies().find((name) => name.startsWith('k-copy-lcg-'));
      return copy !== undefined && (bed.stateOf(copy)?.versions.length ?? 0) >= 2;
    },
    inputs: { 'deploy-mode': 'temporary-copy', invocations: '400', 'gate-invocations': '400', sampling: 'fixed' },
    post: /k-copy: the main step stopped early; 0 versions and 1 temporary copies were removed/
  },
  {
    name: 'commenting',
    fn: 'k-comment',
    rules: [],
    inside: (bed, pr) => {
      let held = false;
      bed.github.holdNext({
        method: 'POST',
        pathPattern: `/issues/${pr}/comments`,
        delayMs: 800,
        onHold: () => (held = true)
      });
      return () => held;
    },
    post: /k-comment: nothing left by run/
  }
];

describe('a killed run', () => {
  let bed: TestBed;
  let code: string;
  let codeSha256: string;
  const restoreCredentials = withAwsCredentials();

  beforeAll(async () => {
    expect(existsSync(ACTION_ENTRY)).toBe(true);
    bed = await startTestBed([...PHASES.map((p) => p.fn), 'k-next-latest', 'k-next-versions', 'k-carried'], {
      // A killed run saved no description anywhere the next run can read (see the last test).
      'k-next-latest': { description: '' }
    });
    ({ dir: code, sha256: codeSha256 } = await candidate(1.5));
  });
  afterAll(async () => {
    await bed.close();
    restoreCredentials();
  });

  /** Kills a run on `fn` once `inside` holds; returns the killed run. */
  const kill = (pr: number, fn: string, inside: () => boolean, inputs?: Record<string, string>) =>
    bed.runPr(pr, fn, {
      code,
      ...(inputs ? { inputs } : {}),
      onStart: when(inside, { act: (child) => child.kill('SIGKILL') })
    });

  it('in any phase: the post step removes what it left, and the function is as before', async () => {
    bed.faults(PHASES.flatMap((p) => p.rules));
    const before = new Map(PHASES.map((p) => [p.fn, bed.stateOf(p.fn)!]));

    const killed = await Promise.all(PHASES.map((p, i) => kill(201 + i, p.fn, p.inside(bed, 201 + i), p.inputs)));
    for (const run of killed) expect(run.signal).toBe('SIGKILL');
    // What was on its way when the job died still lands (the held upload, deletion, comment).
    await until(() => bed.stateOf('k-deploy')!.codeSha256 === codeSha256);
    await until(() => bed.stateOf('k-publish')!.versions.length === 2);
    await until(() => bed.stateOf('k-cleanup')!.versions.length === 2);
    await until(() => bed.commentsOn(206) === 1);
    // The deploy-phase run wrote no description: the journal it saved before the upload is what tells.
    expect(bed.stateOf('k-deploy')!.description).toBe('Orders service');
    expect(JSON.parse(killed[0]!.state.cleanup!)[0].writtenCode).toEqual([codeSha256]);
    const posts: ActionRun[] = await Promise.all(
      PHASES.map((p, i) => bed.runPr(201 + i, p.fn, { code, state: killed[i]!.state }))
    );

    for (const [index, phase] of PHASES.entries()) {
      const post = posts[index]!;
      expect({ phase: phase.name, code: post.code, errors: errorText(post) }).toEqual({
        phase: phase.name,
        code: 0,
        errors: ''
      });
      expect(post.stdout).toMatch(phase.post);
      expect(bed.stateOf(phase.fn)).toEqual({ ...before.get(phase.fn), revisionId: expect.any(String) });
      expect(bed.commentsOn(201 + index)).toBe(phase.name === 'commenting' ? 1 : 0);
    }
    expect(bed.copies()).toEqual([]);
  });

  /** The next run, in-process, on a clock `aheadMs` ahead of the emulator's. */
  async function nextRun(fn: string, aheadMs: number) {
    const aws = createAwsPorts({ endpointUrl: bed.emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    const lister = createVersionLister({ endpointUrl: bed.emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    const warnings: string[] = [];
    const deps = {
      ...gateDeps(aws),
      portsFor: (region: string | undefined) => ({
        ...aws.portsFor(region),
        listVersionsWithAge: lister.forRegion(region)
      }),
      warn: (line: string) => warnings.push(line),
      now: () => new Date(Date.now() + aheadMs)
    };
    const settings = gateSettings({
      'function-name': fn,
      'aws-region': 'us-east-1',
      'memory-sizes': '512',
      invocations: '3',
      'gate-invocations': '6',
      warmup: '0',
      concurrency: '2'
    });
    try {
      const { outcome } = await runGate(settings, PR_CONTEXT, deps);
      return { verdict: outcome.verdict, warnings };
    } finally {
      aws.close();
      lister.close();
    }
  }

  it('with no post step: the next run refuses to start while the marks are fresh, and removes them after 15 minutes', async () => {
    const before = bed.stateOf('k-next-latest')!;
    bed.faults([hold('PublishVersion', 'k-next-latest', 300)]);
    await kill(211, 'k-next-latest', () => bed.hits('PublishVersion', 'k-next-latest') >= 2);
    await until(() => bed.stateOf('k-next-latest')!.versions.length === 2);
    const marked = bed.stateOf('k-next-latest')!;
    expect(marked.description).toMatch(/^lambda-cost-gate run 9211-1-[0-9a-f]+: 512 MB$/);

    // At once: the run could be alive, so the next one changes nothing and says what to do.
    const refused = await bed.runPr(212, 'k-next-latest', { code });
    expect(refused.code).toBe(1);
    expect(errorText(refused)).toMatch(
      /Another lambda-cost-gate run \(9211-1-[0-9a-f]+\) is changing function k-next-latest right now: \$LATEST carries its description.*concurrency:.*temporary-copy/s
    );
    expect(bed.stateOf('k-next-latest')).toEqual(marked);

    // 16 minutes on: nothing alive leaves $LATEST marked that long.
    const next = await nextRun('k-next-latest', 16 * MINUTE);
    expect(next.verdict).toBe('pass');
    expect(next.warnings).toEqual([
      expect.stringMatching(
        /^Removed what run 9211-1-[0-9a-f]+ left on k-next-latest: \$LATEST put back, 2 versions deleted\./
      )
    ]);
    expect(bed.stateOf('k-next-latest')).toEqual({ ...before, revisionId: expect.any(String) });
  });

  it('with no post step: the next run leaves the versions of a run that may still be measuring, for 6 hours', async () => {
    const before = bed.stateOf('k-next-versions')!;
    bed.faults([hold('Invoke', 'k-next-versions', 30)]);
    await kill(221, 'k-next-versions', () => bed.hits('Invoke', 'k-next-versions') >= 4, {
      invocations: '400',
      'gate-invocations': '400'
    });
    bed.faults([]);
    const left = bed.stateOf('k-next-versions')!.versions;
    expect(left).toHaveLength(3);

    // $LATEST is back, so the next run may measure; it deletes its own versions and nobody else's.
    const soon = await bed.runPr(222, 'k-next-versions', { code });
    expect(soon.code).toBe(0);
    const later = await nextRun('k-next-versions', 5 * 60 * MINUTE);
    expect(later.warnings).toEqual([]);
    expect(bed.stateOf('k-next-versions')!.versions).toEqual(left);

    const next = await nextRun('k-next-versions', 6 * 60 * MINUTE + MINUTE);
    expect(next.warnings).toEqual([
      expect.stringMatching(/^Removed what run 9221-1-[0-9a-f]+ left on k-next-versions: 3 versions deleted\.$/)
    ]);
    expect(bed.stateOf('k-next-versions')).toEqual({ ...before, revisionId: expect.any(String) });
  });

  it('puts the original description back when the run’s safety version carries it', async () => {
    // What a run would leave if killed after marking $LATEST, with a safety version that carries the
    // function's description (naming.originalDescription with its second argument).
    const client = createLambdaClient({ endpoint: bed.emulator.endpoint, region: 'us-east-1', maxAttempts: 1 });
    const before = bed.stateOf('k-carried')!;
    await client.send(
      new PublishVersionCommand({
        FunctionName: 'k-carried',
        Description: originalDescription('dead-1', 'Orders service')
      })
    );
    await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'k-carried',
        MemorySize: 512,
        Description: 'lambda-cost-gate run dead-1: 512 MB'
      })
    );
    await client.send(
      new PublishVersionCommand({ FunctionName: 'k-carried', Description: 'lambda-cost-gate run dead-1: 512 MB' })
    );
    const aws = createAwsPorts({ endpointUrl: bed.emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    const lister = createVersionLister({ endpointUrl: bed.emulator.endpoint, region: 'us-east-1', maxAttempts: 2 });
    try {
      const aged = await lister.forRegion(undefined)('k-carried');
      const port = aws.portsFor(undefined).lambda;

      const early = await removeStaleRuns(port, 'k-carried', {
        ownRunId: 'me',
        aged,
        now: new Date(Date.now() + 14 * MINUTE)
      });
      const late = await removeStaleRuns(port, 'k-carried', {
        ownRunId: 'me',
        aged,
        now: new Date(Date.now() + 15 * MINUTE)
      });

      expect(early).toEqual([]);
      expect(late).toEqual(['Removed what run dead-1 left on k-carried: $LATEST put back, 2 versions deleted.']);
      expect(bed.stateOf('k-carried')).toEqual({ ...before, revisionId: expect.any(String) });
    } finally {
      client.destroy();
      aws.close();
      lister.close();
    }
  });
});
