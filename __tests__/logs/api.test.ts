import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  paginateDescribeLogGroups,
  paginateDescribeLogStreams,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  type FilteredLogEvent,
  type OutputLogEvent
} from '@aws-sdk/client-cloudwatch-logs';
import { listen, type ListeningServer } from '../../src/emulator/http/server.js';
import { createLogsRouter } from '../../src/emulator/logs/api.js';
import { LogStore } from '../../src/emulator/logs/store.js';
import { invocation, jsonReport, uuid } from './helpers.js';

let server: ListeningServer;
let client: CloudWatchLogsClient;
const store = new LogStore();
const T0 = Date.now() - 3_600_000;

beforeAll(async () => {
  server = await listen({ routers: [createLogsRouter(store)] });
  client = new CloudWatchLogsClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

async function rejection(promise: Promise<unknown>): Promise<Error & { name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('log groups', () => {
  it('creates, pages through and deletes log groups', async () => {
    for (let k = 0; k < 120; k++)
      await client.send(new CreateLogGroupCommand({ logGroupName: `/aws/lambda/fn-${String(k).padStart(3, '0')}` }));
    await client.send(new CreateLogGroupCommand({ logGroupName: 'other' }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLogGroups(
      { client, pageSize: 50 },
      { logGroupNamePrefix: '/aws/lambda/fn-' }
    )) {
      pages++;
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName as string));
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(120);
    expect(names).toEqual([...names].sort());
    const first = (await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/fn-000' })))
      .logGroups?.[0];
    expect(first).toMatchObject({
      logGroupName: '/aws/lambda/fn-000',
      arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn-000:*',
      logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn-000',
      storedBytes: 0,
      metricFilterCount: 0
    });
    expect(typeof first?.creationTime).toBe('number');
    const pattern = await client.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'OTH' }));
    expect(pattern.logGroups?.map((g) => g.logGroupName)).toEqual(['other']);

    expect(await rejection(client.send(new CreateLogGroupCommand({ logGroupName: 'other' })))).toBeInstanceOf(
      ResourceAlreadyExistsException
    );
    expect(await rejection(client.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })))).toBeInstanceOf(
      InvalidParameterException
    );
    expect(await rejection(client.send(new DescribeLogGroupsCommand({ limit: 51 })))).toBeInstanceOf(
      InvalidParameterException
    );
    await client.send(new DeleteLogGroupCommand({ logGroupName: 'other' }));
    const gone = await rejection(client.send(new DeleteLogGroupCommand({ logGroupName: 'other' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe('The specified log group does not exist.');
  });
});

describe('log streams and events', () => {
  const group = '/aws/lambda/events';

  beforeAll(async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (const name of ['b-stream', 'a-stream', 'c-stream'])
      await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
    // a: 25 events one second apart; b: REPORT lines interleaved with a; c: JSON events.
    await client.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'a-stream',
        logEvents: Array.from({ length: 25 }, (_, k) => ({ timestamp: T0 + k * 1000, message: `event ${k}` }))
      })
    );
    await client.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'b-stream',
        logEvents: Array.from({ length: 5 }, (_, k) =>
          invocation(T0 + k * 5000 + 500, { requestId: uuid(k), durationMs: 10 + k })
        ).flat()
      })
    );
    await client.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'c-stream',
        logEvents: [{ timestamp: T0 + 100_000, message: jsonReport(T0, { requestId: uuid(77), durationMs: 1500 }) }]
      })
    );
  });

  it('describes streams by name and by last event time, with pages and ARNs', async () => {
    const byName = await client.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['a-stream', 'b-stream', 'c-stream']);
    const a = byName.logStreams?.[0];
    expect(a).toMatchObject({
      firstEventTimestamp: T0,
      lastEventTimestamp: T0 + 24_000,
      storedBytes: expect.any(Number)
    });
    expect(a?.arn).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:${group}:log-stream:a-stream`);
    const byTime = await client.send(
      new DescribeLogStreamsCommand({
        logGroupIdentifier: `arn:aws:logs:us-east-1:123456789012:log-group:${group}`,
        orderBy: 'LastEventTime',
        descending: true
      })
    );
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual(['c-stream', 'a-stream', 'b-stream']);
    const names: string[] = [];
    for await (const page of paginateDescribeLogStreams({ client, pageSize: 2 }, { logGroupName: group })) {
      names.push(...(page.logStreams ?? []).map((s) => s.logStreamName as string));
    }
    expect(names).toEqual(['a-stream', 'b-stream', 'c-stream']);
    const prefixed = await client.send(
      new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'b' })
    );
    expect(prefixed.logStreams?.map((s) => s.logStreamName)).toEqual(['b-stream']);
    expect(
      await rejection(
        client.send(
          new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'b', orderBy: 'LastEventTime' })
        )
      )
    ).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(client.send(new DescribeLogStreamsCommand({ logGroupName: 'nope' })))).toBeInstanceOf(
      ResourceNotFoundException
    );
    expect(
      await rejection(client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a-stream' })))
    ).toBeInstanceOf(ResourceAlreadyExistsException);
  });

  it('gets events newest-first by default and pages forward and backward with tokens', async () => {
    const latest = await client.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 'a-stream', limit: 10 })
    );
    expect(latest.events?.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, k) => `event ${k + 15}`));
    const back = await client.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: 'a-stream',
        limit: 10,
        nextToken: latest.nextBackwardToken
      })
    );
    expect(back.events?.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, k) => `event ${k + 5}`));

    const seen: OutputLogEvent[] = [];
    let pages = 0;
    for await (const page of paginateGetLogEvents(
      { client, pageSize: 7, stopOnSameToken: true },
      { logGroupName: group, logStreamName: 'a-stream', startFromHead: true }
    )) {
      pages++;
      seen.push(...(page.events ?? []));
    }
    expect(seen.map((e) => e.message)).toEqual(Array.from({ length: 25 }, (_, k) => `event ${k}`));
    expect(pages).toBe(5); // 7 + 7 + 7 + 4, then an empty page that repeats the token.
    expect(seen[0]?.ingestionTime).toEqual(expect.any(Number));

    const ranged = await client.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: 'a-stream',
        startTime: T0 + 3000,
        endTime: T0 + 6000,
        startFromHead: true
      })
    );
    expect(ranged.events?.map((e) => e.message)).toEqual(['event 3', 'event 4', 'event 5']);
    const report = await client.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 'b-stream', limit: 1 })
    );
    expect(report.events?.[0]?.message).toMatch(/^REPORT RequestId: .*\tDuration: 14\.00 ms\tBilled Duration: 14 ms\t/);

    expect(
      await rejection(client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' })))
    ).toBeInstanceOf(ResourceNotFoundException);
    expect(
      await rejection(
        client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'a-stream', limit: 0 }))
      )
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await rejection(
        client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'a-stream', nextToken: 'garbage' }))
      )
    ).toBeInstanceOf(InvalidParameterException);
  });

  it('rejects PutLogEvents batches out of order or to missing streams', async () => {
    const unordered = client.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'a-stream',
        logEvents: [
          { timestamp: T0 + 2, message: 'x' },
          { timestamp: T0 + 1, message: 'y' }
        ]
      })
    );
    expect(await rejection(unordered)).toBeInstanceOf(InvalidParameterException);
    const missing = await rejection(
      client.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 'zzz',
          logEvents: [{ timestamp: T0, message: 'x' }]
        })
      )
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe('The specified log stream does not exist.');
  });

  it('filters events across streams in time order, with paging, patterns and stream selection', async () => {
    const all: FilteredLogEvent[] = [];
    let pages = 0;
    for await (const page of paginateFilterLogEvents({ client, pageSize: 4 }, { logGroupName: group })) {
      pages++;
      all.push(...(page.events ?? []));
    }
    expect(all).toHaveLength(25 + 15 + 1);
    expect(pages).toBe(11);
    const timestamps = all.map((e) => e.timestamp as number);
    expect(timestamps).toEqual([...timestamps].sort((x, y) => x - y));
    expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);

    const reports = await client.send(
      new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'REPORT "Duration: 12.00"' })
    );
    expect(reports.events?.map((e) => e.logStreamName)).toEqual(['b-stream']);
    const either = await client.send(
      new FilterLogEventsCommand({ logGroupName: group, filterPattern: '?"event 3" ?"event 24"' })
    );
    expect(either.events?.map((e) => e.message)).toEqual(['event 3', 'event 24']);
    const json = await client.send(
      new FilterLogEventsCommand({
        logGroupIdentifier: group,
        filterPattern: `{ $.record.requestId = "${uuid(77)}" && $.record.metrics.durationMs >= 1500 }`
      })
    );
    expect(json.events).toHaveLength(1);
    const named = await client.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        logStreamNames: ['b-stream'],
        startTime: T0 + 10_000,
        endTime: T0 + 15_500
      })
    );
    expect(named.events?.map((e) => e.message?.slice(0, 5))).toEqual(['START', 'END R', 'REPOR', 'START']);
    const prefixed = await client.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: 'c' }));
    expect(prefixed.events).toHaveLength(1);
    expect(prefixed.nextToken).toBeUndefined();

    expect(
      await rejection(
        client.send(
          new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['a'], logStreamNamePrefix: 'a' })
        )
      )
    ).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(client.send(new FilterLogEventsCommand({ logGroupName: 'missing' })))).toBeInstanceOf(
      ResourceNotFoundException
    );
    expect(
      await rejection(client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.x = }' })))
    ).toBeInstanceOf(InvalidParameterException);
  });

  it('deletes streams', async () => {
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'tmp' }));
    await client.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'tmp' }));
    expect(
      await rejection(client.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'tmp' })))
    ).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('out-of-order batches', () => {
  it('returns events in timestamp order from GetLogEvents and FilterLogEvents', async () => {
    const group = '/aws/lambda/order';
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
    for (const batch of [[30, 40], [10, 20], [35]]) {
      await client.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 's',
          logEvents: batch.map((t) => ({ timestamp: T0 + t, message: `at ${t}` }))
        })
      );
    }
    const got = await client.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startFromHead: true })
    );
    expect(got.events?.map((e) => e.message)).toEqual(['at 10', 'at 20', 'at 30', 'at 35', 'at 40']);
    const filtered = await client.send(new FilterLogEventsCommand({ logGroupName: group }));
    expect(filtered.events?.map((e) => e.message)).toEqual(['at 10', 'at 20', 'at 30', 'at 35', 'at 40']);
  });
});

describe('protocol errors', () => {
  const call = (target: string, body: string) =>
    fetch(server.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      body
    });

  it('answers unknown operations, bad JSON and wrong types in the JSON 1.1 error shape', async () => {
    const unknown = await call('Logs_20140328.PutDestination', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const badJson = await call('Logs_20140328.DescribeLogGroups', '{nope');
    expect(await badJson.json()).toMatchObject({ __type: 'SerializationException' });
    const wrongType = await call('Logs_20140328.DescribeLogGroups', '{"limit":"5"}');
    expect(await wrongType.json()).toMatchObject({ __type: 'SerializationException' });
    const fraction = await call('Logs_20140328.GetLogEvents', '{"logGroupName":"x","logStreamName":"y","limit":1.5}');
    expect(await fraction.json()).toMatchObject({ __type: 'SerializationException' });
    const missing = await call('Logs_20140328.CreateLogGroup', '{}');
    expect(await missing.json()).toMatchObject({
      __type: 'InvalidParameterException',
      message: expect.stringContaining("at 'logGroupName'")
    });
  });

  it('leaves requests of other services to other routers', async () => {
    const response = await call('Other_2020.Foo', '{}');
    expect(response.status).toBe(404);
  });
});
