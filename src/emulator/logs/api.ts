/**
 * The emulator's CloudWatch Logs API (JSON 1.1, `X-Amz-Target: Logs_20140328.<Operation>`), for the
 * unmodified `@aws-sdk/client-cloudwatch-logs` and the AWS CLI: log groups and streams, events,
 * FilterLogEvents and Logs Insights queries.
 */
import { AwsError } from '../http/aws-error.js';
import { parseJsonBody, type Router } from '../http/server.js';
import { filterLogEvents, getLogEvents, putLogEvents } from './api-events.js';
import {
  Params,
  alreadyExists,
  checkLogGroupName,
  checkLogStreamName,
  decodeToken,
  encodeToken,
  invalidParameter,
  isOffset,
  requireGroup,
  resourceNotFound
} from './params.js';
import { QueryEngine, type QueryEngineOptions } from './queries.js';
import type { LogGroupData, LogStore, LogStreamData } from './store.js';

const TARGET_PREFIX = 'Logs_20140328.';

type Handler = (params: Params) => Record<string, unknown>;

/**
 * Routes CloudWatch Logs requests to `store`. Requests without a `Logs_20140328.` target are left
 * for other routers; a Logs target the emulator does not implement is `UnknownOperationException`.
 *
 * @param options - `queryLatencyMs`: minimum time a query reports `Running`; `maxConcurrentQueries`:
 *   more running queries than this is `LimitExceededException` (default 30); `now`: the clock.
 */
export function createLogsRouter(store: LogStore, options: QueryEngineOptions = {}): Router {
  const engine = new QueryEngine(store, options);
  const handlers: Record<string, Handler> = {
    CreateLogGroup: (p) => createLogGroup(store, p),
    DeleteLogGroup: (p) => deleteLogGroup(store, p),
    DescribeLogGroups: (p) => describeLogGroups(store, p),
    CreateLogStream: (p) => createLogStream(store, p),
    DeleteLogStream: (p) => deleteLogStream(store, p),
    DescribeLogStreams: (p) => describeLogStreams(store, p),
    PutLogEvents: (p) => putLogEvents(store, p),
    GetLogEvents: (p) => getLogEvents(store, p),
    FilterLogEvents: (p) => filterLogEvents(store, p),
    StartQuery: (p) => engine.start(p),
    GetQueryResults: (p) => engine.get(p),
    StopQuery: (p) => engine.stop(p),
    DescribeQueries: (p) => engine.describe(p)
  };
  return (request) => {
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
    const operation = target.slice(TARGET_PREFIX.length);
    const handler = Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
    return {
      operation,
      protocol: 'json-1.1',
      handle: async () => {
        if (!handler) {
          throw new AwsError(
            'UnknownOperationException',
            `The emulator's CloudWatch Logs does not implement ${operation}.`,
            400
          );
        }
        const body = handler(new Params(parseJsonBody(request, 'json-1.1')));
        return { status: 200, headers: { 'Content-Type': 'application/x-amz-json-1.1' }, body };
      }
    };
  };
}

function createLogGroup(store: LogStore, p: Params): Record<string, unknown> {
  const name = p.string('logGroupName', true, 512);
  checkLogGroupName(name);
  if (!store.createGroup(name)) throw alreadyExists('The specified log group already exists');
  return {};
}

function deleteLogGroup(store: LogStore, p: Params): Record<string, unknown> {
  if (!store.deleteGroup(p.string('logGroupName', true, 512))) throw resourceNotFound();
  return {};
}

function describeGroup(group: LogGroupData): Record<string, unknown> {
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    metricFilterCount: 0,
    arn: group.arn,
    logGroupArn: group.logGroupArn,
    storedBytes: group.storedBytes,
    logGroupClass: 'STANDARD',
    ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays })
  };
}

/** Paged by name: the token is the last name returned, so deletions between pages are harmless. */
function describeLogGroups(store: LogStore, p: Params): Record<string, unknown> {
  const prefix = p.string('logGroupNamePrefix', false, 512);
  const pattern = p.string('logGroupNamePattern', false, 512);
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter('logGroupNamePrefix and logGroupNamePattern are mutually exclusive parameters.');
  }
  const identifiers = p.strings('logGroupIdentifiers', 1, 50);
  const limit = p.integer('limit', 1, 50) ?? 50;
  const token = p.string('nextToken');
  const after = token === undefined ? undefined : decodeToken(token, (v): v is string => typeof v === 'string');
  const needle = pattern?.toLowerCase();
  const wanted = identifiers ? new Set(identifiers.map((i) => i.replace(/:\*$/, ''))) : undefined;
  const page: LogGroupData[] = [];
  let more = false;
  for (const group of store.groups()) {
    if (after !== undefined && group.name <= after) continue;
    if (prefix !== undefined && !group.name.startsWith(prefix)) continue;
    if (needle !== undefined && !group.name.toLowerCase().includes(needle)) continue;
    if (wanted && !wanted.has(group.logGroupArn) && !wanted.has(group.name)) continue;
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(group);
  }
  const response: Record<string, unknown> = { logGroups: page.map(describeGroup) };
  if (more) response.nextToken = encodeToken(page[page.length - 1]?.name);
  return response;
}

function createLogStream(store: LogStore, p: Params): Record<string, unknown> {
  const group = store.group(p.string('logGroupName', true, 512));
  const name = p.string('logStreamName', true, 512);
  checkLogStreamName(name);
  if (!group) throw resourceNotFound();
  if (!store.createStream(group, name)) throw alreadyExists('The specified log stream already exists');
  return {};
}

function deleteLogStream(store: LogStore, p: Params): Record<string, unknown> {
  const group = store.group(p.string('logGroupName', true, 512));
  const name = p.string('logStreamName', true, 512);
  if (!group) throw resourceNotFound();
  if (!store.deleteStream(group, name)) throw resourceNotFound('The specified log stream does not exist.');
  return {};
}

function describeStream(stream: LogStreamData): Record<string, unknown> {
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: String(stream.count).padStart(56, '0'),
    arn: stream.arn,
    storedBytes: stream.storedBytes
  };
}

function describeLogStreams(store: LogStore, p: Params): Record<string, unknown> {
  const prefix = p.string('logStreamNamePrefix', false, 512);
  const orderBy = p.string('orderBy') ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
    throw invalidParameter(
      `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`
    );
  }
  if (orderBy === 'LastEventTime' && prefix !== undefined) {
    throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const descending = p.boolean('descending') ?? false;
  const limit = p.integer('limit', 1, 50) ?? 50;
  const token = p.string('nextToken');
  const offset = token === undefined ? 0 : decodeToken(token, isOffset);
  let streams = requireGroup(p, store).streamsByName();
  if (prefix !== undefined) streams = streams.filter((s) => s.name.startsWith(prefix));
  if (orderBy === 'LastEventTime') {
    streams = [...streams].sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0));
  }
  if (descending) streams = [...streams].reverse();
  const response: Record<string, unknown> = { logStreams: streams.slice(offset, offset + limit).map(describeStream) };
  if (offset + limit < streams.length) response.nextToken = encodeToken(offset + limit);
  return response;
}
