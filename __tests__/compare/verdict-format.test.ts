/** The verdict rule, how verdicts combine, the Clopper–Pearson interval and the figure formats. */
import { describe, expect, it } from '@jest/globals';
import { clopperPearson } from '../../src/compare/binomial.js';
import {
  formatChange,
  formatConfidence,
  formatCount,
  formatInterval,
  formatMs,
  formatShare,
  formatUsd
} from '../../src/compare/format.js';
import { errorRateVerdict, judge, worstCheckVerdict, worstVerdict } from '../../src/compare/verdict.js';

const interval = (lower: number, upper: number, estimate = (lower + upper) / 2) => ({
  estimate,
  lower,
  upper,
  confidence: 0.95
});

describe('judge', () => {
  it('fails only when the whole interval lies beyond the limit', () => {
    expect(judge(interval(0.11, 0.2), 0.1)).toBe('fail');
    expect(judge(interval(0.1, 0.2), 0.1)).toBe('inconclusive');
  });

  it('passes when the whole interval lies within the limit, its upper end included', () => {
    expect(judge(interval(-0.1, 0.1), 0.1)).toBe('pass');
    expect(judge(interval(-0.1, 0.1000001), 0.1)).toBe('inconclusive');
  });
});

describe('errorRateVerdict', () => {
  it('passes on the observed rate, fails on the low end', () => {
    expect(errorRateVerdict(interval(0, 0.05, 0.01), 0.01)).toBe('pass');
    expect(errorRateVerdict(interval(0.005, 0.05, 0.02), 0.01)).toBe('inconclusive');
    expect(errorRateVerdict(interval(0.011, 0.05, 0.02), 0.01)).toBe('fail');
  });
});

describe('worstVerdict', () => {
  it.each([
    [[], 'skipped'],
    [['skipped'], 'skipped'],
    [['skipped', 'pass'], 'pass'],
    [['pass', 'inconclusive', 'pass'], 'inconclusive'],
    [['fail', 'inconclusive', 'skipped'], 'fail'],
    [['inconclusive', 'fail'], 'fail']
  ] as const)('%j → %s', (verdicts, expected) => {
    expect(worstVerdict(verdicts)).toBe(expected);
  });

  it('is pass for no checks at all', () => {
    expect(worstCheckVerdict([])).toBe('pass');
    expect(worstCheckVerdict(['pass', 'fail'])).toBe('fail');
  });
});

describe('clopperPearson', () => {
  // Reference values: scipy.stats.beta.ppf, the textbook form of the interval.
  it.each([
    [1, 300, 8.438913231780044e-5, 0.018431252048067885],
    [0, 300, 0, 0.01222097469429355],
    [5, 100, 0.016431879182052155, 0.11283491110546275],
    [4, 300, 0.0036445140520665214, 0.03378489626191785],
    [300, 300, 0.9877790253057065, 1]
  ])('%i of %i', (k, n, lower, upper) => {
    const result = clopperPearson(k, n, 0.95);

    expect(result.estimate).toBe(k / n);
    expect(result.lower).toBeCloseTo(lower, 10);
    expect(result.upper).toBeCloseTo(upper, 10);
  });

  it('narrows as the count grows at the same rate', () => {
    const small = clopperPearson(1, 100, 0.95);
    const large = clopperPearson(100, 10_000, 0.95);

    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
    expect(large.lower).toBeLessThan(0.01);
    expect(large.upper).toBeGreaterThan(0.01);
  });
});

describe('formats', () => {
  it('writes changes with a sign and one decimal', () => {
    expect(formatChange(0.182)).toBe('+18.2 %');
    expect(formatChange(-0.05)).toBe('−5.0 %');
    expect(formatChange(-0.0001)).toBe('+0.0 %');
    expect(formatChange(0)).toBe('+0.0 %');
  });

  it('writes shares without trailing zeros', () => {
    expect(formatShare(0.1)).toBe('10 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(1 / 300)).toBe('0.33 %');
    expect(formatShare(0.125)).toBe('12.5 %');
  });

  it('writes money in cents from a dollar up, and in three digits below', () => {
    expect(formatUsd(2.0833)).toBe('$2.08');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.0004163)).toBe('$0.000416');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(-12.4)).toBe('−$12.40');
  });

  it('writes durations in three significant digits', () => {
    expect(formatMs(812.44)).toBe('812 ms');
    expect(formatMs(81.24)).toBe('81.2 ms');
    expect(formatMs(8.1234)).toBe('8.12 ms');
    expect(formatMs(1234.5)).toBe('1,235 ms');
    expect(formatMs(50)).toBe('50 ms');
  });

  it('writes confidences, counts and intervals', () => {
    expect(formatConfidence(0.95)).toBe('95 %');
    expect(formatConfidence(0.999)).toBe('99.9 %');
    expect(formatCount(10_000_000)).toBe('10,000,000');
    expect(formatInterval(interval(2.05, 2.11), formatUsd)).toBe('(95 % CI $2.05–$2.11)');
    expect(formatInterval(interval(0.12, 0.251), formatChange, ' to ')).toBe('(95 % CI +12.0 % to +25.1 %)');
  });
});
