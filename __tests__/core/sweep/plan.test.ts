import { describe, expect, it } from '@jest/globals';
import { LambdaCostGateError } from '../../../src/errors.js';
import {
  allocate,
  buildSchedule,
  DEFAULT_MEMORY_SIZES,
  mulberry32,
  type PlannedInvocation,
  PlanError,
  type ScheduleOptions
} from '../../../src/sweep/plan.js';
import { SeededRandom } from '../seeded-random.js';

const ONE_PAYLOAD = [{ json: '{}', weight: 1 }];

function options(overrides: Partial<ScheduleOptions> = {}): ScheduleOptions {
  return {
    memorySizes: [...DEFAULT_MEMORY_SIZES],
    invocations: 14,
    warmup: 2,
    payloads: ONE_PAYLOAD,
    seed: 42,
    ...overrides
  };
}

/** The schedule's rounds, in order. */
function rounds(schedule: PlannedInvocation[]): PlannedInvocation[][] {
  const byRound: PlannedInvocation[][] = [];
  for (const invocation of schedule) (byRound[invocation.round] ??= []).push(invocation);
  return byRound;
}

describe('buildSchedule', () => {
  it('runs every warm-up round first, then the measured rounds, each round invoking every size once', () => {
    // Act
    const schedule = buildSchedule(options());

    // Assess
    const sizes = [...DEFAULT_MEMORY_SIZES].sort((a, b) => a - b);
    expect(schedule).toHaveLength((2 + 14) * 7);
    expect(schedule.slice(0, 14).every((invocation) => invocation.phase === 'warmup')).toBe(true);
    expect(schedule.slice(14).every((invocation) => invocation.phase === 'measure')).toBe(true);
    // Rounds are contiguous and numbered in order over the whole schedule.
    expect(schedule.map((invocation) => invocation.round)).toEqual(
      Array.from({ length: 16 }, (_, round) => Array<number>(7).fill(round)).flat()
    );
    for (const round of rounds(schedule)) {
      expect(round.map((invocation) => invocation.memoryMb).sort((a, b) => a - b)).toEqual(sizes);
    }
  });

  it('balances the order: per block of k measured rounds, each size is first exactly once', () => {
    const measured = rounds(buildSchedule(options())).slice(2);
    for (const block of [measured.slice(0, 7), measured.slice(7, 14)]) {
      for (let position = 0; position < 7; position++) {
        const atPosition = block.map((round) => round[position]!.memoryMb).sort((a, b) => a - b);
        expect(atPosition).toEqual([...DEFAULT_MEMORY_SIZES]);
      }
    }
  });

  it('does not always invoke the same size first, even with few rounds', () => {
    for (let seed = 0; seed < 50; seed++) {
      const firsts = rounds(buildSchedule(options({ memorySizes: [128, 1024], invocations: 2, warmup: 0, seed })));
      expect(new Set(firsts.map((round) => round[0]!.memoryMb)).size).toBe(2);
    }
  });

  it('is reproducible from its seed, and changes with it', () => {
    expect(buildSchedule(options({ seed: 7 }))).toEqual(buildSchedule(options({ seed: 7 })));
    expect(buildSchedule(options({ seed: 7 }))).not.toEqual(buildSchedule(options({ seed: 8 })));
  });

  it('honours payload weights exactly and sends every size the same payload in a round', () => {
    // Prepare: weights 3 : 1 : 0 over 8 measured and 4 warm-up rounds.
    const payloads = [
      { json: '{"small":true}', weight: 3 },
      { json: '{"large":true}', weight: 1 },
      { json: '{"never":true}', weight: 0 }
    ];

    // Act
    const schedule = buildSchedule(options({ memorySizes: [128, 512, 2048], invocations: 8, warmup: 4, payloads }));

    // Assess
    for (const size of [128, 512, 2048]) {
      const counts = (phase: string) =>
        [0, 1, 2].map(
          (index) => schedule.filter((i) => i.memoryMb === size && i.phase === phase && i.payloadIndex === index).length
        );
      expect(counts('measure')).toEqual([6, 2, 0]);
      expect(counts('warmup')).toEqual([3, 1, 0]);
    }
    for (const round of rounds(schedule)) expect(new Set(round.map((i) => i.payloadIndex)).size).toBe(1);
  });

  it('shuffles the payload sequence rather than sending each payload in one run', () => {
    const payloads = [
      { json: 'a', weight: 1 },
      { json: 'b', weight: 1 }
    ];
    const sequence = rounds(buildSchedule(options({ memorySizes: [128], invocations: 40, warmup: 0, payloads }))).map(
      (round) => round[0]!.payloadIndex
    );
    expect(sequence.filter((index) => index === 0)).toHaveLength(20);
    expect(sequence).not.toEqual([...Array<number>(20).fill(0), ...Array<number>(20).fill(1)]);
  });

  it('has no warm-up rounds when warmup is 0', () => {
    const schedule = buildSchedule(options({ warmup: 0, invocations: 1 }));
    expect(schedule.every((invocation) => invocation.phase === 'measure' && invocation.round === 0)).toBe(true);
  });

  it.each([
    [{ memorySizes: [] }, 'No memory sizes to sweep'],
    [{ memorySizes: [128, 0] }, 'Memory size must be a whole number of MB; got 0'],
    [{ memorySizes: [128.5] }, 'Memory size must be a whole number of MB; got 128.5'],
    [{ memorySizes: [256, 128, 256] }, 'Memory size 256 MB is listed twice'],
    [{ invocations: 0 }, 'Invocations per size must be a whole number ≥ 1; got 0'],
    [{ invocations: 2.5 }, 'Invocations per size must be a whole number ≥ 1; got 2.5'],
    [{ warmup: -1 }, 'Warm-up invocations per size must be a whole number ≥ 0; got -1'],
    [{ warmup: Number.NaN }, 'Warm-up invocations per size must be a whole number ≥ 0; got NaN'],
    [{ payloads: [] }, 'No payloads to send'],
    [{ payloads: [{ json: '{}', weight: -1 }] }, "Payload #0's weight must be a finite number ≥ 0; got -1"],
    [
      { payloads: [{ json: '{}', weight: Number.POSITIVE_INFINITY }] },
      "Payload #0's weight must be a finite number ≥ 0; got Infinity"
    ],
    [{ payloads: [{ json: '{}', weight: 0 }] }, 'Payload weights must not all be 0'],
    [{ seed: Number.NaN }, 'Seed must be a finite number; got NaN']
  ] as Array<[Partial<ScheduleOptions>, string]>)('rejects %j', (overrides, message) => {
    expect(() => buildSchedule(options(overrides))).toThrow(new PlanError(message));
  });

  it('has the documented defaults, frozen', () => {
    expect(DEFAULT_MEMORY_SIZES).toEqual([128, 256, 512, 1024, 1536, 2048, 3008]);
    expect(Object.isFrozen(DEFAULT_MEMORY_SIZES)).toBe(true);
    expect(new PlanError('x')).toBeInstanceOf(LambdaCostGateError);
  });
});

describe('allocate', () => {
  it('splits by largest remainder', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(7, [3, 1])).toEqual([5, 2]);
    expect(allocate(0, [1, 2])).toEqual([0, 0]);
    expect(allocate(5, [0, 1])).toEqual([0, 5]);
  });

  it('always sums to the count and stays within one of each exact share', () => {
    const random = new SeededRandom(99);
    for (let trial = 0; trial < 500; trial++) {
      const count = random.int(0, 200);
      const weights = Array.from({ length: random.int(1, 6) }, () => random.next() * 10);
      weights[0]! += 0.001; // never all 0
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      const counts = allocate(count, weights);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(count);
      for (const [index, n] of counts.entries())
        expect(Math.abs(n - (count * weights[index]!) / total)).toBeLessThan(1);
    }
  });

  it.each([-1, 1.5])('rejects count %p', (count) => {
    expect(() => allocate(count, [1])).toThrow(new PlanError(`Count must be a whole number ≥ 0; got ${count}`));
  });
});

describe('mulberry32', () => {
  it('is the same generator as the tests’ SeededRandom, in [0, 1)', () => {
    const next = mulberry32(12345);
    const reference = new SeededRandom(12345);
    for (let i = 0; i < 1000; i++) {
      const value = next();
      expect(value).toBe(reference.next());
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});
