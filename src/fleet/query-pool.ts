/**
 * Runs Logs Insights queries within the account's concurrent-query limit: a pool of slots, a query
 * polled with a doubling delay until it ends, and stopped in AWS when the run is cancelled or gives up
 * (a query left running keeps its slot, and keeps costing, for up to 60 minutes).
 *
 * The pool never has more queries started than it has slots. Other users of the account (dashboards,
 * people in the console) share the limit, so StartQuery may still be refused with LimitExceeded: the
 * pool then waits, with full-jitter backoff, and tries again inside the same slot.
 */
import { AwsCallError } from '../errors.js';
import { LogGroupNotFoundError, QueryLimitError, RightSizeCancelledError } from './errors.js';
import type { Clock } from './pace.js';
import type { InsightsPort, ResultRow, StartQueryInput } from './types.js';

/** How a query ended, from the caller's side. */
export type QueryOutcome =
  | { kind: 'complete'; rows: ResultRow[] }
  | { kind: 'missing-group' }
  /** Failed, Timeout or Cancelled in AWS, or given up on here (and stopped). */
  | { kind: 'ended'; status: string };

export interface PollOptions {
  /** First wait before reading results, doubled up to maxDelayMs (defaults 500 and 10,000). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Gives a query up (and stops it) after this long (default 15 minutes). */
  timeoutMs?: number;
  /** How long to keep retrying a StartQuery refused by the concurrency limit (default 10 minutes). */
  limitRetryMs?: number;
  /** A number in [0, 1) for the backoff's jitter (default Math.random). */
  random?: () => number;
}

/** What a pool did: what the benchmark and the report show. */
export interface PoolStatistics {
  /** StartQuery calls that returned a query id. */
  issued: number;
  /** The most queries running at once. */
  peakConcurrent: number;
  /** StartQuery calls refused by the account's concurrency limit (and retried). */
  limitRefusals: number;
  /** Queries stopped by this run (cancelled or given up). */
  stopped: number;
}

/**
 * A fixed number of query slots.
 *
 * @example
 * ```ts
 * const pool = new QueryPool(insights, 10, realClock, {}, signal);
 * const outcome = await pool.run({ logGroupNames: ['/aws/lambda/a'], startTimeSec, endTimeSec, queryString, limit: 10_000 });
 * pool.statistics(); // { issued: 1, peakConcurrent: 1, limitRefusals: 0, stopped: 0 }
 * ```
 */
export class QueryPool {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private readonly stats: PoolStatistics = { issued: 0, peakConcurrent: 0, limitRefusals: 0, stopped: 0 };

  constructor(
    private readonly insights: InsightsPort,
    readonly slots: number,
    private readonly clock: Clock,
    private readonly options: PollOptions = {},
    private readonly signal?: AbortSignal
  ) {
    this.free = slots;
  }

  statistics(): PoolStatistics {
    return { ...this.stats };
  }

  /**
   * Runs one query to its end.
   * @throws {@link RightSizeCancelledError} when the signal aborts (the query is stopped first)
   * @throws {@link AwsCallError} when StartQuery or GetQueryResults fails for another reason
   */
  async run(input: StartQueryInput): Promise<QueryOutcome> {
    await this.acquire();
    try {
      this.checkCancelled();
      let queryId: string;
      try {
        queryId = await this.start(input);
      } catch (error) {
        if (error instanceof LogGroupNotFoundError) return { kind: 'missing-group' };
        throw error;
      }
      this.active++;
      this.stats.peakConcurrent = Math.max(this.stats.peakConcurrent, this.active);
      try {
        return await this.poll(queryId);
      } finally {
        this.active--;
      }
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }

  private checkCancelled(queryId?: string): void {
    if (this.signal?.aborted) {
      throw new RightSizeCancelledError(
        `The run was cancelled${queryId ? `; Insights query ${queryId} was stopped` : ''}`
      );
    }
  }

  private async start(input: StartQueryInput): Promise<string> {
    const { now, sleep } = this.clock;
    const deadline = now() + (this.options.limitRetryMs ?? 600_000);
    const random = this.options.random ?? Math.random;
    for (let attempt = 0; ; attempt++) {
      try {
        const id = await this.insights.startQuery(input);
        this.stats.issued++;
        return id;
      } catch (error) {
        if (!(error instanceof QueryLimitError) || now() >= deadline) throw error;
        this.stats.limitRefusals++;
        await sleep(Math.floor(random() * Math.min(30_000, 1000 * 2 ** attempt)), this.signal);
        this.checkCancelled();
      }
    }
  }

  private async poll(queryId: string): Promise<QueryOutcome> {
    const { now, sleep } = this.clock;
    const timeout = this.options.timeoutMs ?? 900_000;
    const maxDelay = this.options.maxDelayMs ?? 10_000;
    const deadline = now() + timeout;
    for (let delay = this.options.minDelayMs ?? 500; ; delay = Math.min(delay * 2, maxDelay)) {
      await sleep(delay, this.signal);
      if (this.signal?.aborted) {
        await this.stop(queryId);
        this.checkCancelled(queryId);
      }
      let response;
      try {
        response = await this.insights.getQueryResults(queryId);
      } catch (error) {
        await this.stop(queryId);
        throw error instanceof AwsCallError
          ? error
          : new AwsCallError(`read the results of Insights query ${queryId} (logs:GetQueryResults)`, error);
      }
      if (response.status === 'Complete') return { kind: 'complete', rows: response.results };
      if (response.status !== 'Running' && response.status !== 'Scheduled') {
        return { kind: 'ended', status: response.status };
      }
      if (now() >= deadline) {
        await this.stop(queryId);
        return { kind: 'ended', status: `no result after ${Math.round(timeout / 1000)} s (stopped)` };
      }
    }
  }

  /** Best effort: a query that ended meanwhile cannot be stopped, and that is fine. */
  private async stop(queryId: string): Promise<void> {
    try {
      await this.insights.stopQuery(queryId);
      this.stats.stopped++;
    } catch {
      // Already over, or the stop was refused: either way it no longer holds work of ours.
    }
  }
}
