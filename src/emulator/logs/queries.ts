/**
 * Logs Insights queries as the API sees them: StartQuery compiles and schedules a query, which then
 * scans in slices between other requests; GetQueryResults reports `Running` until the scan is done
 * and `queryLatencyMs` has passed, then `Complete` with the rows; StopQuery cancels.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../http/aws-error.js';
import { prepareQuery, QueryRun } from './insights/evaluator.js';
import { MAX_LIMIT } from './insights/parser.js';
import { QuerySyntaxError, type ResultRow } from './insights/types.js';
import {
  Params,
  decodeToken,
  encodeToken,
  groupNameFromIdentifier,
  invalidParameter,
  isOffset,
  resourceNotFound
} from './params.js';
import type { LogGroupData, LogStore } from './store.js';

/** Timing and concurrency of the emulated query engine. */
export interface QueryEngineOptions {
  /** How long a query reports `Running` at least, in ms (default 0). */
  queryLatencyMs?: number;
  /** Queries that may be `Scheduled`/`Running` at once (default 30, AWS's default quota). */
  maxConcurrentQueries?: number;
  /** Clock (default `Date.now`). */
  now?: () => number;
}

type Status = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

interface QueryRecord {
  queryId: string;
  queryString: string;
  groups: LogGroupData[];
  createTime: number;
  run: QueryRun;
  /** Set when the scan is over; results are kept until the record is evicted. */
  results?: ResultRow[];
  outcome?: 'Failed' | 'Cancelled';
}

/** Events scanned per slice before yielding to other requests. */
const SLICE = 100_000;
/** Finished queries kept for GetQueryResults/DescribeQueries (AWS keeps results for 7 days). */
const MAX_KEPT = 1000;

/** The query engine behind StartQuery, GetQueryResults, StopQuery and DescribeQueries. */
export class QueryEngine {
  private readonly queries = new Map<string, QueryRecord>();
  private readonly latency: number;
  private readonly maxConcurrent: number;
  private readonly now: () => number;

  constructor(
    private readonly store: LogStore,
    options: QueryEngineOptions = {}
  ) {
    this.latency = options.queryLatencyMs ?? 0;
    this.maxConcurrent = options.maxConcurrentQueries ?? 30;
    this.now = options.now ?? Date.now;
  }

  private status(record: QueryRecord): Status {
    if (record.outcome) return record.outcome;
    if (!record.results) return 'Running';
    return this.now() - record.createTime >= this.latency ? 'Complete' : 'Running';
  }

  start(params: Params): Record<string, unknown> {
    const wanted = groupNames(params);
    const startTime = params.integer('startTime', 0, Number.MAX_SAFE_INTEGER, true) as number;
    const endTime = params.integer('endTime', 0, Number.MAX_SAFE_INTEGER, true) as number;
    if (endTime < startTime) throw invalidParameter('endTime must be greater than or equal to startTime.');
    const queryString = params.string('queryString', true, 10_000);
    const limit = params.integer('limit', 1, MAX_LIMIT) ?? MAX_LIMIT;
    const language = params.string('queryLanguage');
    if (language !== undefined && language !== 'CWLI') {
      throw invalidParameter(`queryLanguage ${language} is not supported by the emulator; use CWLI.`);
    }
    const groups = wanted.map((name) => {
      const group = this.store.group(name);
      if (!group) throw resourceNotFound();
      return group;
    });
    let prepared;
    try {
      prepared = prepareQuery(queryString);
    } catch (error) {
      if (!(error instanceof QuerySyntaxError)) throw error;
      throw new AwsError('MalformedQueryException', error.message, 400, {
        queryCompileError: {
          location: { startCharOffset: error.start, endCharOffset: error.end },
          message: error.message
        }
      });
    }
    const running = [...this.queries.values()].filter((q) => this.status(q) === 'Running').length;
    if (running >= this.maxConcurrent) {
      throw new AwsError(
        'LimitExceededException',
        `Account maximum query concurrency limit of [${this.maxConcurrent}] reached.`,
        400
      );
    }
    // Insights' range is inclusive at both ends, in whole seconds.
    const targets = this.store.scanTargets(groups, startTime * 1000, (endTime + 1) * 1000);
    const record: QueryRecord = {
      queryId: randomUUID(),
      queryString,
      groups,
      createTime: this.now(),
      run: new QueryRun(prepared, targets, limit)
    };
    this.queries.set(record.queryId, record);
    this.evict();
    this.slice(record);
    return { queryId: record.queryId };
  }

  /** Scans one slice; schedules the next one with setImmediate so HTTP requests interleave. */
  private slice(record: QueryRecord): void {
    if (record.outcome) return;
    try {
      if (record.run.step(SLICE)) record.results = record.run.results();
      else setImmediate(() => this.slice(record));
    } catch {
      record.outcome = 'Failed';
    }
  }

  get(params: Params): Record<string, unknown> {
    const record = this.find(params);
    const status = this.status(record);
    return {
      queryLanguage: 'CWLI',
      results: status === 'Complete' ? record.results : [],
      statistics: { ...record.run.statistics },
      status
    };
  }

  stop(params: Params): Record<string, unknown> {
    const record = this.find(params);
    if (this.status(record) !== 'Running') return { success: false };
    record.outcome = 'Cancelled';
    return { success: true };
  }

  describe(params: Params): Record<string, unknown> {
    const name = params.string('logGroupName', false, 512);
    const status = params.string('status');
    const max = params.integer('maxResults', 1, 1000) ?? 1000;
    const token = params.string('nextToken');
    const offset = token === undefined ? 0 : decodeToken(token, isOffset);
    const all = [...this.queries.values()]
      .filter((q) => name === undefined || q.groups.some((g) => g.name === name))
      .filter((q) => status === undefined || this.status(q) === status)
      .sort((a, b) => b.createTime - a.createTime);
    const page = all.slice(offset, offset + max).map((q) => ({
      queryId: q.queryId,
      queryString: q.queryString,
      status: this.status(q),
      createTime: q.createTime,
      logGroupName: q.groups[0]?.name,
      queryLanguage: 'CWLI'
    }));
    return offset + max < all.length ? { queries: page, nextToken: encodeToken(offset + max) } : { queries: page };
  }

  private find(params: Params): QueryRecord {
    const record = this.queries.get(params.string('queryId', true, 256));
    if (!record) throw resourceNotFound('Query does not exist.');
    return record;
  }

  /** Drops the oldest finished queries beyond {@link MAX_KEPT}. */
  private evict(): void {
    if (this.queries.size <= MAX_KEPT) return;
    for (const [id, record] of this.queries) {
      if (this.queries.size <= MAX_KEPT) return;
      if (this.status(record) !== 'Running') this.queries.delete(id);
    }
  }
}

/** The log group names of StartQuery: exactly one of logGroupName, logGroupNames, logGroupIdentifiers. */
function groupNames(params: Params): string[] {
  const single = params.string('logGroupName', false, 512);
  const names = params.strings('logGroupNames', 1, 50);
  const identifiers = params.strings('logGroupIdentifiers', 1, 50);
  const given = [single, names, identifiers].filter((v) => v !== undefined).length;
  if (given !== 1) throw invalidParameter('Specify exactly one of logGroupName, logGroupNames or logGroupIdentifiers.');
  return [...new Set(single !== undefined ? [single] : (names ?? identifiers ?? []).map(groupNameFromIdentifier))];
}
