import { describe, expect, it } from '@jest/globals';
import { recommend, RecommendationError } from '../../../src/analyze/recommend.js';
import { LambdaCostGateError } from '../../../src/errors.js';
import { quantiles, sizeSummary } from './fixtures.js';

/**
 * Cost (µUSD) and mean duration (ms) of the usable sizes: 256 is cheapest, 2048 fastest. Scaled to [0, 1]:
 *   256: cost 0,      duration 1        512: cost 0.3/4.5, duration 32/122
 *   1024: cost 1.5/4.5, duration 2/122   2048: cost 1,       duration 0
 */
const SIZES = [
  sizeSummary(128, 1.0e-6, 500, { unusable: true, unusableReason: 'Ran out of memory in 3 of 13 invocations' }),
  sizeSummary(256, 1.5e-6, 180),
  sizeSummary(512, 1.8e-6, 90),
  sizeSummary(1024, 3.0e-6, 60),
  sizeSummary(2048, 6.0e-6, 58),
  sizeSummary(3008, 9.0e-6, 57, { duration: null, errors: 10, errorRate: 1 })
];

describe('recommend', () => {
  it('picks the cheapest usable size for the cost strategy', () => {
    // Act
    const result = recommend(SIZES, 'cost', 0.5);

    // Assess
    expect(result).toEqual({
      strategy: 'cost',
      memoryMb: 256,
      reason: '256 MB is the cheapest of the 4 usable sizes: $1.5 per million invocations, mean duration 180 ms.',
      costBasis: 'invocation',
      balancedWeight: 0.5,
      cheapest: 256,
      fastest: 2048,
      balanced: 512,
      candidates: [256, 512, 1024, 2048],
      excluded: [
        { memoryMb: 128, reason: 'Ran out of memory in 3 of 13 invocations' },
        { memoryMb: 3008, reason: 'none of its 10 measured invocations succeeded with a REPORT line' }
      ]
    });
  });

  it('picks the lowest mean duration for the speed strategy', () => {
    const result = recommend(SIZES, 'speed', 0.5);
    expect(result.memoryMb).toBe(2048);
    expect(result.reason).toBe(
      '2048 MB is the fastest of the 4 usable sizes: mean duration 58 ms (p99 87 ms), $6 per million invocations.'
    );
  });

  it.each([
    [0, 2048],
    [0.5, 512],
    [1, 256]
  ])('balances with weight %p → %p MB', (weight, expected) => {
    const result = recommend(SIZES, 'balanced', weight);
    expect(result.memoryMb).toBe(expected);
    expect(result.balanced).toBe(expected);
  });

  it('explains the balanced pick', () => {
    expect(recommend(SIZES, 'balanced', 0.5).reason).toBe(
      '512 MB balances cost (weight 0.5) against speed (weight 0.5) best of the 4 usable sizes: ' +
        '$1.8 per million invocations, mean duration 90 ms.'
    );
  });

  it('does not depend on the order of the input', () => {
    const reversed = [...SIZES].reverse();
    for (const strategy of ['cost', 'speed', 'balanced'] as const) {
      expect(recommend(reversed, strategy, 0.3)).toEqual(recommend(SIZES, strategy, 0.3));
    }
  });

  it('breaks ties: speed by p99, cost by speed, then the smaller size', () => {
    const sizes = [
      sizeSummary(512, 2e-6, 100, { duration: quantiles(100, 300) }),
      sizeSummary(1024, 2e-6 * (1 + 1e-12), 100, { duration: quantiles(100, 200) }),
      sizeSummary(2048, 4e-6, 100, { duration: quantiles(100, 200) })
    ];
    const result = recommend(sizes, 'speed', 0.5);
    // Equal means; 1024 and 2048 share the lower p99; 1024 is cheaper.
    expect(result.fastest).toBe(1024);
    // 512 and 1024 cost the same within float noise; 1024 is faster by p99 only, which cost does not look at.
    expect(result.cheapest).toBe(512);
    // Same score for all on duration (range 0): the cheapest wins, then the smaller.
    expect(result.balanced).toBe(512);

    const identical = [sizeSummary(1024, 2e-6, 100), sizeSummary(512, 2e-6, 100)];
    expect(recommend(identical, 'cost', 0.5).memoryMb).toBe(512);
    expect(recommend(identical, 'balanced', 0.5).memoryMb).toBe(512);
  });

  it('compares cost per job when every candidate counts jobs', () => {
    // 512 is cheaper per invocation, but 1024 does three times the jobs per invocation.
    const sizes = [
      sizeSummary(512, 2e-6, 100, { costPerJobUsd: 1e-6 }),
      sizeSummary(1024, 3e-6, 60, { costPerJobUsd: 0.5e-6 })
    ];
    const result = recommend(sizes, 'cost', 0.5);
    expect(result).toMatchObject({ costBasis: 'job', memoryMb: 1024 });
    expect(result.reason).toBe(
      '1024 MB is the cheapest of the 2 usable sizes: $0.5 per million jobs, mean duration 60 ms.'
    );
  });

  it('falls back to cost per invocation when a candidate does not count jobs', () => {
    const sizes = [sizeSummary(512, 2e-6, 100, { costPerJobUsd: 1e-6 }), sizeSummary(1024, 3e-6, 60)];
    expect(recommend(sizes, 'cost', 0.5)).toMatchObject({ costBasis: 'invocation', memoryMb: 512 });
  });

  it('says so when one size is the only candidate', () => {
    const result = recommend([sizeSummary(512, 2e-6, 100)], 'cost', 0.5);
    expect(result.reason).toBe(
      '512 MB is the cheapest of the 1 usable size: $2 per million invocations, mean duration 100 ms.'
    );
    expect(result).toMatchObject({ cheapest: 512, fastest: 512, balanced: 512 });
  });

  it('recommends nothing, with the reasons, when no size is usable', () => {
    const sizes = [
      sizeSummary(128, 1e-6, 500, { unusable: true }),
      sizeSummary(256, 1e-6, 300, { measured: 0, duration: null, costPerInvocationUsd: null }),
      sizeSummary(512, 1e-6, 300, { costPerInvocationUsd: null })
    ];
    expect(recommend(sizes, 'balanced', 0.5)).toEqual({
      strategy: 'balanced',
      memoryMb: null,
      reason:
        'No memory size can be recommended: 128 MB: unusable; 256 MB: nothing was measured; ' +
        '512 MB: none of its 10 measured invocations succeeded with a REPORT line.',
      costBasis: 'invocation',
      balancedWeight: 0.5,
      cheapest: null,
      fastest: null,
      balanced: null,
      candidates: [],
      excluded: [
        { memoryMb: 128, reason: 'unusable' },
        { memoryMb: 256, reason: 'nothing was measured' },
        { memoryMb: 512, reason: 'none of its 10 measured invocations succeeded with a REPORT line' }
      ]
    });
    expect(recommend([], 'cost', 0.5).reason).toBe('No memory size can be recommended: none was measured.');
  });

  it.each([-0.1, 1.1, Number.NaN])('rejects balanced weight %p', (weight) => {
    expect(() => recommend(SIZES, 'balanced', weight)).toThrow(RecommendationError);
    expect(() => recommend(SIZES, 'cost', weight)).toThrow(/Balanced weight must be within \[0, 1\]/);
    expect(new RecommendationError('x')).toBeInstanceOf(LambdaCostGateError);
  });
});
