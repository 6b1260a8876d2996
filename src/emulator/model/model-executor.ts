/**
 * An {@link Executor} for modelled functions (`spec.code.kind === 'model'`): no code runs, the
 * duration, memory and failures of every invocation come from the function's {@link FunctionModel}.
 *
 * Environments are virtual. With `timeScale` 0 an invocation is answered at once (no timer), so a
 * benchmark can push millions through; with `timeScale` > 0 the environment stays busy for
 * (init + duration) x timeScale real ms, so concurrent invocations need more environments and
 * cold starts happen as they would on Lambda.
 *
 * Reproducibility: every environment key has its own random stream, seeded from `model.seed` and
 * the key, and each invocation draws a fixed number of values from it in a fixed order. The same
 * sequence of invocations therefore gives the same results. (With timeScale > 0, which invocation
 * gets a cold start depends on real timing, so only timeScale 0 is exactly reproducible.)
 *
 * Throttling: an executor cannot answer 429 (the contract has no such result), so the control
 * plane checks {@link shouldThrottle} before it calls `invoke`.
 */
import { randomUUID } from 'node:crypto';
import type { EnvironmentSpec, Executor, FunctionModel, InvocationResult } from '../runtime/types.js';
import { sampleDurationMs, sampleInitDurationMs } from './duration.js';
import { createRandom, type Random } from './random.js';

/** Reported memory varies by up to this share either way around `memoryUsedMb`, like a real heap. */
const MEMORY_JITTER = 0.02;

/**
 * Decides whether one invocation of a modelled function is throttled (Lambda's 429
 * TooManyRequestsException) before it reaches an executor. Draws one uniform from `rng`.
 *
 * The control plane should keep its own stream for this (e.g. `createRandom(model.seed,
 * 'throttle:' + key)`), so throttling does not shift the executor's duration draws.
 */
export function shouldThrottle(model: FunctionModel, rng: Random): boolean {
  return rng.chance(model.throttleRate);
}

/** One virtual execution environment. */
interface Environment {
  /** 32 hex characters, like the suffix of a Lambda log stream name. */
  readonly id: string;
  /** Peak memory reported so far; Lambda reports the environment's peak, not the invocation's. */
  peakMb: number;
  /** Set when the environment must not be reused: it crashed, timed out or was retired. */
  discarded: boolean;
  /** While a timeScale wait is pending: ends it early (retire/close). */
  wake: (() => void) | undefined;
}

/** The environments and the random stream of one environment key. */
interface Pool {
  readonly rng: Random;
  /** Free warm environments; used as a stack so the most recently used one is reused first. */
  readonly free: Environment[];
  /** Environments held busy by a timeScale wait. */
  readonly busy: Set<Environment>;
}

/** Options of {@link createModelExecutor}. */
export interface ModelExecutorOptions {
  /** Clock for the timestamps in timeout messages and log lines (ms since the epoch); default `Date.now`. */
  now?: () => number;
}

/**
 * Creates the executor for modelled functions.
 *
 * Outcomes, checked in this order on every invocation:
 * 1. out of memory (`memoryUsedMb > spec.memoryMb`): killed, `Runtime.OutOfMemory`, environment discarded;
 * 2. timeout (sampled duration > `timeoutSec`): `Sandbox.Timedout`, environment discarded;
 * 3. `errorRate`: the handler throws (`Unhandled`, as Lambda reports a Node.js handler error),
 *    environment kept warm;
 * 4. success: payload `{"ok":true,"modelled":true,"durationMs":…}`.
 *
 * Init time does not count towards the timeout. Durations are rounded to 0.01 ms, as REPORT lines
 * show them; `maxMemoryUsedMb` is a whole number of MB.
 *
 * `retire` and `close` end pending timeScale waits at once: the invocation still returns the result
 * it was computing (as on Lambda, where deleting a version does not fail running invocations), and
 * its environment is dropped instead of being reused.
 */
export function createModelExecutor(options: ModelExecutorOptions = {}): Executor {
  const now = options.now ?? Date.now;
  const pools = new Map<string, Pool>();
  let closed = false;

  function poolFor(key: string, model: FunctionModel): Pool {
    let pool = pools.get(key);
    if (pool === undefined) {
      pool = { rng: createRandom(model.seed, key), free: [], busy: new Set() };
      pools.set(key, pool);
    }
    return pool;
  }

  /** Forgets the pools of matching keys; pending waits end at once and drop their environments. */
  function retire(keyPrefix: string): void {
    for (const [key, pool] of pools) {
      if (!key.startsWith(keyPrefix)) continue;
      // A new invocation of this key starts a fresh pool, with its random stream from the start.
      pools.delete(key);
      pool.free.length = 0;
      for (const env of [...pool.busy]) {
        env.discarded = true;
        env.wake?.();
      }
    }
  }

  /** Computes one invocation in `env`; sets `env.discarded` when the environment dies. */
  function simulate(
    spec: EnvironmentSpec,
    model: FunctionModel,
    rng: Random,
    env: Environment,
    coldStart: boolean,
    requestId: string
  ): InvocationResult {
    const memoryMb = spec.memoryMb;
    // Fixed draw order and count (init 2 when cold, duration 3, memory 1, error 1): see the module comment.
    const initDurationMs = coldStart ? round2(sampleInitDurationMs(model, memoryMb, rng)) : undefined;
    const sampledMs = sampleDurationMs(model, memoryMb, rng);
    const usedMb = Math.round(model.memoryUsedMb * (1 + MEMORY_JITTER * (2 * rng.next() - 1)));
    const failed = rng.chance(model.errorRate);
    const timeoutMs = spec.timeoutSec * 1000;

    if (model.memoryUsedMb > memoryMb) {
      env.discarded = true;
      env.peakMb = memoryMb;
      return {
        payload: Buffer.from(
          `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: ${requestId} Error: Runtime exited with error: signal: killed"}`
        ),
        functionError: 'Unhandled',
        status: 'error',
        errorType: 'Runtime.OutOfMemory',
        // The kill comes while the handler runs; the whole modelled duration is as good a guess as any.
        durationMs: round2(Math.min(sampledMs, timeoutMs)),
        initDurationMs,
        maxMemoryUsedMb: memoryMb,
        logLines: [],
        environmentId: env.id,
        coldStart
      };
    }

    const peakMb = (env.peakMb = Math.max(env.peakMb, Math.min(usedMb, memoryMb)));
    if (sampledMs > timeoutMs) {
      env.discarded = true;
      const stamp = new Date(now()).toISOString();
      return {
        payload: Buffer.from(
          `{"errorMessage":"${stamp} ${requestId} Task timed out after ${spec.timeoutSec.toFixed(2)} seconds"}`
        ),
        functionError: 'Unhandled',
        status: 'timeout',
        errorType: 'Sandbox.Timedout',
        durationMs: timeoutMs,
        initDurationMs,
        maxMemoryUsedMb: peakMb,
        logLines: [],
        environmentId: env.id,
        coldStart
      };
    }

    const durationMs = round2(sampledMs);
    if (failed) {
      const error = '{"errorType":"Error","errorMessage":"modelled failure"}';
      return {
        payload: Buffer.from(error),
        functionError: 'Unhandled',
        status: 'error',
        errorType: 'Error',
        durationMs,
        initDurationMs,
        maxMemoryUsedMb: peakMb,
        // What the Node.js runtime itself prints for an error thrown by the handler.
        logLines: [`${new Date(now()).toISOString()}\t${requestId}\tERROR\tInvoke Error \t${error}`],
        environmentId: env.id,
        coldStart
      };
    }

    return {
      payload: Buffer.from(`{"ok":true,"modelled":true,"durationMs":${durationMs}}`),
      status: 'success',
      durationMs,
      initDurationMs,
      maxMemoryUsedMb: peakMb,
      // A successful modelled handler prints nothing: at millions of invocations, lines cost.
      logLines: [],
      environmentId: env.id,
      coldStart
    };
  }

  return {
    invoke(spec: EnvironmentSpec, requestId: string, _payload: Buffer): Promise<InvocationResult> {
      if (closed) return Promise.reject(new Error('The model executor is closed.'));
      const code = spec.code;
      if (code.kind !== 'model') {
        return Promise.reject(
          new Error(
            `The model executor runs only modelled functions; ${spec.functionName}:${spec.version} has code of kind "${code.kind}".`
          )
        );
      }
      const model = code.model;
      const pool = poolFor(spec.key, model);
      let env = pool.free.pop();
      const coldStart = env === undefined;
      if (env === undefined) {
        env = { id: randomUUID().replace(/-/g, ''), peakMb: 0, discarded: false, wake: undefined };
      }
      const result = simulate(spec, model, pool.rng, env, coldStart, requestId);

      const waitMs = ((result.initDurationMs ?? 0) + result.durationMs) * model.timeScale;
      if (!(waitMs > 0)) {
        // Answered at once: the environment is free again before anyone else can ask for it.
        if (!env.discarded) pool.free.push(env);
        return Promise.resolve(result);
      }
      const busyEnv = env;
      return new Promise<InvocationResult>((resolve) => {
        const finish = (): void => {
          clearTimeout(timer);
          busyEnv.wake = undefined;
          pool.busy.delete(busyEnv);
          if (!busyEnv.discarded) pool.free.push(busyEnv);
          resolve(result);
        };
        // An endless modelled duration (no CPU at all) must not overflow setTimeout's 32-bit delay.
        const timer = setTimeout(finish, Math.min(waitMs, 2 ** 31 - 1));
        busyEnv.wake = finish;
        pool.busy.add(busyEnv);
      });
    },

    retire(keyPrefix: string): Promise<void> {
      retire(keyPrefix);
      return Promise.resolve();
    },

    close(): Promise<void> {
      closed = true;
      retire('');
      return Promise.resolve();
    },

    mechanisms() {
      return { cpu: 'model', memory: 'model' };
    }
  };
}

/** Rounds to 0.01 ms, the precision of Lambda's REPORT line. */
function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
