/** The duration model: its physics, its fit on hand-worked and synthetic curves, and the billing of its durations. */
import { describe, expect, it } from '@jest/globals';
import {
  DurationFitError,
  type DurationModel,
  type DurationPoint,
  expectedBilledMs,
  fitDurationModel,
  predictDurationMs
} from '../../src/analyze/duration-model.js';
import { mulberry32 } from '../../src/sweep/plan.js';

const SIZES = [128, 256, 512, 1024, 1536, 2048, 3008, 4096, 6144, 8192, 10240];

/** Exact points of a model at the sizes. */
function pointsOf(model: DurationModel, sizes: readonly number[], samples = 10): DurationPoint[] {
  return sizes.map((memoryMb) => ({ memoryMb, durationMs: predictDurationMs(model, memoryMb), samples }));
}

describe('predictDurationMs', () => {
  it('follows the emulator’s hand-worked numbers: CPU time scales with the vCPU share up to the knee', () => {
    const single = { fixedMs: 0, cpuMs: 1000, kneeMb: 1769 };
    const twoThreads = { fixedMs: 0, cpuMs: 1000, kneeMb: 3538 };

    expect(predictDurationMs(single, 1769)).toBeCloseTo(1000, 9);
    expect(predictDurationMs(single, 884.5)).toBeCloseTo(2000, 9);
    expect(predictDurationMs(single, 3538)).toBeCloseTo(1000, 9);
    expect(predictDurationMs(twoThreads, 3538)).toBeCloseTo(500, 9);
    expect(predictDurationMs({ fixedMs: 20, cpuMs: 100, kneeMb: 1769 }, 884.5)).toBeCloseTo(220, 9);
  });
});

describe('fitDurationModel', () => {
  it('recovers a hand-worked single-threaded curve from three sizes', () => {
    // 10 ms fixed + 100 ms of CPU: 10 + 176,900 / 256 = 701.02 at 256 MB, 182.75 at 1024, 110 above the knee.
    const fit = fitDurationModel([
      { memoryMb: 256, durationMs: 701.015625, samples: 10 },
      { memoryMb: 1024, durationMs: 182.75390625, samples: 10 },
      { memoryMb: 3008, durationMs: 110, samples: 10 }
    ]);

    expect(fit.fixedMs).toBeCloseTo(10, 6);
    expect(fit.cpuMs).toBeCloseTo(100, 6);
    expect(fit.kneeMb).toBe(1769);
    expect(fit.r2).toBeCloseTo(1, 9);
    expect(fit.kneeIdentified).toBe(true);
  });

  it.each([
    ['single-threaded', { fixedMs: 12, cpuMs: 150, kneeMb: 1769 }],
    ['two threads', { fixedMs: 40, cpuMs: 600, kneeMb: 3538 }],
    ['four threads', { fixedMs: 5, cpuMs: 2000, kneeMb: 7076 }],
    ['all CPU, no fixed part', { fixedMs: 0, cpuMs: 300, kneeMb: 1769 }]
  ])('recovers the parameters of a noise-free %s curve', (_name, model) => {
    const fit = fitDurationModel(pointsOf(model, SIZES));

    expect(fit.fixedMs).toBeCloseTo(model.fixedMs, 4);
    expect(fit.cpuMs).toBeCloseTo(model.cpuMs, 4);
    expect(fit.kneeMb).toBe(model.kneeMb);
    expect(fit.r2).toBeCloseTo(1, 9);
  });

  it('stays within a few percent under 5 % multiplicative noise on the medians', () => {
    const model = { fixedMs: 30, cpuMs: 250, kneeMb: 3538 };
    const random = mulberry32(11);
    const noisy = pointsOf(model, SIZES).map((point) => ({
      ...point,
      durationMs: point.durationMs * (1 + 0.05 * (2 * random() - 1))
    }));

    const fit = fitDurationModel(noisy);

    expect(fit.cpuMs / model.cpuMs).toBeGreaterThan(0.95);
    expect(fit.cpuMs / model.cpuMs).toBeLessThan(1.05);
    expect(Math.abs(fit.kneeMb - model.kneeMb)).toBeLessThan(0.15 * model.kneeMb);
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it('does not let one disturbed size bend the curve: it is weighted down', () => {
    const model = { fixedMs: 12, cpuMs: 150, kneeMb: 3538 };
    const points = pointsOf(model, SIZES);
    points[3] = { ...points[3]!, durationMs: points[3]!.durationMs * 1.5 };

    const fit = fitDurationModel(points);

    expect(fit.cpuMs).toBeCloseTo(150, 1);
    expect(fit.kneeMb).toBe(3538);
    expect(fit.points[3]!.robustWeight).toBeLessThan(0.01);
    expect(fit.points.filter((point) => point.robustWeight === 1)).toHaveLength(SIZES.length - 1);
  });

  it('assumes single-threaded code when no size above 1,769 MB shows where speed-up stops', () => {
    const fit = fitDurationModel(pointsOf({ fixedMs: 10, cpuMs: 100, kneeMb: 3538 }, [128, 512, 1024, 1536]));

    expect(fit.kneeMb).toBe(1769);
    expect(fit.kneeIdentified).toBe(false);
    expect(fit.cpuMs).toBeCloseTo(100, 4);
  });

  it('promises no speed-up beyond the largest size when the curve still falls there', () => {
    const fit = fitDurationModel(pointsOf({ fixedMs: 10, cpuMs: 1000, kneeMb: 7076 }, [512, 1024, 2048, 3008]));

    expect(fit.kneeMb).toBe(3008);
    expect(fit.kneeIdentified).toBe(false);
    expect(predictDurationMs(fit, 6144)).toBeCloseTo(predictDurationMs(fit, 3008), 9);
  });

  it('fits a flat curve (all I/O) as a fixed part alone', () => {
    const fit = fitDurationModel(pointsOf({ fixedMs: 80, cpuMs: 0, kneeMb: 1769 }, [128, 1024, 4096]));

    expect(fit.fixedMs).toBeCloseTo(80, 9);
    expect(fit.cpuMs).toBe(0);
    expect(fit.r2).toBe(1);
  });

  it('refuses fewer than two sizes and figures that are not positive', () => {
    expect(() => fitDurationModel([{ memoryMb: 512, durationMs: 10, samples: 5 }])).toThrow(DurationFitError);
    expect(() => fitDurationModel([])).toThrow('at least two memory sizes; got none');
    expect(() =>
      fitDurationModel([
        { memoryMb: 512, durationMs: 0, samples: 5 },
        { memoryMb: 1024, durationMs: 5, samples: 5 }
      ])
    ).toThrow('Cannot fit a duration of 0 ms at 512 MB from 5 samples');
  });
});

describe('expectedBilledMs', () => {
  it('rounds a duration that does not vary up to the next ms, at least 1', () => {
    expect(expectedBilledMs(100.2, 0)).toBe(101);
    expect(expectedBilledMs(100, 0)).toBe(100);
    expect(expectedBilledMs(0.3, 0)).toBe(1);
  });

  it('adds half a millisecond to durations that spread over several ms', () => {
    expect(expectedBilledMs(100.2, 10)).toBeCloseTo(100.7, 9);
  });

  it('agrees with rounding up sampled durations when they spread over less than a ms', () => {
    const random = mulberry32(5);
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      sum += Math.ceil(20.2 + 0.3 * z);
    }

    expect(expectedBilledMs(20.2, 0.3)).toBeCloseTo(sum / n, 2);
  });
});
