/**
 * Cancellation as the runner does it: SIGINT or SIGTERM to the bundled action during each phase — the
 * candidate's deployment, version publishing, invocation (in place, and on a temporary copy), cleanup, and
 * while the comment is posted — and then a second signal during cleanup. Each phase runs on its own function, so one signal's five runs go in
 * parallel; an emulator rule holds the phase's operation so that the signal lands inside it.
 *
 * After every run: exit status 1 with a message saying it was cancelled, when, and what was put back;
 * `$LATEST` exactly as before; no version and no temporary copy left; at most one comment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { ACTION_ENTRY, type ActionRun } from '../support/run-action.js';
import { candidate, errorText, startTestBed, when, type TestBed } from './helpers.js';

interface Phase {
  name: string;
  fn: string;
  rules: unknown[];
  /** True once the run is inside the phase. */
  inside: (bed: TestBed, pr: number) => () => boolean;
  inputs?: Record<string, string>;
  /** How the cancellation message names the phase. */
  named: RegExp;
  /** What the message says was put back. */
  putBack: RegExp;
  comments: number;
}

const hold = (operation: string, fn: string, delayMs: number) => ({
  operation,
  resource: fn,
  kind: 'latency',
  delayMs
});
/** The last size published is the original 1024 MB, so only code and description were off by then. */
const RESTORED = /\$LATEST put back \(code, description\), versions \d+(, \d+)* deleted/;

const PHASES: Phase[] = [
  {
    name: 'deploy',
    fn: 'c-deploy',
    rules: [hold('UpdateFunctionCode', 'c-deploy', 1500)],
    inside: (bed) => () => bed.hits('UpdateFunctionCode', 'c-deploy') >= 1,
    named: /while c-deploy: Deploying the candidate code to c-deploy\)/,
    // Only the code had changed; the safety version is the one version made.
    putBack: /c-deploy: \$LATEST put back \(code\), version \d+ deleted\./,
    comments: 0
  },
  {
    name: 'version publishing',
    fn: 'c-publish',
    // The second PublishVersion is the first memory size's (the first is the safety version).
    rules: [hold('PublishVersion', 'c-publish', 1000)],
    inside: (bed) => () => bed.hits('PublishVersion', 'c-publish') >= 2,
    named: /while c-publish: Publishing version 1 of 2: 512 MB\)/,
    putBack: /c-publish: \$LATEST put back \(code, memory, description\), versions \d+, \d+ deleted\./,
    comments: 0
  },
  {
    name: 'invocation',
    fn: 'c-invoke',
    rules: [hold('Invoke', 'c-invoke', 30)],
    inside: (bed) => () => bed.hits('Invoke', 'c-invoke') >= 4,
    inputs: { invocations: '400', 'gate-invocations': '400', sampling: 'fixed' },
    named: /while c-invoke: Invoking 2 versions 800 times, 4 at a time\)/,
    putBack: RESTORED,
    comments: 0
  },
  {
    name: 'cleanup',
    fn: 'c-cleanup',
    rules: [hold('DeleteFunction', 'c-cleanup', 1500)],
    inside: (bed) => () => bed.hits('DeleteFunction', 'c-cleanup') >= 1,
    named: /while deleting the versions of c-cleanup\)/,
    putBack: RESTORED,
    comments: 0
  },
  {
    name: 'invocation on a temporary copy',
    fn: 'c-copy',
    rules: [],
    // The copy's versions exist; invocations start right after.
    inside: (bed) => {
      let since: number | undefined;
      return () => {
        const copy = bed.copies().find((name) => name.startsWith('c-copy-lcg-'));
        if (copy && (bed.stateOf(copy)?.versions.length ?? 0) >= 2) since ??= Date.now();
        return since !== undefined && Date.now() - since >= 500;
      };
    },
    inputs: { 'deploy-mode': 'temporary-copy', invocations: '400', 'gate-invocations': '400', sampling: 'fixed' },
    named: /while c-copy: Invoking 2 versions 800 times, 4 at a time\)/,
    putBack: /c-copy: the temporary copy c-copy-lcg-[0-9a-f]{8} deleted\./,
    comments: 0
  },
  {
    name: 'commenting',
    fn: 'c-comment',
    rules: [],
    inside: (bed, pr) => {
      let held = false;
      bed.github.holdNext({
        method: 'POST',
        pathPattern: `/issues/${pr}/comments`,
        delayMs: 1500,
        onHold: () => (held = true)
      });
      return () => held;
    },
    named: /while posting the comment and the job summary\)/,
    putBack: RESTORED,
    // The comment was on its way when the signal came: it lands, once.
    comments: 1
  }
];

describe('cancelling the action with a signal', () => {
  let bed: TestBed;
  let code: string;

  beforeAll(async () => {
    expect(existsSync(ACTION_ENTRY)).toBe(true);
    bed = await startTestBed([...PHASES.map((p) => p.fn), 'c-twice']);
    code = (await candidate(1.5)).dir;
  });
  afterAll(async () => bed.close());

  /** Runs every phase at once, each signalled once inside its phase; returns the runs in PHASES order. */
  async function cancelEach(signal: NodeJS.Signals, firstPr: number): Promise<ActionRun[]> {
    bed.faults(PHASES.flatMap((p) => p.rules));
    return Promise.all(
      PHASES.map((phase, index) =>
        bed.runPr(firstPr + index, phase.fn, {
          code,
          ...(phase.inputs ? { inputs: phase.inputs } : {}),
          onStart: when(phase.inside(bed, firstPr + index), { act: (child) => child.kill(signal) })
        })
      )
    );
  }

  for (const [signal, firstPr] of [
    ['SIGINT', 101],
    ['SIGTERM', 111]
  ] as const) {
    it(`${signal} in each phase: exit 1 saying what was put back, the function as before, nothing left`, async () => {
      const before = new Map(PHASES.map((p) => [p.fn, bed.stateOf(p.fn)!]));

      const runs = await cancelEach(signal, firstPr);

      for (const [index, phase] of PHASES.entries()) {
        const run = runs[index]!;
        const text = errorText(run);
        const context = `${phase.name}: ${text || run.stdout.slice(-2000)}`;
        expect({ phase: phase.name, code: run.code, signal: run.signal }).toEqual({
          phase: phase.name,
          code: 1,
          signal: null
        });
        expect(context).toMatch(new RegExp(`The run was cancelled \\(${signal} while`));
        expect(context).toMatch(phase.named);
        expect(context).toMatch(phase.putBack);
        expect(context).toContain('Checked afterwards: nothing this run made is left, and $LATEST is as it was.');
        expect(run.warnings.some((line) => line.includes(`Received ${signal} while`))).toBe(true);
        expect(bed.stateOf(phase.fn)).toEqual({ ...before.get(phase.fn), revisionId: expect.any(String) });
        expect({ phase: phase.name, comments: bed.commentsOn(firstPr + index) }).toEqual({
          phase: phase.name,
          comments: phase.comments
        });
      }
      expect(bed.copies()).toEqual([]);
    });
  }

  it('does not abandon the cleanup on a second signal: it finishes it, then fails saying so', async () => {
    const before = bed.stateOf('c-twice')!;
    bed.faults([hold('DeleteFunction', 'c-twice', 800)]);

    const run = await bed.runPr(121, 'c-twice', {
      code,
      onStart: when(
        () => bed.hits('DeleteFunction', 'c-twice') >= 1,
        { act: (child) => child.kill('SIGINT') },
        { delayMs: 300, act: (child) => child.kill('SIGTERM') }
      )
    });

    expect(run.code).toBe(1);
    expect(
      run.warnings.some((line) => line.includes('Received SIGTERM again: still putting every function back'))
    ).toBe(true);
    expect(errorText(run)).toMatch(/The run was cancelled \(SIGINT while deleting the versions of c-twice\)/);
    expect(errorText(run)).toContain('Checked afterwards: nothing this run made is left');
    expect(bed.stateOf('c-twice')).toEqual({ ...before, revisionId: expect.any(String) });
    expect(bed.commentsOn(121)).toBe(0);
    // The post step that follows a cancelled (not killed) run finds nothing to do.
    const post = await bed.runPr(121, 'c-twice', { code, state: run.state });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/c-twice: nothing left by run 9121-1-[0-9a-f]+\./);
  });
});
