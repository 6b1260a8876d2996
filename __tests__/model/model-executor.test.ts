import { describe, expect, it } from '@jest/globals';
import { createModelExecutor, shouldThrottle } from '../../src/emulator/model/model-executor.js';
import { Random } from '../../src/emulator/model/random.js';
import { parseFunctionModel } from '../../src/emulator/model/schema.js';
import type { EnvironmentSpec, FunctionModel, InvocationResult } from '../../src/emulator/runtime/types.js';

const NOW = Date.parse('2024-05-06T07:08:09.123Z');
const EMPTY = Buffer.alloc(0);

/** A spec of a modelled function; the model is noise-free unless the fields say otherwise. */
function spec(fields: Partial<FunctionModel>, overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return {
    key: 'arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST:rev1',
    functionName: 'fn',
    version: '$LATEST',
    memoryMb: 1769,
    timeoutSec: 3,
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    architecture: 'x86_64',
    environment: {},
    code: { kind: 'model', model: parseFunctionModel({ cpuMs: 1000, noiseSigma: 0, ...fields }) },
    ...overrides
  };
}

const json = (result: InvocationResult): unknown => JSON.parse(result.payload.toString('utf8'));

describe('createModelExecutor', () => {
  it('says it models CPU and memory, and refuses code that is not a model', async () => {
    const executor = createModelExecutor();
    expect(executor.mechanisms()).toEqual({ cpu: 'model', memory: 'model' });
    const directory = spec({}, { code: { kind: 'directory', path: '/tmp/x' } });
    await expect(executor.invoke(directory, 'r1', EMPTY)).rejects.toThrow(/only modelled functions.*"directory"/);
  });

  it('starts cold, then reuses the warm environment', async () => {
    const executor = createModelExecutor({ now: () => NOW });
    const s = spec({ ioMs: 20, memoryUsedMb: 100 });
    const first = await executor.invoke(s, 'r1', EMPTY);
    expect(first).toMatchObject({ status: 'success', coldStart: true, durationMs: 1020, initDurationMs: 230 });
    expect(first.functionError).toBeUndefined();
    expect(first.environmentId).toMatch(/^[0-9a-f]{32}$/);
    expect(json(first)).toEqual({ ok: true, modelled: true, durationMs: 1020 });
    expect(first.maxMemoryUsedMb).toBeGreaterThanOrEqual(98);
    expect(first.maxMemoryUsedMb).toBeLessThanOrEqual(102);

    const second = await executor.invoke(s, 'r2', EMPTY);
    expect(second).toMatchObject({ status: 'success', coldStart: false, environmentId: first.environmentId });
    expect(second.initDurationMs).toBeUndefined();
    // Lambda reports the environment's peak, so it never goes down within one environment.
    expect(second.maxMemoryUsedMb).toBeGreaterThanOrEqual(first.maxMemoryUsedMb);

    const other = await executor.invoke({ ...s, key: 'another-key' }, 'r3', EMPTY);
    expect(other.coldStart).toBe(true);
    expect(other.environmentId).not.toBe(first.environmentId);
  });

  it('answers at once with timeScale 0, so concurrent calls share one environment', async () => {
    const executor = createModelExecutor();
    const s = spec({});
    const results = await Promise.all([1, 2, 3].map((n) => executor.invoke(s, `r${n}`, EMPTY)));
    expect(new Set(results.map((result) => result.environmentId)).size).toBe(1);
    expect(results.map((result) => result.coldStart)).toEqual([true, false, false]);
  });

  it('holds environments busy with timeScale > 0, so a concurrent call starts a second one', async () => {
    const executor = createModelExecutor();
    const s = spec({ timeScale: 0.01 }); // (230 + 1000) modelled ms -> about 12 real ms
    const started = Date.now();
    const [a, b] = await Promise.all([executor.invoke(s, 'r1', EMPTY), executor.invoke(s, 'r2', EMPTY)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10);
    expect(a!.coldStart && b!.coldStart).toBe(true);
    expect(a!.environmentId).not.toBe(b!.environmentId);

    const c = await executor.invoke(s, 'r3', EMPTY);
    expect(c.coldStart).toBe(false);
    expect([a!.environmentId, b!.environmentId]).toContain(c.environmentId);
    await executor.close();
  });

  it('is reproducible for a seed and differs for another seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const executor = createModelExecutor();
      const s = spec({ noiseSigma: 0.2, outlierRate: 0.1, errorRate: 0.1, seed });
      const durations: number[] = [];
      for (let i = 0; i < 50; i++) durations.push((await executor.invoke(s, `r${i}`, EMPTY)).durationMs);
      return durations;
    };
    expect(await run(5)).toEqual(await run(5));
    expect(await run(5)).not.toEqual(await run(6));
  });

  it('kills an invocation that needs more memory than it has, and discards the environment', async () => {
    const executor = createModelExecutor();
    const s = spec({ memoryUsedMb: 200 }, { memoryMb: 128, timeoutSec: 30 });
    const result = await executor.invoke(s, 'req-oom', EMPTY);
    expect(result).toMatchObject({
      status: 'error',
      functionError: 'Unhandled',
      errorType: 'Runtime.OutOfMemory',
      maxMemoryUsedMb: 128,
      coldStart: true
    });
    expect(json(result)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: req-oom Error: Runtime exited with error: signal: killed'
    });
    const next = await executor.invoke(s, 'req-2', EMPTY);
    expect(next.coldStart).toBe(true);
    expect(next.environmentId).not.toBe(result.environmentId);
  });

  it('caps reported memory at the memory size', async () => {
    const executor = createModelExecutor();
    const s = spec({ memoryUsedMb: 128, cpuMs: 1 }, { memoryMb: 128 });
    for (let i = 0; i < 50; i++) {
      const result = await executor.invoke(s, `r${i}`, EMPTY);
      expect(result.status).toBe('success');
      expect(result.maxMemoryUsedMb).toBeLessThanOrEqual(128);
    }
  });

  it('times out an invocation longer than the timeout, and discards the environment', async () => {
    const executor = createModelExecutor({ now: () => NOW });
    const s = spec({ cpuMs: 5000 }, { timeoutSec: 3 });
    const result = await executor.invoke(s, 'req-slow', EMPTY);
    expect(result).toMatchObject({
      status: 'timeout',
      functionError: 'Unhandled',
      errorType: 'Sandbox.Timedout',
      durationMs: 3000,
      initDurationMs: 230,
      coldStart: true
    });
    expect(json(result)).toEqual({
      errorMessage: '2024-05-06T07:08:09.123Z req-slow Task timed out after 3.00 seconds'
    });
    expect((await executor.invoke(s, 'req-2', EMPTY)).coldStart).toBe(true);
  });

  it('fails like a Node.js handler that threw, and keeps the environment warm', async () => {
    const executor = createModelExecutor({ now: () => NOW });
    const s = spec({ errorRate: 1 });
    const result = await executor.invoke(s, 'req-err', EMPTY);
    expect(result).toMatchObject({ status: 'error', functionError: 'Unhandled', errorType: 'Error', durationMs: 1000 });
    expect(json(result)).toEqual({ errorType: 'Error', errorMessage: 'modelled failure' });
    expect(result.logLines).toEqual([
      '2024-05-06T07:08:09.123Z\treq-err\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"modelled failure"}'
    ]);
    const next = await executor.invoke(s, 'req-2', EMPTY);
    expect(next).toMatchObject({ coldStart: false, environmentId: result.environmentId });
  });

  it('fails about errorRate of the invocations', async () => {
    const executor = createModelExecutor();
    const s = spec({ errorRate: 0.25 });
    let errors = 0;
    for (let i = 0; i < 4000; i++) if ((await executor.invoke(s, 'r', EMPTY)).status === 'error') errors++;
    expect(errors / 4000).toBeGreaterThan(0.22);
    expect(errors / 4000).toBeLessThan(0.28);
  });

  it('retire forgets matching environments and ends pending waits at once', async () => {
    const executor = createModelExecutor();
    const slow = spec({ timeScale: 1 }, { key: 'fn:1:rev' }); // about 1.2 s of real time
    const fast = spec({}, { key: 'other:1:rev' });
    const warmOther = await executor.invoke(fast, 'r0', EMPTY);
    const started = Date.now();
    const pending = executor.invoke(slow, 'r1', EMPTY);
    await executor.retire('fn:');
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(500);
    expect(result).toMatchObject({ status: 'success', durationMs: 1000 });
    const again = await executor.invoke({ ...slow, code: fast.code }, 'r2', EMPTY);
    expect(again.coldStart).toBe(true);
    expect(again.environmentId).not.toBe(result.environmentId);
    expect((await executor.invoke(fast, 'r3', EMPTY)).environmentId).toBe(warmOther.environmentId);
  });

  it('close ends pending waits and refuses further invocations', async () => {
    const executor = createModelExecutor();
    const pending = executor.invoke(spec({ timeScale: 1 }), 'r1', EMPTY);
    await executor.close();
    expect((await pending).status).toBe('success');
    await expect(executor.invoke(spec({}), 'r2', EMPTY)).rejects.toThrow(/closed/);
  });
});

describe('shouldThrottle', () => {
  it('throttles throttleRate of the calls', () => {
    const rng = new Random(1);
    const m = (throttleRate: number): FunctionModel => parseFunctionModel({ cpuMs: 1, throttleRate });
    expect(shouldThrottle(m(0), rng)).toBe(false);
    expect(shouldThrottle(m(1), rng)).toBe(true);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (shouldThrottle(m(0.3), rng)) hits++;
    expect(hits / 10_000).toBeGreaterThan(0.27);
    expect(hits / 10_000).toBeLessThan(0.33);
  });
});

describe('speed', () => {
  it('runs 1,000,000 invocations with timeScale 0 in a few seconds', async () => {
    const executor = createModelExecutor();
    const s = spec({ noiseSigma: 0.1, outlierRate: 0.01, errorRate: 0.001, ioMs: 30 });
    const n = 1_000_000;
    const started = performance.now();
    let totalMs = 0;
    for (let i = 0; i < n; i++) totalMs += (await executor.invoke(s, 'request-id', EMPTY)).durationMs;
    const elapsed = performance.now() - started;
    // Printed, not asserted tightly: CI machines vary.
    console.log(
      `1,000,000 modelled invocations in ${elapsed.toFixed(0)} ms (mean duration ${(totalMs / n).toFixed(1)} ms)`
    );
    expect(totalMs / n).toBeGreaterThan(1000);
    expect(elapsed).toBeLessThan(60_000);
  });
});
