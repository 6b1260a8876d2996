/**
 * An AccessDenied from Lambda or CloudWatch Logs names the IAM action and resource that were refused,
 * also when AWS's message does not say which. The emulator grants everything, so Lambda's refusals come
 * from aws-sdk-client-mock, and Logs' from a local server that answers 403 through the real client (so
 * the client factory's record of the failed call is what names the action).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogsClient } from '../../src/aws/clients.js';
import { createLogsPort } from '../../src/aws/logs-port.js';
import { createTrafficPort } from '../../src/aws/traffic.js';
import { createLambdaPort } from '../../src/deploy/lambda-adapter.js';
import { AwsCallError, errorMessage, isAccessDenied } from '../../src/errors.js';
import type { FunctionState } from '../../src/sweep/types.js';

const CREDENTIALS = { accessKeyId: 'a', secretAccessKey: 'b' };
const CONFIGURATION = {
  FunctionName: 'orders',
  FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
  MemorySize: 512,
  CodeSha256: 'sha',
  RevisionId: 'r1',
  LastUpdateStatus: 'Successful' as const,
  State: 'Active' as const
};

/** An AccessDeniedException as the SDK raises it for a service that does not model one. */
function denied(message: string): Error {
  return Object.assign(new Error(message), {
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 }
  });
}

/** What AWS says when an SCP or a permissions boundary refuses: no action named. */
const VAGUE = 'Access denied';

async function refusal(promise: Promise<unknown>): Promise<AwsCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(AwsCallError);
  return error as AwsCallError;
}

function mockedPort() {
  const client = new LambdaClient({ region: 'eu-west-1', credentials: CREDENTIALS });
  const mock = mockClient(client);
  mock.on(GetFunctionCommand).resolves({ Configuration: CONFIGURATION });
  return { client, mock, port: createLambdaPort(client) };
}

describe('a refused Lambda call', () => {
  it('names lambda:PublishVersion and the function when AWS does not say which action', async () => {
    const { mock, port } = mockedPort();
    mock.on(PublishVersionCommand).rejects(denied(VAGUE));

    const error = await refusal(
      port.publishVersion('orders', { codeSha256: 'sha', revisionId: 'r1', description: 'd' })
    );

    expect(error.refused).toEqual({ action: 'lambda:PublishVersion', resource: 'function orders' });
    expect(errorMessage(error)).toBe(
      'Could not publish a version of function orders: AWS refused lambda:PublishVersion on function orders; ' +
        'allow it in the policy of the role the workflow assumes (README: "AWS permissions"): Access denied'
    );
  });

  it("prefers AWS's own words when they name the action and resource", async () => {
    const { mock, port } = mockedPort();
    mock
      .on(UpdateFunctionConfigurationCommand)
      .rejects(
        denied(
          'User: arn:aws:sts::123456789012:assumed-role/gate/run is not authorized to perform: ' +
            'lambda:UpdateFunctionConfiguration on resource: arn:aws:lambda:eu-west-1:123456789012:function:orders ' +
            'because no identity-based policy allows the lambda:UpdateFunctionConfiguration action'
        )
      );

    const error = await refusal(port.updateConfiguration('orders', { memorySize: 256 }, 'r1'));

    expect(error.refused).toEqual({
      action: 'lambda:UpdateFunctionConfiguration',
      resource: 'arn:aws:lambda:eu-west-1:123456789012:function:orders'
    });
  });

  it('names iam:PassRole when creating the temporary copy is refused for the role', async () => {
    const { mock, port } = mockedPort();
    mock
      .on(CreateFunctionCommand)
      .rejects(
        denied(
          'User: arn:aws:sts::123456789012:assumed-role/gate/run is not authorized to perform: iam:PassRole ' +
            'on resource: arn:aws:iam::123456789012:role/orders-role'
        )
      );
    const source = { ...sourceState(), name: 'orders' };

    const error = await refusal(
      port.createCopy('orders-lcg-1', source, { kind: 'zip-bytes', bytes: new Uint8Array([1]) }, {})
    );

    expect(error.refused).toEqual({ action: 'iam:PassRole', resource: 'arn:aws:iam::123456789012:role/orders-role' });
  });

  it('names the qualified function for a refused version delete, and the list and get calls too', async () => {
    const { mock, port } = mockedPort();
    mock.on(DeleteFunctionCommand).rejects(denied(VAGUE));
    mock.on(ListVersionsByFunctionCommand).rejects(denied(VAGUE));

    expect((await refusal(port.deleteVersion('orders', '7'))).refused).toEqual({
      action: 'lambda:DeleteFunction',
      resource: 'function orders:7'
    });
    expect((await refusal(port.listVersions('orders'))).refused?.action).toBe('lambda:ListVersionsByFunction');

    mock.on(GetFunctionCommand).rejects(denied(VAGUE));
    expect((await refusal(port.getFunction('orders', 'live'))).refused).toEqual({
      action: 'lambda:GetFunction',
      resource: 'function orders:live'
    });
  });

  it('stops waiting at once when the waiter is refused, naming lambda:GetFunctionConfiguration', async () => {
    const { mock, port } = mockedPort();
    mock.on(PublishVersionCommand).resolves({ Version: '7' });
    mock.on(GetFunctionConfigurationCommand).rejects(denied(VAGUE));

    // The default wait is 300 s: a waiter that kept polling a refused call would outlast this test.
    const error = await refusal(
      port.publishVersion('orders', { codeSha256: 'sha', revisionId: 'r1', description: 'd' })
    );

    expect(error.refused).toEqual({ action: 'lambda:GetFunctionConfiguration', resource: 'function orders:7' });
    expect(mock.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
  });

  it('says lambda:InvokeFunction in the failure of a refused invocation, which never throws', async () => {
    const { mock, port } = mockedPort();
    mock.on(InvokeCommand).rejects(denied(VAGUE));

    const outcome = await port.invoke('orders', '3', '{}');

    expect(outcome.failure?.kind).toBe('client');
    expect(outcome.failure?.message).toContain('AWS refused lambda:InvokeFunction on function orders:3');
  });

  it('leaves other 403s alone: bad credentials are not a missing permission', () => {
    const badKey = Object.assign(new Error('The security token included in the request is invalid.'), {
      name: 'UnrecognizedClientException'
    });
    expect(isAccessDenied(badKey)).toBe(false);
    expect(new AwsCallError('read function orders', badKey).message).toBe('Could not read function orders');
  });
});

describe('a refused CloudWatch Logs call, through the real client', () => {
  let server: Server;
  let endpoint: string;
  const targets: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      targets.push(String(req.headers['x-amz-target']));
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'AccessDeniedException', message: VAGUE }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () => createLogsClient({ endpoint, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });

  it('names logs:FilterLogEvents on the log group when the REPORT lookup is refused', async () => {
    const logs = client();
    const error = await refusal(createLogsPort(logs).findReportLine('/aws/lambda/orders', 'req-1', 0));
    logs.destroy();

    expect(error.refused).toEqual({ action: 'logs:FilterLogEvents', resource: 'log group /aws/lambda/orders' });
    expect(targets.at(-1)).toBe('Logs_20140328.FilterLogEvents');
  });

  it('names logs:StartQuery when counting traffic is refused', async () => {
    const logs = client();
    const error = await refusal(createTrafficPort(logs).countInvocations('/aws/lambda/orders', 0, 1000));
    logs.destroy();

    expect(error.refused).toEqual({ action: 'logs:StartQuery', resource: 'log group /aws/lambda/orders' });
    expect(errorMessage(error)).toContain('AWS refused logs:StartQuery on log group /aws/lambda/orders');
  });
});

function sourceState(): FunctionState {
  return {
    name: 'orders',
    arn: CONFIGURATION.FunctionArn,
    region: 'eu-west-1',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::123456789012:role/orders-role',
    memorySize: 512,
    timeout: 10,
    description: '',
    codeSha256: 'sha',
    revisionId: 'r1',
    architecture: 'x86_64',
    environment: {},
    layers: [],
    ephemeralStorageMb: 512,
    logGroup: '/aws/lambda/orders',
    logFormat: 'Text',
    packageType: 'Zip',
    lastUpdateStatus: 'Successful',
    state: 'Active'
  };
}
