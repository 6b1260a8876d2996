/**
 * The fallbacks for hosts without cgroups, forced: CPU limited by SIGSTOP/SIGCONT against the CPU
 * time the environment used, memory measured and enforced by RSS sampling.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createProcessExecutor } from '../../src/emulator/runtime/process-executor.js';
import type { Executor } from '../../src/emulator/runtime/types.js';
import { EXAMPLES, FIXTURES, alive, json, parse, rid, specFor } from './helpers.js';

let executor: Executor;
const pids: number[] = [];

beforeAll(async () => {
  executor = await createProcessExecutor({ forceMechanism: 'sigstop' });
});

afterAll(async () => {
  await executor.close();
});

describe('process executor without cgroups', () => {
  it('reports the fallback mechanisms', () => {
    expect(executor.mechanisms()).toEqual({ cpu: 'sigstop', memory: 'rss' });
  });

  it('gives 128 MB a much smaller CPU share than 1769 MB', async () => {
    const timed = async (memoryMb: number): Promise<number> => {
      const spec = specFor(join(EXAMPLES, 'cpu-bound'), { memoryMb, tag: 'sigstop' });
      await executor.invoke(spec, rid(), json({ n: 100_000 }));
      return (await executor.invoke(spec, rid(), json({ n: 300_000 }))).durationMs;
    };
    const full = await timed(1769);
    const small = await timed(128);
    expect(small / full).toBeGreaterThan(5);
  });

  it('measures memory from RSS and kills an environment over its size', async () => {
    const hungry = join(EXAMPLES, 'memory-hungry');
    const fits = await executor.invoke(specFor(hungry, { memoryMb: 512, tag: 'sigstop' }), rid(), json({ mb: 200 }));
    expect(fits.status).toBe('success');
    expect(fits.maxMemoryUsedMb).toBeGreaterThanOrEqual(200);
    expect(fits.maxMemoryUsedMb).toBeLessThanOrEqual(512);
    const id = rid();
    const killed = await executor.invoke(specFor(hungry, { memoryMb: 128, tag: 'sigstop' }), id, json({ mb: 300 }));
    expect(killed).toMatchObject({
      status: 'error',
      functionError: 'Unhandled',
      errorType: 'Runtime.OutOfMemory',
      maxMemoryUsedMb: 128
    });
    expect(parse(killed)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${id} Error: Runtime exited with error: signal: killed`
    });
  });

  it('stops environments that stay idle longer than idleTimeoutMs', async () => {
    const reaping = await createProcessExecutor({ forceMechanism: 'sigstop', idleTimeoutMs: 200 });
    try {
      const spec = specFor(join(FIXTURES, 'basic'), { handler: 'index.sleepFor', tag: 'idle' });
      const first = await reaping.invoke(spec, rid(), json({ ms: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(alive(parse(first).pid)).toBe(false);
      const second = await reaping.invoke(spec, rid(), json({ ms: 1 }));
      expect(second.coldStart).toBe(true);
    } finally {
      await reaping.close();
    }
  });

  it('times out a throttled environment and leaves nothing behind after close', async () => {
    const spec = specFor(join(FIXTURES, 'basic'), {
      handler: 'index.sleepFor',
      memoryMb: 128,
      timeoutSec: 1,
      tag: 'sigstop'
    });
    const warm = await executor.invoke(spec, rid(), json({ ms: 1 }));
    pids.push(parse(warm).pid);
    const timedOut = await executor.invoke(spec, rid(), json({ ms: 3000 }));
    expect(timedOut).toMatchObject({ status: 'timeout', errorType: 'Sandbox.Timedout' });
    expect(alive(parse(warm).pid)).toBe(false);
    // A CPU-bound invocation in flight is mostly SIGSTOPped at 128 MB: close must still end it.
    const busy = executor.invoke(
      specFor(join(EXAMPLES, 'cpu-bound'), { memoryMb: 128, tag: 'sigstop' }),
      rid(),
      json({ n: 3_000_000 })
    );
    const other = await executor.invoke(spec, rid(), json({ ms: 1 }));
    pids.push(parse(other).pid);
    await executor.close();
    expect((await busy).status).toBe('error');
    expect(pids.filter(alive)).toEqual([]);
  });
});
