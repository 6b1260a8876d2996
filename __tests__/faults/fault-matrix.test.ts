/**
 * The fault matrix: every fault the emulator and the fake GitHub can inject, in every phase of a gate run
 * where it can strike, through the real gate (runGate → publishOutcome → decide, as main.ts runs them). The
 * rows are data (rows-*.ts); after each one the same promises are checked:
 * - `$LATEST` exactly as before (RevisionId aside when the run wrote to it; someone else's change kept);
 *   no version, alias or function the run made is left (after the post step, for the rows that need it);
 * - at most one comment for the function, and exactly the expected number;
 * - the outcome: the error's class and a message naming the call and the fault, or the verdict and exit status;
 * - a run report that says what was measured and what was not: counts that add up, unusable sizes, and a
 *   warning for every kind of failure.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorMessage } from '../../src/errors.js';
import { parseMarkers } from '../../src/github/comment-marker.js';
import { ACTION_ROWS, runActionRow } from './action-rows.js';
import { startFaultBed, MEMORY_MB, type FaultBed } from './fault-bed.js';
import type { FaultRow } from './row-types.js';
import { rowIds, runRow, type RowResult } from './run-row.js';
import { DEPLOY_ROWS } from './rows-deploy.js';
import { GITHUB_ROWS } from './rows-github.js';
import { RUN_ROWS } from './rows-run.js';

const ROWS: FaultRow[] = [...DEPLOY_ROWS, ...RUN_ROWS, ...GITHUB_ROWS];

/** The function of the nth action row. */
const actionFn = (index: number) => `fa-${index + 1}`;

const FAILURE_WARNING = /were throttled|failed before the function ran|is unusable/;

describe('the fault matrix', () => {
  let bed: FaultBed;

  beforeAll(async () => {
    bed = await startFaultBed([
      ...ROWS.map((row, index) => ({ name: rowIds(index).fn, ...(row.model ? { model: row.model } : {}) })),
      ...ACTION_ROWS.map((_row, index) => ({ name: actionFn(index) }))
    ]);
  });
  afterAll(async () => bed.close());

  it('covers every phase and at least 40 fault × phase pairs', () => {
    const all = [...ROWS, ...ACTION_ROWS];
    const pairs = new Set(all.map((row) => `${row.fault} @ ${row.phase}`));
    expect(pairs.size).toBe(all.length);
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ROWS.map((row) => row.phase)).size).toBe(10);
  });

  it.each(ROWS.map((row, index) => [`${row.phase} × ${row.fault}`, row, index] as const))(
    '%s',
    async (_name, row, index) => {
      const result = await runRow(bed, row, index);
      expect(result.hookErrors).toEqual([]);
      expect(result.unusedGitHubFaults).toBe(0);
      assertOutcome(row, result);
      assertNothingLeft(row, result);
      expect(result.comments).toBe(row.expect.comments);
      expect((result.calls.get('invoke') ?? 0) > 0).toBe(row.expect.measured);
      for (const [method, count] of Object.entries(row.expect.calls ?? {}))
        expect(result.calls.get(method)).toBe(count);
      for (const line of row.expect.logs ?? []) expect(result.logs).toContainEqual(expect.stringMatching(line));
      if (result.outcome) assertHonestReport(row, result, bed);
    }
  );

  it.each(ACTION_ROWS.map((row, index) => [`${row.phase} × ${row.fault}`, row, index] as const))(
    '%s',
    async (_name, row, index) => {
      const fn = actionFn(index);
      const before = bed.emulator.state();
      const result = await runActionRow(bed, row, fn, 300 + index);
      const want = row.expect;
      expect(result.main.code).toBe(want.exit);
      if (want.verdict) expect(result.main.outputs.verdict).toBe(want.verdict);
      if (want.error) expect(result.main.errors).toContainEqual(expect.stringMatching(want.error));
      if (want.warning) expect(result.main.warnings).toContainEqual(expect.stringMatching(want.warning));
      expect(result.comments).toBe(want.comments);
      expect(result.versionsAfterMain > 0).toBe(want.leftover ?? false);
      if (want.leftover) {
        expect(result.post?.code).toBe(0);
        expect(result.post?.warnings).toContainEqual(expect.stringMatching(/the main step stopped early; 1 versions/));
      }
      const was = before.find((f) => f.name === fn)!;
      expect(bed.emulator.state().find((f) => f.name === fn)).toEqual({
        ...was,
        revisionId: want.touched === false ? was.revisionId : expect.any(String)
      });
      expect(bed.emulator.state().map((f) => f.name)).toEqual(before.map((f) => f.name));
    }
  );

  it('ends with no version, alias or temporary function anywhere, and no function with two comments', () => {
    const functions = bed.emulator.state();
    expect(functions.filter((f) => f.versions.length > 0 || f.aliases.length > 0).map((f) => f.name)).toEqual([]);
    expect(functions.filter((f) => f.name.includes('-lcg-')).map((f) => f.name)).toEqual([]);
    const perFunction = new Map<string, number>();
    for (const comment of bed.github.state.comments) {
      for (const marker of parseMarkers(comment.body)) {
        const key = `#${comment.issueNumber} ${marker.functionName}`;
        perFunction.set(key, (perFunction.get(key) ?? 0) + 1);
      }
    }
    expect([...perFunction].filter(([, count]) => count > 1)).toEqual([]);
    expect(perFunction.size).toBeGreaterThan(0);
  });
});

function assertOutcome(row: FaultRow, result: RowResult): void {
  const want = row.expect;
  if (want.error) {
    expect(result.error).toBeInstanceOf(want.error.type);
    expect(errorMessage(result.error)).toMatch(want.error.message);
  } else {
    expect(result.error === undefined ? undefined : errorMessage(result.error)).toBeUndefined();
    expect(result.outcome?.verdict).toBe(want.verdict);
  }
  expect(result.exit).toBe(want.exit);
  for (const notice of want.notices ?? []) {
    expect(result.outcome?.notices).toContainEqual(expect.stringMatching(notice));
  }
}

/** `$LATEST` as before (but for someone else's change), no version or alias, no function created. */
function assertNothingLeft(row: FaultRow, result: RowResult): void {
  const want = row.expect;
  expect(result.leftover).toBe(want.leftover ?? false);
  if (want.latest === 'deleted') {
    expect(result.after).toBeUndefined();
    expect(result.namesAfter).toEqual(result.namesBefore.filter((name) => name !== result.fn));
    return;
  }
  expect(result.after).toEqual({
    ...result.before,
    ...want.latest,
    revisionId: want.touched === false ? result.before.revisionId : expect.any(String),
    versions: [],
    aliases: []
  });
  expect(result.namesAfter).toEqual(result.namesBefore);
}

/** The report's counts add up, and every failure the run met is said in words, and reaches the comment. */
function assertHonestReport(row: FaultRow, result: RowResult, bed: FaultBed): void {
  const want = row.expect;
  const report = result.report!;
  expect(report).toBeDefined();
  // The candidate was measured, whatever someone else deployed to $LATEST meanwhile.
  expect(report.function.codeSha256).toBe(result.candidateSha);
  expect(report.warnings.filter((w) => w.includes('ran a version other than'))).toEqual([]);
  for (const size of report.sizes) {
    const measured = report.samples.filter((s) => s.memoryMb === size.memoryMb && s.phase === 'measure');
    expect(size.measured).toBe(measured.length);
    expect(size.errors).toBe(measured.filter((s) => s.error !== undefined).length);
  }
  const gated = report.sizes.find((s) => s.memoryMb === MEMORY_MB)!;
  expect(gated.measured).toBe(Number(row.inputs?.['gate-invocations'] ?? 3));
  expect(report.sizes.filter((s) => s.unusable).map((s) => s.memoryMb)).toEqual(want.unusable ?? []);
  for (const warning of want.warnings ?? []) expect(report.warnings).toContainEqual(expect.stringMatching(warning));
  if (want.errors) {
    const count = gated.errorsByKind[want.errors.kind];
    if (want.errors.count === 'all') expect(count).toBe(gated.measured);
    else expect(count).toBeGreaterThan(0);
  } else {
    for (const size of report.sizes.filter((s) => !s.unusable)) expect(size.errors + size.warmupErrors).toBe(0);
  }
  if (!want.errors && !want.unusable) expect(report.warnings.filter((w) => FAILURE_WARNING.test(w))).toEqual([]);
  // The reader of the comment sees every warning (unless the comment could not be written at all).
  const notPosted = result.outcome?.notices.some((n) =>
    n.startsWith(`The comment for ${result.fn} could not be posted`)
  );
  const comment = bed.github.state.comments.find((c) => c.body.includes(`function="${result.fn}"`));
  if (comment && !notPosted && report.warnings.length > 0) {
    expect(comment.body).toContain(`Warnings (${report.warnings.length})`);
  }
}
