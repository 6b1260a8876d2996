/**
 * Two pull requests gating the same function at once, each with its own candidate. In place, the second
 * run must never take the first one's candidate for the original nor measure it: it detects the other run
 * (its marks on `$LATEST`, or a RevisionId precondition) and fails, changing nothing, with a message that
 * says what to do. In temporary-copy mode the runs cannot meet: both pass. Nothing is left either way.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { parseRunReportText } from '../../src/report/run-report.js';
import { ACTION_ENTRY, type ActionRun } from '../support/run-action.js';
import { candidate, errorText, startTestBed, when, type TestBed } from './helpers.js';

const ADVICE = /`concurrency:` group per function.*`deploy-mode: temporary-copy`/s;

/** The CodeSha256 a run measured, from its JSON report. */
const measuredCode = (run: ActionRun): string =>
  parseRunReportText(readFileSync(run.outputs['report-path']!, 'utf8')).function.codeSha256;

describe('two pull requests on one function at once', () => {
  let bed: TestBed;
  let first: { dir: string; sha256: string };
  let second: { dir: string; sha256: string };

  beforeAll(async () => {
    expect(existsSync(ACTION_ENTRY)).toBe(true);
    bed = await startTestBed(['shared-a', 'shared-b', 'shared-c']);
    first = await candidate(1.5);
    second = await candidate(2);
  });
  afterAll(async () => bed.close());

  /** Runs PR `a` and, once `overlap` holds for it, PR `b`, on the same function. */
  async function overlapping(
    fn: string,
    a: number,
    b: number,
    overlap: () => boolean,
    inputs: Record<string, string> = {}
  ) {
    let later: Promise<ActionRun> | undefined;
    const earlier = await bed.runPr(a, fn, {
      code: first.dir,
      inputs,
      onStart: when(overlap, { act: () => (later = bed.runPr(b, fn, { code: second.dir, inputs })) })
    });
    expect(later).toBeDefined();
    return [earlier, await later!] as const;
  }

  it('in place, the run that comes second while the first changes $LATEST stops at once, changing nothing', async () => {
    const before = bed.stateOf('shared-a')!;
    // Each publish takes 2 s, so the first run's marks stay on $LATEST for 4 s after the second one starts.
    bed.faults([{ operation: 'PublishVersion', resource: 'shared-a', kind: 'latency', delayMs: 2000 }]);

    // The second run starts while the first publishes its memory sizes ($LATEST carries its description).
    const [a, b] = await overlapping('shared-a', 301, 302, () => bed.hits('PublishVersion', 'shared-a') >= 2);

    expect(a.code).toBe(0);
    expect(measuredCode(a)).toBe(first.sha256);
    expect(b.code).toBe(1);
    expect(errorText(b)).toMatch(
      /^Another lambda-cost-gate run \(9301-1-[0-9a-f]+\) is changing function shared-a right now: \$LATEST carries its description/
    );
    expect(errorText(b)).toMatch(ADVICE);
    expect(b.stdout).not.toContain('Deploying the candidate code');
    expect(bed.stateOf('shared-a')).toEqual({ ...before, revisionId: expect.any(String) });
    expect([bed.commentsOn(301), bed.commentsOn(302)]).toEqual([1, 0]);
  });

  it('in place, started together: at most one run measures, only its own code, and the other says what to do', async () => {
    const before = bed.stateOf('shared-b')!;
    // Slow publishing makes the two preparations overlap.
    bed.faults([{ operation: 'PublishVersion', resource: 'shared-b', kind: 'latency', delayMs: 200 }]);

    const runs = await Promise.all([
      bed.runPr(311, 'shared-b', { code: first.dir }),
      bed.runPr(312, 'shared-b', { code: second.dir })
    ]);

    const passed = runs.filter((run) => run.code === 0);
    expect(passed.length).toBeGreaterThanOrEqual(1);
    for (const [index, run] of runs.entries()) {
      if (run.code === 0) {
        expect(measuredCode(run)).toBe([first, second][index]!.sha256);
      } else {
        expect(errorText(run)).toMatch(/changed by someone else during the run|Another lambda-cost-gate run/);
        expect(errorText(run)).toMatch(ADVICE);
      }
    }
    expect(bed.stateOf('shared-b')).toEqual({ ...before, revisionId: expect.any(String) });
  });

  it('in temporary-copy mode both pass, each measuring its own code, and the function is never touched', async () => {
    const before = bed.stateOf('shared-c')!;
    bed.faults([]);

    // The second run starts once the first one's copy exists.
    const [a, b] = await overlapping(
      'shared-c',
      321,
      322,
      () => bed.copies().some((n) => n.startsWith('shared-c-lcg-')),
      {
        'deploy-mode': 'temporary-copy'
      }
    );

    expect([a.code, b.code]).toEqual([0, 0]);
    expect([measuredCode(a), measuredCode(b)]).toEqual([first.sha256, second.sha256]);
    // Not even a RevisionId moved.
    expect(bed.stateOf('shared-c')).toEqual(before);
    expect(bed.copies()).toEqual([]);
    expect([bed.commentsOn(321), bed.commentsOn(322)]).toEqual([1, 1]);
  });
});
