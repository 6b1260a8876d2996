import { describe, expect, it } from '@jest/globals';
import { MAX_COMMENT_CHARS, renderFunctionComment } from '../../src/report/comment.js';
import type { FunctionOutcome, GateOutcome } from '../../src/gate/types.js';
import {
  check,
  failingFn,
  fnOutcome,
  gateOutcome,
  MARKER,
  NOW,
  reportSize,
  RUN,
  runReport,
  sizeComparison
} from './fixtures.js';

const HOSTILE =
  'x`](https://evil.example) ![i](https://evil.example/i.png) <img src=x onerror=alert(1)> @octo/admins #1 | a\n# b';

function headline(body: string): string {
  return body.split('\n')[1]!;
}

function render(fn: FunctionOutcome, outcome: GateOutcome = gateOutcome([fn])): string {
  return renderFunctionComment({ marker: MARKER, outcome, fn, run: RUN, now: NOW });
}

/**
 * The text as markdown sees it outside fenced blocks and code spans (inside them nothing renders, mentions or
 * links), by the CommonMark rule: a run of n backticks not escaped by a backslash opens a span that the next
 * run of exactly n backticks closes.
 */
function outsideCode(body: string): string {
  const text = body.replace(/^```[a-z]*\n[\s\S]*?^```$/gm, '');
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (text[i] !== '`') {
      out += text[i];
      i += 1;
      continue;
    }
    const run = /^`+/.exec(text.slice(i))![0];
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = i + run.length;
    const end = close.exec(text);
    if (end === null) {
      out += run;
      i += run.length;
    } else {
      i = end.index + run.length;
    }
  }
  return out;
}

function expectInert(body: string): void {
  const prose = outsideCode(body);
  expect(prose).not.toMatch(/<img/i);
  expect(prose).not.toMatch(/(?<!\\)\]\((?!https:\/\/github\.com\/octo\/shop\/)/); // no link but ours
  expect(prose).not.toMatch(/(?<!\\)!(?<!\\)\[/); // no image
  expect(prose).not.toMatch(/@octo/); // no team mention
  expect(prose).not.toMatch(/#1\b/); // no issue reference
  expect(prose).not.toMatch(/^# b/m); // no heading smuggled onto a line of its own
  expect(prose).not.toMatch(/https:\/\/evil/); // no autolink
  // Every table row keeps its columns: the hostile `|` did not add a cell.
  for (const line of body.split('\n').filter((l) => l.startsWith('| '))) {
    const cells = line.replace(/\\\|/g, '').split('|').length - 2;
    expect([4, 9]).toContain(cells);
  }
}

describe('hostile text', () => {
  it('cannot inject markup through the function name, reasons, warnings, notes, labels or paths', () => {
    const report = runReport({ warnings: [HOSTILE, `</details>${HOSTILE}`] });
    report.recommendation.excluded = [{ memoryMb: 128, reason: HOSTILE }];
    report.recommendation.reason = HOSTILE;
    report.pricing.source = HOSTILE;
    const fn = fnOutcome(
      {
        functionName: HOSTILE,
        report,
        baseline: { kind: 'file', path: HOSTILE, note: HOSTILE, commit: HOSTILE },
        reportPath: HOSTILE
      },
      [
        sizeComparison(1024, {
          checks: [check('p99-increase', 'fail', { reason: HOSTILE })],
          monthly: { invocationsPerMonth: 1000, source: HOSTILE, candidateUsd: 1 }
        })
      ]
    );
    const body = render(fn, gateOutcome([fn], { override: { label: HOSTILE }, notices: [HOSTILE] }));
    expectInert(body);
    // The names are still there for a reader, as code.
    expect(body).toContain('``x`](https://evil.example)');
    // The warning's </details> did not close the block early.
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length);
  });

  it('cannot inject through a live qualifier or a run URL', () => {
    const fn = fnOutcome({ baseline: { kind: 'live', qualifier: HOSTILE } });
    expectInert(render(fn));
    const viaUrl = fnOutcome({
      baseline: {
        kind: 'artifact',
        runId: 9,
        runUrl: 'javascript:alert(1)',
        commit: '0123456789abcdef0123456789abcdef01234567'
      }
    });
    const body = render(viaUrl);
    expect(body).toContain('from run 9');
    expect(body).not.toContain('javascript:');
  });
});

describe('the 65,536-character limit', () => {
  const warnings = Array.from(
    { length: 2000 },
    (_, i) => `Warning ${i}: size ${i % 60} was throttled ${'and retried '.repeat(8)}`
  );
  const sizes = Array.from({ length: 60 }, (_, i) => 128 + i * 64);

  function bigFn(sweep: number[], gated: number): FunctionOutcome {
    const report = runReport({ warnings }, sweep);
    report.sizes = sweep.map((mb) => reportSize(mb));
    return fnOutcome({ report }, [sizeComparison(gated, { checks: [check('p99-increase', 'fail')] })]);
  }

  it('cuts the details first, with a visible note, and keeps headline, table and footer', () => {
    const fn = bigFn(sizes, 1024);
    const body = render(fn);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.startsWith(`${MARKER}\n❌ **Fail**`)).toBe(true);
    expect(body).toContain('**… truncated, see the JSON report (`lambda-cost-gate/my-fn.json`).**');
    // All 60 sizes are still in the table; only warnings were dropped.
    for (const mb of sizes) expect(body).toMatch(new RegExp(`^\\| (▶ \\*\\*)?${mb} MB`, 'm'));
    expect(body).toContain('Warning 0:');
    expect(body).not.toContain('Warning 1999:');
    expect(body).toContain('<details><summary>Checks: 1 failed</summary>');
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length);
    expect(body.split('\n').at(-1)).toMatch(/^<sub>lambda-cost-gate /);
  });

  it('then drops table rows of sizes that were not gated, never the gated one', () => {
    const many = Array.from({ length: 1200 }, (_, i) => 128 + i * 8);
    const gated = many[1100]!;
    const body = render(bigFn(many, gated));
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toContain('| Memory | p50 | p99 (± CI) |');
    expect(body).toMatch(new RegExp(`^\\| ▶ \\*\\*${gated} MB\\*\\*`, 'm'));
    expect(body).toMatch(/^\| … \d+ more sizes: see the JSON report \|/m);
    expect(body).toContain('**… truncated, see the JSON report');
    expect(body).not.toContain('<details>');
    expect(body).not.toContain('```mermaid');
  });

  it('drops the charts before any table row', () => {
    const body = render(
      bigFn(
        Array.from({ length: 700 }, (_, i) => 128 + i * 8),
        1024
      )
    );
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).not.toContain('```mermaid');
    expect(body).not.toMatch(/more sizes: see the JSON report/);
  });

  it('stays under the limit even when the gated rows alone would not fit, headline first', () => {
    const many = Array.from({ length: 1000 }, (_, i) => 128 + i);
    const report = runReport({}, many);
    report.sizes = many.map((mb) => reportSize(mb));
    const fn = fnOutcome(
      { report, functionName: 'f'.repeat(100_000) },
      many.map((mb) => sizeComparison(mb))
    );
    const body = render(fn, gateOutcome([fn], { notices: Array.from({ length: 50 }, () => 'n'.repeat(5000)) }));
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(headline(body)).toMatch(/^✅ \*\*Pass\*\* · `f{199}…`: within every budget/);
    expect(body).toContain('> … and 40 more notices in the job log');
    expect(body).toContain('**… truncated, see the JSON report');
  });

  it('leaves a comment that fits untouched', () => {
    const body = render(failingFn());
    expect(body).not.toContain('truncated');
  });
});
