import { describe, expect, it } from '@jest/globals';
import { renderFunctionComment } from '../../src/report/comment.js';
import { VERSION } from '../../src/version.js';
import type { FunctionOutcome, GateOutcome } from '../../src/gate/types.js';
import {
  check,
  failingFn,
  fnOutcome,
  gateOutcome,
  interval,
  MARKER,
  NOW,
  reportSize,
  RUN,
  runReport,
  side,
  sizeComparison
} from './fixtures.js';

function render(fn: FunctionOutcome, outcome: GateOutcome = gateOutcome([fn])): string {
  return renderFunctionComment({ marker: MARKER, outcome, fn, run: RUN, now: NOW });
}

/** The line after the marker. */
function headline(body: string): string {
  return body.split('\n')[1]!;
}

/** The cells of the table row whose memory cell contains `memory`. */
function row(body: string, memory: string): string[] {
  const line = body.split('\n').find((l) => l.startsWith('| ') && l.split(' | ')[0]!.includes(memory));
  if (line === undefined) throw new Error(`no row for ${memory}`);
  return line.slice(2, -2).split(' | ');
}

describe('headline', () => {
  it('puts the marker first, verbatim, then the failed budget in one sentence', () => {
    const body = render(failingFn());
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(headline(body)).toBe('❌ **Fail** · `my-fn`: p99 +18.2 % at 1024 MB (budget +10 %).');
  });

  it('counts the other failed checks', () => {
    const fn = fnOutcome({}, [
      sizeComparison(1024, { checks: [check('p99-increase', 'fail'), check('error-rate', 'fail')] })
    ]);
    expect(headline(render(fn))).toBe(
      '❌ **Fail** · `my-fn`: p99 +18.2 % at 1024 MB (budget +10 %); 1 more check failed.'
    );
  });

  it('states absolute budgets in their unit', () => {
    const fn = fnOutcome({}, [
      sizeComparison(512, {
        checks: [check('cost-per-million', 'fail', { limit: 1, observed: interval(1.32, 1.3, 1.35) })]
      })
    ]);
    expect(headline(render(fn))).toBe(
      '❌ **Fail** · `my-fn`: cost per 1M invocations 1.32 USD at 512 MB (budget 1.00 USD).'
    );
  });

  it('says a pass and the changes behind it', () => {
    expect(headline(render(fnOutcome()))).toBe(
      '✅ **Pass** · `my-fn`: within every budget at 1024 MB (p99 +1.2 %, cost +2.1 %).'
    );
  });

  it('says when the samples cannot decide, with the interval that straddles the budget', () => {
    const fn = fnOutcome({}, [
      sizeComparison(1024, {
        checks: [check('p99-increase', 'inconclusive', { observed: interval(0.081, 0.02, 0.143) })]
      })
    ]);
    expect(headline(render(fn))).toBe(
      '⚠️ **Inconclusive** · `my-fn`: the samples cannot decide p99 +8.1 % (+2.0…+14.3) at 1024 MB (budget +10 %).'
    );
  });

  it('gives the reason when an inconclusive figure could not be estimated at all', () => {
    const fn = fnOutcome({}, [
      sizeComparison(1024, {
        checks: [check('p99-ms', 'inconclusive', { observed: null, reason: 'p99 needs 299 samples; got 100.' })]
      })
    ]);
    expect(headline(render(fn))).toBe(
      '⚠️ **Inconclusive** · `my-fn`: the samples cannot decide the p99 budget at 1024 MB: p99 needs 299 samples; got 100.'
    );
  });

  it('says skipped when the gate skipped the run or nothing was gated', () => {
    expect(headline(render(fnOutcome(), gateOutcome([fnOutcome()], { verdict: 'skipped' })))).toMatch(
      /^⏭️ \*\*Skipped\*\* · `my-fn`/
    );
    expect(headline(render(fnOutcome({}, [])))).toMatch(/^⏭️ \*\*Skipped\*\*.*no memory size was gated/);
  });

  it('says which regression the override label accepted, and marks the row accepted', () => {
    const fn = failingFn();
    const body = render(fn, gateOutcome([fn], { override: { label: 'cost-regression-ok' } }));
    expect(headline(body)).toBe(
      '☑️ **Regression accepted** with label `cost-regression-ok` · `my-fn`: p99 +18.2 % at 1024 MB (budget +10 %).'
    );
    expect(row(body, '1024 MB').at(-1)).toBe('☑️ accepted');
  });

  it('does not call a passing function accepted when another one carried the override', () => {
    const fn = fnOutcome();
    const body = render(fn, gateOutcome([fn, failingFn()], { override: { label: 'ok' } }));
    expect(headline(body)).toMatch(/^✅ \*\*Pass\*\*/);
  });

  it('announces a recorded baseline in baseline mode, without a baseline source', () => {
    const fn = fnOutcome({ baseline: { kind: 'none' } }, [sizeComparison(1024, { checks: [check('p99-ms', 'fail')] })]);
    const body = render(fn, gateOutcome([fn], { mode: 'baseline' }));
    expect(headline(body)).toBe(
      '📏 **Baseline recorded** · `my-fn`: 3 sizes measured at commit `0123456`; later pull requests are compared with it.'
    );
    expect(body).not.toContain('Baseline:');
    expect(body).not.toContain('No baseline');
    // Nothing was judged: no verdicts, changes or checks.
    expect(row(body, '1024 MB').slice(4)).toEqual(['—', '—', '90 MB (9 %)', '0', '—']);
    expect(body).not.toContain('<summary>Checks');
  });

  it('still has a headline when the verdict has no check behind it', () => {
    const fn = fnOutcome({}, [sizeComparison(1024)]);
    fn.comparison.verdict = 'fail';
    expect(headline(render(fn))).toBe('❌ **Fail** · `my-fn`: see the checks below.');
  });
});

describe('baseline source', () => {
  const line = (fn: FunctionOutcome): string => render(fn).split('\n')[3]!;

  it('names the commit, links the run and says how old an artifact baseline is', () => {
    expect(line(fnOutcome())).toBe(
      'Baseline: the stored report of commit `0123456` from [run 555](https://github.com/octo/shop/actions/runs/555), 2 days old.'
    );
  });

  it('gives ages in minutes and hours when recent', () => {
    const at = (iso: string): string => line(fnOutcome({ baseline: { kind: 'artifact', measuredAt: iso } }));
    expect(at('2026-03-10T11:15:00Z')).toContain('45 minutes old');
    expect(at('2026-03-09T13:00:00Z')).toContain('23 hours old');
    expect(at('not a date')).toBe('Baseline: the stored report.');
  });

  it('names the baseline file', () => {
    expect(line(fnOutcome({ baseline: { kind: 'file', path: 'perf/my-fn.json' } }))).toBe(
      'Baseline: the baseline file `perf/my-fn.json`.'
    );
  });

  it('names the qualifier measured side by side', () => {
    expect(line(fnOutcome({ baseline: { kind: 'live', qualifier: 'prod' } }))).toBe(
      'Baseline: measured side by side with qualifier `prod` in this run.'
    );
  });

  it('gives the note and says plainly that the check passes without a comparison', () => {
    const fn = fnOutcome({ baseline: { kind: 'none', note: 'No artifact for the merge base.' } });
    fn.comparison.hasBaseline = false;
    expect(line(fn)).toBe(
      'No baseline. No artifact for the merge base. Without one there is nothing to compare with, so the check passes; the relative budgets apply once a baseline exists.'
    );
    expect(headline(render(fn))).toContain('within the absolute budgets at 1024 MB; there was no baseline');
  });

  it('does not claim a pass without a baseline when an absolute budget failed', () => {
    const fn = fnOutcome({ baseline: { kind: 'none' } }, [
      sizeComparison(1024, {
        baseline: undefined,
        checks: [check('p99-ms', 'fail', { observed: interval(600, 580, 620) })]
      })
    ]);
    expect(line(fn)).toBe('No baseline. Without one, only the absolute budgets were judged.');
  });
});

describe('table', () => {
  it('has one row per swept size, marks the gated one and shows changes only there', () => {
    const body = render(failingFn());
    expect(body).toContain(
      '| Memory | p50 | p99 (± CI) | Cost / 1M invocations (USD) | Δ cost | Δ p99 | Max memory used | Errors | Verdict |'
    );
    expect(row(body, '1024 MB')).toEqual([
      '▶ **1024 MB** (current)',
      '97.7 ms',
      '412 ms (398…430)',
      '1.83',
      '+2.1 % (+1.0…+3.2)',
      '+18.2 % (+12.0…+25.1)',
      '90 MB (9 %)',
      '0',
      '❌ fail'
    ]);
    const other = row(body, '512 MB');
    expect(other[0]).toBe('512 MB');
    expect(other.slice(4, 6)).toEqual(['—', '—']);
    expect(other.at(-1)).toBe('—');
    expect(row(body, '2048 MB')[0]).toBe('2048 MB');
  });

  it('says how many samples a p99 needs when it cannot be estimated', () => {
    const report = runReport();
    report.sizes[0] = reportSize(512, {
      duration: {
        ...report.sizes[0]!.duration!,
        count: 100,
        p99: { p: 0.99, value: 300, confidence: 0.95, enough: false, samplesNeeded: 299 }
      }
    });
    const fn = fnOutcome({ report }, [
      sizeComparison(1024, { candidate: side({ p99Ms: null, p99SamplesNeeded: 299 }), p99Change: undefined })
    ]);
    const body = render(fn);
    expect(row(body, '512 MB')[2]).toBe('n/a (needs 299)');
    expect(row(body, '1024 MB')[2]).toBe('n/a (needs 299)');
    expect(row(body, '1024 MB')[5]).toBe('n/a');
  });

  it('shows errors with their rate, and the cost per million jobs when jobs are counted', () => {
    const fn = fnOutcome({}, [
      sizeComparison(1024, { costBasis: 'job', candidate: side({ errors: 3, errorRate: 0.0075 }) })
    ]);
    const body = render(fn);
    expect(row(body, '1024 MB')[7]).toBe('3 (0.75 %)');
    expect(body).toContain('| Cost / 1M jobs (USD) |');
  });

  it('has no change columns without a baseline', () => {
    const fn = fnOutcome({ baseline: { kind: 'none' } }, [sizeComparison(1024, { baseline: undefined })]);
    fn.comparison.hasBaseline = false;
    expect(row(render(fn), '1024 MB').slice(4, 6)).toEqual(['—', '—']);
  });
});

describe('monthly cost and recommendation', () => {
  it('gives the bill now and with this pull request, the change and the traffic source', () => {
    const fn = fnOutcome({}, [
      sizeComparison(1024, {
        monthly: {
          invocationsPerMonth: 12_000_000,
          source: 'CloudWatch Logs, 14 days',
          baselineUsd: 12.3,
          candidateUsd: 14.5,
          change: interval(2.2, 1.8, 2.6)
        }
      })
    ]);
    expect(render(fn)).toContain(
      '**Monthly cost** at 1024 MB for 12,000,000 invocations a month (traffic from CloudWatch Logs, 14 days): now 12.30 USD, with this PR 14.50 USD, a change of +2.20 USD (+1.80…+2.60).'
    );
  });

  it('gives each strategy its size and the saving per million against the current size', () => {
    const report = runReport();
    report.sizes = [
      reportSize(512, { costPerMillionUsd: 1.2 }),
      reportSize(1024, { costPerMillionUsd: 1.5 }),
      reportSize(2048, { costPerMillionUsd: 2.4 })
    ];
    const body = render(fnOutcome({ report }));
    expect(body).toContain(
      '- Cost: **512 MB**, 1.20 USD per 1M invocations, saves 0.30 USD per 1M against the current 1024 MB\n'
    );
    expect(body).toContain(
      '- Speed: **2048 MB**, 2.40 USD per 1M invocations, costs 0.90 USD more per 1M than the current 1024 MB\n'
    );
    expect(body).toContain('- Balanced: **1024 MB**, 1.50 USD per 1M invocations, the current size ← your strategy\n');
  });
});

describe('details and footer', () => {
  it('lists the checks with their reasons, the plan, the sweep cost, prices, cold starts and warnings', () => {
    const fn = failingFn();
    fn.report.warnings = ['Throttled twice at 2048 MB.'];
    const body = render(fn);
    expect(body).toContain('<details><summary>Checks: 1 passed, 1 failed</summary>');
    expect(body).toContain(
      '- ❌ **p99 increase** at 1024 MB: +18.2 % (+12.0…+25.1) against +10 %. p99-increase judged fail.'
    );
    expect(body).toContain('- 400 measured invocations per size after 5 warm-ups, 4 in flight at once');
    expect(body).toContain('- The sweep made 1,215 invocations costing 0.0123 USD.');
    expect(body).toContain(
      'read on 2026-02-01 from built-in price table: 0.0000166667 USD per GB-second, 0.20 USD per 1M requests.'
    );
    expect(body).toContain('| 512 MB | 2 | 1 | 210 ms |');
    expect(body).toContain('- Throttled twice at 2048 MB.');
  });

  it('ends with the tool version, the run link and the commit', () => {
    const last = render(fnOutcome()).split('\n').at(-1)!;
    expect(last).toMatch(
      /^<sub>lambda-cost-gate \d+\.\d+\.\d+ · \[workflow run\]\(https:\/\/github\.com\/octo\/shop\/actions\/runs\/777\)/
    );
    expect(last).toContain(
      'commit [`fedcba9`](https://github.com/octo/shop/commit/fedcba9876543210fedcba9876543210fedcba98)'
    );
    expect(last).toContain('rendered 2026-03-10 12:00 UTC');
  });

  it('renders a local run without links', () => {
    const fn = fnOutcome();
    const body = renderFunctionComment({ marker: MARKER, outcome: gateOutcome([fn]), fn, run: {}, now: NOW });
    expect(body.split('\n').at(-1)).toBe(
      `<sub>lambda-cost-gate ${VERSION} · commit \`0123456\` · rendered 2026-03-10 12:00 UTC</sub>`
    );
  });
});
