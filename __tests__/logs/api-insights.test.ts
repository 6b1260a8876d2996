import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  DescribeQueriesCommand,
  GetQueryResultsCommand,
  InvalidParameterException,
  LimitExceededException,
  MalformedQueryException,
  ResourceNotFoundException,
  StartQueryCommand,
  StopQueryCommand,
  type GetQueryResultsCommandOutput,
  type ResultField
} from '@aws-sdk/client-cloudwatch-logs';
import { listen, type ListeningServer } from '../../src/emulator/http/server.js';
import { createLogsRouter } from '../../src/emulator/logs/api.js';
import { LogStore } from '../../src/emulator/logs/store.js';
import { DAY, invocation, nearestRankPercentile, uuid } from './helpers.js';

const T0 = Date.UTC(2024, 5, 10);
const seconds = (ms: number) => Math.floor(ms / 1000);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Seeded {
  day: number;
  durationMs: number;
  billedMs: number;
  maxMemoryMb: number;
}

/** A deterministic pseudo-random stream (LCG), so the data is varied but reproducible. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Seeds `perDay` invocations on each of `days` days into `group`; returns what was written. */
function seed(store: LogStore, group: string, days: number, perDay: number, seedValue: number): Seeded[] {
  const random = lcg(seedValue);
  const written: Seeded[] = [];
  for (let day = 0; day < days; day++) {
    const events = [];
    for (let k = 0; k < perDay; k++) {
      const durationMs = Math.round((20 + random() * 400) * 100) / 100;
      const maxMemoryMb = 60 + Math.floor(random() * 40);
      const spec = {
        requestId: uuid(seedValue * 1_000_000 + day * 10_000 + k),
        durationMs,
        billedMs: Math.ceil(durationMs),
        memoryMb: 512,
        maxMemoryMb
      };
      events.push(...invocation(T0 + day * DAY + k * 30_000, spec));
      written.push({ day, durationMs, billedMs: spec.billedMs, maxMemoryMb });
    }
    store.append(group, `2024/06/${10 + day}/[$LATEST]0123456789abcdef`, events);
  }
  return written;
}

const row = (fields: ResultField[] | undefined) => Object.fromEntries((fields ?? []).map((f) => [f.field, f.value]));

async function runToEnd(client: CloudWatchLogsClient, queryId: string): Promise<GetQueryResultsCommandOutput> {
  for (;;) {
    const result = await client.send(new GetQueryResultsCommand({ queryId }));
    if (result.status !== 'Running' && result.status !== 'Scheduled') return result;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('Logs Insights through the SDK', () => {
  const store = new LogStore();
  let server: ListeningServer;
  let client: CloudWatchLogsClient;
  let a: Seeded[];
  let b: Seeded[];

  beforeAll(async () => {
    a = seed(store, '/aws/lambda/alpha', 3, 150, 1);
    b = seed(store, '/aws/lambda/beta', 2, 40, 2);
    server = await listen({ routers: [createLogsRouter(store)] });
    client = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('answers the REPORT stats query by day with values computed by hand', async () => {
    const { queryId } = await client.send(
      new StartQueryCommand({
        logGroupName: '/aws/lambda/alpha',
        startTime: seconds(T0),
        endTime: seconds(T0 + 10 * DAY),
        queryString:
          'filter @type = "REPORT" | stats count(*) as invocations, pct(@duration, 99) as p99, avg(@billedDuration), max(@maxMemoryUsed) by bin(1d)'
      })
    );
    const result = await runToEnd(client, queryId as string);
    expect(result.status).toBe('Complete');
    const expected = [0, 1, 2].map((day) => {
      const rows = a.filter((r) => r.day === day);
      return {
        'bin(1d)': new Date(T0 + day * DAY).toISOString().replace('T', ' ').replace('Z', ''),
        invocations: String(rows.length),
        p99: String(
          nearestRankPercentile(
            rows.map((r) => r.durationMs),
            99
          )
        ),
        avg: rows.reduce((s, r) => s + r.billedMs, 0) / rows.length,
        max: String(Math.max(...rows.map((r) => r.maxMemoryMb)) * 1_000_000)
      };
    });
    const actual = (result.results ?? []).map(row);
    expect(actual).toHaveLength(3);
    actual.forEach((got, k) => {
      const want = expected[k] as (typeof expected)[number];
      expect(got['bin(1d)']).toBe(want['bin(1d)']);
      expect(got.invocations).toBe(want.invocations);
      expect(got.p99).toBe(want.p99);
      expect(Number(got['avg(@billedDuration)'])).toBeCloseTo(want.avg, 9);
      expect(got['max(@maxMemoryUsed)']).toBe(want.max);
    });
    expect(result.statistics).toEqual({ recordsMatched: 450, recordsScanned: 1350, bytesScanned: expect.any(Number) });
  });

  it('queries several log groups at once, grouped by @log, by name or ARN', async () => {
    for (const selector of [
      { logGroupNames: ['/aws/lambda/alpha', '/aws/lambda/beta'] },
      { logGroupIdentifiers: ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/alpha', '/aws/lambda/beta'] }
    ]) {
      const { queryId } = await client.send(
        new StartQueryCommand({
          ...selector,
          startTime: seconds(T0),
          endTime: seconds(T0 + DAY) - 1, // the first day only
          queryString:
            'filter @type = "REPORT" | stats count(*) as n, sum(@billedDuration) as billed by @log | sort n desc'
        })
      );
      const result = await runToEnd(client, queryId as string);
      const day0 = (rows: Seeded[]) => rows.filter((r) => r.day === 0);
      expect((result.results ?? []).map(row)).toEqual([
        {
          '@log': '123456789012:/aws/lambda/alpha',
          n: '150',
          billed: String(day0(a).reduce((s, r) => s + r.billedMs, 0))
        },
        {
          '@log': '123456789012:/aws/lambda/beta',
          n: '40',
          billed: String(day0(b).reduce((s, r) => s + r.billedMs, 0))
        }
      ]);
    }
  });

  it('returns event rows with @ptr and honours the limit parameter', async () => {
    const { queryId } = await client.send(
      new StartQueryCommand({
        logGroupName: '/aws/lambda/beta',
        startTime: seconds(T0),
        endTime: seconds(T0 + 5 * DAY),
        limit: 5,
        queryString: 'fields @timestamp, @requestId, @duration | filter @type = "REPORT" | sort @duration desc'
      })
    );
    const result = await runToEnd(client, queryId as string);
    const rows = (result.results ?? []).map(row);
    expect(rows).toHaveLength(5);
    const top = [...b]
      .sort((x, y) => y.durationMs - x.durationMs)
      .slice(0, 5)
      .map((r) => String(r.durationMs));
    expect(rows.map((r) => r['@duration'])).toEqual(top);
    expect(rows[0]?.['@ptr']).toEqual(expect.any(String));
    expect(rows[0]?.['@timestamp']).toMatch(/^2024-06-1\d \d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('rejects malformed queries, missing groups and bad parameters with the SDK error classes', async () => {
    const malformed = await rejection(
      client.send(
        new StartQueryCommand({
          logGroupName: '/aws/lambda/alpha',
          startTime: 0,
          endTime: 10,
          queryString: 'filter @type = | stats count(*)'
        })
      )
    );
    expect(malformed).toBeInstanceOf(MalformedQueryException);
    expect((malformed as MalformedQueryException).queryCompileError?.location?.startCharOffset).toBe(15);
    expect(malformed.message).toContain('expected a value');
    const missing = await rejection(
      client.send(
        new StartQueryCommand({ logGroupName: 'nope', startTime: 0, endTime: 10, queryString: 'fields @message' })
      )
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(
      await rejection(
        client.send(
          new StartQueryCommand({ logGroupName: 'nope', startTime: 10, endTime: 0, queryString: 'fields @message' })
        )
      )
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await rejection(
        client.send(
          new StartQueryCommand({
            logGroupName: '/aws/lambda/alpha',
            logGroupNames: ['/aws/lambda/beta'],
            startTime: 0,
            endTime: 1,
            queryString: 'fields @message'
          })
        )
      )
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await rejection(
        client.send(
          new StartQueryCommand({
            logGroupName: '/aws/lambda/alpha',
            startTime: 0,
            endTime: 1,
            queryString: 'fields @message',
            limit: 10_001
          })
        )
      )
    ).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(client.send(new GetQueryResultsCommand({ queryId: 'no-such-query' })))).toBeInstanceOf(
      ResourceNotFoundException
    );
  });
});

describe('query lifecycle', () => {
  const store = new LogStore();
  let clock = 1_000_000;
  let server: ListeningServer;
  let client: CloudWatchLogsClient;
  const start = (queryString = 'stats count(*) as n') =>
    client.send(new StartQueryCommand({ logGroupName: 'g', startTime: 0, endTime: seconds(T0 + DAY), queryString }));

  beforeAll(async () => {
    store.append('g', 's', invocation(T0, { requestId: uuid(1), durationMs: 5 }));
    server = await listen({
      routers: [createLogsRouter(store, { queryLatencyMs: 2000, maxConcurrentQueries: 2, now: () => clock })]
    });
    client = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('stays Running for queryLatencyMs, limits concurrency, stops and describes queries', async () => {
    const first = await start();
    const second = await start('filter @type = "START" | stats count(*) as n');
    const running = await client.send(new GetQueryResultsCommand({ queryId: first.queryId }));
    expect(running.status).toBe('Running');
    expect(running.results).toEqual([]);
    expect(running.statistics?.recordsScanned).toBe(3);

    expect(await rejection(start())).toBeInstanceOf(LimitExceededException);
    expect((await client.send(new StopQueryCommand({ queryId: second.queryId }))).success).toBe(true);
    expect((await client.send(new GetQueryResultsCommand({ queryId: second.queryId }))).status).toBe('Cancelled');
    expect((await client.send(new StopQueryCommand({ queryId: second.queryId }))).success).toBe(false);

    const third = await start();
    clock += 2000;
    const done = await client.send(new GetQueryResultsCommand({ queryId: first.queryId }));
    expect(done.status).toBe('Complete');
    expect(done.results?.map(row)).toEqual([{ n: '3' }]);
    expect((await client.send(new GetQueryResultsCommand({ queryId: third.queryId }))).status).toBe('Complete');

    const described = await client.send(new DescribeQueriesCommand({ logGroupName: 'g' }));
    expect(described.queries?.map((q) => q.status).sort()).toEqual(['Cancelled', 'Complete', 'Complete']);
    const cancelled = await client.send(new DescribeQueriesCommand({ status: 'Cancelled' }));
    expect(cancelled.queries?.map((q) => q.queryId)).toEqual([second.queryId]);
    expect(cancelled.queries?.[0]?.queryString).toContain('START');
  });
});

describe('scale', () => {
  it('queries 200,000 REPORT records in 50 log groups', async () => {
    const store = new LogStore();
    const groups = Array.from({ length: 50 }, (_, k) => `/aws/lambda/scale-${k}`);
    const loadStart = performance.now();
    let expectedBilled = 0;
    for (const [g, group] of groups.entries()) {
      for (let day = 0; day < 4; day++) {
        const events = [];
        for (let k = 0; k < 1000; k++) {
          const durationMs = 10 + ((g * 7 + day * 13 + k) % 500) + 0.5;
          expectedBilled += Math.ceil(durationMs);
          events.push(
            ...invocation(T0 + day * DAY + k * 60_000, { requestId: uuid(g * 10_000 + day * 1000 + k), durationMs })
          );
        }
        store.append(group, `stream-${day}`, events);
      }
    }
    const loadMs = performance.now() - loadStart;
    const server = await listen({ routers: [createLogsRouter(store)] });
    const client = new CloudWatchLogsClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1
    });
    try {
      const queryStart = performance.now();
      const { queryId } = await client.send(
        new StartQueryCommand({
          logGroupNames: groups,
          startTime: seconds(T0),
          endTime: seconds(T0 + 5 * DAY),
          queryString:
            'filter @type = "REPORT" | stats count(*) as invocations, pct(@duration, 99) as p99, sum(@billedDuration) as billed, max(@maxMemoryUsed) by bin(1d)'
        })
      );
      const result = await runToEnd(client, queryId as string);
      const queryMs = performance.now() - queryStart;
      const rows = (result.results ?? []).map(row);
      expect(rows).toHaveLength(4);
      expect(rows.reduce((s, r) => s + Number(r.invocations), 0)).toBe(200_000);
      expect(rows.reduce((s, r) => s + Number(r.billed), 0)).toBe(expectedBilled);
      expect(result.statistics?.recordsScanned).toBe(600_000);
      console.log(
        `logs scale check: loaded 600,000 events in ${loadMs.toFixed(0)} ms; Insights query over 200,000 REPORT records took ${queryMs.toFixed(0)} ms`
      );
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
