/**
 * The Insights query pool on a scripted InsightsPort and a clock whose sleeps return at once: never
 * more queries running than slots, the peak counted, polling that backs off, StartQuery refusals from
 * the account's limit waited out, and queries stopped in AWS when the run is cancelled or gives up.
 */
import { describe, expect, it } from '@jest/globals';
import { QueryLimitError, RightSizeCancelledError } from '../../src/fleet/errors.js';
import { QueryPool } from '../../src/fleet/query-pool.js';
import type { InsightsPort, StartQueryInput } from '../../src/fleet/types.js';
import { fakeClock } from './helpers.js';

const INPUT: StartQueryInput = {
  logGroupNames: ['/aws/lambda/a'],
  startTimeSec: 0,
  endTimeSec: 86_399,
  queryString: 'stats count(*)',
  limit: 10_000
};

/** A port whose queries each stay Running for `pollsUntilDone` reads, recording what ran at once. */
function scriptedPort(pollsUntilDone: number, options: { refuseFirst?: number; neverDone?: boolean } = {}) {
  const polls = new Map<string, number>();
  const running = new Set<string>();
  const stopped: string[] = [];
  let refusals = options.refuseFirst ?? 0;
  let started = 0;
  let mostAtOnce = 0;
  const port: InsightsPort = {
    async startQuery() {
      if (refusals > 0) {
        refusals--;
        throw new QueryLimitError('Account maximum query concurrency limit reached');
      }
      const id = `q${++started}`;
      polls.set(id, 0);
      running.add(id);
      mostAtOnce = Math.max(mostAtOnce, running.size);
      return id;
    },
    async getQueryResults(id) {
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      if (options.neverDone || n < pollsUntilDone) return { status: 'Running', results: [] };
      running.delete(id);
      return { status: 'Complete', results: [[{ field: 'invocations', value: id }]] };
    },
    async stopQuery(id) {
      running.delete(id);
      stopped.push(id);
    }
  };
  return { port, stopped, running, mostAtOnce: () => mostAtOnce, started: () => started };
}

describe('QueryPool', () => {
  it('never runs more queries than it has slots, and reports the peak', async () => {
    const script = scriptedPort(3);
    const pool = new QueryPool(script.port, 4, fakeClock());

    const outcomes = await Promise.all(Array.from({ length: 25 }, () => pool.run(INPUT)));

    expect(outcomes.every((o) => o.kind === 'complete')).toBe(true);
    expect(script.mostAtOnce()).toBe(4);
    expect(pool.statistics()).toEqual({ issued: 25, peakConcurrent: 4, limitRefusals: 0, stopped: 0 });
  });

  it('polls with a doubling delay up to the maximum', async () => {
    const script = scriptedPort(5);
    const clock = fakeClock();
    const pool = new QueryPool(script.port, 1, clock, { minDelayMs: 100, maxDelayMs: 500 });

    await pool.run(INPUT);

    expect(clock.sleeps).toEqual([100, 200, 400, 500, 500]);
  });

  it('waits out StartQuery refusals from the account limit inside its slot, then runs the query', async () => {
    const script = scriptedPort(1, { refuseFirst: 2 });
    const clock = fakeClock();
    const pool = new QueryPool(script.port, 2, clock, { minDelayMs: 10, random: () => 0.5 });

    const outcome = await pool.run(INPUT);

    expect(outcome).toEqual({ kind: 'complete', rows: [[{ field: 'invocations', value: 'q1' }]] });
    // Full jitter: 0.5 × 1 s, then 0.5 × 2 s; then the first poll.
    expect(clock.sleeps).toEqual([500, 1000, 10]);
    expect(pool.statistics()).toMatchObject({ issued: 1, limitRefusals: 2 });
  });

  it('stops every running query in AWS when the run is cancelled, and starts no more', async () => {
    const script = scriptedPort(1, { neverDone: true });
    const controller = new AbortController();
    const clock = fakeClock();
    let pollsSeen = 0;
    const polling: InsightsPort = {
      ...script.port,
      getQueryResults: async (id) => {
        // The user cancels once three queries are running.
        if (++pollsSeen === 3) controller.abort();
        return script.port.getQueryResults(id);
      }
    };
    const pool = new QueryPool(polling, 3, clock, { minDelayMs: 10 }, controller.signal);

    const settled = await Promise.allSettled(Array.from({ length: 8 }, () => pool.run(INPUT)));

    expect(settled.every((s) => s.status === 'rejected' && s.reason instanceof RightSizeCancelledError)).toBe(true);
    expect(script.started()).toBe(3);
    expect([...script.stopped].sort()).toEqual(['q1', 'q2', 'q3']);
    expect(script.running.size).toBe(0);
  });

  it('gives a query up after the timeout, stops it, and says so', async () => {
    const script = scriptedPort(1, { neverDone: true });
    const pool = new QueryPool(script.port, 1, fakeClock(), { minDelayMs: 1000, maxDelayMs: 1000, timeoutMs: 5000 });

    const outcome = await pool.run(INPUT);

    expect(outcome).toEqual({ kind: 'ended', status: 'no result after 5 s (stopped)' });
    expect(script.stopped).toEqual(['q1']);
    expect(pool.statistics().stopped).toBe(1);
  });

  it('passes on how a query ended in AWS (Failed, Timeout)', async () => {
    const port: InsightsPort = {
      startQuery: async () => 'q1',
      getQueryResults: async () => ({ status: 'Timeout', results: [] }),
      stopQuery: async () => undefined
    };
    const pool = new QueryPool(port, 1, fakeClock());

    expect(await pool.run(INPUT)).toEqual({ kind: 'ended', status: 'Timeout' });
  });
});
