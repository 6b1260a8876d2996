/**
 * The contract between the Logs Insights evaluator and whatever holds the events: the evaluator is
 * pure and reads events only through {@link EventSource}, so it can be tested without a store.
 */

/** A field's value. `null` is an absent field (Insights leaves it out of the result row). */
export type Value = number | string | boolean | null;

/**
 * A run of events in timestamp order (one log stream). Indexes are positions in the source; the
 * evaluator scans `[from, to)` ranges the caller picked for the query's time range.
 */
export interface EventSource {
  /** Event time in ms since the epoch. */
  timestamp(index: number): number;
  /** Bytes of the event's message (for `bytesScanned`). */
  bytes(index: number): number;
  /** A system field (`@message`, `@duration`, …) or a field discovered in a JSON message. */
  field(index: number, name: string): Value;
  /** Opaque `@ptr` of the event. */
  pointer(index: number): string;
}

/** One range of one source to scan. */
export interface ScanTarget {
  source: EventSource;
  from: number;
  to: number;
}

/** A row of a GetQueryResults answer. */
export type ResultRow = { field: string; value: string }[];

/** GetQueryResults' `statistics`. */
export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

/** A query string Insights would reject; `start`/`end` are character offsets for `queryCompileError`. */
export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
  constructor(
    message: string,
    readonly start: number,
    readonly end: number
  ) {
    super(message);
  }
}

/** Reads `a.b.0.c` out of a parsed JSON value the way Insights flattens JSON logs into fields. */
export function jsonPath(root: unknown, path: string): Value {
  let cursor: unknown = root;
  let start = 0;
  while (start <= path.length) {
    if (cursor === null || typeof cursor !== 'object') return null;
    let dot = path.indexOf('.', start);
    if (dot === -1) dot = path.length;
    const key = path.slice(start, dot);
    cursor = (cursor as Record<string, unknown>)[key];
    start = dot + 1;
  }
  if (cursor === undefined || cursor === null) return null;
  if (typeof cursor === 'object') return JSON.stringify(cursor);
  return cursor as Value;
}
