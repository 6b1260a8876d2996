/**
 * The duration physics of a modelled function, as pure functions so the emulator's executor, the
 * sweep engine and the benchmarks all compute the same numbers.
 *
 * Lambda gives a function CPU in proportion to its memory: 1,769 MB is one full vCPU, and the
 * share grows linearly up to 6 vCPUs (10,240 MB gives about 5.79). Below 1,769 MB the function
 * gets a fraction of one core. A model says how much CPU work one invocation needs (`cpuMs` on
 * one full vCPU) and over how many threads that work can spread (`parallelism`).
 *
 * CPU time: `cpuMs / min(parallelism, vcpus)`. Read it as "the work runs on as many cores as it
 * has threads, but never on more cores than the function has". The one formula covers both cases
 * the platform has:
 * - vcpus >= 1: effective cores are min(P, vcpus), e.g. P = 2 on 1.5 vCPUs runs at 1.5 cores;
 * - vcpus < 1: every thread shares the one partial core, so P does not help: time = W / vcpus.
 *
 * Duration (handler time) = (cpu time + ioMs) x log-normal noise (median 1, sigma `noiseSigma`),
 * and with probability `outlierRate` also x `outlierFactor` (a GC pause, a slow dependency).
 * I/O waits are not CPU-bound, so `ioMs` is the same at every memory size.
 *
 * Init (cold start) runs single-threaded: `initFixedMs + initCpuMs / min(1, vcpus)`.
 */
import type { FunctionModel } from '../runtime/types.js';
import type { Random } from './random.js';

/** Memory that buys one full vCPU, in MB (AWS documents 1,769 MB = 1 vCPU). */
export const MB_PER_VCPU = 1769;
/** The most vCPUs a Lambda function gets. */
export const MAX_VCPUS = 6;

/**
 * The vCPUs a function of `memoryMb` gets: `min(memoryMb / 1769, 6)`, and at most `hostCores`
 * when given (a local run cannot use more cores than the machine has).
 */
export function vcpusForMemory(memoryMb: number, hostCores: number = Infinity): number {
  return Math.min(memoryMb / MB_PER_VCPU, MAX_VCPUS, hostCores);
}

/**
 * Wall time for `cpuMs` of single-core work spread over `parallelism` threads on `vcpus` vCPUs:
 * `cpuMs / min(parallelism, vcpus)` (see the module comment for why one formula covers both
 * the partial-core and the multi-core case).
 */
export function cpuTimeMs(cpuMs: number, parallelism: number, vcpus: number): number {
  if (cpuMs === 0) return 0;
  const cores = Math.min(Math.max(1, parallelism), vcpus);
  // No CPU at all: the work never finishes (the executor turns that into a timeout).
  return cores > 0 ? cpuMs / cores : Infinity;
}

/**
 * The noise-free duration of one invocation, in ms: `cpuTimeMs + ioMs`. It is the median of
 * {@link sampleDurationMs} when `outlierRate` is 0 (and close to it while the rate is small).
 */
export function expectedDurationMs(model: FunctionModel, memoryMb: number, hostCores?: number): number {
  const vcpus = vcpusForMemory(memoryMb, hostCores);
  return cpuTimeMs(model.cpuMs, model.parallelism, vcpus) + model.ioMs;
}

/**
 * One random duration, in ms: the expected duration x log-normal noise, x `outlierFactor` for an
 * outlier. Consumes exactly three uniforms from `rng` (two for the noise, one for the outlier
 * draw) whatever the settings, so streams stay aligned when a setting changes.
 */
export function sampleDurationMs(model: FunctionModel, memoryMb: number, rng: Random, hostCores?: number): number {
  const noise = rng.logNormal(model.noiseSigma);
  const outlier = rng.chance(model.outlierRate) ? model.outlierFactor : 1;
  return expectedDurationMs(model, memoryMb, hostCores) * noise * outlier;
}

/**
 * The noise-free init (cold start) duration, in ms: `initFixedMs + initCpuMs / min(1, vcpus)`.
 * Init is single-threaded, so more than one vCPU does not speed it up.
 */
export function expectedInitDurationMs(model: FunctionModel, memoryMb: number, hostCores?: number): number {
  const vcpus = vcpusForMemory(memoryMb, hostCores);
  return model.initFixedMs + cpuTimeMs(model.initCpuMs, 1, vcpus);
}

/**
 * One random init duration, in ms: the expected init duration x the same log-normal noise as
 * invocations (no outliers). Consumes exactly two uniforms from `rng`.
 */
export function sampleInitDurationMs(model: FunctionModel, memoryMb: number, rng: Random, hostCores?: number): number {
  return expectedInitDurationMs(model, memoryMb, hostCores) * rng.logNormal(model.noiseSigma);
}
