/**
 * Fault kinds the reliability work depends on (dropped connections, latency, slow updates), the
 * admin API that sets them, the less common invocation types, and an emulator that survives any
 * input.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  PublishVersionCommand,
  ResourceConflictException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2
} from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createLambdaClient } from '../../src/aws/clients.js';
import { rejectionOf, startTestEmulator, type TestEmulator } from './helpers.js';

const putFaults = async (endpoint: string, rules: unknown[]) => {
  const response = await fetch(`${endpoint}/__admin/faults`, { method: 'PUT', body: JSON.stringify({ rules }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('faults and robustness', () => {
  let t: TestEmulator;

  beforeAll(async () => {
    t = await startTestEmulator({
      config: {
        updateDelayMs: 0,
        functions: [
          { name: 'target', model: { cpuMs: 40, noiseSigma: 0 } },
          { name: 'other', model: { cpuMs: 40, noiseSigma: 0 } }
        ]
      }
    });
  });
  afterAll(async () => t.close());

  it('drops the connection of a matching call, and only of the function named', async () => {
    await putFaults(t.emulator.endpoint, [{ operation: 'Invoke', resource: 'target', kind: 'drop', count: 1 }]);
    const other = await t.lambda.send(new InvokeCommand({ FunctionName: 'other' }));
    expect(other.StatusCode).toBe(200);
    const dropped = await rejectionOf(t.lambda.send(new InvokeCommand({ FunctionName: 'target' })));
    expect(dropped.message).toMatch(/socket hang up|ECONNRESET|closed/i);
    const after = await t.lambda.send(new InvokeCommand({ FunctionName: 'target' }));
    expect(after.StatusCode).toBe(200);
    const listed = (await (await fetch(`${t.emulator.endpoint}/__admin/faults`)).json()) as {
      rules: Array<{ hits: number }>;
    };
    expect(listed.rules[0]?.hits).toBe(1);
  });

  it('adds latency before answering', async () => {
    await putFaults(t.emulator.endpoint, [{ operation: 'GetFunctionConfiguration', kind: 'latency', delayMs: 300 }]);
    const started = performance.now();
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'target' }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('keeps an update InProgress for as long as a slow-update rule says, refusing a publish meanwhile', async () => {
    await putFaults(t.emulator.endpoint, [
      { operation: 'UpdateFunctionConfiguration', kind: 'slow-update', delayMs: 1500 }
    ]);
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'target', MemorySize: 512 }));
    const publish = await rejectionOf(t.lambda.send(new PublishVersionCommand({ FunctionName: 'target' })));
    expect(publish).toBeInstanceOf(ResourceConflictException);
    const started = performance.now();
    await waitUntilFunctionUpdatedV2(
      { client: t.lambda, minDelay: 1, maxDelay: 1, maxWaitTime: 10 },
      { FunctionName: 'target' }
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('refuses malformed fault rules with a message, and clears them', async () => {
    const bad = await putFaults(t.emulator.endpoint, [{ kind: 'explode' }]);
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toContain('Invalid fault rules');
    const cleared = await fetch(`${t.emulator.endpoint}/__admin/faults`, { method: 'DELETE' });
    expect(((await cleared.json()) as { rules: unknown[] }).rules).toEqual([]);
  });

  it('accepts Event invocations (202, logged later) and DryRun (204, not run)', async () => {
    const dry = await t.lambda.send(new InvokeCommand({ FunctionName: 'other', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    const event = await t.lambda.send(new InvokeCommand({ FunctionName: 'other', InvocationType: 'Event' }));
    expect(event.StatusCode).toBe(202);
    const reports = async () =>
      (await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/other', filterPattern: 'REPORT' })))
        .events?.length ?? 0;
    const deadline = Date.now() + 5000;
    while ((await reports()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // One from the first test's call, one from the Event call; the dry run ran nothing.
    expect(await reports()).toBe(2);
  });

  it('is reached through AWS_ENDPOINT_URL_LAMBDA by the project client factory', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: t.emulator.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test'
    });
    try {
      const client = createLambdaClient({ region: 'us-east-1' });
      const listed = await client.send(new ListFunctionsCommand({}));
      expect(listed.Functions?.map((fn) => fn.FunctionName).sort()).toEqual(['other', 'target']);
      client.destroy();
    } finally {
      process.env = saved;
    }
  });

  it('answers every malformed request with an error and never stops serving', async () => {
    const paths = [
      '/',
      '/2015-03-31/functions',
      '/2015-03-31/functions/target/invocations',
      '/__admin/faults',
      '/%E0%A4%A'
    ];
    const bodies = [
      '',
      '{',
      '[]',
      'null',
      '{"FunctionName":42}',
      '\u0000\u00ff',
      JSON.stringify({ MemorySize: 'big' })
    ];
    let answered = 0;
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      for (const path of paths) {
        for (const body of bodies) {
          const status = await rawRequest(t.emulator.endpoint, method, path, body, method === 'POST' && path === '/');
          expect(status).toBeGreaterThanOrEqual(200);
          answered += 1;
        }
      }
    }
    expect(answered).toBe(4 * paths.length * bodies.length);
    const still = await t.lambda.send(new InvokeCommand({ FunctionName: 'target' }));
    expect(still.StatusCode).toBe(200);
  });
});

/** Sends bytes the SDK would never send; resolves with the status code. */
function rawRequest(endpoint: string, method: string, path: string, body: string, asLogs: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${endpoint}${path}`,
      {
        method,
        headers: asLogs
          ? { 'x-amz-target': 'Logs_20140328.StartQuery', 'content-type': 'application/x-amz-json-1.1' }
          : {}
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}
