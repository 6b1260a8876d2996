import { describe, expect, it } from '@jest/globals';
import {
  cpuTimeMs,
  expectedDurationMs,
  expectedInitDurationMs,
  sampleDurationMs,
  sampleInitDurationMs,
  vcpusForMemory
} from '../../src/emulator/model/duration.js';
import { Random } from '../../src/emulator/model/random.js';
import { parseFunctionModel } from '../../src/emulator/model/schema.js';
import type { FunctionModel } from '../../src/emulator/runtime/types.js';

/** A noise-free model with the given fields. */
const model = (fields: Partial<FunctionModel>): FunctionModel =>
  parseFunctionModel({ cpuMs: 1000, noiseSigma: 0, ...fields });

describe('vcpusForMemory', () => {
  it('gives one vCPU per 1769 MB, at most 6, at most the host cores', () => {
    expect(vcpusForMemory(1769)).toBe(1);
    expect(vcpusForMemory(884.5)).toBe(0.5);
    expect(vcpusForMemory(10240)).toBeCloseTo(5.789, 3);
    expect(vcpusForMemory(20000)).toBe(6);
    expect(vcpusForMemory(3538 * 2, 2)).toBe(2);
  });
});

describe('cpuTimeMs and expectedDurationMs', () => {
  it('matches hand-worked numbers for single-threaded work', () => {
    expect(expectedDurationMs(model({}), 1769)).toBe(1000);
    expect(expectedDurationMs(model({}), 884.5)).toBe(2000);
    expect(expectedDurationMs(model({}), 3538)).toBe(1000);
    expect(expectedDurationMs(model({}), 128)).toBeCloseTo(13820.3, 1);
  });

  it('spreads work over min(parallelism, vcpus) cores', () => {
    expect(expectedDurationMs(model({ parallelism: 2 }), 3538)).toBe(500);
    expect(expectedDurationMs(model({ parallelism: 4 }), 3538)).toBe(500);
    expect(expectedDurationMs(model({ parallelism: 2 }), 2653.5)).toBeCloseTo(666.67, 2);
    // Below one vCPU all threads share the partial core: parallelism does not help.
    expect(expectedDurationMs(model({ parallelism: 8 }), 884.5)).toBe(2000);
    // Host cap: 6 threads on 10240 MB but only 2 host cores.
    expect(expectedDurationMs(model({ parallelism: 6 }), 10240, 2)).toBe(500);
  });

  it('adds ioMs unchanged at every memory size', () => {
    expect(expectedDurationMs(model({ ioMs: 250 }), 1769)).toBe(1250);
    expect(expectedDurationMs(model({ ioMs: 250 }), 884.5)).toBe(2250);
    expect(expectedDurationMs(model({ cpuMs: 0, ioMs: 250 }), 128)).toBe(250);
  });

  it('never finishes CPU work with no CPU', () => {
    expect(cpuTimeMs(10, 1, 0)).toBe(Infinity);
    expect(cpuTimeMs(0, 1, 0)).toBe(0);
  });
});

describe('expectedInitDurationMs', () => {
  it('is fixed time plus single-threaded CPU time capped at one core', () => {
    const m = model({ initCpuMs: 150, initFixedMs: 80, parallelism: 4 });
    expect(expectedInitDurationMs(m, 1769)).toBe(230);
    expect(expectedInitDurationMs(m, 884.5)).toBe(380);
    expect(expectedInitDurationMs(m, 10240)).toBe(230);
  });
});

describe('sampleDurationMs', () => {
  it('is reproducible for a seed', () => {
    const m = model({ noiseSigma: 0.2, outlierRate: 0.1 });
    const a = new Random(1);
    const b = new Random(1);
    for (let i = 0; i < 100; i++) expect(sampleDurationMs(m, 1769, a)).toBe(sampleDurationMs(m, 1769, b));
  });

  it('has the expected duration as median and the model sigma as log spread', () => {
    const m = model({ noiseSigma: 0.1, ioMs: 100 });
    const rng = new Random(2);
    const n = 50_001;
    const logs: number[] = [];
    for (let i = 0; i < n; i++) logs.push(Math.log(sampleDurationMs(m, 1769, rng)));
    logs.sort((x, y) => x - y);
    expect(Math.exp(logs[25_000]!)).toBeGreaterThan(1100 * 0.99);
    expect(Math.exp(logs[25_000]!)).toBeLessThan(1100 * 1.01);
    const mean = logs.reduce((sum, x) => sum + x, 0) / n;
    const sd = Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / n);
    expect(sd).toBeGreaterThan(0.095);
    expect(sd).toBeLessThan(0.105);
  });

  it('multiplies outliers by outlierFactor at outlierRate', () => {
    const m = model({ outlierRate: 0.2, outlierFactor: 5 });
    const rng = new Random(3);
    let outliers = 0;
    for (let i = 0; i < 20_000; i++) {
      const ms = sampleDurationMs(m, 1769, rng);
      expect(ms === 1000 || ms === 5000).toBe(true);
      if (ms === 5000) outliers++;
    }
    expect(outliers / 20_000).toBeGreaterThan(0.18);
    expect(outliers / 20_000).toBeLessThan(0.22);
  });

  it('samples init with noise around its expected value', () => {
    expect(sampleInitDurationMs(model({}), 1769, new Random(4))).toBe(230);
    const noisy = sampleInitDurationMs(model({ noiseSigma: 0.1 }), 1769, new Random(4));
    expect(noisy).not.toBe(230);
    expect(noisy).toBeGreaterThan(150);
    expect(noisy).toBeLessThan(350);
  });
});
