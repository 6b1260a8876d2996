/**
 * Real Node.js code through the whole emulator over HTTP: the sample functions run in child
 * processes with CPU and memory limited by their memory size, as on Lambda.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { decodeLogTail, findReport, type ReportRecord } from '../../src/analyze/report-line.js';
import { startTestEmulator, type TestEmulator } from './helpers.js';

const example = (name: string) => resolve('examples/functions', name);

describe('real code on the emulator', () => {
  let t: TestEmulator;
  let delayServer: Server;
  let delayUrl: string;

  beforeAll(async () => {
    delayServer = createServer((req, res) => {
      const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delayMs') ?? 100);
      setTimeout(() => res.end('{}'), delay);
    });
    await new Promise<void>((ready) => delayServer.listen(0, '127.0.0.1', ready));
    delayUrl = `http://127.0.0.1:${(delayServer.address() as AddressInfo).port}/`;
    t = await startTestEmulator({
      config: {
        updateDelayMs: 0,
        functions: [
          { name: 'primes', code: example('cpu-bound'), memorySize: 1769, timeout: 60 },
          { name: 'hungry', code: example('memory-hungry'), memorySize: 256, timeout: 30 },
          { name: 'waiter', code: example('io-bound'), memorySize: 128, timeout: 10 },
          { name: 'flaky', code: example('flaky'), memorySize: 128, timeout: 1 }
        ]
      }
    });
  });
  afterAll(async () => {
    await t.close();
    delayServer.closeAllConnections();
    await new Promise((done) => delayServer.close(done));
  });

  const invoke = async (name: string, payload: unknown, qualifier?: string) => {
    const response = await t.lambda.send(
      new InvokeCommand({
        FunctionName: name,
        LogType: 'Tail',
        Payload: Buffer.from(JSON.stringify(payload)),
        ...(qualifier ? { Qualifier: qualifier } : {})
      })
    );
    const tail = decodeLogTail(response.LogResult);
    return {
      response,
      tail,
      report: findReport(tail) as ReportRecord,
      body: Buffer.from(response.Payload ?? []).toString()
    };
  };

  it('cold-starts once, then reuses the warm environment', async () => {
    const cold = await invoke('primes', { n: 20000 });
    expect(cold.report.initDurationMs).toBeGreaterThan(0);
    expect(JSON.parse(cold.body)).toMatchObject({ n: 20000, primes: 2262 });
    const warm = await invoke('primes', { n: 20000 });
    expect(warm.report.initDurationMs).toBeUndefined();
    expect(warm.report.maxMemoryUsedMb).toBeGreaterThan(20);
    expect(warm.report.billedDurationMs).toBe(Math.ceil(warm.report.durationMs));
  });

  it('runs CPU-bound code several times slower at 128 MB than at 1,769 MB', async () => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'primes', MemorySize: 128 }));
    const small = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'primes' }));
    const payload = { n: 300000 };
    await invoke('primes', payload, small.Version);
    await invoke('primes', payload, '$LATEST');
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'primes', MemorySize: 1769 }));
    const large = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'primes' }));
    await invoke('primes', payload, large.Version);
    const slow = await invoke('primes', payload, small.Version);
    const fast = await invoke('primes', payload, large.Version);
    expect(slow.response.ExecutedVersion).toBe(small.Version);
    expect(slow.report.memorySizeMb).toBe(128);
    // Ideal is 13.8x; the benchmark measures it exactly. Here only the direction and size matter.
    expect(slow.report.durationMs / fast.report.durationMs).toBeGreaterThan(5);
  });

  it('kills an environment that outgrows its memory, then cold-starts a new one', async () => {
    const killed = await invoke('hungry', { mb: 400 });
    expect(killed.response.FunctionError).toBe('Unhandled');
    expect(killed.body).toContain('Runtime exited with error: signal: killed');
    expect(killed.report).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory', memorySizeMb: 256 });
    const next = await invoke('hungry', { mb: 50 });
    expect(next.response.FunctionError).toBeUndefined();
    expect(next.report.initDurationMs).toBeGreaterThan(0);
    expect(next.report.maxMemoryUsedMb).toBeGreaterThanOrEqual(50);
  });

  it('times out an invocation that runs past the function timeout', async () => {
    const late = await invoke('flaky', { failRate: 0, slowRate: 1, slowMs: 3000 });
    expect(late.response.FunctionError).toBe('Unhandled');
    expect(late.body).toContain('Task timed out after 1.00 seconds');
    expect(late.report.status).toBe('timeout');
    expect(late.report.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('reports handler errors with the error type and keeps the environment warm', async () => {
    await invoke('flaky', { failRate: 0, slowRate: 0, baseMs: 1 });
    const failed = await invoke('flaky', { failRate: 1, slowRate: 0, baseMs: 1 });
    expect(failed.response.FunctionError).toBe('Unhandled');
    expect(JSON.parse(failed.body)).toMatchObject({ errorType: 'FlakyError' });
    expect(failed.report.initDurationMs).toBeUndefined();
    expect(failed.tail).toContain('downstream call failed');
  });

  it('starts a new environment for each concurrent invocation and reuses them afterwards', async () => {
    const payload = { url: delayUrl, delayMs: 300 };
    const burst = await Promise.all([1, 2, 3].map(() => invoke('waiter', payload)));
    expect(burst.every((r) => r.report.initDurationMs !== undefined)).toBe(true);
    // I/O wait does not slow down at 128 MB: the duration is the wait, not CPU.
    for (const r of burst) expect(r.report.durationMs).toBeGreaterThanOrEqual(300);
    const again = await Promise.all([1, 2, 3].map(() => invoke('waiter', payload)));
    expect(again.every((r) => r.report.initDurationMs === undefined)).toBe(true);
    const streams = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/waiter' }));
    expect(streams.logStreams?.length).toBe(3);
  });
});
