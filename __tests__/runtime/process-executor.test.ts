/**
 * The process executor through the Executor interface, with the mechanisms this host offers
 * (cgroups where writable, else SIGSTOP and RSS sampling). Durations are only compared with loose
 * ratios; exact CPU-share targets belong to the emulator benchmark.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups } from '../../src/emulator/runtime/cgroups.js';
import { createProcessExecutor, detectCpuMechanism } from '../../src/emulator/runtime/process-executor.js';
import type { Executor } from '../../src/emulator/runtime/types.js';
// @ts-expect-error: a plain .mjs sample without type declarations
import { startDelayServer } from '../../examples/functions/io-bound/delay-server.mjs';
import { EXAMPLES, FIXTURES, alive, json, ownChildren, parse, rid, specFor } from './helpers.js';

const BASIC = join(FIXTURES, 'basic');
const pids = new Set<number>();
const envIds = new Set<string>();
let executor: Executor;

beforeAll(async () => {
  process.env.LCG_HOST_SECRET = 'must not leak';
  executor = await createProcessExecutor();
});

afterAll(async () => {
  delete process.env.LCG_HOST_SECRET;
  await executor.close(); // Idempotent: the last test closes it already.
});

/** Invokes and remembers the environment and the pid the handler reported, for the final check. */
async function run(spec: ReturnType<typeof specFor>, payload: unknown = {}) {
  const result = await executor.invoke(spec, rid(), json(payload));
  envIds.add(result.environmentId);
  if (result.status === 'success') {
    const pid = (parse(result) as { pid?: unknown } | null)?.pid;
    if (typeof pid === 'number') pids.add(pid);
  }
  return result;
}

describe('process executor', () => {
  it('reports the mechanisms it probed', async () => {
    expect(executor.mechanisms().cpu).toBe(await detectCpuMechanism());
    expect(['cgroup-v1', 'cgroup-v2', 'rss']).toContain(executor.mechanisms().memory);
  });

  it('cold-starts once, then reuses the warm environment', async () => {
    const spec = specFor(BASIC, { handler: 'index.echo' });
    const first = await run(spec, { a: 1 });
    const second = await run(spec, { a: 2 });
    expect(first).toMatchObject({ status: 'success', coldStart: true });
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(parse(first).event).toEqual({ a: 1 });
    expect(second.coldStart).toBe(false);
    expect(second.initDurationMs).toBeUndefined();
    expect(second.environmentId).toBe(first.environmentId);
    expect(parse(second).pid).toBe(parse(first).pid);
    expect(second.durationMs).toBeGreaterThan(0);
    expect(second.maxMemoryUsedMb).toBeGreaterThanOrEqual(20);
    expect(second.maxMemoryUsedMb).toBeLessThan(1769);
  });

  it('passes the Lambda environment, not the host one, and a context', async () => {
    const spec = specFor(BASIC, { handler: 'index.echo', memoryMb: 512, timeoutSec: 7, environment: { FOO: 'bar' } });
    const result = await run(spec);
    const body = parse(result);
    expect(body.env).toEqual({
      FOO: 'bar',
      AWS_LAMBDA_FUNCTION_NAME: 'basic',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: 'us-east-1',
      LAMBDA_TASK_ROOT: BASIC,
      _HANDLER: 'index.echo'
    });
    expect(body.execArgv).toContain('--max-old-space-size=460');
    expect(body.context).toMatchObject({ functionName: 'basic', functionVersion: '$LATEST', memoryLimitInMB: '512' });
    expect(body.context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:basic');
    expect(body.context.remaining).toBeGreaterThan(5000);
    expect(body.context.remaining).toBeLessThanOrEqual(7000);
  });

  it('captures console output in Lambda text format, and raw writes as lines', async () => {
    const id = rid();
    const result = await executor.invoke(specFor(BASIC, { handler: 'index.logs' }), id, json({}));
    pids.add(parse(result).pid);
    expect(result.logLines).toEqual([
      expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\thello 42$`)),
      expect.stringMatching(new RegExp(`Z\\t${id}\\tERROR\\toops$`)),
      'raw line',
      'partial'
    ]);
  });

  it('starts a second environment when the first is busy', async () => {
    const spec = specFor(BASIC, { handler: 'index.sleepFor' });
    const [a, b] = await Promise.all([run(spec, { ms: 300 }), run(spec, { ms: 300 })]);
    expect(a.environmentId).not.toBe(b.environmentId);
    expect(a.coldStart && b.coldStart).toBe(true);
    const c = await run(spec, { ms: 1 });
    expect(c.coldStart).toBe(false);
    expect([a.environmentId, b.environmentId]).toContain(c.environmentId);
  });

  it('gives 128 MB a much smaller CPU share than 1769 MB', async () => {
    const timed = async (memoryMb: number): Promise<number> => {
      const spec = specFor(join(EXAMPLES, 'cpu-bound'), { memoryMb });
      await run(spec, { n: 100_000 }); // Cold start and JIT warm-up.
      return (await run(spec, { n: 300_000 })).durationMs;
    };
    const full = await timed(1769);
    const small = await timed(128);
    // Ideal 13.8x; anything over 5x shows the limit is enforced.
    expect(small / full).toBeGreaterThan(5);
  });

  it('at 1769 MB two worker threads share one vCPU', async () => {
    const elapsed = async (threads: number): Promise<number> => {
      const spec = specFor(join(EXAMPLES, 'batch-worker'), {
        environment: { THREADS: String(threads) },
        tag: `t${threads}`
      });
      await run(spec, { jobs: threads, jobSize: 100_000 });
      const result = await run(spec, { jobs: 4, jobSize: 400_000 });
      const body = parse(result);
      expect(body).toMatchObject({ jobs: 4, threads });
      expect(body.jobDurationsMs).toHaveLength(4);
      return body.elapsedMs as number;
    };
    // Two threads would halve the time with two cores; one vCPU's quota keeps it about equal.
    expect((await elapsed(1)) / (await elapsed(2))).toBeLessThan(1.4);
  });

  it('kills an environment that goes over its memory size', async () => {
    const spec = specFor(join(EXAMPLES, 'memory-hungry'), { memoryMb: 128 });
    const id = rid();
    const result = await executor.invoke(spec, id, json({ mb: 300 }));
    const message = `RequestId: ${id} Error: Runtime exited with error: signal: killed`;
    expect(result).toMatchObject({
      status: 'error',
      functionError: 'Unhandled',
      errorType: 'Runtime.OutOfMemory',
      maxMemoryUsedMb: 128
    });
    expect(parse(result)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: message });
    expect(result.logLines.slice(-2)).toEqual([message, 'Runtime.ExitError']);
    const next = await run(spec, { mb: 1 });
    expect(next).toMatchObject({ status: 'success', coldStart: true });
    expect(next.environmentId).not.toBe(result.environmentId);
  });

  it('measures the memory a function uses', async () => {
    const result = await run(specFor(join(EXAMPLES, 'memory-hungry'), { memoryMb: 512 }), { mb: 200 });
    expect(result.status).toBe('success');
    expect(result.maxMemoryUsedMb).toBeGreaterThanOrEqual(200);
    expect(result.maxMemoryUsedMb).toBeLessThanOrEqual(512);
  });

  it('times out, kills the environment and cold-starts the next invocation', async () => {
    const spec = specFor(BASIC, { handler: 'index.sleepFor', timeoutSec: 1, tag: 'timeout' });
    const id = rid();
    const result = await executor.invoke(spec, id, json({ ms: 5000 }));
    expect(result).toMatchObject({
      status: 'timeout',
      functionError: 'Unhandled',
      errorType: 'Sandbox.Timedout',
      durationMs: 1000
    });
    const text = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${id} Task timed out after 1\\.00 seconds$`);
    expect(parse(result).errorMessage).toMatch(text);
    expect(result.logLines.at(-1)).toMatch(text);
    const next = await run(spec, { ms: 1 });
    expect(next.coldStart).toBe(true);
  });

  it('returns a handler error as Lambda does and keeps the environment', async () => {
    const spec = specFor(BASIC, { handler: 'index.fail' });
    const result = await executor.invoke(spec, rid(), json({}));
    expect(result).toMatchObject({ status: 'error', functionError: 'Unhandled', errorType: 'TypeError' });
    const body = parse(result);
    expect(body).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    expect(body.trace[0]).toBe('TypeError: bad input');
    expect(result.logLines.at(-1)).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"TypeError"/);
    const again = await executor.invoke(spec, rid(), json({}));
    expect(again).toMatchObject({ coldStart: false, environmentId: result.environmentId });
    const str = await executor.invoke(specFor(BASIC, { handler: 'index.failString' }), rid(), json({}));
    expect(parse(str)).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] });
  });

  it('reports a crashing runtime as Runtime.ExitError and discards it', async () => {
    const id = rid();
    const exited = await executor.invoke(specFor(BASIC, { handler: 'index.exit' }), id, json({}));
    expect(exited).toMatchObject({ status: 'error', functionError: 'Unhandled', errorType: 'Runtime.ExitError' });
    expect(parse(exited).errorMessage).toBe(`RequestId: ${id} Error: Runtime exited with error: exit status 3`);
    const uncaught = await executor.invoke(specFor(BASIC, { handler: 'index.uncaught' }), rid(), json({}));
    expect(uncaught).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError' });
    expect(parse(uncaught)).toMatchObject({ errorType: 'RangeError', errorMessage: 'thrown later' });
    expect(uncaught.logLines).toContainEqual(expect.stringMatching(/exit status 129$/));
  });

  it('reports init failures', async () => {
    const thrown = await executor.invoke(specFor(join(FIXTURES, 'import-throws')), rid(), json({}));
    expect(thrown).toMatchObject({ status: 'error', functionError: 'Unhandled', errorType: 'Error', coldStart: true });
    expect(parse(thrown).errorMessage).toBe('boom at import');
    expect(thrown.logLines[0]).toMatch(/\tundefined\tINFO\tloading$/);
    const missing = await executor.invoke(specFor(BASIC, { handler: 'index.nope' }), rid(), json({}));
    expect(missing.errorType).toBe('Runtime.HandlerNotFound');
    expect(parse(missing).errorMessage).toBe('index.nope is undefined or not exported');
    const noModule = await executor.invoke(specFor(BASIC, { handler: 'nofile.handler' }), rid(), json({}));
    expect(noModule.errorType).toBe('Runtime.ImportModuleError');
  });

  it('runs CommonJS and callback-style handlers, and serialises results like Lambda', async () => {
    const cjs = join(FIXTURES, 'cjs');
    expect(parse(await run(specFor(cjs), { x: 1 }))).toMatchObject({ style: 'callback', event: { x: 1 } });
    expect(parse(await run(specFor(cjs, { handler: 'index.promised' }), { y: 2 }))).toEqual({
      style: 'async',
      event: { y: 2 }
    });
    const failing = await executor.invoke(specFor(cjs, { handler: 'index.failing' }), rid(), json({}));
    expect(failing).toMatchObject({ status: 'error', errorType: 'Error' });
    expect((await run(specFor(BASIC, { handler: 'index.nothing' }))).payload.toString()).toBe('null');
    const circular = await executor.invoke(specFor(BASIC, { handler: 'index.circular' }), rid(), json({}));
    expect(circular).toMatchObject({ status: 'error', errorType: 'TypeError' });
  });

  it('runs the io-bound and flaky samples', async () => {
    const server = await startDelayServer();
    try {
      const io = await run(specFor(join(EXAMPLES, 'io-bound'), { memoryMb: 128 }), {
        url: `http://127.0.0.1:${server.port}/`,
        delayMs: 150
      });
      expect(io.status).toBe('success');
      expect(parse(io)).toMatchObject({ status: 200 });
      expect(io.durationMs).toBeGreaterThanOrEqual(150);
    } finally {
      await server.close();
    }
    const flaky = specFor(join(EXAMPLES, 'flaky'));
    expect(parse(await run(flaky, { failRate: 0, slowRate: 0 }))).toEqual({ ok: true, slow: false });
    const failed = await run(flaky, { failRate: 1, slowRate: 0 });
    expect(failed).toMatchObject({ status: 'error', functionError: 'Unhandled', errorType: 'FlakyError' });
  });

  it('ends in-flight invocations when their environments are retired', async () => {
    const spec = specFor(BASIC, { handler: 'index.sleepFor', key: 'retire-me:1' });
    const warm = await run(spec, { ms: 1 });
    const pending = executor.invoke(spec, rid(), json({ ms: 5000 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.retire('retire-me:');
    const result = await pending;
    expect(result).toMatchObject({
      status: 'error',
      errorType: 'Runtime.ExitError',
      environmentId: warm.environmentId
    });
    expect(alive(parse(warm).pid)).toBe(false);
  });

  it('leaves no process or cgroup behind after close', async () => {
    const spec = specFor(BASIC, { handler: 'index.sleepFor', tag: 'close' });
    const pending = Promise.all([run(spec, { ms: 10 }), executor.invoke(spec, rid(), json({ ms: 5000 }))]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await executor.close();
    const [, inFlight] = await pending;
    expect(inFlight.status).toBe('error');
    expect(pids.size).toBeGreaterThan(5);
    expect([...pids].filter(alive)).toEqual([]);
    const environments = ownChildren().filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('bootstrap.mjs');
      } catch {
        return false;
      }
    });
    expect(environments).toEqual([]);
    const { cpu, memory } = await detectCgroups();
    for (const base of [cpu?.base, memory?.base]) {
      if (base) expect([...envIds].filter((id) => existsSync(join(base, id)))).toEqual([]);
    }
    await expect(executor.invoke(spec, rid(), json({}))).rejects.toThrow(/closed/);
  });
});
