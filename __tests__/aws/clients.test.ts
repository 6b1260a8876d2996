/**
 * The client factory, checked against a real HTTP server on 127.0.0.1: the endpoint, user agent and
 * retries are observed on the wire rather than read back from private SDK fields.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, InvokeCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import {
  CallRateLimiter,
  LAMBDA_RATE_LIMITS,
  USER_AGENT,
  createLambdaClient,
  createLogsClient,
  rateBucketOf
} from '../../src/aws/clients.js';
import { AWS_CALL } from '../../src/errors.js';
import { VERSION } from '../../src/version.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let baseUrl: string;
const seen: Array<Seen & { at: number }> = [];
/** HTTP statuses to answer with, in order; 200 once the list is empty. */
let statuses: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
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
      // Invocations: the calls a sweep has many of in flight (control-plane calls are rate-limited).
      await Promise.all(Array.from({ length: 80 }, () => client.send(new InvokeCommand({ FunctionName: 'f' }))));
      expect(peak).toBe(80);
    } finally {
      client.destroy();
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});

describe('retries in the debug log', () => {
  it('tells each retry: the operation, the error, the attempt of how many, and the wait', async () => {
    statuses = [503, 503];
    const lines: string[] = [];
    const client = createLambdaClient({ endpoint: baseUrl, debug: (line) => lines.push(line) });

    await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^retrying GetFunctionConfiguration after \S+ \(HTTP 503\)(: .*)? \(attempt 2 of 3, waited \d+ ms\)$/
    );
    expect(lines[1]).toMatch(/\(attempt 3 of 3, waited \d+ ms\)$/);
    client.destroy();
  });

  it('says nothing when the first attempt succeeds, or when the last one fails', async () => {
    statuses = [503, 503];
    const lines: string[] = [];
    const client = createLambdaClient({ endpoint: baseUrl, maxAttempts: 2, debug: (line) => lines.push(line) });

    await expect(client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }))).rejects.toThrow();
    await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));

    // One retry for the first call (attempt 2 of 2), none for the second.
    expect(lines).toEqual([expect.stringMatching(/attempt 2 of 2/)]);
    client.destroy();
  });

  it('logs the Logs client retries the same way', async () => {
    statuses = [500];
    const lines: string[] = [];
    const client = createLogsClient({ endpoint: baseUrl, debug: (line) => lines.push(line) });

    await client.send(new DescribeLogGroupsCommand({}));

    expect(lines).toEqual([
      expect.stringMatching(/^retrying DescribeLogGroups after .*\(attempt 2 of 3, waited \d+ ms\)$/)
    ]);
    client.destroy();
  });
});

describe('the failed call on every SDK error', () => {
  it('records service, operation, function and qualifier, for naming the IAM action later', async () => {
    statuses = [404];
    const client = createLambdaClient({ endpoint: baseUrl, maxAttempts: 1 });

    const error = await client
      .send(new GetFunctionConfigurationCommand({ FunctionName: 'orders', Qualifier: '3' }))
      .then(
        () => ({}) as Record<symbol, unknown>,
        (e: unknown) => e as Record<symbol, unknown>
      );

    expect(error[AWS_CALL]).toEqual({
      service: 'lambda',
      operation: 'GetFunctionConfiguration',
      resource: 'orders',
      qualifier: '3'
    });
    client.destroy();
  });
});

describe("Lambda's control-plane rate", () => {
  /** The largest number of times that fall in any window [t, t + ms). */
  const busiestWindow = (times: number[], ms: number) =>
    Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + ms).length));

  it('puts Invoke in no bucket, GetFunction in its own and every other call in the 15/s one', () => {
    expect(rateBucketOf('Invoke')).toBeUndefined();
    expect(rateBucketOf('GetFunction')).toBe('GetFunction');
    expect(rateBucketOf('PublishVersion')).toBe('control-plane');
    expect(LAMBDA_RATE_LIMITS).toEqual({ 'control-plane': 15, GetFunction: 100, GetPolicy: 15 });
  });

  it('lets at most 15 calls start in any window, in the order they asked (a clock that only moves when slept on)', async () => {
    let now = 0;
    const limiter = new CallRateLimiter(15, 1_100, {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      }
    });
    const starts: number[] = [];

    await Promise.all(Array.from({ length: 60 }, () => limiter.acquire().then(() => starts.push(now))));

    expect(starts).toEqual([
      ...Array<number>(15).fill(0),
      ...Array<number>(15).fill(1_100),
      ...Array<number>(15).fill(2_200),
      ...Array<number>(15).fill(3_300)
    ]);
  });

  it('spreads a burst of 60 control-plane calls so that no second holds more than 15 of them', async () => {
    const client = createLambdaClient({ endpoint: baseUrl, maxAttempts: 1 });
    const starts: number[] = [];
    // Where each attempt leaves the rate limiter: what AWS would count.
    const recordStart: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
      starts.push(Date.now());
      return next(args);
    };
    (client.middlewareStack as unknown as MiddlewareStack<object, object>).addRelativeTo(recordStart, {
      relation: 'after',
      toMiddleware: 'lambdaCostGateRateLimit',
      name: 'testStarts'
    });

    await Promise.all(
      Array.from({ length: 60 }, () => client.send(new ListVersionsByFunctionCommand({ FunctionName: 'f' })))
    );

    expect(starts).toHaveLength(60);
    expect(busiestWindow(starts, 1_000)).toBeLessThanOrEqual(15);
    // At the server too: all arrived, over at least three seconds.
    const arrivals = seen.map((s) => s.at);
    expect(arrivals).toHaveLength(60);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(3_000);
    client.destroy();
  }, 20_000);

  it('never holds back an invocation behind waiting control-plane calls', async () => {
    const client = createLambdaClient({ endpoint: baseUrl, maxAttempts: 1, lambdaRateLimits: { 'control-plane': 1 } });

    await Promise.all([
      ...Array.from({ length: 3 }, () => client.send(new ListVersionsByFunctionCommand({ FunctionName: 'f' }))),
      ...Array.from({ length: 5 }, () => client.send(new InvokeCommand({ FunctionName: 'f' })))
    ]);

    // With one control-plane call per window, the second waits over a second; the invocations do not.
    const order = seen.map((s) => (s.url.endsWith('/invocations') ? 'invoke' : 'control'));
    expect(order.slice(0, 6).filter((kind) => kind === 'invoke')).toHaveLength(5);
    expect(order.slice(6)).toEqual(['control', 'control']);
    client.destroy();
  }, 10_000);
});
