/** Normal and Student-t CDFs and quantiles, against published values, far into the tails. */
import { describe, expect, it } from '@jest/globals';
import {
  DistributionError,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTailQuantile
} from '../../src/decision/distributions.js';

describe('the normal distribution', () => {
  it.each([
    [0, 0.5],
    [1.959963984540054, 0.975],
    [-3, 0.0013498980316300946],
    [-8, 6.220960574271785e-16],
    [5, 0.9999997133484281]
  ])('Φ(%p) = %p', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 15);
    expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-12);
  });

  it.each([0.5, 0.975, 0.999, 1e-6, 1e-12, 0.3])('inverts the CDF at p = %p', (p) => {
    expect(Math.abs(normalCdf(normalQuantile(p)) - p) / p).toBeLessThan(1e-12);
  });

  it('refuses a probability outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(DistributionError);
    expect(() => normalQuantile(Number.NaN)).toThrow('Probability must be within (0, 1); got NaN');
  });
});

describe('Student’s t', () => {
  // Two-sided table values: t(0.975) and t(0.995) for 1, 2, 5, 10 and 30 degrees of freedom.
  it.each([
    [1, 0.975, 12.706204736174],
    [2, 0.975, 4.302652729749],
    [5, 0.975, 2.570581835636],
    [10, 0.975, 2.228138851986],
    [30, 0.975, 2.042272456301],
    [5, 0.995, 4.032142983558],
    [30, 0.995, 2.749995653567]
  ])('ν = %p: the %p quantile is %p', (degrees, p, t) => {
    expect(studentTQuantile(p, degrees)).toBeCloseTo(t, 8);
    expect(studentTCdf(t, degrees)).toBeCloseTo(p, 10);
    expect(studentTQuantile(1 - p, degrees)).toBeCloseTo(-t, 8);
  });

  it('takes any real degrees of freedom, between its integer neighbours', () => {
    const t = studentTQuantile(0.975, 2.5);

    expect(t).toBeLessThan(studentTQuantile(0.975, 2));
    expect(t).toBeGreaterThan(studentTQuantile(0.975, 3));
  });

  it('tends to the normal as ν grows, and is the normal at ν = Infinity', () => {
    expect(studentTQuantile(0.995, 1e7)).toBeCloseTo(normalQuantile(0.995), 5);
    expect(studentTQuantile(0.995, Infinity)).toBeCloseTo(normalQuantile(0.995), 12);
  });

  it('keeps its precision for tails far below what 1 − p can hold', () => {
    expect(studentTTailQuantile(1e-20, Infinity)).toBeCloseTo(9.262340089798409, 6);
    const t = studentTTailQuantile(1e-18, 20);
    expect(1 - studentTCdf(-t, 20)).toBe(1);
    expect(studentTCdf(-t, 20) / 1e-18).toBeCloseTo(1, 6);
  });

  it('refuses tails and degrees of freedom out of range', () => {
    expect(() => studentTTailQuantile(0.6, 5)).toThrow('Tail probability must be within (0, 0.5]; got 0.6');
    expect(() => studentTCdf(1, 0)).toThrow('Degrees of freedom must be a positive number; got 0');
  });
});
