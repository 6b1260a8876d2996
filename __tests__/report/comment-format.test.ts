import { describe, expect, it } from '@jest/globals';
import {
  formatAge,
  formatLimit,
  formatMs,
  formatObserved,
  money,
  percentInterval,
  plainPercent,
  signedPercent,
  signedUsd
} from '../../src/report/comment-format.js';
import { interval } from './fixtures.js';

describe('formatting', () => {
  it('signs percentages with a real minus and no sign for a change that rounds to zero', () => {
    expect(signedPercent(0.182)).toBe('+18.2 %');
    expect(signedPercent(-0.03)).toBe('\u22123.0 %');
    expect(signedPercent(-0.0001)).toBe('0.0 %');
    expect(percentInterval(interval(0.05, -0.01, 0.11))).toBe('+5.0 % (\u22121.0…+11.0)');
  });

  it('prints limits and shares without needless decimals', () => {
    expect(plainPercent(0.1)).toBe('10 %');
    expect(plainPercent(0.025)).toBe('2.5 %');
    expect(formatLimit({ budget: 'p99-increase', limit: 0.1 })).toBe('+10 %');
    expect(formatLimit({ budget: 'error-rate', limit: 0 })).toBe('0 %');
    expect(formatLimit({ budget: 'p99-ms', limit: 300 })).toBe('300 ms');
    expect(formatLimit({ budget: 'monthly-increase', limit: 100 })).toBe('+100.00 USD');
  });

  it('prints durations and money at a precision that fits their size', () => {
    expect(formatMs(0.853)).toBe('0.85 ms');
    expect(formatMs(45.24)).toBe('45.2 ms');
    expect(formatMs(1204.4)).toBe('1,204 ms');
    expect(money(1234.5)).toBe('1,234.50');
    expect(money(0.2)).toBe('0.20');
    expect(money(0.00208)).toBe('0.00208');
    expect(signedUsd(2.2)).toBe('+2.20 USD');
    expect(signedUsd(-0.35)).toBe('\u22120.35 USD');
  });

  it('shows what a check observed, with its interval when asked', () => {
    const observed = { budget: 'error-rate' as const, observed: interval(0.02, 0.01, 0.035) };
    expect(formatObserved(observed, false)).toBe('2 %');
    expect(formatObserved(observed, true)).toBe('2 % (1 %…3.5 %)');
    expect(formatObserved({ budget: 'p99-ms', observed: null }, true)).toBe('n/a');
  });

  it('says how old a baseline is, and nothing for an unreadable or future date', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(formatAge('2026-03-10T11:59:30Z', now)).toBe('less than a minute old');
    expect(formatAge('2026-03-10T11:59:00Z', now)).toBe('1 minute old');
    expect(formatAge('2026-03-08T11:00:00Z', now)).toBe('2 days old');
    expect(formatAge('2026-03-11T00:00:00Z', now)).toBeUndefined();
    expect(formatAge('yesterday', now)).toBeUndefined();
  });
});
