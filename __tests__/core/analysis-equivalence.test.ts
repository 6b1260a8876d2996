/**
 * The allocation-free analysis path (selection instead of sorting, one check per summary, the cost total
 * without its breakdown) must give exactly what the straightforward definitions give: the same numbers to
 * the last bit, including the sign of a zero. Checked on seeded random inputs.
 */
import { describe, expect, it } from '@jest/globals';
import { estimateQuantile } from '../../src/analyze/percentiles.js';
import { type QuantileSummary, summarizeQuantiles, summarizeSize } from '../../src/analyze/size-summary.js';
import { InvalidSampleError, selectRanks, sortAscending, summarize } from '../../src/analyze/stats.js';
import { invocationCost, invocationTotalUsd, PricingError, priceTable } from '../../src/pricing/cost.js';
import type { ErrorKind, Sample } from '../../src/sweep/types.js';
import { SeededRandom } from './seeded-random.js';

/** summarizeQuantiles as first written: summarize(), a comparator sort of a copy, estimateQuantile per p. */
function referenceQuantiles(values: readonly number[], confidence = 0.95): QuantileSummary | null {
  if (values.length === 0) return null;
  const { count, mean, max } = summarize(values);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count,
    mean,
    max,
    p50: estimateQuantile(sorted, 0.5, confidence),
    p90: estimateQuantile(sorted, 0.9, confidence),
    p95: estimateQuantile(sorted, 0.95, confidence),
    p99: estimateQuantile(sorted, 0.99, confidence)
  };
}

/** Values of many shapes: ties, negatives, signed zeros, long tails, already sorted or reversed. */
function randomValues(random: SeededRandom, maxLength: number): number[] {
  const n = random.int(1, maxLength);
  const shape = random.int(0, 6);
  const values = Array.from({ length: n }, (_, i) => {
    switch (shape) {
      case 0:
        return random.int(0, 3); // few distinct values, zeros among them
      case 1:
        return random.next() * 1000 - 500;
      case 2:
        return Math.exp(random.next() * 12);
      case 3:
        return random.pick([0, -0, 1, -1, 0.5]); // signed zeros
      case 4:
        return 20 + ((i * 7919) % 1000) / 10; // the bench's durations
      case 5:
        return random.int(1, 5) * 1e-7; // cost-like magnitudes
      default:
        return i; // already sorted
    }
  });
  if (random.next() < 0.2) values.reverse();
  return values;
}

/** Same values (toStrictEqual compares numbers with Object.is, so the sign of a zero counts) and the same JSON. */
function expectIdentical(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

describe('selectRanks', () => {
  it('puts the asked ranks where a sort puts them (seed 11)', () => {
    const random = new SeededRandom(11);
    for (let i = 0; i < 400; i++) {
      const values = randomValues(random, random.next() < 0.2 ? 5000 : 200).map((value) => value || 1);
      const sorted = [...values].sort((a, b) => a - b);
      const ranks = [
        ...new Set(Array.from({ length: random.int(1, 20) }, () => random.int(0, values.length - 1)))
      ].sort((a, b) => a - b);
      const selected = new Float64Array(values);
      selectRanks(selected, ranks);
      for (const rank of ranks) expect(selected[rank]).toBe(sorted[rank]);
      // A permutation of the input: nothing lost or duplicated.
      expect([...selected].sort((a, b) => a - b)).toEqual(sorted);
    }
  });

  it('stays fast and exact on inputs that defeat naive pivots', () => {
    const n = 200_000;
    const organPipe = new Float64Array(n).map((_, i) => (i < n / 2 ? i + 1 : n - i));
    const constant = new Float64Array(n).fill(7);
    for (const values of [organPipe, constant]) {
      const sorted = Float64Array.from(values).sort();
      const ranks = [0, 1, n >> 1, n - 2, n - 1];
      selectRanks(values, ranks);
      for (const rank of ranks) expect(values[rank]).toBe(sorted[rank]);
    }
  });
});

describe('sortAscending', () => {
  it('sorts exactly as a comparator sort of a copy does, signed zeros in input order (seed 12)', () => {
    const random = new SeededRandom(12);
    for (let i = 0; i < 300; i++) {
      const values = randomValues(random, 300);
      const expected = [...values].sort((a, b) => a - b);
      const actual = [...sortAscending(new Float64Array(values))];
      expect(actual.map((value) => Object.is(value, -0))).toEqual(expected.map((value) => Object.is(value, -0)));
      expect(actual).toEqual(expected);
    }
  });
});

describe('summarizeQuantiles', () => {
  it('gives what summarize() and estimateQuantile() on the sorted values give (seed 13)', () => {
    const random = new SeededRandom(13);
    for (let i = 0; i < 300; i++) {
      const values = randomValues(random, random.next() < 0.1 ? 3000 : 400);
      const confidence = random.pick([0.95, 0.9, 0.99, 0.5]);
      const copy = [...values];
      expectIdentical(summarizeQuantiles(values, confidence), referenceQuantiles(values, confidence));
      // The input is not modified.
      expect(values).toEqual(copy);
    }
  });

  it('throws what the reference throws', () => {
    for (const [values, confidence] of [
      [[1, Number.NaN, 3], 0.95],
      [[Number.POSITIVE_INFINITY], 0.95],
      [[1, 2, 3], 1.5],
      [[1, 2, 3], 0]
    ] as const) {
      expect(() => referenceQuantiles(values, confidence)).toThrow(InvalidSampleError);
      const expected = (() => {
        try {
          referenceQuantiles(values, confidence);
        } catch (error) {
          return (error as Error).message;
        }
        return '';
      })();
      expect(() => summarizeQuantiles(values, confidence)).toThrow(new InvalidSampleError(expected));
    }
  });
});

describe('summarizeSize', () => {
  const prices = priceTable('us-east-1', 'x86_64');
  const kinds: Array<ErrorKind | undefined> = [undefined, undefined, undefined, 'handled', 'unhandled', 'throttled'];

  function randomSamples(random: SeededRandom, n: number): Sample[] {
    return Array.from({ length: n }, (_, i) => {
      const durationMs = random.next() < 0.05 ? 0 : Math.round(random.next() * 100_000) / 100;
      const sample: Sample = {
        memoryMb: 512,
        version: '1',
        payloadIndex: 0,
        phase: random.next() < 0.1 ? 'warmup' : 'measure',
        roundTripMs: durationMs + random.next() * 10,
        reportSource: 'tail',
        startedAt: i,
        requestId: `r${i}`,
        durationMs,
        billedDurationMs: Math.ceil(durationMs),
        maxMemoryUsedMb: random.int(50, 500)
      };
      if (random.next() < 0.05) sample.initDurationMs = 100 + random.next() * 200;
      const error = random.pick(kinds);
      if (error !== undefined) sample.error = error;
      return sample;
    });
  }

  it('summarises latency, cold starts and cost as the definitions do (seed 14)', () => {
    const random = new SeededRandom(14);
    for (let round = 0; round < 20; round++) {
      const samples = randomSamples(random, random.int(1, 3000));
      const summary = summarizeSize({ memoryMb: 512, version: '1', samples, prices, ephemeralStorageMb: 1024 });
      const measuredWarm = samples.filter((s) => s.phase === 'measure' && s.error === undefined && !s.initDurationMs);
      expectIdentical(summary.duration, referenceQuantiles(measuredWarm.map((s) => s.durationMs!)));
      expectIdentical(summary.roundTrip, referenceQuantiles(measuredWarm.map((s) => s.roundTripMs)));
      const inits = samples.filter((s) => s.initDurationMs !== undefined).map((s) => s.initDurationMs!);
      expectIdentical(summary.init, referenceQuantiles(inits));
      let total = 0;
      for (const s of samples) {
        if (s.error === 'throttled' || s.error === 'client') continue;
        total += invocationCost(
          { billedDurationMs: s.billedDurationMs!, memoryMb: 512, ephemeralStorageMb: 1024 },
          prices
        ).totalUsd;
      }
      expect(Object.is(summary.totalCostUsd, total)).toBe(true);
    }
  });
});

describe('invocationTotalUsd', () => {
  const prices = priceTable('eu-west-1', 'arm64', { storageGbSecondUsd: 0.0000000309 });

  it('is invocationCost(…).totalUsd to the last bit (seed 15)', () => {
    const random = new SeededRandom(15);
    for (let i = 0; i < 2000; i++) {
      const billedDurationMs = random.int(0, 900_000);
      const memoryMb = random.int(128, 10_240);
      const ephemeralStorageMb = random.next() < 0.5 ? undefined : random.int(512, 10_240);
      const expected = invocationCost({ billedDurationMs, memoryMb, ephemeralStorageMb }, prices).totalUsd;
      expect(Object.is(invocationTotalUsd(billedDurationMs, memoryMb, ephemeralStorageMb, prices), expected)).toBe(
        true
      );
    }
  });

  it('refuses what invocationCost refuses, with the same message', () => {
    for (const [billed, memory, storage] of [
      [-1, 128, undefined],
      [Number.NaN, 128, undefined],
      [100, 0, undefined],
      [100, Number.POSITIVE_INFINITY, undefined],
      [100, 128, -5]
    ] as const) {
      let message = '';
      try {
        invocationCost({ billedDurationMs: billed, memoryMb: memory, ephemeralStorageMb: storage }, prices);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(() => invocationTotalUsd(billed, memory, storage, prices)).toThrow(new PricingError(message));
    }
  });
});
