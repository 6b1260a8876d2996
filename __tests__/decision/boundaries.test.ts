/** Alpha spending and exact group-sequential boundaries, against published tables and by simulation. */
import { describe, expect, it } from '@jest/globals';
import { nextBoundary } from '../../src/decision/boundaries.js';
import { alphaSpent, type SpendingFunction } from '../../src/decision/spending.js';
import { mulberry32 } from '../../src/sweep/plan.js';

/** The boundaries of looks at `informations`, spending by `kind` with fractions I_k / I_K. */
function boundariesOf(kind: SpendingFunction, informations: number[], alpha = 0.05): number[] {
  const boundaries: number[] = [];
  let spent = 0;
  const last = informations[informations.length - 1]!;
  informations.forEach((_, index) => {
    const share = alphaSpent(kind, alpha, informations[index]! / last) - spent;
    boundaries.push(nextBoundary(informations.slice(0, index + 1), boundaries, share));
    spent += share;
  });
  return boundaries;
}

describe('alphaSpent', () => {
  it.each(['pocock', 'obrien-fleming'] as const)(
    '%s spends nothing at the start, all of α at the end, more as it goes',
    (kind) => {
      const spent = [0, 0.1, 0.3, 0.5, 0.8, 1].map((t) => alphaSpent(kind, 0.05, t));

      expect(spent[0]).toBe(0);
      expect(spent[5]).toBe(0.05);
      for (let i = 1; i < spent.length; i++) expect(spent[i]!).toBeGreaterThan(spent[i - 1]!);
      expect(alphaSpent(kind, 0.05, 1.5)).toBe(0.05);
    }
  );

  it('keeps most of α for the end with O’Brien–Fleming, spends early with Pocock', () => {
    expect(alphaSpent('pocock', 0.05, 0.5)).toBeCloseTo(0.05 * Math.log(1 + (Math.E - 1) / 2), 12);
    expect(alphaSpent('obrien-fleming', 0.05, 0.5)).toBeCloseTo(0.00558, 4);
    expect(alphaSpent('obrien-fleming', 0.05, 0.2)).toBeLessThan(1e-4);
  });
});

describe('nextBoundary', () => {
  it('is the plain two-sided z at a first look', () => {
    expect(nextBoundary([3], [], 0.05)).toBeCloseTo(1.959964, 6);
    expect(nextBoundary([1, 2], [2.2], 0)).toBe(Infinity);
  });

  it('reproduces the Lan–DeMets Pocock-type boundaries of five equal looks at 5 %', () => {
    const published = [2.438, 2.427, 2.41, 2.397, 2.386];

    boundariesOf('pocock', [1, 2, 3, 4, 5]).forEach((c, index) => expect(c).toBeCloseTo(published[index]!, 2));
  });

  it('ends O’Brien–Fleming-type spending near the single-look 1.96, far below Bonferroni’s', () => {
    const boundaries = boundariesOf('obrien-fleming', [1, 2, 3, 4, 5]);

    expect(boundaries[0]).toBeCloseTo(4.383, 2);
    expect(boundaries[4]).toBeCloseTo(2.064, 2);
    // A union bound over the same shares tests the last look at its share alone: 2.30.
    const lastShare = 0.05 - alphaSpent('obrien-fleming', 0.05, 0.8);
    expect(boundaries[4]!).toBeLessThan(nextBoundary([5], [], lastShare) - 0.2);
  });

  it('crosses with the spent probability under the null, by simulation of uneven looks', () => {
    // Uneven information, as with a stored baseline: increments shrink.
    const informations = [1, 1.8, 2.4, 2.8, 3];
    const boundaries = boundariesOf('pocock', informations);
    const random = mulberry32(3);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    let crossed = 0;
    const paths = 40_000;
    for (let path = 0; path < paths; path++) {
      let score = 0;
      let before = 0;
      for (let k = 0; k < informations.length; k++) {
        score += Math.sqrt(informations[k]! - before) * normal();
        before = informations[k]!;
        if (Math.abs(score / Math.sqrt(informations[k]!)) >= boundaries[k]!) {
          crossed++;
          break;
        }
      }
    }
    // 0.05 with a binomial standard error of 0.0011 at 40,000 paths.
    expect(crossed / paths).toBeGreaterThan(0.05 - 0.0035);
    expect(crossed / paths).toBeLessThan(0.05 + 0.0035);
  });
});
