/** The refine step: a second, smaller sweep around the fitted optimum. */
import { describe, expect, it } from '@jest/globals';
import type { FittedRecommendation } from '../../src/analyze/fitted-recommendation.js';
import { proposeRefinement } from '../../src/decision/refine.js';

/** A fitted recommendation reduced to what the proposal reads. */
function fittedAt(pick: number, sampledSizes: number[], floor = 128): FittedRecommendation {
  return {
    pick: { memoryMb: pick },
    sampledSizes,
    floor: { memoryMb: floor, maxMemoryUsedMb: 60, marginMb: 64, reason: '' }
  } as unknown as FittedRecommendation;
}

describe('proposeRefinement', () => {
  it('proposes the pick and 15 % either side of it, ascending', () => {
    expect(proposeRefinement(fittedAt(480, [256, 1024, 2048]))).toEqual([408, 480, 552]);
  });

  it('leaves out sizes within 2 % of a measured one, and takes the next ones out instead', () => {
    // 1010 MB is within 2 % of the measured 1024 MB: 859 and 1162, then 707 (−30 %) make the three.
    expect(proposeRefinement(fittedAt(1010, [1024, 256, 4096]))).toEqual([707, 859, 1162]);
  });

  it('stays within the memory floor and 10,240 MB, and never proposes a size twice', () => {
    expect(proposeRefinement(fittedAt(10240, [1024]))).toEqual([7168, 8704, 10240]);
    expect(proposeRefinement(fittedAt(520, [1024], 490))).toEqual([490, 520, 598]);
    // 425 MB is raised to the 490 MB floor, then within 2 % of 500: left out.
    expect(proposeRefinement(fittedAt(500, [1024], 490))).toEqual([500, 575, 650]);
  });

  it('proposes as many as asked, with the spread asked', () => {
    expect(proposeRefinement(fittedAt(2000, [512]), { count: 1 })).toEqual([2000]);
    expect(proposeRefinement(fittedAt(2000, [512]), { count: 2, spread: 0.5 })).toEqual([1000, 2000]);
  });
});
