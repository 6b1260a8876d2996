/**
 * Runs a Logs Insights query. The commands before the first `stats`/`sort`/`limit`/`dedup`/
 * `display` run per event while scanning (nothing is materialised, so `filter … | stats …` over
 * millions of events needs memory only for the groups); later commands run on the resulting rows.
 * Scanning can be done in slices ({@link QueryRun.step}) so a server stays responsive.
 */
import { compileStats, type Aggregator, type StatsPlan } from './aggregates.js';
import { compileExpr, Row, Scope, type Fn } from './compile.js';
import { MAX_LIMIT, parseQuery, type Command } from './parser.js';
import type { QueryStatistics, ResultRow, ScanTarget, Value } from './types.js';
import { formatValue as formatCell, sortCompare, truthy } from './values.js';

/** A per-record command: may set slots on the row; false drops the row. */
type RecordOp = (row: Row) => boolean;
/** A command applied to the rows after the scan. */
type Stage = (rows: Row[]) => Row[];

/** Fields shown for events when the query names none (absent ones are left out of each row). */
const DEFAULT_FIELDS = [
  '@timestamp',
  '@message',
  '@logStream',
  '@log',
  '@type',
  '@requestId',
  '@duration',
  '@billedDuration',
  '@memorySize',
  '@maxMemoryUsed',
  '@initDuration'
];

/** A parsed and compiled query, reusable across runs. */
export interface PreparedQuery {
  readonly query: string;
  readonly scanOps: RecordOp[];
  /** Set when the first barrier command is `stats`: the scan feeds it directly. */
  readonly stats: StatsPlan | undefined;
  readonly stages: Stage[];
  /** Rows the scan needs to collect at most (Infinity when a later command needs them all). */
  readonly collectCap: number;
  /**
   * For `sort … | limit N`: the scan may keep only the first N rows in sort order, pruning as it
   * goes, so sorting millions of events needs memory for N rows, not millions.
   */
  readonly topK: { sort: Stage; count: number } | undefined;
  readonly columns: { name: string; get: Fn; time: boolean }[];
  readonly withPointer: boolean;
}

/** Parses and compiles a query; throws {@link QuerySyntaxError} for anything Insights would reject. */
export function prepareQuery(query: string): PreparedQuery {
  const commands = parseQuery(query);
  let scope = new Scope(true);
  let columns: string[] | null = null;
  const parsed: string[] = [];
  const scanOps: RecordOp[] = [];
  const stages: Stage[] = [];
  let stats: StatsPlan | undefined;
  let scanning = true;
  let collectCap = Infinity;
  let capKnown = false;
  let topK: PreparedQuery['topK'];
  const passive = (c: Command): boolean =>
    c.kind === 'limit' || c.kind === 'display' || c.kind === 'fields' || c.kind === 'parse';
  const smallest = (rest: Command[]): number =>
    Math.min(MAX_LIMIT, ...rest.map((c) => (c.kind === 'limit' ? c.count : MAX_LIMIT)));

  for (const command of commands) {
    if (scanning && (command.kind === 'filter' || command.kind === 'fields' || command.kind === 'parse')) {
      scanOps.push(recordOp(command, scope));
    } else if (scanning && command.kind === 'stats') {
      scanning = false;
      stats = compileStats(command.items, command.by, scope);
      capKnown = true;
    } else {
      if (scanning) {
        scanning = false;
        // Without sort/dedup/stats/filter later on, the first N rows are the answer: stop at N.
        const rest = commands.slice(commands.indexOf(command));
        if (rest.every(passive)) collectCap = smallest(rest);
        if (command.kind === 'sort' && rest.slice(1).every(passive)) {
          topK = { sort: arrayStage(command, scope), count: smallest(rest) };
        }
        capKnown = true;
      }
      if (command.kind === 'stats') {
        const plan = compileStats(command.items, command.by, scope);
        stages.push((rows) => {
          const aggregator = plan.aggregate();
          for (const row of rows) aggregator.add(row);
          return aggregator.rows();
        });
        ({ scope, columns } = afterStats(plan));
        continue;
      }
      const op =
        command.kind === 'filter' || command.kind === 'fields' || command.kind === 'parse'
          ? recordOp(command, scope)
          : undefined;
      stages.push(op ? (rows) => rows.filter(op) : arrayStage(command, scope));
    }
    if (command.kind === 'stats') ({ scope, columns } = afterStats(stats as StatsPlan));
    if (command.kind === 'fields')
      columns = union(
        columns ?? [],
        command.items.map((i) => i.name)
      );
    if (command.kind === 'display') columns = command.items.map((i) => i.name);
    if (command.kind === 'parse' && columns === null) parsed.push(...command.names);
  }
  if (!capKnown) collectCap = MAX_LIMIT;
  const names = columns ?? union(DEFAULT_FIELDS, parsed);
  const final = scope;
  return {
    query,
    scanOps,
    stats,
    stages,
    collectCap,
    topK,
    columns: names.map((name) => ({ name, get: final.field(name), time: final.time.has(name) })),
    withPointer: final.hasSource
  };
}

function afterStats(plan: StatsPlan): { scope: Scope; columns: string[] } {
  const scope = new Scope(false);
  plan.columns.forEach((name, k) => scope.define(name, plan.time[k] ?? false));
  return { scope, columns: [...plan.columns] };
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** `filter`, `fields` and `parse`, compiled against (and updating) the scope. */
function recordOp(command: Extract<Command, { kind: 'filter' | 'fields' | 'parse' }>, scope: Scope): RecordOp {
  if (command.kind === 'filter') {
    const test = compileExpr(command.expr, scope).fn;
    return (row) => truthy(test(row));
  }
  if (command.kind === 'fields') {
    const sets: { slot: number; fn: Fn }[] = [];
    for (const item of command.items) {
      // `fields @timestamp` just selects a field; only computed or renamed items need a slot.
      if (item.expr.kind === 'field' && item.expr.name === item.name) continue;
      const compiled = compileExpr(item.expr, scope);
      sets.push({ slot: scope.define(item.name, compiled.time), fn: compiled.fn });
    }
    return (row) => {
      for (const s of sets) row.slots[s.slot] = s.fn(row);
      return true;
    };
  }
  const source = compileExpr(command.source, scope).fn;
  const regex = command.regex;
  const named = regex.source.includes('(?<');
  const slots = command.names.map((name) => scope.define(name, false));
  const names = command.names;
  return (row) => {
    const v = source(row);
    const m = v === null ? null : regex.exec(String(v));
    for (let k = 0; k < slots.length; k++) {
      const captured = m === null ? undefined : named ? m.groups?.[names[k] as string] : m[k + 1];
      row.slots[slots[k] as number] = captured ?? null;
    }
    return true;
  };
}

/** `sort`, `limit`, `dedup` and `display` on the collected rows. */
function arrayStage(command: Command, scope: Scope): Stage {
  switch (command.kind) {
    case 'sort': {
      const keys = command.keys.map((k) => ({ fn: compileExpr(k.expr, scope).fn, desc: k.desc }));
      return (rows) => {
        const decorated = rows.map((row) => ({ row, values: keys.map((k) => k.fn(row)) }));
        decorated.sort((a, b) => {
          for (let k = 0; k < keys.length; k++) {
            const c = sortCompare(a.values[k] ?? null, b.values[k] ?? null, (keys[k] as { desc: boolean }).desc);
            if (c !== 0) return c;
          }
          return 0;
        });
        return decorated.map((d) => d.row);
      };
    }
    case 'limit': {
      const count = command.count;
      return (rows) => rows.slice(0, count);
    }
    case 'dedup': {
      const keys = command.keys.map((k) => compileExpr(k, scope).fn);
      return (rows) => {
        const seen = new Set<string>();
        return rows.filter((row) => {
          const values: Value[] = keys.map((k) => k(row));
          // Rows missing a dedup field are never duplicates (as in Insights).
          if (values.some((v) => v === null)) return true;
          const key = JSON.stringify(values);
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      };
    }
    case 'display': {
      const op = recordOp({ ...command, kind: 'fields' }, scope);
      return (rows) => rows.filter(op);
    }
    default:
      return (rows) => rows;
  }
}

/** One execution of a prepared query over a set of scan targets. */
export class QueryRun {
  readonly statistics: QueryStatistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
  private targetIndex = 0;
  private position = -1;
  private readonly row = new Row(null, 0, []);
  private readonly aggregator: Aggregator | undefined;
  private readonly collected: Row[] = [];
  private readonly cap: number;
  private readonly pruneAt: number;
  private finished = false;

  constructor(
    private readonly plan: PreparedQuery,
    private readonly targets: readonly ScanTarget[],
    /** StartQuery's `limit`: the most rows to return (at most 10,000). */
    private readonly limit = MAX_LIMIT
  ) {
    this.aggregator = plan.stats?.aggregate();
    // A finite collectCap means no later command drops or reorders rows, so the limit applies too.
    this.cap = plan.stats || !Number.isFinite(plan.collectCap) ? Infinity : Math.min(plan.collectCap, limit);
    // Prune only when at least half the rows can go, so pruning costs O(n log k) overall.
    this.pruneAt = plan.topK ? Math.max(2 * Math.min(plan.topK.count, limit), 4096) : Infinity;
  }

  /** Keeps the first `topK.count` rows in sort order (stable, so ties keep scan order). */
  private prune(): void {
    const topK = this.plan.topK as NonNullable<PreparedQuery['topK']>;
    const kept = topK.sort(this.collected).slice(0, Math.min(topK.count, this.limit));
    this.collected.length = 0;
    this.collected.push(...kept);
  }

  /** Whether the scan has finished. */
  get done(): boolean {
    return this.finished;
  }

  /** Scans up to `budget` events; returns true once every target has been scanned. */
  step(budget = Infinity): boolean {
    const { targets, row, statistics, plan } = this;
    const ops = plan.scanOps;
    const opCount = ops.length;
    while (!this.finished && budget > 0 && this.targetIndex < targets.length) {
      const target = targets[this.targetIndex] as ScanTarget;
      if (this.position < target.from) this.position = target.from;
      const source = target.source;
      const end = Math.min(target.to, this.position + budget);
      row.source = source;
      let i = this.position;
      for (; i < end; i++) {
        row.index = i;
        statistics.recordsScanned++;
        statistics.bytesScanned += source.bytes(i);
        let keep = true;
        for (let k = 0; k < opCount && keep; k++) keep = (ops[k] as RecordOp)(row);
        if (!keep) continue;
        statistics.recordsMatched++;
        if (this.aggregator) this.aggregator.add(row);
        else {
          this.collected.push(new Row(source, i, row.slots.slice()));
          if (this.collected.length >= this.cap) {
            this.finished = true;
            return true;
          }
          if (this.collected.length >= this.pruneAt) this.prune();
        }
      }
      budget -= i - this.position;
      this.position = i;
      if (i >= target.to) {
        this.targetIndex++;
        this.position = -1;
      }
    }
    if (this.targetIndex >= targets.length) this.finished = true;
    return this.finished;
  }

  /** The rows in GetQueryResults' shape (finishes the scan first if needed). */
  results(): ResultRow[] {
    while (!this.step()) {
      // step() without a budget scans everything; the loop only guards against a partial call.
    }
    let rows = this.aggregator ? this.aggregator.rows() : this.collected;
    for (const stage of this.plan.stages) rows = stage(rows);
    const out: ResultRow[] = [];
    for (const row of rows.slice(0, Math.min(this.limit, MAX_LIMIT))) {
      const cells: ResultRow = [];
      for (const column of this.plan.columns) {
        const v = column.get(row);
        if (v !== null) cells.push({ field: column.name, value: formatCell(v, column.time) });
      }
      if (this.plan.withPointer && row.source) cells.push({ field: '@ptr', value: row.source.pointer(row.index) });
      out.push(cells);
    }
    return out;
  }
}

/** Parses, compiles and runs a query in one go (for tests and small inputs). */
export function runQuery(
  query: string,
  targets: readonly ScanTarget[],
  limit = MAX_LIMIT
): { results: ResultRow[]; statistics: QueryStatistics } {
  const run = new QueryRun(prepareQuery(query), targets, limit);
  const results = run.results();
  return { results, statistics: run.statistics };
}
