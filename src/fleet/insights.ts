/**
 * The fleet's Logs Insights aggregation: one query string that reads text REPORT lines and JSON
 * `platform.report` records alike, log groups batched up to StartQuery's 50 per query, and every
 * batch run through the {@link QueryPool}.
 *
 * Each result row is one log group × UTC day × memory size. A log group that does not exist (a
 * function never invoked) fails the whole StartQuery: the batch's groups are then looked up with one
 * DescribeLogGroups call and the batch runs again without the missing ones. A batch that still cannot
 * answer for all its groups (a query that failed or timed out, a result cut at 10,000 rows, no lookup)
 * is split in two and each half run again, down to single groups: one bad group costs a few extra
 * queries, not the whole batch's figures.
 *
 * A log group shared by several selected functions (a custom `LoggingConfig.LogGroup`) is queried
 * once per function, keeping only that function's streams: Lambda names them
 * `YYYY/MM/DD/<function>[<version>][<id>]` in custom groups.
 */
import type { QueryPool } from './query-pool.js';
import type { FleetFunction, ResultRow } from './types.js';

/** StartQuery's limit of log group names per query. */
export const MAX_GROUPS_PER_QUERY = 50;
/** GetQueryResults returns at most this many rows; a result this long may have been cut. */
export const MAX_ROWS = 10_000;

// Text REPORT lines are typed @type REPORT and get the @duration… fields (memory in bytes, as
// 1 MB = 1,000,000 in AWS's own sample queries); JSON records are discovered by their own fields.
// strcontains() gives 1/0 and coalesce() picks whichever format the record has, so one query fits both.
const RECORDS = `(@type = "REPORT" or type = "platform.report")`;
const PER_RECORD = `fields coalesce(@memorySize / 1000000, record.metrics.memorySizeMB) as sizeMb,
    coalesce(@duration, record.metrics.durationMs) as durationMs,
    coalesce(@billedDuration, record.metrics.billedDurationMs) as billedMs,
    coalesce(@maxMemoryUsed / 1000000, record.metrics.maxMemoryUsedMB) as usedMb,
    coalesce(@initDuration, record.metrics.initDurationMs) as initMs,
    coalesce(record.status, "") as jsonStatus
| fields strcontains(@message, "Status: timeout") + strcontains(jsonStatus, "timeout") as isTimeout,
    strcontains(@message, "Runtime.OutOfMemory") as isOom,
    strcontains(@message, "Status: ") + strcontains(jsonStatus, "error") + strcontains(jsonStatus, "failure")
      + strcontains(jsonStatus, "timeout") as isError`;
const STATS = `stats count(*) as invocations, sum(isError) as errors, sum(isTimeout) as timeouts, sum(isOom) as oomKills,
    pct(durationMs, 50) as p50, pct(durationMs, 99) as p99, avg(durationMs) as meanDuration,
    avg(billedMs) as meanBilled, max(usedMb) as maxUsedMb, count(initMs) as coldStarts, avg(initMs) as meanInit
  by @log, bin(1d), sizeMb`;

/**
 * The query for a batch; with `functionName`, only that function's streams of a shared log group.
 *
 * @example
 * ```ts
 * fleetQuery()          // every REPORT of the queried groups, per group, day and memory size
 * fleetQuery('orders')  // … only streams named YYYY/MM/DD/orders[…]
 * ```
 */
export function fleetQuery(functionName?: string): string {
  // Function names are letters, digits, - and _: nothing to escape inside the quotes.
  const filter = functionName ? `${RECORDS} and @logStream like "/${functionName}["` : RECORDS;
  return `filter ${filter}\n| ${PER_RECORD}\n| ${STATS}`;
}

/** One query's worth of work. */
export interface Batch {
  groups: string[];
  /** Set for a shared group: the one function whose streams are read. */
  functionName?: string;
}

/**
 * Groups the functions' log groups into batches of at most {@link MAX_GROUPS_PER_QUERY}, few enough
 * that groups × days × 2 memory sizes stays under {@link MAX_ROWS}.
 *
 * @example
 * ```ts
 * planBatches(thousandFunctions, 14).length // 20
 * ```
 */
export function planBatches(functions: readonly FleetFunction[], days: number): Batch[] {
  const users = new Map<string, string[]>();
  for (const fn of functions) users.set(fn.logGroup, [...(users.get(fn.logGroup) ?? []), fn.name]);
  const perQuery = Math.max(1, Math.min(MAX_GROUPS_PER_QUERY, Math.floor(MAX_ROWS / ((days + 1) * 2))));
  const own = [...users].filter(([, names]) => names.length === 1).map(([group]) => group);
  const batches: Batch[] = [];
  for (let i = 0; i < own.length; i += perQuery) batches.push({ groups: own.slice(i, i + perQuery) });
  for (const [group, names] of users) {
    if (names.length > 1) for (const name of names) batches.push({ groups: [group], functionName: name });
  }
  return batches;
}

/** What the queries found for one log group (or one function of a shared group). */
export type GroupResult = { kind: 'rows'; rows: ResultRow[] } | { kind: 'missing' } | { kind: 'failed'; why: string };

/**
 * The key results are filed under: the group, or `group\u0000function` for a shared group.
 *
 * @example
 * ```ts
 * resultKey('/aws/lambda/orders')          // '/aws/lambda/orders'
 * resultKey('/apps/shared', 'orders')      // '/apps/shared\u0000orders'
 * ```
 */
export function resultKey(group: string, functionName?: string): string {
  return functionName ? `${group}\u0000${functionName}` : group;
}

/** The window of a run, in StartQuery's whole seconds (both ends inclusive). */
export interface QueryWindow {
  startTimeSec: number;
  endTimeSec: number;
}

/** Which of these log groups exist (DescribeLogGroups); undefined when that cannot be told. */
export type GroupLookup = (names: string[]) => Promise<Set<string> | undefined>;

/**
 * Runs every batch and files the rows by log group. A batch naming a log group that does not exist
 * (a function never invoked) is looked up once and run again without the missing groups; a batch that
 * still cannot answer is split in two, down to single groups.
 *
 * @example
 * ```ts
 * const { results } = await runBatches(planBatches(functions, 14), window, pool, lookup);
 * results.get('/aws/lambda/orders') // { kind: 'rows', rows: [...] }
 * ```
 */
export async function runBatches(
  batches: readonly Batch[],
  window: QueryWindow,
  pool: QueryPool,
  lookup?: GroupLookup
): Promise<{ results: Map<string, GroupResult>; splits: number; lookups: number }> {
  const results = new Map<string, GroupResult>();
  let splits = 0;
  let lookups = 0;
  const run = async (batch: Batch, checked = false): Promise<void> => {
    const outcome = await pool.run({
      logGroupNames: batch.groups,
      ...window,
      queryString: fleetQuery(batch.functionName),
      limit: MAX_ROWS
    });
    if (outcome.kind === 'complete' && outcome.rows.length < MAX_ROWS) {
      fileRows(results, batch, outcome.rows);
      return;
    }
    if (outcome.kind === 'missing-group' && batch.groups.length > 1 && !checked && lookup) {
      lookups++;
      const existing = await lookup(batch.groups);
      // All of them exist after all (one was created meanwhile, or the lookup cannot tell): split instead.
      if (existing && existing.size < batch.groups.length) {
        for (const group of batch.groups.filter((g) => !existing.has(g))) results.set(group, { kind: 'missing' });
        const present = batch.groups.filter((g) => existing.has(g));
        if (present.length > 0) await run({ ...batch, groups: present }, true);
        return;
      }
    }
    if (batch.groups.length > 1) {
      splits++;
      const half = Math.ceil(batch.groups.length / 2);
      await settleAll([
        run({ groups: batch.groups.slice(0, half) }, checked),
        run({ groups: batch.groups.slice(half) }, checked)
      ]);
      return;
    }
    const key = resultKey(batch.groups[0] as string, batch.functionName);
    if (outcome.kind === 'missing-group') results.set(key, { kind: 'missing' });
    else if (outcome.kind === 'ended') results.set(key, { kind: 'failed', why: `the query ended ${outcome.status}` });
    else results.set(key, { kind: 'failed', why: `more than ${MAX_ROWS} result rows for one log group` });
  };
  await settleAll(batches.map((batch) => run(batch)));
  return { results, splits, lookups };
}

/**
 * Waits for every promise, then throws the first failure. Promise.all would return at the first one
 * (a cancellation) while other queries are still being stopped: the caller could then close the
 * clients under them and leave queries running in AWS.
 */
async function settleAll(promises: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function fileRows(results: Map<string, GroupResult>, batch: Batch, rows: ResultRow[]): void {
  const byGroup = new Map<string, ResultRow[]>(batch.groups.map((group) => [group, []]));
  for (const row of rows) {
    const log = row.find((cell) => cell.field === '@log')?.value ?? '';
    // @log is `<account id>:<group name>`.
    const group = log.slice(log.indexOf(':') + 1);
    byGroup.get(group)?.push(row);
  }
  for (const [group, groupRows] of byGroup) {
    results.set(resultKey(group, batch.functionName), { kind: 'rows', rows: groupRows });
  }
}
