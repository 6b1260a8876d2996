/**
 * The schedule for a gate: gated sizes measured more often than the rest, and a live baseline invoked in the
 * same rounds as the candidate so both meet the same drift.
 */
import { describe, expect, it } from '@jest/globals';
import { buildSchedule, PlanError } from '../../../src/sweep/plan.js';

const PAYLOADS = [{ json: '{}', weight: 1 }];

describe('buildSchedule for a gate', () => {
  it('measures a gated size more often and keeps the others at the base count', () => {
    const schedule = buildSchedule({
      memorySizes: [128, 512, 1024],
      invocations: 5,
      warmup: 1,
      payloads: PAYLOADS,
      seed: 3,
      invocationsBySize: new Map([[512, 20]])
    });
    const measured = (memoryMb: number) =>
      schedule.filter((p) => p.memoryMb === memoryMb && p.phase === 'measure').length;
    expect([measured(128), measured(512), measured(1024)]).toEqual([5, 20, 5]);
    expect(schedule.filter((p) => p.phase === 'warmup')).toHaveLength(3);
    // The short sizes are interleaved with the gated one while they last: every one of the first 5
    // measured rounds holds all three sizes.
    const firstRounds = schedule.filter((p) => p.phase === 'measure' && p.round <= 5);
    expect(firstRounds).toHaveLength(15);
  });

  it('interleaves a live baseline with the candidate, warm-ups included, and marks its invocations', () => {
    const schedule = buildSchedule({
      memorySizes: [256, 1024],
      invocations: 4,
      warmup: 2,
      payloads: PAYLOADS,
      seed: 9,
      invocationsBySize: new Map([[1024, 10]]),
      baselineArm: { memoryMb: 1024, invocations: 10 }
    });
    const live = schedule.filter((p) => p.arm === 'baseline');
    expect(live.filter((p) => p.phase === 'warmup')).toHaveLength(2);
    expect(live.filter((p) => p.phase === 'measure')).toHaveLength(10);
    expect(live.every((p) => p.memoryMb === 1024)).toBe(true);
    // Each measured round that holds the candidate's 1024 MB also holds the baseline: same rounds, same noise.
    const rounds = new Set(schedule.filter((p) => p.phase === 'measure').map((p) => p.round));
    for (const round of rounds) {
      const inRound = schedule.filter((p) => p.round === round);
      expect(inRound.filter((p) => p.memoryMb === 1024 && !p.arm)).toHaveLength(1);
      expect(inRound.filter((p) => p.arm === 'baseline')).toHaveLength(1);
    }
    // Neither side is always first within its round.
    const firsts = [...rounds].map((round) => schedule.find((p) => p.round === round)!);
    expect(firsts.some((p) => p.arm === 'baseline')).toBe(true);
    expect(firsts.some((p) => !p.arm)).toBe(true);
  });

  it('refuses counts for sizes that are not swept, and counts that are not whole numbers ≥ 1', () => {
    const base = { memorySizes: [128], invocations: 2, warmup: 0, payloads: PAYLOADS, seed: 1 };
    expect(() => buildSchedule({ ...base, invocationsBySize: new Map([[256, 3]]) })).toThrow(
      new PlanError('Invocations are set for 256 MB, which is not swept')
    );
    expect(() => buildSchedule({ ...base, invocationsBySize: new Map([[128, 0]]) })).toThrow(PlanError);
    expect(() => buildSchedule({ ...base, baselineArm: { memoryMb: 128, invocations: 1.5 } })).toThrow(PlanError);
  });
});
