/**
 * Invoke, throttling, faults and bad requests through the real SDK client (and raw HTTP where the
 * SDK would refuse to send the request at all).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaServiceException,
  PutFunctionConcurrencyCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  RequestTooLargeException,
  ServiceException,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvalidRequestContentException,
  waitUntilFunctionUpdatedV2
} from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { zipModel } from '../../src/emulator/lambda/code.js';
import { ROLE, rejectionOf, startTestEmulator, type TestEmulator } from './helpers.js';

const decode = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');

describe('Invoke and faults', () => {
  let t: TestEmulator;

  beforeAll(async () => {
    t = await startTestEmulator({
      config: {
        updateDelayMs: 0,
        memoryQuotaMb: 3008,
        functions: [
          { name: 'steady', model: { cpuMs: 200, ioMs: 10, noiseSigma: 0, memoryUsedMb: 90 }, memorySize: 1769 },
          { name: 'hungry', model: { cpuMs: 50, memoryUsedMb: 300, noiseSigma: 0 }, memorySize: 256 },
          { name: 'slow', model: { cpuMs: 5000, noiseSigma: 0 }, memorySize: 1769, timeout: 1 },
          { name: 'json-logs', model: { cpuMs: 20, noiseSigma: 0 }, logFormat: 'JSON' }
        ]
      }
    });
  });
  afterAll(async () => t.close());

  it('returns the result, the executed version and a tail whose REPORT bills ceil(duration + init)', async () => {
    const cold = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'steady', LogType: 'Tail', Payload: Buffer.from('{"a":1}') })
    );
    expect(cold.StatusCode).toBe(200);
    expect(cold.ExecutedVersion).toBe('$LATEST');
    expect(cold.FunctionError).toBeUndefined();
    const tail = decode(cold.LogResult);
    expect(tail).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    expect(tail).toContain(`REPORT RequestId: ${cold.$metadata.requestId}\t`);
    const report =
      /REPORT RequestId: \S+\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: 1769 MB\tMax Memory Used: (\d+) MB\tInit Duration: ([\d.]+) ms/.exec(
        tail
      );
    expect(report).not.toBeNull();
    const [, duration, billed, , init] = report!;
    expect(Number(duration)).toBeCloseTo(210, 0);
    expect(Number(billed)).toBe(Math.ceil(Number(duration) + Number(init)));

    const warm = await t.lambda.send(new InvokeCommand({ FunctionName: 'steady', LogType: 'Tail' }));
    expect(decode(warm.LogResult)).not.toContain('Init Duration');
    const none = await t.lambda.send(new InvokeCommand({ FunctionName: 'steady' }));
    expect(none.LogResult).toBeUndefined();
  });

  it('writes every invocation to CloudWatch Logs, one stream per environment', async () => {
    const found = await t.logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/steady', filterPattern: 'REPORT' })
    );
    expect(found.events?.length).toBe(3);
    expect(new Set(found.events?.map((e) => e.logStreamName)).size).toBe(1);
    expect(found.events?.[0]?.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('writes platform.report records in the JSON log format, without initDurationMs on warm calls', async () => {
    await t.lambda.send(new InvokeCommand({ FunctionName: 'json-logs' }));
    const warm = await t.lambda.send(new InvokeCommand({ FunctionName: 'json-logs', LogType: 'Tail' }));
    const records = decode(warm.LogResult)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; record: Record<string, unknown> });
    const report = records.find((r) => r.type === 'platform.report');
    expect(report?.record.status).toBe('success');
    expect(report?.record.metrics).toEqual(
      expect.objectContaining({ memorySizeMB: 128, billedDurationMs: expect.any(Number) })
    );
    expect(report?.record.metrics).not.toHaveProperty('initDurationMs');
  });

  it('kills an environment that goes over its memory size, as Lambda reports it', async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'hungry', LogType: 'Tail' }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(result.Payload ?? []).toString())).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(decode(result.LogResult)).toMatch(/Status: error\tError Type: Runtime\.OutOfMemory/);
  });

  it('times an invocation out after the function timeout', async () => {
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'slow', LogType: 'Tail' }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(Buffer.from(result.Payload ?? []).toString()).toContain('Task timed out after 1.00 seconds');
    expect(decode(result.LogResult)).toMatch(/Duration: 1000\.00 ms.*Status: timeout/);
  });

  it('throttles with the reserved-concurrency reason when reserved concurrency is 0', async () => {
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'steady', ReservedConcurrentExecutions: 0 }));
    const read = await t.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'steady' }));
    expect(read.ReservedConcurrentExecutions).toBe(0);
    const throttled = await rejectionOf<TooManyRequestsException>(
      t.lambda.send(new InvokeCommand({ FunctionName: 'steady' }))
    );
    expect(throttled).toBeInstanceOf(TooManyRequestsException);
    expect(throttled.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    await t.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'steady' }));
  });

  it('injects throttles with Retry-After, server errors, and failed updates on demand', async () => {
    t.emulator.faults.replace([
      {
        operation: 'Invoke',
        kind: 'throttle',
        rate: 1,
        count: 1,
        retryAfterSeconds: 3,
        reason: 'ConcurrentInvocationLimitExceeded',
        delayMs: 0,
        status: 500
      },
      {
        operation: 'Invoke',
        kind: 'server-error',
        rate: 1,
        count: 1,
        reason: 'ConcurrentInvocationLimitExceeded',
        delayMs: 0,
        status: 500
      },
      {
        operation: 'UpdateFunctionConfiguration',
        resource: 'steady',
        kind: 'update-failure',
        rate: 1,
        count: 1,
        reason: 'ConcurrentInvocationLimitExceeded',
        delayMs: 0,
        status: 500
      }
    ]);
    const throttled = await rejectionOf<TooManyRequestsException>(
      t.lambda.send(new InvokeCommand({ FunctionName: 'steady' }))
    );
    expect(throttled).toBeInstanceOf(TooManyRequestsException);
    expect(throttled.retryAfterSeconds).toBe('3');
    expect(throttled.Reason).toBe('ConcurrentInvocationLimitExceeded');
    expect(await rejectionOf(t.lambda.send(new InvokeCommand({ FunctionName: 'steady' })))).toBeInstanceOf(
      ServiceException
    );
    const ok = await t.lambda.send(new InvokeCommand({ FunctionName: 'steady' }));
    expect(ok.StatusCode).toBe(200);

    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', MemorySize: 1024 }));
    const waited = await rejectionOf(
      waitUntilFunctionUpdatedV2(
        { client: t.lambda, minDelay: 1, maxDelay: 1, maxWaitTime: 10 },
        { FunctionName: 'steady' }
      )
    );
    expect(waited.message).toContain('FAILURE');
    t.emulator.faults.replace([]);
  });

  it('refuses a memory size above the account quota and out-of-range values with AWS wording', async () => {
    const quota = await rejectionOf(
      t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', MemorySize: 4096 }))
    );
    expect(quota).toBeInstanceOf(InvalidParameterValueException);
    expect(quota.message).toContain('less than or equal to 3008');
    const range = await rejectionOf(
      t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'steady', Timeout: 901 }))
    );
    expect(range).toBeInstanceOf(LambdaServiceException);
    expect(range.name).toBe('ValidationException');
    expect(range.message).toBe(
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"
    );
    const badName = await rejectionOf(
      t.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'has space',
          Role: ROLE,
          Runtime: 'nodejs20.x',
          Handler: 'i.h',
          Code: { ZipFile: zipModel({ cpuMs: 1 }) }
        })
      )
    );
    expect(badName.name).toBe('ValidationException');
  });

  it('refuses payloads over 6 MB and payloads that are not JSON', async () => {
    const big = Buffer.from(JSON.stringify({ blob: 'x'.repeat(6 * 1024 * 1024) }));
    expect(
      await rejectionOf(t.lambda.send(new InvokeCommand({ FunctionName: 'steady', Payload: big })))
    ).toBeInstanceOf(RequestTooLargeException);
    expect(
      await rejectionOf(t.lambda.send(new InvokeCommand({ FunctionName: 'steady', Payload: Buffer.from('{not json') })))
    ).toBeInstanceOf(InvalidRequestContentException);
  });

  it('answers malformed bodies and unknown routes with AWS-shaped errors and keeps serving', async () => {
    const malformed = await fetch(`${t.emulator.endpoint}/2015-03-31/functions`, {
      method: 'POST',
      body: '{"FunctionName":'
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    const unknown = await fetch(`${t.emulator.endpoint}/2099-01-01/nothing`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toContain('Unknown operation');
    const badTarget = await fetch(t.emulator.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'Logs_20140328.Nope', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}'
    });
    expect(((await badTarget.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const still = await t.lambda.send(new InvokeCommand({ FunctionName: 'steady' }));
    expect(still.StatusCode).toBe(200);
  });
});
