/**
 * Counting a function's invocations with Logs Insights, against the emulator: its REPORT records in a time
 * window, a missing log group, and a query given up on (cancelled or timed out) that is stopped in AWS too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeQueriesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createTrafficPort, TrafficQueryError } from '../../src/aws/traffic.js';
import { AwsCallError, errorMessage } from '../../src/errors.js';
import { startTestEmulator, type TestEmulator } from '../emulator/helpers.js';

const FAST = { minDelayMs: 5, maxDelayMs: 20 };
const MINUTE = 60_000;

async function invoke(env: TestEmulator, functionName: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const result = await env.lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: '{}' }));
    expect(result.StatusCode).toBe(200);
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the count to fail, but it succeeded');
}

describe('createTrafficPort', () => {
  let env: TestEmulator;
  let start: number;
  let end: number;

  beforeAll(async () => {
    env = await startTestEmulator({
      config: {
        updateDelayMs: 0,
        functions: [
          { name: 'orders', model: { cpuMs: 1 } },
          { name: 'billing', model: { cpuMs: 1 } },
          { name: 'json-logger', model: { cpuMs: 1 }, logFormat: 'JSON' }
        ]
      }
    });
    start = Date.now();
    await invoke(env, 'orders', 7);
    await invoke(env, 'billing', 3);
    await invoke(env, 'json-logger', 4);
    end = Date.now();
  });
  afterAll(async () => {
    await env.close();
  });

  it("counts the function's invocations in a window that holds them, and only its own", async () => {
    const traffic = createTrafficPort(env.logs, FAST);

    expect(await traffic.countInvocations('/aws/lambda/orders', start - MINUTE, end + MINUTE)).toBe(7);
    expect(await traffic.countInvocations('/aws/lambda/billing', start - MINUTE, end + MINUTE)).toBe(3);
  });

  it('counts the platform.report records of a function that logs in the JSON format', async () => {
    const traffic = createTrafficPort(env.logs, FAST);

    expect(await traffic.countInvocations('/aws/lambda/json-logger', start - MINUTE, end + MINUTE)).toBe(4);
  });

  it('counts nothing in a window before the invocations', async () => {
    const traffic = createTrafficPort(env.logs, FAST);

    expect(await traffic.countInvocations('/aws/lambda/orders', start - 60 * MINUTE, start - 10 * MINUTE)).toBe(0);
  });

  it('names the log group and the permission when the log group does not exist', async () => {
    const traffic = createTrafficPort(env.logs, FAST);

    const error = await rejection(traffic.countInvocations('/aws/lambda/nope', start - MINUTE, end + MINUTE));

    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.message).toContain('/aws/lambda/nope');
    expect(error.message).toContain('logs:StartQuery');
    expect(errorMessage(error)).toMatch(/ResourceNotFound|does not exist/i);
  });
});

describe('createTrafficPort with a slow query', () => {
  let env: TestEmulator;

  beforeAll(async () => {
    // Queries stay Running for ten minutes: only giving up ends them.
    env = await startTestEmulator({
      config: { updateDelayMs: 0, queryLatencyMs: 600_000, functions: [{ name: 'orders', model: { cpuMs: 1 } }] }
    });
    await invoke(env, 'orders', 2);
  });
  afterAll(async () => {
    await env.close();
  });

  async function statuses(): Promise<string[]> {
    const { queries } = await env.logs.send(new DescribeQueriesCommand({ logGroupName: '/aws/lambda/orders' }));
    return (queries ?? []).map((q) => q.status ?? '');
  }

  it('stops the query and says the run was cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    // The run is cancelled while the port waits for its first poll.
    const traffic = createTrafficPort(env.logs, {
      ...FAST,
      sleep: async () => {
        controller.abort();
      }
    });
    const before = (await statuses()).filter((s) => s === 'Cancelled').length;

    const error = await rejection(
      traffic.countInvocations('/aws/lambda/orders', Date.now() - MINUTE, Date.now(), controller.signal)
    );

    expect(error).toBeInstanceOf(TrafficQueryError);
    expect(error.message).toContain('/aws/lambda/orders');
    expect(error.message).toMatch(/the run was cancelled$/);
    expect((await statuses()).filter((s) => s === 'Cancelled')).toHaveLength(before + 1);
  });

  it('stops the query and says how long it waited when there is no result in time', async () => {
    const traffic = createTrafficPort(env.logs, { ...FAST, timeoutMs: 1 });
    const before = (await statuses()).filter((s) => s === 'Cancelled').length;

    const error = await rejection(traffic.countInvocations('/aws/lambda/orders', Date.now() - MINUTE, Date.now()));

    expect(error).toBeInstanceOf(TrafficQueryError);
    expect(error.message).toMatch(/no result after 0\.001 s$/);
    expect((await statuses()).filter((s) => s === 'Cancelled')).toHaveLength(before + 1);
    expect(await statuses()).not.toContain('Running');
  });
});
