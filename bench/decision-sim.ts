/**
 * The simulated world of `npm run bench:decision`: modelled functions, pull requests that leave them alone or
 * make them slower, and the invocations a sweep would record, all in-process, seeded and reproducible.
 *
 * Durations use the emulator's own physics and random streams (src/emulator/model/duration.ts, random.ts):
 * (CPU time on the vCPU share + I/O) × log-normal noise, × an outlier factor now and then. On top, what a real
 * run adds and the emulator's model does not:
 * - a run-level factor (log-normal, σ 1 %): the day's hardware and neighbours, different for the baseline's
 *   run and the candidate's;
 * - slow drift within a run: up to ±2 % over 400 invocations;
 * - cold-start contamination: a measured invocation is cold now and then (its duration 20 % slower, its
 *   billed duration including INIT), and the next one, though warm, still runs 10 % slower (code not yet
 *   optimised): the first is kept out of warm latency by its Init Duration, the second cannot be;
 * - rare handler errors.
 */
import { expectedBilledMs } from '../src/analyze/duration-model.js';
import { type FittedPoint } from '../src/analyze/fitted-recommendation.js';
import {
  expectedDurationMs,
  expectedInitDurationMs,
  sampleDurationMs,
  sampleInitDurationMs
} from '../src/emulator/model/duration.js';
import { createRandom, type Random } from '../src/emulator/model/random.js';
import type { FunctionModel } from '../src/emulator/runtime/types.js';
import { invocationTotalUsd, type PriceTable } from '../src/pricing/cost.js';
import type { Sample } from '../src/sweep/types.js';

/** A function as the simulation sees it: the emulator's model plus what a run adds. */
export interface SimFunction {
  model: FunctionModel;
  /** Probability that a measured invocation is a cold start. */
  coldRate: number;
  /** The size production runs at: the gated size. */
  gatedMb: number;
}

/** One run's environment: a level for the day and a drift over the run. */
export interface RunEnvironment {
  level: number;
  /** Relative change of durations over 400 invocations. */
  drift: number;
}

/**
 * Draws a function: CPU 20–1,500 ms on one vCPU, I/O on 60 % of them, mostly single-threaded (75 %; 15 % two
 * threads, 10 % four), log-normal noise σ 3–15 %, outliers on up to 0.5 % of invocations (2–4 × longer),
 * measured cold starts on up to 0.3 % (INIT 80 ms + 50–300 ms of CPU), handler errors on up to 0.2 %.
 */
export function drawFunction(random: Random): SimFunction {
  const u = () => random.next();
  const cpuMs = Math.exp(Math.log(20) + u() * Math.log(1500 / 20));
  const threads = u();
  const memoryUsedMb = Math.round(50 + u() * 650);
  const model: FunctionModel = {
    cpuMs,
    parallelism: threads < 0.75 ? 1 : threads < 0.9 ? 2 : 4,
    ioMs: (u() < 0.6 ? cpuMs * (0.05 + u()) : 0) + 1 + 4 * u(),
    noiseSigma: 0.03 + 0.12 * u(),
    outlierRate: 0.005 * u(),
    outlierFactor: 2 + 2 * u(),
    initCpuMs: 50 + 250 * u(),
    initFixedMs: 80,
    memoryUsedMb,
    errorRate: 0.002 * u(),
    throttleRate: 0,
    timeScale: 0,
    seed: Math.floor(u() * 2 ** 31)
  };
  const gatedMb = [512, 1024, 1536].find((size) => size >= memoryUsedMb * 1.3) ?? 1536;
  return { model, coldRate: 0.003 * u(), gatedMb };
}

/** A run's environment: level e^N(0, 0.01²), drift uniform in ±2 %. */
export function drawEnvironment(random: Random): RunEnvironment {
  return { level: Math.exp(0.01 * random.normal()), drift: 0.04 * random.next() - 0.02 };
}

/** `count` measured invocations of `model` at `memoryMb`, in order. */
export function invocations(
  fn: SimFunction,
  model: FunctionModel,
  memoryMb: number,
  count: number,
  environment: RunEnvironment,
  random: Random
): Sample[] {
  const samples: Sample[] = [];
  let afterCold = false;
  for (let i = 0; i < count; i++) {
    const cold = random.chance(fn.coldRate);
    const slow = (cold ? 1.2 : 1) * (afterCold ? 1.1 : 1);
    const drift = 1 + (environment.drift * i) / 400;
    const durationMs = round2(sampleDurationMs(model, memoryMb, random) * environment.level * drift * slow);
    const initMs = cold ? round2(sampleInitDurationMs(model, memoryMb, random)) : undefined;
    const failed = random.chance(model.errorRate);
    const outOfMemory = model.memoryUsedMb > memoryMb;
    afterCold = cold;
    samples.push({
      memoryMb,
      version: '1',
      payloadIndex: 0,
      phase: 'measure',
      durationMs,
      billedDurationMs: Math.ceil(durationMs + (initMs ?? 0)),
      ...(initMs !== undefined ? { initDurationMs: initMs } : {}),
      maxMemoryUsedMb: outOfMemory ? memoryMb : Math.round(model.memoryUsedMb * (1 + 0.02 * (2 * random.next() - 1))),
      roundTripMs: durationMs + 5,
      ...(outOfMemory ? { error: 'out-of-memory' as const } : failed ? { error: 'unhandled' as const } : {}),
      reportSource: 'tail',
      startedAt: i
    });
  }
  return samples;
}

/** The true mean duration of warm invocations of `model` at `memoryMb`, ms. */
export function trueMeanMs(model: FunctionModel, memoryMb: number): number {
  const noise = Math.exp(model.noiseSigma ** 2 / 2);
  return expectedDurationMs(model, memoryMb) * noise * (1 + model.outlierRate * (model.outlierFactor - 1));
}

/** The true mean billed cost of an invocation in a run (cold starts and their INIT included), USD. */
export function trueRunCostUsd(fn: SimFunction, model: FunctionModel, memoryMb: number, prices: PriceTable): number {
  const warm = trueMeanMs(model, memoryMb) * (1 + 0.3 * fn.coldRate);
  const init = fn.coldRate * expectedInitDurationMs(model, memoryMb) * Math.exp(model.noiseSigma ** 2 / 2);
  return invocationTotalUsd(warm + init + 0.5, memoryMb, undefined, prices);
}

/** The CPU factor that raises the true run cost at the gated size by `increase` (e.g. 0.1 = +10 %). */
export function regressionFactor(fn: SimFunction, increase: number, prices: PriceTable): number {
  const base = trueRunCostUsd(fn, fn.model, fn.gatedMb, prices);
  let low = 1;
  let high = 4;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    const cost = trueRunCostUsd(fn, { ...fn.model, cpuMs: fn.model.cpuMs * middle }, fn.gatedMb, prices);
    if (cost / base - 1 < increase) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** The true curve from `floorMb` to 10,240 MB in 1 MB steps (warm invocations, as the fitted one). */
export function trueCurve(model: FunctionModel, floorMb: number, prices: PriceTable): FittedPoint[] {
  const points: FittedPoint[] = [];
  for (let memoryMb = floorMb; memoryMb <= 10240; memoryMb++) points.push(truePoint(model, memoryMb, prices));
  return points;
}

/** The true mean, billed duration and cost of a warm invocation at one size. */
export function truePoint(model: FunctionModel, memoryMb: number, prices: PriceTable): FittedPoint {
  const mean = trueMeanMs(model, memoryMb);
  const billed = expectedBilledMs(mean, mean * Math.sqrt(Math.expm1(model.noiseSigma ** 2)));
  const cost = invocationTotalUsd(billed, memoryMb, undefined, prices);
  return {
    memoryMb,
    predictedMeanMs: mean,
    predictedP99Ms: mean,
    predictedBilledMs: billed,
    predictedCostUsd: cost,
    predictedCostPerMillionUsd: cost * 1e6,
    position: 'between'
  };
}

/** A seeded stream for one purpose of one pull request. */
export function streamFor(seed: number, pr: number, purpose: string): Random {
  return createRandom(seed, `${pr}:${purpose}`);
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
