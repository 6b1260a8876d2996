import { describe, expect, it } from '@jest/globals';
import { MAX_COMMENT_CHARS, renderJobSummary } from '../../src/report/comment.js';
import { failingFn, fnOutcome, gateOutcome, NOW, RUN, runReport } from './fixtures.js';

describe('renderJobSummary', () => {
  const fail = failingFn({ functionName: 'orders' });
  const pass = fnOutcome({ functionName: 'payments' });
  const skipped = fnOutcome({ functionName: 'emails' }, []);

  it('gives the overall verdict, the counts and one overview row per function', () => {
    const summary = renderJobSummary(gateOutcome([fail, pass, skipped]), RUN, NOW);
    const lines = summary.split('\n');
    expect(lines[0]).toBe('## ❌ Lambda cost gate: Fail');
    expect(summary).toContain('1 failed, 1 passed, 1 skipped of 3 functions.');
    expect(summary).toContain('| `orders` | ❌ Fail | 1024 MB | stored report `0123456` |');
    expect(summary).toContain('| `payments` | ✅ Pass | 1024 MB | stored report `0123456` |');
    expect(summary).toContain('| `emails` | ⏭️ Skipped | — | stored report `0123456` |');
  });

  it('has a section for every function with the content of its comment, without the comment marker', () => {
    const summary = renderJobSummary(gateOutcome([fail, pass, skipped]), RUN, NOW);
    for (const name of ['orders', 'payments', 'emails']) expect(summary).toContain(`### \`${name}\``);
    expect(summary).toContain('❌ **Fail** · `orders`: p99 +18.2 % at 1024 MB (budget +10 %).');
    expect(summary).toContain('✅ **Pass** · `payments`: within every budget at 1024 MB');
    expect(summary.match(/\| Memory \| p50 \|/g)?.length).toBe(3);
    expect(summary).not.toContain('<!--');
    expect(summary.split('\n').at(-1)).toMatch(/^<sub>lambda-cost-gate .*workflow run/);
  });

  it('names the baseline source of each function in the overview', () => {
    const summary = renderJobSummary(
      gateOutcome([
        fnOutcome({ functionName: 'a', baseline: { kind: 'file', path: 'perf/a|b.json' } }),
        fnOutcome({ functionName: 'b', baseline: { kind: 'live', qualifier: 'prod' } }),
        fnOutcome({ functionName: 'c', baseline: { kind: 'none' } })
      ]),
      RUN,
      NOW
    );
    expect(summary).toContain('| `a` | ✅ Pass | 1024 MB | file `perf/a\\|b.json` |');
    expect(summary).toContain('| `b` | ✅ Pass | 1024 MB | side by side with `prod` |');
    expect(summary).toContain('| `c` | ✅ Pass | 1024 MB | none |');
  });

  it('states run-wide notices once', () => {
    const summary = renderJobSummary(
      gateOutcome([fail, pass], { notices: ['The report upload did not happen.'] }),
      RUN,
      NOW
    );
    expect(summary.match(/The report upload did not happen\./g)?.length).toBe(1);
  });

  it('names the override label when failures were accepted', () => {
    const summary = renderJobSummary(gateOutcome([fail, pass], { override: { label: 'perf-ok' } }), RUN, NOW);
    expect(summary.split('\n')[0]).toBe('## ☑️ Lambda cost gate: regression accepted with label `perf-ok`');
    expect(summary).toContain('1 accepted, 1 passed of 2 functions.');
    expect(summary).toContain('| `orders` | ☑️ accepted |');
  });

  it('announces a recorded baseline in baseline mode', () => {
    const summary = renderJobSummary(gateOutcome([fnOutcome({}, [])], { mode: 'baseline' }), RUN, NOW);
    expect(summary.split('\n')[0]).toBe('## 📏 Lambda cost gate: baseline recorded');
    expect(summary).toContain('Recorded the baseline of 1 function.');
    expect(summary).toContain('| `my-fn` | 📏 recorded | — | — |');
  });

  it('says so when no function was measured', () => {
    const summary = renderJobSummary(
      gateOutcome([], { verdict: 'skipped', notices: ['No AWS credentials.'] }),
      {},
      NOW
    );
    expect(summary).toContain('No function was measured.');
    expect(summary).toContain('> ℹ️ No AWS credentials.');
    expect(summary).not.toContain('| Function |');
  });

  it('stays within the 1 MiB a step summary may have, however many functions and warnings', () => {
    const warnings = Array.from({ length: 2000 }, (_, i) => `warning ${i} @someone ${'x'.repeat(150)}`);
    const fns = Array.from({ length: 12 }, (_, i) =>
      failingFn({ functionName: `fn-${i}`, report: runReport({ warnings }) })
    );
    const summary = renderJobSummary(gateOutcome(fns), RUN, NOW);
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThan(1024 * 1024);
    for (const fn of fns) expect(summary).toContain(`### \`${fn.functionName}\``);
    expect(summary.match(/truncated, see the JSON report/g)?.length).toBe(12);
    expect(summary.length).toBeLessThan(12 * MAX_COMMENT_CHARS);
  });
});
