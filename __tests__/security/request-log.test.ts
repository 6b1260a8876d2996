/**
 * The emulator's request log: every AWS call it answered, in order, with its service, operation,
 * function or log group, qualifier and status (injected faults and dropped connections included), also
 * over the admin API. What the IAM test compares with the README's policy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { faultRuleSchema } from '../../src/emulator/faults.js';
import { zipModel } from '../../src/emulator/lambda/code.js';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('the emulator request log', () => {
  let emulator: RunningEmulator;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    emulator = await startEmulator({
      config: { updateDelayMs: 0, functions: [{ name: 'orders', model: { cpuMs: 5 }, memorySize: 256 }] }
    });
    const options = { endpoint: emulator.endpoint, region: emulator.region, credentials: CREDENTIALS, maxAttempts: 1 };
    lambda = new LambdaClient(options);
    logs = new CloudWatchLogsClient(options);
  });
  afterAll(async () => {
    lambda.destroy();
    logs.destroy();
    await emulator.close();
  });

  const admin = async (method: string) => {
    const reply = await fetch(`${emulator.endpoint}/__admin/requests`, { method });
    return (await reply.json()) as { requests: unknown[]; dropped?: number };
  };

  it('records each Lambda call with its function, qualifier, status and published version, in order', async () => {
    await admin('DELETE');
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: 'orders' }));
    await lambda.send(new InvokeCommand({ FunctionName: 'orders', Qualifier: Version }));
    await lambda.send(
      new GetFunctionCommand({ FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:orders:${Version}` })
    );
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'orders', Qualifier: Version }));
    await lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })).catch(() => undefined);

    expect(emulator.requests()).toEqual([
      { service: 'lambda', operation: 'PublishVersion', resource: 'orders', status: 201, version: Version },
      { service: 'lambda', operation: 'Invoke', resource: 'orders', qualifier: Version, status: 200 },
      { service: 'lambda', operation: 'GetFunction', resource: 'orders', qualifier: Version, status: 200 },
      { service: 'lambda', operation: 'DeleteFunction', resource: 'orders', qualifier: Version, status: 204 },
      { service: 'lambda', operation: 'GetFunction', resource: 'missing', status: 404 }
    ]);
  });

  it('names the function a CreateFunction makes, though only its body says it', async () => {
    await admin('DELETE');
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'orders-copy',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::123456789012:role/r',
        Handler: 'index.handler',
        Code: { ZipFile: zipModel({ cpuMs: 1 }) }
      })
    );
    expect(emulator.requests()).toEqual([
      { service: 'lambda', operation: 'CreateFunction', resource: 'orders-copy', status: 201 }
    ]);
  });

  it('records Logs calls by log group, and query-id calls without one', async () => {
    await admin('DELETE');
    await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders' }));
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupNames: ['/aws/lambda/orders'],
        startTime: 0,
        endTime: 1,
        queryString: 'stats count(*)'
      })
    );
    await logs.send(new GetQueryResultsCommand({ queryId }));

    expect(emulator.requests()).toEqual([
      { service: 'logs', operation: 'FilterLogEvents', resource: '/aws/lambda/orders', status: 200 },
      { service: 'logs', operation: 'StartQuery', resource: '/aws/lambda/orders', status: 200 },
      { service: 'logs', operation: 'GetQueryResults', status: 200 }
    ]);
  });

  it('records injected throttles and dropped connections as the caller saw them', async () => {
    await admin('DELETE');
    emulator.faults.replace([
      faultRuleSchema.parse({ operation: 'Invoke', kind: 'throttle', count: 1 }),
      faultRuleSchema.parse({ operation: 'GetFunction', kind: 'drop', count: 1 })
    ]);
    await lambda.send(new InvokeCommand({ FunctionName: 'orders' })).catch(() => undefined);
    await lambda.send(new GetFunctionCommand({ FunctionName: 'orders' })).catch(() => undefined);
    emulator.faults.replace([]);

    expect(emulator.requests()).toEqual([
      { service: 'lambda', operation: 'Invoke', resource: 'orders', status: 429 },
      { service: 'lambda', operation: 'GetFunction', resource: 'orders', status: 'dropped' }
    ]);
  });

  it('leaves out admin calls and the code download, and serves the log over the admin API', async () => {
    await admin('DELETE');
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'orders' }));
    await fetch(fn.Code!.Location!);
    await fetch(`${emulator.endpoint}/__admin/state`);

    const { requests, dropped } = await admin('GET');
    expect(requests).toEqual([{ service: 'lambda', operation: 'GetFunction', resource: 'orders', status: 200 }]);
    expect(dropped).toBe(0);
    expect(await admin('DELETE')).toEqual({ requests: [] });
    expect(emulator.requests()).toEqual([]);
  });

  it('keeps the newest calls when it is full, and counts the ones it let go', async () => {
    const small = await startEmulator({
      requestLogLimit: 10,
      config: { updateDelayMs: 0, functions: [{ name: 'f', model: { cpuMs: 1 } }] }
    });
    const client = new LambdaClient({ endpoint: small.endpoint, region: small.region, credentials: CREDENTIALS });
    try {
      for (let i = 0; i < 12; i++) await client.send(new InvokeCommand({ FunctionName: 'f', Qualifier: '$LATEST' }));
      await client.send(new GetFunctionCommand({ FunctionName: 'f' }));
      const { requests, dropped } = (await (await fetch(`${small.endpoint}/__admin/requests`)).json()) as {
        requests: Array<{ operation: string }>;
        dropped: number;
      };
      expect(requests.length + dropped).toBe(13);
      expect(requests.length).toBeLessThanOrEqual(10);
      expect(requests.at(-1)!.operation).toBe('GetFunction');
    } finally {
      client.destroy();
      await small.close();
    }
  });
});
