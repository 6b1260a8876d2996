/** What the step does with the verdicts: fail, warn or pass, and the one sentence it says. */
import { describe, expect, it } from '@jest/globals';
import { compareRuns } from '../../src/compare/index.js';
import type { Verdict } from '../../src/compare/types.js';
import { decide, type DecisionPolicy } from '../../src/gate/decide.js';
import type { GateOutcome } from '../../src/gate/types.js';
import { buildRunReport } from '../support/report-fixtures.js';
import { check, fnOutcome, outcome, size } from './helpers.js';

const STRICT: DecisionPolicy = { failOnRegression: true, onInconclusive: 'warn' };
const P99_FAIL = 'p99 rose 18.2 % (95 % CI +12.0 % to +25.1 %), beyond the 10 % budget.';
const COST_UNSURE = 'cost rose 9 % (95 % CI +7 % to +11 %), straddling the 10 % budget: more samples are needed.';

/** One function at 1024 MB whose checks give the verdict asked for. */
function outcomeWith(verdict: Verdict, extra: Partial<GateOutcome> = {}): GateOutcome {
  if (verdict === 'skipped') return outcome([], { verdict: 'skipped', ...extra });
  const checks =
    verdict === 'fail'
      ? [check('fail', P99_FAIL), check('inconclusive', COST_UNSURE, 'cost-increase')]
      : verdict === 'inconclusive'
        ? [check('pass', 'p99 held.'), check('inconclusive', COST_UNSURE, 'cost-increase')]
        : [check('pass', 'p99 held.')];
  return outcome([fnOutcome('orders-api', [size({ memoryMb: 1024, checks })])], extra);
}

type Expected = 'fails' | 'warns' | 'passes';

/** The rules as the README states them, one row per verdict and setting. */
function expectedFor(verdict: Verdict, override: boolean, failOnRegression: boolean, onInconclusive: string): Expected {
  switch (verdict) {
    case 'fail':
      return override || !failOnRegression ? 'warns' : 'fails';
    case 'inconclusive':
      return onInconclusive === 'fail' ? 'fails' : onInconclusive === 'warn' ? 'warns' : 'passes';
    default:
      return 'passes';
  }
}

const VERDICTS: Verdict[] = ['pass', 'fail', 'inconclusive', 'skipped'];
const MATRIX = VERDICTS.flatMap((verdict) =>
  [false, true].flatMap((override) =>
    [true, false].flatMap((failOnRegression) =>
      (['warn', 'fail', 'pass'] as const).map((onInconclusive) => ({
        verdict,
        override,
        failOnRegression,
        onInconclusive,
        expected: expectedFor(verdict, override, failOnRegression, onInconclusive)
      }))
    )
  )
);

describe('decide in compare mode', () => {
  it.each(MATRIX)(
    '$verdict, override $override, fail-on-regression $failOnRegression, on-inconclusive $onInconclusive: $expected',
    ({ verdict, override, failOnRegression, onInconclusive, expected }) => {
      const input = outcomeWith(verdict, override ? { override: { label: 'cost-ok' } } : {});

      const decision = decide(input, { failOnRegression, onInconclusive });

      expect(decision.fail).toBe(expected === 'fails');
      expect(decision.warning !== undefined).toBe(expected === 'warns');
      if (decision.warning !== undefined) expect(decision.warning).toContain(decision.message);
    }
  );

  it('fails a regression with a message naming the function, the size and the reason', () => {
    expect(decide(outcomeWith('fail'), STRICT)).toEqual({
      fail: true,
      message: `Budget broken: orders-api at 1024 MB: ${P99_FAIL}`
    });
  });

  it('names the override label when it accepts a regression', () => {
    const decision = decide(outcomeWith('fail', { override: { label: 'cost-ok' } }), STRICT);
    expect(decision.warning).toBe(`Regression accepted with the label "cost-ok": orders-api at 1024 MB: ${P99_FAIL}`);
  });

  it('says fail-on-regression is false when it only warns', () => {
    const decision = decide(outcomeWith('fail'), { failOnRegression: false, onInconclusive: 'warn' });
    expect(decision.warning).toBe(`Budget broken (fail-on-regression is false): orders-api at 1024 MB: ${P99_FAIL}`);
  });

  it('says what was inconclusive, never a silent pass, even with on-inconclusive pass', () => {
    for (const onInconclusive of ['warn', 'fail', 'pass'] as const) {
      const decision = decide(outcomeWith('inconclusive'), { failOnRegression: true, onInconclusive });
      expect(decision.message).toBe(`Inconclusive: the samples cannot decide. orders-api at 1024 MB: ${COST_UNSURE}`);
    }
  });

  it('lists every failed check of every function and size, and no passing one', () => {
    const input = outcome([
      fnOutcome('orders-api', [
        size({ memoryMb: 512, checks: [check('fail', 'cost rose 30 %.'), check('pass', 'p99 held at 512.')] }),
        size({ memoryMb: 1024, checks: [check('fail', 'p99 rose 20 %.')] })
      ]),
      fnOutcome('billing', [size({ memoryMb: 256, checks: [check('fail', 'p99 over 250 ms.')] })]),
      fnOutcome('search', [size({ memoryMb: 2048 })])
    ]);

    const { message } = decide(input, STRICT);

    expect(message).toBe(
      'Budget broken: orders-api at 512 MB: cost rose 30 %. orders-api at 1024 MB: p99 rose 20 %. ' +
        'billing at 256 MB: p99 over 250 ms.'
    );
  });

  it('points to the report when a failure has no failed check to quote', () => {
    const input = outcome([fnOutcome('orders-api', [size({ memoryMb: 1024 })])], { verdict: 'fail' });
    expect(decide(input, STRICT)).toEqual({ fail: true, message: 'Budget broken: see the report.' });
  });

  it('passes within budget and when skipped, saying which', () => {
    expect(decide(outcomeWith('pass'), STRICT)).toEqual({ fail: false, message: 'Within budget.' });
    expect(decide(outcomeWith('skipped'), STRICT)).toEqual({ fail: false, message: 'Skipped.' });
  });

  it('quotes the real reason compareRuns gave for a 30 % slower candidate', () => {
    const baseline = buildRunReport({ sizes: [{ memoryMb: 1024, durations: { median: 100, sigma: 0.15, n: 400 } }] });
    const candidate = buildRunReport({
      sizes: [{ memoryMb: 1024, durations: { median: 130, sigma: 0.15, n: 400 } }],
      seed: 2
    });
    const comparison = compareRuns(candidate, baseline, {
      gatedSizes: [1024],
      budgets: { maxErrorRate: 0.01, maxP99Increase: 0.1 },
      confidence: 0.95,
      seed: 7
    });
    const fn = { ...fnOutcome('orders', comparison.sizes), comparison };

    const decision = decide(outcome([fn]), STRICT);

    expect(comparison.verdict).toBe('fail');
    expect(decision.fail).toBe(true);
    expect(decision.message).toMatch(
      /^Budget broken: orders at 1024 MB: p99 rose \d+\.\d % .*beyond the 10 % budget\.$/
    );
  });
});

describe('decide in baseline mode', () => {
  it.each([
    { failOnRegression: true, onInconclusive: 'fail' },
    { failOnRegression: true, onInconclusive: 'warn' },
    { failOnRegression: false, onInconclusive: 'pass' }
  ] as DecisionPolicy[])('never fails the default branch (%o)', (policy) => {
    for (const verdict of VERDICTS) {
      expect(decide(outcomeWith(verdict, { mode: 'baseline' }), policy).fail).toBe(false);
    }
  });

  it('warns about a broken absolute budget, naming function, size and reason', () => {
    const input = outcome(
      [
        fnOutcome('orders-api', [
          size({ memoryMb: 1024, checks: [check('fail', 'p99 is 612 ms, over 500 ms.', 'p99-ms')] })
        ])
      ],
      { mode: 'baseline' }
    );

    expect(decide(input, STRICT)).toEqual({
      fail: false,
      warning: 'Baseline recorded, but a budget is broken: orders-api at 1024 MB: p99 is 612 ms, over 500 ms.',
      message: 'orders-api at 1024 MB: p99 is 612 ms, over 500 ms.'
    });
  });

  it('says the baseline was recorded, without a warning, when nothing failed', () => {
    expect(decide(outcomeWith('pass', { mode: 'baseline' }), STRICT)).toEqual({
      fail: false,
      message: 'Baseline recorded.'
    });
    expect(decide(outcomeWith('inconclusive', { mode: 'baseline' }), STRICT).warning).toBeUndefined();
  });
});
