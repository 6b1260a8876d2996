/**
 * The emulator's CloudWatch Logs data: log groups → log streams → events, in memory. The Lambda
 * side writes through {@link LogStore.append}; the Logs API and Logs Insights read it.
 */
import { LogStreamData } from './stream.js';
import type { ScanTarget } from './insights/types.js';

export { LogStreamData, type StoredEvent } from './stream.js';

/** Options of a {@link LogStore}. */
export interface LogStoreOptions {
  /** Region in ARNs (default `us-east-1`). */
  region?: string;
  /** Account id in ARNs and `@log` (default `123456789012`). */
  accountId?: string;
  /** Clock for creation and ingestion times (default `Date.now`). */
  now?: () => number;
}

/** A log group and its streams. */
export class LogGroupData {
  readonly streams = new Map<string, LogStreamData>();
  storedBytes = 0;
  retentionInDays: number | undefined;
  private sortedNames: string[] | undefined;

  constructor(
    readonly name: string,
    readonly creationTime: number,
    /** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups' `logGroupArn`). */
    readonly logGroupArn: string
  ) {}

  /** The ARN with the `:*` suffix (DescribeLogGroups' `arn`). */
  get arn(): string {
    return `${this.logGroupArn}:*`;
  }

  /** Streams ordered by name; cached until a stream is added or removed. */
  streamsByName(): LogStreamData[] {
    this.sortedNames ??= [...this.streams.keys()].sort(compareStrings);
    return this.sortedNames.map((name) => this.streams.get(name) as LogStreamData);
  }

  /** Called when the set of streams changes. */
  invalidate(): void {
    this.sortedNames = undefined;
  }
}

/** In-memory CloudWatch Logs: groups, streams and columnar events (see {@link LogStreamData}). */
export class LogStore {
  readonly region: string;
  readonly accountId: string;
  readonly now: () => number;
  private readonly groupMap = new Map<string, LogGroupData>();
  private sortedGroups: LogGroupData[] | undefined;
  private streamSerial = 0;

  constructor(options: LogStoreOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.now = options.now ?? Date.now;
  }

  /** Creates the log group unless it exists. */
  ensureGroup(name: string): void {
    this.createGroup(name);
  }

  /** Creates a log group; undefined if it already exists. */
  createGroup(name: string): LogGroupData | undefined {
    if (this.groupMap.has(name)) return undefined;
    const group = new LogGroupData(name, this.now(), this.logGroupArn(name));
    this.groupMap.set(name, group);
    this.sortedGroups = undefined;
    return group;
  }

  /** Deletes a log group and its events; false if it did not exist. */
  deleteGroup(name: string): boolean {
    const deleted = this.groupMap.delete(name);
    if (deleted) this.sortedGroups = undefined;
    return deleted;
  }

  /** The log group, if it exists. */
  group(name: string): LogGroupData | undefined {
    return this.groupMap.get(name);
  }

  /** All log groups ordered by name. */
  groups(): LogGroupData[] {
    this.sortedGroups ??= [...this.groupMap.values()].sort((a, b) => compareStrings(a.name, b.name));
    return this.sortedGroups;
  }

  /** `arn:aws:logs:<region>:<account>:log-group:<name>` (without the `:*` suffix). */
  logGroupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}`;
  }

  /** Creates a stream in an existing group; undefined if it already exists. */
  createStream(group: LogGroupData, name: string): LogStreamData | undefined {
    if (group.streams.has(name)) return undefined;
    const stream = new LogStreamData(
      name,
      group.name,
      `${this.accountId}:${group.name}`,
      `${group.logGroupArn}:log-stream:${name}`,
      this.now(),
      ++this.streamSerial
    );
    group.streams.set(name, stream);
    group.invalidate();
    return stream;
  }

  /** Deletes a stream; false if it did not exist. */
  deleteStream(group: LogGroupData, name: string): boolean {
    const stream = group.streams.get(name);
    if (!stream) return false;
    group.streams.delete(name);
    group.storedBytes -= stream.storedBytes;
    group.invalidate();
    return true;
  }

  /** Creates the group and stream as needed. */
  ensureStream(group: string, stream: string): LogStreamData {
    const g = this.groupMap.get(group) ?? (this.createGroup(group) as LogGroupData);
    return g.streams.get(stream) ?? (this.createStream(g, stream) as LogStreamData);
  }

  /**
   * Stores events (creating the group and stream as needed). Events may arrive in any order; the
   * stream keeps them sorted by timestamp. Ingestion time is the store's clock.
   */
  append(group: string, stream: string, events: { timestamp: number; message: string }[]): void {
    const target = this.ensureStream(group, stream);
    const added = target.append(events, this.now());
    (this.groupMap.get(group) as LogGroupData).storedBytes += added;
  }

  /**
   * What a Logs Insights query over these groups reads: every stream's events with
   * `startMs <= timestamp < endMs`. Streams with nothing in range are left out.
   */
  scanTargets(groups: readonly LogGroupData[], startMs: number, endMs: number): ScanTarget[] {
    const targets: ScanTarget[] = [];
    for (const group of groups) {
      for (const stream of group.streamsByName()) {
        if (stream.count === 0) continue;
        if ((stream.lastEventTimestamp ?? 0) < startMs || (stream.firstEventTimestamp ?? 0) >= endMs) continue;
        const from = stream.lowerBound(startMs);
        const to = stream.lowerBound(endMs);
        if (to > from) targets.push({ source: stream, from, to });
      }
    }
    return targets;
  }

  /** Total events stored (for benchmarks and tests). */
  eventCount(): number {
    let total = 0;
    for (const group of this.groupMap.values()) for (const stream of group.streams.values()) total += stream.count;
    return total;
  }
}

/** Code-unit order, as AWS sorts names (not locale order). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
