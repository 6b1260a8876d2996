/**
 * One log stream's events, stored column-wise in typed arrays so that millions of Lambda platform
 * lines cost tens of bytes each: a START/END/REPORT line whose text can be rebuilt keeps only its
 * numbers and packed request id, never the string. Insights reads it through {@link EventSource}.
 */
import {
  BYTES_PER_REPORTED_MB,
  LineType,
  SUFFIXES,
  formatPlatformCore,
  isUuid,
  packUuid,
  parsePlatformLine,
  unpackUuid
} from './platform.js';
import { jsonPath, type EventSource, type Value } from './insights/types.js';

// Layout of the `kind` byte: bits 0-1 line type, bit 2 text dropped (rebuildable), bit 3 request id
// packed, bits 4-5 index of the suffix that followed the canonical text.
const TYPE_MASK = 3;
const COMPACT = 4;
const HAS_RID = 8;
const SUFFIX_SHIFT = 4;
/** Numbers per REPORT row: duration, billed duration, memory size, max memory used, init duration. */
const NUMS = 5;
const TYPE_NAMES = [null, 'START', 'END', 'REPORT'] as const;

/** An event as the API returns it. */
export interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/** A log stream: metadata plus columnar events kept in timestamp order. */
export class LogStreamData implements EventSource {
  count = 0;
  firstEventTimestamp: number | undefined;
  lastEventTimestamp: number | undefined;
  lastIngestionTime: number | undefined;
  storedBytes = 0;
  private ts = new Float64Array(8);
  private ingest = new Float64Array(8);
  private kind = new Uint8Array(8);
  private size = new Uint32Array(8);
  /** REPORT: row in `reports`; START: version (-1 for $LATEST). */
  private aux = new Int32Array(8);
  private rid = new Uint32Array(8 * 4);
  /** REPORT numbers live in a side table so START/END lines (2 of 3 platform lines) carry none. */
  private reports = new Float64Array(8 * NUMS);
  private reportCount = 0;
  private text: (string | undefined)[] = [];
  /** False after an out-of-order append; sorting waits until somebody reads. */
  private sorted = true;
  private jsonIndex = -1;
  private jsonValue: unknown;

  constructor(
    readonly name: string,
    readonly groupName: string,
    /** `@log`: `<account>:<group>`. */
    readonly logRef: string,
    readonly arn: string,
    readonly creationTime: number,
    /** Unique per store; part of eventIds. */
    readonly serial: number
  ) {}

  /** Adds events (any order); returns the bytes added. */
  append(events: readonly { timestamp: number; message: string }[], ingestionTime: number): number {
    this.reserve(this.count + events.length);
    let added = 0;
    for (const event of events) {
      const i = this.count++;
      const last = this.lastEventTimestamp;
      if (last !== undefined && event.timestamp < last) this.sorted = false;
      this.write(i, event.timestamp, event.message, ingestionTime);
      added += this.size[i] ?? 0;
      if (last === undefined || event.timestamp > last) this.lastEventTimestamp = event.timestamp;
      if (this.firstEventTimestamp === undefined || event.timestamp < this.firstEventTimestamp) {
        this.firstEventTimestamp = event.timestamp;
      }
    }
    if (events.length > 0) this.lastIngestionTime = ingestionTime;
    this.storedBytes += added;
    return added;
  }

  private write(i: number, timestamp: number, message: string, ingestionTime: number): void {
    this.ts[i] = timestamp;
    this.ingest[i] = ingestionTime;
    this.size[i] = Buffer.byteLength(message, 'utf8');
    const line = parsePlatformLine(message);
    if (!line) {
      this.kind[i] = LineType.Other;
      this.text[i] = message;
      return;
    }
    let kind: number = line.type;
    if (isUuid(line.requestId)) {
      packUuid(line.requestId, this.rid, i * 4);
      kind |= HAS_RID;
    }
    if (line.suffix >= 0) kind |= COMPACT | (line.suffix << SUFFIX_SHIFT);
    this.text[i] = line.suffix >= 0 ? undefined : message;
    this.kind[i] = kind;
    const r = line.report;
    if (!r) {
      this.aux[i] = Number.isNaN(line.version) ? -1 : line.version;
      return;
    }
    if ((this.reportCount + 1) * NUMS > this.reports.length) {
      this.reports = grow(this.reports, Math.ceil(this.reports.length * 1.5) + NUMS);
    }
    const row = this.reportCount++;
    const n = row * NUMS;
    this.aux[i] = row;
    this.reports[n] = r.durationMs;
    this.reports[n + 1] = r.billedDurationMs;
    this.reports[n + 2] = r.memorySizeMb;
    this.reports[n + 3] = r.maxMemoryUsedMb;
    this.reports[n + 4] = r.initDurationMs;
  }

  private reserve(needed: number): void {
    if (needed <= this.ts.length) return;
    // 1.5× rather than 2× growth, and exact size for a large batch: less slack per stream.
    const cap = Math.max(needed, Math.ceil(this.ts.length * 1.5));
    this.ts = grow(this.ts, cap);
    this.ingest = grow(this.ingest, cap);
    this.kind = grow(this.kind, cap);
    this.size = grow(this.size, cap);
    this.aux = grow(this.aux, cap);
    this.rid = grow(this.rid, cap * 4);
  }

  /** Restores timestamp order (stable, so events with equal timestamps keep arrival order). */
  ensureSorted(): void {
    if (this.sorted) return;
    const n = this.count;
    const ts = this.ts;
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => (ts[a] ?? 0) - (ts[b] ?? 0) || a - b);
    this.ts = permute(this.ts, order, 1);
    this.ingest = permute(this.ingest, order, 1);
    this.kind = permute(this.kind, order, 1);
    this.size = permute(this.size, order, 1);
    this.aux = permute(this.aux, order, 1);
    this.rid = permute(this.rid, order, 4);
    const text = this.text;
    this.text = order.map((k) => text[k]);
    this.sorted = true;
    this.jsonIndex = -1;
  }

  /** First index whose timestamp is >= `t` (or > `t` when `after`). */
  lowerBound(t: number, after = false): number {
    this.ensureSorted();
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ts[mid] ?? 0;
      if (v < t || (after && v === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The event at `index` as the API returns it. */
  event(index: number): StoredEvent {
    return { timestamp: this.timestamp(index), message: this.message(index), ingestionTime: this.ingest[index] ?? 0 };
  }

  /** The message text, rebuilt for compact platform lines. */
  message(index: number): string {
    const stored = this.text[index];
    if (stored !== undefined) return stored;
    const kind = this.kind[index] ?? 0;
    const type = (kind & TYPE_MASK) as LineType;
    const aux = this.aux[index] ?? 0;
    const n = aux * NUMS;
    const core = formatPlatformCore({
      type,
      requestId: unpackUuid(this.rid, index * 4),
      version: aux < 0 ? NaN : aux,
      report:
        type === LineType.Report
          ? {
              durationMs: this.reports[n] ?? 0,
              billedDurationMs: this.reports[n + 1] ?? 0,
              memorySizeMb: this.reports[n + 2] ?? 0,
              maxMemoryUsedMb: this.reports[n + 3] ?? 0,
              initDurationMs: this.reports[n + 4] ?? NaN
            }
          : undefined
    });
    return core + (SUFFIXES[(kind >> SUFFIX_SHIFT) & 3] ?? '');
  }

  ingestionTime(index: number): number {
    return this.ingest[index] ?? 0;
  }

  timestamp(index: number): number {
    return this.ts[index] ?? 0;
  }

  bytes(index: number): number {
    return this.size[index] ?? 0;
  }

  pointer(index: number): string {
    return Buffer.from(`${this.groupName}\n${this.name}\n${index}`).toString('base64url');
  }

  field(index: number, name: string): Value {
    const kind = this.kind[index] ?? 0;
    const type = kind & TYPE_MASK;
    // Only meaningful for REPORT lines; every REPORT case checks the type first.
    const n = (this.aux[index] ?? 0) * NUMS;
    switch (name) {
      case '@timestamp':
        return this.ts[index] ?? null;
      case '@message':
        return this.message(index);
      case '@logStream':
        return this.name;
      case '@log':
        return this.logRef;
      case '@ingestionTime':
        return this.ingest[index] ?? null;
      case '@type':
        return TYPE_NAMES[type] ?? null;
      case '@requestId':
        if (type === LineType.Other) return null;
        if (kind & HAS_RID) return unpackUuid(this.rid, index * 4);
        return parsePlatformLine(this.message(index))?.requestId ?? null;
      case '@duration':
        return type === LineType.Report ? (this.reports[n] ?? null) : null;
      case '@billedDuration':
        return type === LineType.Report ? (this.reports[n + 1] ?? null) : null;
      case '@memorySize':
        return type === LineType.Report ? (this.reports[n + 2] ?? 0) * BYTES_PER_REPORTED_MB : null;
      case '@maxMemoryUsed':
        return type === LineType.Report ? (this.reports[n + 3] ?? 0) * BYTES_PER_REPORTED_MB : null;
      case '@initDuration': {
        const v = this.reports[n + 4] ?? NaN;
        return type === LineType.Report && !Number.isNaN(v) ? v : null;
      }
      default:
        return name.startsWith('@') || type !== LineType.Other ? null : this.jsonField(index, name);
    }
  }

  /** A field discovered in a JSON-format message; the last parse is cached for the next field. */
  private jsonField(index: number, path: string): Value {
    if (this.jsonIndex !== index) {
      this.jsonIndex = index;
      this.jsonValue = undefined;
      const message = this.text[index] ?? '';
      if (message.charCodeAt(0) === 123 /* { */) {
        try {
          this.jsonValue = JSON.parse(message);
        } catch {
          // Not JSON after all: the event simply has no discovered fields.
        }
      }
    }
    return this.jsonValue === undefined ? null : jsonPath(this.jsonValue, path);
  }
}

type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;

function grow<T extends Typed>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

function permute<T extends Typed>(array: T, order: number[], stride: number): T {
  const next = new (array.constructor as new (n: number) => T)(array.length);
  for (let to = 0; to < order.length; to++) {
    const from = (order[to] ?? 0) * stride;
    for (let k = 0; k < stride; k++) next[to * stride + k] = array[from + k] ?? 0;
  }
  return next;
}
