/**
 * How log groups are batched into Insights queries: 50 per query, a batch that cannot answer for all
 * its groups split down to the one at fault, a shared log group read per function, and the account's
 * concurrent-query limit respected on the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeQueriesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { LogGroupNotFoundError, RightSizeCancelledError } from '../../src/fleet/errors.js';
import { MAX_ROWS, planBatches, runBatches } from '../../src/fleet/insights.js';
import { QueryPool } from '../../src/fleet/query-pool.js';
import { runRightSize } from '../../src/fleet/run.js';
import type { InsightsPort, ResultRow } from '../../src/fleet/types.js';
import { fakeClock, fleetFunction, settingsFrom, startFleetTestBed, type FleetTestBed } from './helpers.js';

const WINDOW = { startTimeSec: 0, endTimeSec: 86_399 };

const row = (group: string): ResultRow => [
  { field: '@log', value: `123456789012:${group}` },
  { field: 'bin(1d)', value: '2026-03-01 00:00:00.000' },
  { field: 'invocations', value: '1' }
];

/** A port that answers every group with one row, except where `misbehave` says otherwise. */
function portWith(misbehave: (groups: string[]) => 'missing' | 'failed' | 'too-many' | undefined) {
  const asked: string[][] = [];
  const queries = new Map<string, string[]>();
  const port: InsightsPort = {
    async startQuery(input) {
      asked.push(input.logGroupNames);
      if (misbehave(input.logGroupNames) === 'missing') throw new LogGroupNotFoundError('no such group');
      const id = `q${queries.size + 1}`;
      queries.set(id, input.logGroupNames);
      return id;
    },
    async getQueryResults(id) {
      const groups = queries.get(id) ?? [];
      const how = misbehave(groups);
      if (how === 'failed') return { status: 'Failed', results: [] };
      if (how === 'too-many')
        return { status: 'Complete', results: Array.from({ length: MAX_ROWS }, () => row(groups[0]!)) };
      return { status: 'Complete', results: groups.map(row) };
    },
    stopQuery: async () => undefined
  };
  return { port, asked };
}

const groups = (n: number): string[] => Array.from({ length: n }, (_, i) => `/aws/lambda/f${i}`);

describe('planBatches', () => {
  it('puts up to 50 log groups in a query', () => {
    const functions = groups(120).map((_, i) => fleetFunction({ name: `f${i}` }));

    expect(planBatches(functions, 14).map((b) => b.groups.length)).toEqual([50, 50, 20]);
  });

  it('queries a log group shared by several functions once per function', () => {
    const functions = [
      fleetFunction({ name: 'a', logGroup: '/apps/shared' }),
      fleetFunction({ name: 'b', logGroup: '/apps/shared' }),
      fleetFunction({ name: 'c' })
    ];

    expect(planBatches(functions, 14)).toEqual([
      { groups: ['/aws/lambda/c'] },
      { groups: ['/apps/shared'], functionName: 'a' },
      { groups: ['/apps/shared'], functionName: 'b' }
    ]);
  });
});

describe('runBatches', () => {
  it('looks the groups of a batch with a missing log group up once, and runs it again without it', async () => {
    const { port, asked } = portWith((g) => (g.includes('/aws/lambda/f3') ? 'missing' : undefined));
    const lookedUp: string[][] = [];
    const lookup = async (names: string[]) => {
      lookedUp.push(names);
      return new Set(names.filter((n) => n !== '/aws/lambda/f3'));
    };

    const { results, splits, lookups } = await runBatches(
      [{ groups: groups(10) }],
      WINDOW,
      new QueryPool(port, 5, fakeClock()),
      lookup
    );

    expect(results.get('/aws/lambda/f3')).toEqual({ kind: 'missing' });
    expect(results.get('/aws/lambda/f9')).toEqual({ kind: 'rows', rows: [row('/aws/lambda/f9')] });
    expect({ splits, lookups, lookedUp: lookedUp.length }).toEqual({ splits: 0, lookups: 1, lookedUp: 1 });
    expect(asked).toEqual([groups(10), groups(10).filter((g) => g !== '/aws/lambda/f3')]);
  });

  it('without a lookup, splits a batch with a missing log group down to that group, keeping the others', async () => {
    const { port, asked } = portWith((g) => (g.includes('/aws/lambda/f3') ? 'missing' : undefined));

    const { results, splits } = await runBatches([{ groups: groups(10) }], WINDOW, new QueryPool(port, 5, fakeClock()));

    expect(results.get('/aws/lambda/f3')).toEqual({ kind: 'missing' });
    for (const g of groups(10).filter((g) => g !== '/aws/lambda/f3')) {
      expect(results.get(g)).toEqual({ kind: 'rows', rows: [row(g)] });
    }
    // 10 → 5 + 5; f0–f4 → f0–f2 + f3–f4; f3–f4 → f3 + f4: 7 StartQuery calls, of which the 4 holding f3 fail.
    expect(splits).toBe(3);
    expect(asked).toHaveLength(7);
  });

  it('splits a result cut at 10,000 rows, and reports the one group that still has too many', async () => {
    const { port } = portWith((g) => (g.includes('/aws/lambda/f1') ? 'too-many' : undefined));

    const { results } = await runBatches([{ groups: groups(4) }], WINDOW, new QueryPool(port, 5, fakeClock()));

    expect(results.get('/aws/lambda/f1')).toEqual({
      kind: 'failed',
      why: 'more than 10000 result rows for one log group'
    });
    expect(results.get('/aws/lambda/f0')).toEqual({ kind: 'rows', rows: [row('/aws/lambda/f0')] });
  });

  it('keeps the figures of the other groups when a query fails in AWS', async () => {
    const { port } = portWith((g) => (g.includes('/aws/lambda/f2') ? 'failed' : undefined));

    const { results } = await runBatches([{ groups: groups(3) }], WINDOW, new QueryPool(port, 5, fakeClock()));

    expect(results.get('/aws/lambda/f2')).toEqual({ kind: 'failed', why: 'the query ended Failed' });
    expect(results.get('/aws/lambda/f1')?.kind).toBe('rows');
  });
});

describe('batching on the emulator', () => {
  let bed: FleetTestBed;
  const names = Array.from({ length: 160 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    bed = await startFleetTestBed(
      {
        // The account allows 2 queries at once, and each stays Running for 30 ms.
        maxConcurrentQueries: 2,
        queryLatencyMs: 30,
        functions: [
          ...names.map((name) => ({ name, model: { cpuMs: 1 }, memorySize: 512 })),
          { name: 'alpha', model: { cpuMs: 1 }, memorySize: 1024 },
          { name: 'beta', model: { cpuMs: 1 }, memorySize: 1024 }
        ]
      },
      [
        ...names.map((name) => ({
          name,
          memorySizeMb: 512,
          invocationsPerDay: 2,
          durationMs: 10,
          maxMemoryUsedMb: 100
        })),
        // Two functions writing to one custom log group, with very different peaks.
        {
          name: 'alpha',
          logGroup: '/apps/shared',
          memorySizeMb: 1024,
          invocationsPerDay: 10,
          durationMs: 10,
          maxMemoryUsedMb: 100
        },
        {
          name: 'beta',
          logGroup: '/apps/shared',
          memorySizeMb: 1024,
          invocationsPerDay: 10,
          durationMs: 10,
          maxMemoryUsedMb: 400
        }
      ]
    );
    for (const name of ['alpha', 'beta']) {
      await bed.lambdaClient.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, LoggingConfig: { LogGroup: '/apps/shared' } })
      );
    }
  });
  afterAll(async () => {
    await bed.close();
  });

  it('reads 160 functions with 4 queries, never more at once than the account allows', async () => {
    const settings = settingsFrom({ 'function-prefix': 'svc-', 'max-concurrent-queries': '2' });

    const { report } = await runRightSize(settings, bed.deps());

    expect(report.functions).toHaveLength(160);
    expect(report.functions.every((f) => f.usage.invocations === 28)).toBe(true);
    // 160 log groups: 50 + 50 + 50 + 10.
    expect(report.queries).toMatchObject({ issued: 4, batches: 4, splits: 0, peakConcurrent: 2, limitRefusals: 0 });
    const { queries } = await bed.logsClient.send(new DescribeQueriesCommand({}));
    expect((queries ?? []).filter((q) => q.status === 'Complete')).toHaveLength(4);
  });

  it('tells apart functions that share a log group by their stream names', async () => {
    const { report } = await runRightSize(settingsFrom({ functions: 'alpha,beta' }), bed.deps());

    const byName = Object.fromEntries(report.functions.map((f) => [f.function.name, f]));
    expect(byName.alpha?.function.logGroup).toBe('/apps/shared');
    // alpha: 100 + 100 = 200 → 256 MB; beta: 400 + 100 = 500 → 512 MB; each saw only its own 140 records.
    expect(byName.alpha?.usage).toMatchObject({ invocations: 140, peakMb: 100 });
    expect(byName.beta?.usage).toMatchObject({ invocations: 140, peakMb: 400 });
    expect(byName.alpha?.recommendation.memoryMb).toBe(256);
    expect(byName.beta?.recommendation.memoryMb).toBe(512);
    expect(report.queries.issued).toBe(2);
  });
});

describe('cancelling a run on the emulator', () => {
  let bed: FleetTestBed;
  const names = Array.from({ length: 120 }, (_, i) => `job-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    // Queries stay Running for ten minutes: only stopping them ends them.
    bed = await startFleetTestBed(
      { queryLatencyMs: 600_000, functions: names.map((name) => ({ name, model: { cpuMs: 1 } })) },
      names.map((name) => ({ name, memorySizeMb: 128, invocationsPerDay: 1, durationMs: 5, maxMemoryUsedMb: 60 }))
    );
  });
  afterAll(async () => {
    await bed.close();
  });

  it('stops every query it started before it reports the cancellation', async () => {
    const controller = new AbortController();
    let started = 0;
    const insights: InsightsPort = {
      ...bed.insights,
      startQuery: async (input) => {
        const id = await bed.insights.startQuery(input);
        // The user cancels once the third (last) batch is running.
        if (++started === 3) controller.abort();
        return id;
      }
    };

    const error = await runRightSize(
      settingsFrom({ 'function-prefix': 'job-' }),
      bed.deps({ insights, signal: controller.signal })
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RightSizeCancelledError);
    const { queries } = await bed.logsClient.send(new DescribeQueriesCommand({}));
    expect((queries ?? []).map((q) => q.status)).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
  });
});
