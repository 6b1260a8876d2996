import { describe, expect, it } from '@jest/globals';
import { estimateQuantile } from '../../../src/analyze/percentiles.js';
import { summarizeQuantiles, summarizeSize } from '../../../src/analyze/size-summary.js';
import { InvalidSampleError } from '../../../src/analyze/stats.js';
import { PricingError } from '../../../src/pricing/cost.js';
import { failedCall, PRICES, sample } from './fixtures.js';

/** 1024 MB = 1 GB, so a billed ms costs 1e-3 GB-s: cost = billed/1000 × 0.0000166667 + 0.0000002. */
const costOf = (billedMs: number) => (billedMs / 1000) * 0.0000166667 + 0.0000002;

function close(actual: number | null | undefined, expected: number): void {
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
}

describe('summarizeSize', () => {
  it('bills errors, keeps them out of latency, and prices cold starts as Lambda billed them', () => {
    // Prepare: a cold warm-up (billed = ceil(100 + 249.5) = 350, INIT included by Lambda), three measured
    // successes, a handled error (billed), a throttle and a client error (never ran).
    const samples = [
      sample({
        phase: 'warmup',
        durationMs: 100,
        initDurationMs: 249.5,
        billedDurationMs: 350,
        roundTripMs: 400,
        maxMemoryUsedMb: 80
      }),
      sample({ durationMs: 100, billedDurationMs: 100, roundTripMs: 110 }),
      sample({ durationMs: 120, billedDurationMs: 120, roundTripMs: 130, payloadIndex: 1 }),
      sample({ durationMs: 90, billedDurationMs: 90, roundTripMs: 95 }),
      sample({ durationMs: 50, billedDurationMs: 50, roundTripMs: 60, error: 'handled', errorType: 'ValidationError' }),
      failedCall('throttled'),
      failedCall('client')
    ];

    // Act
    const summary = summarizeSize({ memoryMb: 1024, version: '3', samples, prices: PRICES });

    // Assess
    expect(summary).toMatchObject({
      memoryMb: 1024,
      version: '3',
      measured: 6,
      errors: 3,
      errorRate: 0.5,
      errorsByKind: { handled: 1, unhandled: 0, timeout: 0, 'out-of-memory': 0, throttled: 1, client: 1 },
      warmupErrors: 0,
      unusable: false,
      maxMemoryUsedMb: 80,
      memoryUsedShare: 80 / 1024,
      coldStarts: 1,
      measuredColdStarts: 0,
      unpriced: 0
    });
    expect(summary).not.toHaveProperty('unusableReason');
    expect(summary).not.toHaveProperty('costPerJobUsd');
    expect(summary).not.toHaveProperty('jobsPerInvocationMean');
    expect(summary.duration).toMatchObject({ count: 3, max: 120, p50: { value: 100 } });
    close(summary.duration?.mean, 310 / 3);
    expect(summary.roundTrip).toMatchObject({ count: 3, mean: 335 / 3, max: 130 });
    expect(summary.init).toMatchObject({ count: 1, mean: 249.5, max: 249.5 });
    // The four billed measured invocations: 100 + 120 + 90 + 50 = 360 ms.
    expect(summary.billedDurationMeanMs).toBe(90);
    close(summary.costPerInvocationUsd, costOf(90)); // 1.700003e-6
    close(summary.costPerMillionUsd, 1.700003);
    // The sweep's own cost: the four measured ones and the 350 ms warm-up, INIT not added twice.
    close(summary.totalCostUsd, 4 * costOf(90) + costOf(350));
  });

  it('marks a size unusable on an out-of-memory or timeout, warm-ups included', () => {
    const samples = [
      sample({
        phase: 'warmup',
        error: 'out-of-memory',
        errorType: 'Runtime.OutOfMemory',
        reportSource: 'none',
        durationMs: undefined,
        billedDurationMs: undefined,
        maxMemoryUsedMb: undefined
      }),
      sample(),
      sample({ durationMs: 3000, billedDurationMs: 3000, error: 'timeout' })
    ];

    const summary = summarizeSize({ memoryMb: 1024, version: '3', samples, prices: PRICES });

    expect(summary.unusable).toBe(true);
    expect(summary.unusableReason).toBe(
      'Ran out of memory in 1 of 3 invocations and timed out in 1 of 3 invocations (warm-ups included)'
    );
    expect(summary).toMatchObject({ measured: 2, errors: 1, errorRate: 0.5, warmupErrors: 1, unpriced: 1 });
    expect(summary.errorsByKind.timeout).toBe(1);
    // The timeout was billed in full; the killed warm-up's REPORT was lost, so it is unpriced.
    close(summary.totalCostUsd, costOf(100) + costOf(3000));
  });

  it.each([
    ['out-of-memory', 'Ran out of memory in 1 of 2 invocations (warm-ups included)'],
    ['timeout', 'Timed out in 1 of 2 invocations (warm-ups included)']
  ] as const)('explains a lone %s', (error, reason) => {
    const summary = summarizeSize({
      memoryMb: 1024,
      version: '3',
      samples: [sample(), sample({ error })],
      prices: PRICES
    });
    expect(summary.unusableReason).toBe(reason);
  });

  it('works out cost per job, failed jobs included', () => {
    const samples = [
      sample({ jobs: 10 }),
      sample({ jobs: 30, billedDurationMs: 300, durationMs: 299.2 }),
      sample({ error: 'unhandled', billedDurationMs: 20, durationMs: 19.5 }),
      sample({ phase: 'warmup', jobs: 1000 })
    ];

    const summary = summarizeSize({ memoryMb: 1024, version: '3', samples, prices: PRICES });

    const measuredCost = costOf(100) + costOf(300) + costOf(20);
    close(summary.costPerJobUsd, measuredCost / 40);
    close(summary.jobsPerInvocationMean, 40 / 3);
    close(summary.costPerInvocationUsd! / summary.jobsPerInvocationMean!, summary.costPerJobUsd!);
  });

  it('leaves cost per job out when no job was done', () => {
    const summary = summarizeSize({ memoryMb: 1024, version: '3', samples: [sample({ jobs: 0 })], prices: PRICES });
    expect(summary).not.toHaveProperty('costPerJobUsd');
    expect(summary.jobsPerInvocationMean).toBe(0);
  });

  it('uses null, not zero, where there is nothing to summarise', () => {
    const summary = summarizeSize({ memoryMb: 512, version: '9', samples: [], prices: PRICES });
    expect(summary).toEqual({
      memoryMb: 512,
      version: '9',
      measured: 0,
      errors: 0,
      errorRate: 0,
      errorsByKind: { handled: 0, unhandled: 0, timeout: 0, 'out-of-memory': 0, throttled: 0, client: 0 },
      warmupErrors: 0,
      unusable: false,
      duration: null,
      roundTrip: null,
      billedDurationMeanMs: null,
      costPerInvocationUsd: null,
      costPerMillionUsd: null,
      maxMemoryUsedMb: null,
      memoryUsedShare: null,
      coldStarts: 0,
      measuredColdStarts: 0,
      init: null,
      unpriced: 0,
      totalCostUsd: 0
    });
  });

  it('keeps measured cold starts out of warm latency but in cost, and counts a success without REPORT as unpriced', () => {
    const samples = [
      sample({ initDurationMs: 300, billedDurationMs: 401, roundTripMs: 450 }),
      sample({
        reportSource: 'none',
        durationMs: undefined,
        billedDurationMs: undefined,
        maxMemoryUsedMb: undefined,
        roundTripMs: 120
      }),
      sample({ phase: 'warmup', error: 'throttled', reportSource: 'none', billedDurationMs: undefined })
    ];

    const summary = summarizeSize({ memoryMb: 1024, version: '3', samples, prices: PRICES });

    expect(summary).toMatchObject({ coldStarts: 1, measuredColdStarts: 1, unpriced: 1, warmupErrors: 1 });
    // The cold start is billed but not in the latency; the success without REPORT has no duration.
    expect(summary.duration).toBeNull();
    expect(summary.roundTrip).toMatchObject({ count: 1, max: 120 });
    close(summary.totalCostUsd, costOf(401));
    close(summary.costPerInvocationUsd ?? 0, costOf(401));
  });

  it('prices ephemeral storage above 512 MB', () => {
    const summary = summarizeSize({
      memoryMb: 1024,
      version: '3',
      samples: [sample()],
      prices: PRICES,
      ephemeralStorageMb: 1024
    });
    // 0.5 GB extra × 0.1 s × 0.0000000309
    close(summary.costPerInvocationUsd, costOf(100) + 0.5 * 0.1 * 0.0000000309);
  });

  it('passes the confidence on to every estimate', () => {
    const summary = summarizeSize({
      memoryMb: 1024,
      version: '3',
      samples: [sample()],
      prices: PRICES,
      confidence: 0.8
    });
    expect(summary.duration?.p99.confidence).toBe(0.8);
  });

  it('rejects a sample from another size, and what cannot be priced', () => {
    expect(() =>
      summarizeSize({ memoryMb: 1024, version: '3', samples: [sample(), sample({ memoryMb: 512 })], prices: PRICES })
    ).toThrow(new InvalidSampleError('Sample #1 ran at 512 MB, not 1024 MB'));
    expect(() =>
      summarizeSize({ memoryMb: 1024, version: '3', samples: [sample({ billedDurationMs: -1 })], prices: PRICES })
    ).toThrow(PricingError);
    expect(() =>
      summarizeSize({ memoryMb: 1024, version: '3', samples: [sample({ durationMs: Number.NaN })], prices: PRICES })
    ).toThrow(InvalidSampleError);
  });
});

describe('summarizeQuantiles', () => {
  it('summarises values in any order with the four estimates', () => {
    const values = [120, 100, 110];
    const sorted = [100, 110, 120];
    expect(summarizeQuantiles(values)).toEqual({
      count: 3,
      mean: 110,
      max: 120,
      p50: estimateQuantile(sorted, 0.5),
      p90: estimateQuantile(sorted, 0.9),
      p95: estimateQuantile(sorted, 0.95),
      p99: estimateQuantile(sorted, 0.99)
    });
    expect(values).toEqual([120, 100, 110]);
  });

  it('is null for no values', () => {
    expect(summarizeQuantiles([])).toBeNull();
  });
});
