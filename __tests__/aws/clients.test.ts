/**
 * The client factory, checked against a real HTTP server on 127.0.0.1: the endpoint, user agent and
 * retries are observed on the wire rather than read back from private SDK fields.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { USER_AGENT, createLambdaClient, createLogsClient } from '../../src/aws/clients.js';
import { VERSION } from '../../src/version.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
/** HTTP statuses to answer with, in order; 200 once the list is empty. */
let statuses: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      // One body serves both services: Lambda's REST-JSON reply and Logs' JSON 1.1 reply.
      const body = status === 200 ? { FunctionName: 'f', MemorySize: 256, logGroups: [] } : { message: 'busy' };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const savedEnv = { ...process.env };

beforeEach(() => {
  seen.length = 0;
  statuses = [];
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('AWS_')) delete process.env[key];
  }
  // Dummy credentials and no shared config files: nothing from the developer's machine may leak in.
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

afterEach(() => {
  process.env = { ...savedEnv };
});

/** An address that refuses connections, to prove a request did not go there. */
const DEAD_ENDPOINT = 'http://127.0.0.1:1';

describe('createLambdaClient', () => {
  it('honours AWS_ENDPOINT_URL_LAMBDA', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL_LAMBDA = baseUrl;
    const client = createLambdaClient();

    // Act
    const out = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    // Assess
    expect(out.MemorySize).toBe(256);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/2015-03-31/functions/f/configuration');
    client.destroy();
  });

  it('honours AWS_ENDPOINT_URL and prefers the service-specific variable', async () => {
    process.env.AWS_ENDPOINT_URL = DEAD_ENDPOINT;
    process.env.AWS_ENDPOINT_URL_LAMBDA = baseUrl;
    const client = createLambdaClient({ maxAttempts: 1 });

    await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    expect(seen).toHaveLength(1);
    client.destroy();
  });

  it('lets an explicit endpoint win over the environment', async () => {
    process.env.AWS_ENDPOINT_URL_LAMBDA = DEAD_ENDPOINT;
    const client = createLambdaClient({ endpoint: baseUrl, maxAttempts: 1 });

    await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    expect(seen).toHaveLength(1);
    client.destroy();
  });

  it('treats empty region and endpoint as not set', async () => {
    process.env.AWS_ENDPOINT_URL = baseUrl;
    process.env.AWS_REGION = 'eu-central-1';
    const client = createLambdaClient({ region: '', endpoint: '' });

    await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    expect(seen).toHaveLength(1);
    expect(await client.config.region()).toBe('eu-central-1');
    client.destroy();
  });

  it('uses an explicit region', async () => {
    const client = createLambdaClient({ region: 'eu-west-1' });

    expect(await client.config.region()).toBe('eu-west-1');
    client.destroy();
  });

  it('sends the lambda-cost-gate user agent', async () => {
    const client = createLambdaClient({ endpoint: baseUrl });

    await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    expect(USER_AGENT).toBe(`lambda-cost-gate/${VERSION}`);
    const headers = seen[0]?.headers ?? {};
    expect(`${headers['user-agent']} ${headers['x-amz-user-agent']}`).toContain(USER_AGENT);
    client.destroy();
  });

  it('retries in standard mode, 3 attempts by default', async () => {
    statuses = [503, 503];
    const client = createLambdaClient({ endpoint: baseUrl });

    const out = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    expect(await client.config.maxAttempts()).toBe(3);
    expect(out.MemorySize).toBe(256);
    expect(seen).toHaveLength(3);
    client.destroy();
  });

  it('stops after the configured number of attempts', async () => {
    statuses = [503, 503, 503];
    const client = createLambdaClient({ endpoint: baseUrl, maxAttempts: 2 });

    await expect(client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }))).rejects.toThrow();

    expect(seen).toHaveLength(2);
    client.destroy();
  });
  it('signs with explicit credentials instead of the provider chain', async () => {
    const client = createLambdaClient({
      endpoint: baseUrl,
      credentials: { accessKeyId: 'explicit-key', secretAccessKey: 'explicit-secret' }
    });

    await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    expect(seen[0]?.headers.authorization).toContain('Credential=explicit-key/');
    client.destroy();
  });
});

describe('createLogsClient', () => {
  it('honours AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', async () => {
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = baseUrl;
    const client = createLogsClient();

    await client.send(new DescribeLogGroupsCommand({}));

    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    client.destroy();
  });

  it('shares the retry, attempts and user agent settings', async () => {
    const client = createLogsClient({ endpoint: baseUrl, maxAttempts: 5, region: 'ap-south-1' });

    await client.send(new DescribeLogGroupsCommand({}));

    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    expect(await client.config.maxAttempts()).toBe(5);
    expect(await client.config.region()).toBe('ap-south-1');
    const headers = seen[0]?.headers ?? {};
    expect(`${headers['user-agent']} ${headers['x-amz-user-agent']}`).toContain(USER_AGENT);
    client.destroy();
  });
});

describe('maxSockets', () => {
  it('lets more than the SDK default of 50 calls be in flight at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = createServer((req, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      req.resume();
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ FunctionName: 'f' }));
      }, 300);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as { port: number };
    const client = createLambdaClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxSockets: 80
    });
    try {
      await Promise.all(
        Array.from({ length: 80 }, () => client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' })))
      );
      expect(peak).toBe(80);
    } finally {
      client.destroy();
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
