/** Telling the outcome: comments on the pull request, the override label, the summary and the outputs. */
import { describe, expect, it } from '@jest/globals';
import type { GateContext, PullRequestInfo } from '../../src/gate/context.js';
import { publishOutcome, type PublishSettings } from '../../src/gate/publish.js';
import type { GateRun } from '../../src/gate/run-gate.js';
import type { GateOutcome } from '../../src/gate/types.js';
import { parseMarkers } from '../../src/github/comment-marker.js';
import { Outputs } from '../../src/inputs/names.js';
import { check, fnOutcome, MemoryGitHub, outcome, RecordingSink, size } from './helpers.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const LABEL = 'cost-regression-accepted';
const PR: PullRequestInfo = {
  number: 7,
  headSha: 'c0ffee0c0ffee0',
  baseSha: 'ba5e000ba5e000',
  baseRef: 'main',
  isFork: false,
  labels: []
};
const CONTEXT: GateContext = {
  onRunner: true,
  eventName: 'pull_request',
  ref: 'refs/pull/7/merge',
  repository: 'acme/shop',
  runUrl: 'https://github.com/acme/shop/actions/runs/900',
  pullRequest: PR
};
const ALWAYS: PublishSettings = { comment: 'always', overrideLabel: LABEL };
const COMMENT_CALLS = ['listIssueComments', 'createIssueComment', 'updateIssueComment'];

const passing = (name: string) => fnOutcome(name, [size({ memoryMb: 1024, costChange: 0.01, p99Change: 0.02 })]);
const failing = (name: string) =>
  fnOutcome(name, [
    size({
      memoryMb: 1024,
      costChange: 0.3,
      p99Change: 0.25,
      checks: [check('fail', 'p99 rose 25 %, beyond the 10 % budget.')]
    })
  ]);

function run(result: GateOutcome, reportPath = '/reports/lambda-cost-gate-result.json'): GateRun {
  return { outcome: result, reportPath };
}

async function publish(
  gate: GateRun,
  options: { settings?: PublishSettings; context?: GateContext; github?: MemoryGitHub | null } = {}
) {
  const sink = new RecordingSink();
  const github = options.github === null ? undefined : (options.github ?? new MemoryGitHub());
  const published = await publishOutcome(gate, options.settings ?? ALWAYS, options.context ?? CONTEXT, {
    ...(github ? { github } : {}),
    sink,
    now: NOW
  });
  return { published, sink, github };
}

const commentedFunctions = (github: MemoryGitHub) =>
  github.comments.flatMap((c) => parseMarkers(c.body).map((m) => m.functionName));

describe('publishOutcome comments', () => {
  it('posts one comment per function and gives the first one as comment-url', async () => {
    const github = new MemoryGitHub();
    const { sink } = await publish(run(outcome([failing('orders-api'), passing('billing')])), { github });

    expect(commentedFunctions(github)).toEqual(['orders-api', 'billing']);
    expect(github.comments.every((c) => c.issueNumber === 7)).toBe(true);
    expect(github.comments[0]!.body).toContain('orders-api');
    expect(sink.outputs.get(Outputs.CommentUrl)).toBe(github.comments[0]!.htmlUrl);
  });

  it('updates its comments in place on the next run instead of adding more', async () => {
    const github = new MemoryGitHub();
    const gate = run(outcome([failing('orders-api'), passing('billing')]));
    await publish(gate, { github });
    const first = github.comments.map((c) => c.body);

    await publish(run(outcome([passing('orders-api'), passing('billing')])), { github });

    expect(github.comments).toHaveLength(2);
    expect(github.comments[0]!.body).not.toBe(first[0]);
    expect(github.calls.filter((c) => c === 'updateIssueComment')).toHaveLength(2);
  });

  it('posts nothing with comment never', async () => {
    const github = new MemoryGitHub();
    const { sink } = await publish(run(outcome([failing('orders-api')])), {
      github,
      settings: { comment: 'never', overrideLabel: LABEL }
    });

    expect(github.calls.filter((c) => COMMENT_CALLS.includes(c))).toEqual([]);
    expect(sink.outputs.get(Outputs.CommentUrl)).toBe('');
    expect(sink.summaries).toHaveLength(1);
  });

  it('with on-change, leaves a passing function without a comment alone but comments a failing one', async () => {
    const github = new MemoryGitHub();
    const { sink } = await publish(run(outcome([passing('billing'), failing('orders-api')])), {
      github,
      settings: { comment: 'on-change', overrideLabel: LABEL }
    });

    expect(commentedFunctions(github)).toEqual(['orders-api']);
    expect(sink.outputs.get(Outputs.CommentUrl)).toBe(github.comments[0]!.htmlUrl);
  });

  it('with on-change, still updates the comment of a function that now passes', async () => {
    const github = new MemoryGitHub();
    await publish(run(outcome([failing('orders-api')])), { github });
    const before = github.comments[0]!.body;

    await publish(run(outcome([passing('orders-api')])), {
      github,
      settings: { comment: 'on-change', overrideLabel: LABEL }
    });

    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).not.toBe(before);
    expect(github.calls).toContain('updateIssueComment');
  });

  it('posts no comment on a pull request from a fork', async () => {
    const github = new MemoryGitHub();
    const context = { ...CONTEXT, pullRequest: { ...PR, isFork: true } };
    const { sink } = await publish(run(outcome([failing('orders-api')])), { github, context });

    expect(github.calls.filter((c) => COMMENT_CALLS.includes(c))).toEqual([]);
    expect(sink.outputs.get(Outputs.CommentUrl)).toBe('');
  });

  it('posts no comment in baseline mode, even with a pull request in the context', async () => {
    const github = new MemoryGitHub();
    await publish(run(outcome([failing('orders-api')], { mode: 'baseline' })), { github });

    expect(github.calls.filter((c) => COMMENT_CALLS.includes(c))).toEqual([]);
  });

  it('reports a comment that cannot be posted and still writes the summary and outputs', async () => {
    const github = new MemoryGitHub();
    github.failures.createIssueComment = new Error('Resource not accessible by integration');

    const { published, sink } = await publish(run(outcome([failing('orders-api')])), { github });

    expect(sink.annotations).toContainEqual({
      level: 'warning',
      message: 'Resource not accessible by integration',
      title: 'lambda-cost-gate: comment for orders-api'
    });
    const notice = 'The comment for orders-api could not be posted: Resource not accessible by integration';
    expect(published.notices).toContain(notice);
    expect(sink.lines).toContain(notice);
    expect(sink.summaries).toHaveLength(1);
    expect(sink.summaries[0]).toContain('could not be posted');
    expect(sink.outputs.get(Outputs.Verdict)).toBe('fail');
    expect(sink.outputs.get(Outputs.CommentUrl)).toBe('');
  });
});

describe('publishOutcome override label', () => {
  it('reads the labels now, so a label added after the event accepts the regression', async () => {
    const github = new MemoryGitHub();
    github.labels = ['bug', LABEL];

    const { published, sink } = await publish(run(outcome([failing('orders-api')])), { github });

    expect(published.override).toEqual({ label: LABEL });
    expect(sink.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(sink.annotations.some((a) => a.message.includes(`Accepted with the label "${LABEL}"`))).toBe(true);
  });

  it('does not accept the regression when the label was removed after the event', async () => {
    const github = new MemoryGitHub();
    const context = { ...CONTEXT, pullRequest: { ...PR, labels: [LABEL] } };

    const { published, sink } = await publish(run(outcome([failing('orders-api')])), { github, context });

    expect(published.override).toBeUndefined();
    expect(sink.annotations.some((a) => a.level === 'error')).toBe(true);
  });

  it("falls back to the event's labels when the labels cannot be read, and says so", async () => {
    const github = new MemoryGitHub();
    github.failures.getPullRequestLabels = new Error('HTTP 502');
    const context = { ...CONTEXT, pullRequest: { ...PR, labels: [LABEL] } };

    const { published, sink } = await publish(run(outcome([failing('orders-api')])), { github, context });

    expect(published.override).toEqual({ label: LABEL });
    const notice = "The pull request's labels could not be read (HTTP 502); using the event's.";
    expect(published.notices).toContain(notice);
    expect(sink.lines).toContain(notice);
  });

  it('uses the configured label name, not any label', async () => {
    const github = new MemoryGitHub();
    github.labels = [LABEL];

    const { published } = await publish(run(outcome([failing('orders-api')])), {
      github,
      settings: { comment: 'always', overrideLabel: 'perf-ok' }
    });

    expect(published.override).toBeUndefined();
  });

  it('does not mark a passing run as overridden', async () => {
    const github = new MemoryGitHub();
    github.labels = [LABEL];

    const { published } = await publish(run(outcome([passing('orders-api')])), { github });

    expect(published.override).toBeUndefined();
  });

  it("leaves the run's own outcome untouched", async () => {
    const github = new MemoryGitHub();
    github.labels = [LABEL];
    github.failures.createIssueComment = new Error('boom');
    const gate = run(outcome([failing('orders-api')]));

    await publish(gate, { github });

    expect(gate.outcome.override).toBeUndefined();
    expect(gate.outcome.notices).toEqual([]);
  });
});

describe('publishOutcome outputs', () => {
  it('sets exactly the outputs action.yml declares', async () => {
    const { sink } = await publish(run(outcome([failing('orders-api')])));

    expect([...sink.outputs.keys()].sort()).toEqual(Object.values(Outputs).sort());
    expect(Object.fromEntries(sink.outputs)).toMatchObject({
      [Outputs.Verdict]: 'fail',
      [Outputs.RecommendedMemory]: '1024',
      [Outputs.CostPerMillion]: '1.5',
      [Outputs.P99Ms]: '120',
      [Outputs.CostChangePercent]: '30',
      [Outputs.P99ChangePercent]: '25',
      [Outputs.ReportPath]: '/reports/lambda-cost-gate-result.json'
    });
  });

  it('writes the summary, the notices and the outputs on a local run without GitHub', async () => {
    const gate: GateRun = { outcome: outcome([passing('orders-api')], { notices: ['No baseline for orders-api.'] }) };

    const { sink } = await publish(gate, { github: null, context: { onRunner: false } });

    expect(sink.summaries).toHaveLength(1);
    expect(sink.summaries[0]).toContain('orders-api');
    expect(sink.lines).toEqual(['No baseline for orders-api.']);
    expect(sink.outputs.get(Outputs.ReportPath)).toBe('');
    expect(sink.outputs.get(Outputs.CommentUrl)).toBe('');
    expect(sink.outputs.get(Outputs.Verdict)).toBe('pass');
  });

  it('annotates each failed check as an error naming the function and size', async () => {
    const { sink } = await publish(run(outcome([failing('orders-api')])));

    const errors = sink.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.title).toContain('orders-api');
    expect(errors[0]!.title).toContain('1024 MB');
    expect(errors[0]!.message).toContain('p99 rose 25 %, beyond the 10 % budget.');
  });
});
