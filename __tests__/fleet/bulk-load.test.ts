/**
 * The emulator's bulk loader of seeded REPORT records: what it writes, in which streams, in both log
 * formats, and the specs it refuses.
 */
import { describe, expect, it } from '@jest/globals';
import { BulkLoadError, bulkLoadReports } from '../../src/emulator/logs/bulk-load.js';
import { LogStore } from '../../src/emulator/logs/store.js';
import { DAY, WINDOW_END } from './helpers.js';

const messages = (store: LogStore, group: string): string[] =>
  store
    .group(group)!
    .streamsByName()
    .flatMap((stream) => Array.from({ length: stream.count }, (_, i) => stream.message(i)));

describe('bulkLoadReports', () => {
  it('writes one stream per function-day of evenly spread records, ending at the given day', () => {
    const store = new LogStore();

    const loaded = bulkLoadReports(store, {
      days: 3,
      endAt: WINDOW_END + 5 * 3_600_000,
      functions: [{ name: 'orders', memorySizeMb: 512, invocationsPerDay: 4, durationMs: 10, maxMemoryUsedMb: 90 }]
    });

    expect(loaded).toEqual({
      functions: 1,
      days: 3,
      reports: 12,
      events: 12,
      startAt: WINDOW_END - 3 * DAY,
      endAt: WINDOW_END
    });
    const streams = store.group('/aws/lambda/orders')!.streamsByName();
    expect(streams.map((s) => s.name.slice(0, 11))).toEqual(['2026/03/12/', '2026/03/13/', '2026/03/14/']);
    // Four records a day, at 3, 9, 15 and 21 h.
    expect(Array.from({ length: 4 }, (_, i) => streams[0]!.timestamp(i) - (WINDOW_END - 3 * DAY))).toEqual([
      3 * 3_600_000,
      9 * 3_600_000,
      15 * 3_600_000,
      21 * 3_600_000
    ]);
  });

  it('writes the text REPORT lines Lambda writes: cold starts first, failures last', () => {
    const store = new LogStore();
    bulkLoadReports(store, {
      days: 1,
      endAt: WINDOW_END,
      functions: [
        {
          name: 'orders',
          memorySizeMb: 256,
          invocationsPerDay: 4,
          durationMs: 100,
          durationSpread: 0.5,
          maxMemoryUsedMb: 200,
          memoryDipMb: 10,
          coldStartsPerDay: 1,
          initDurationMs: 150.5,
          timeoutsPerDay: 1,
          oomKillsPerDay: 1,
          withStartEnd: true
        }
      ]
    });

    const reports = messages(store, '/aws/lambda/orders').filter((m) => m.startsWith('REPORT'));
    // Durations 50, 83.33, 116.67, 150 (mean 100); billed ceil(duration + init); memory 200 − (i × 37 mod 11).
    expect(reports).toEqual([
      'REPORT RequestId: 00000000-0000-4000-8000-000000000000\tDuration: 50.00 ms\tBilled Duration: 201 ms\tMemory Size: 256 MB\tMax Memory Used: 200 MB\tInit Duration: 150.50 ms\t\n',
      'REPORT RequestId: 00000000-0000-4000-8000-000000000001\tDuration: 83.33 ms\tBilled Duration: 84 ms\tMemory Size: 256 MB\tMax Memory Used: 196 MB\t\n',
      'REPORT RequestId: 00000000-0000-4000-8000-000000000002\tDuration: 116.67 ms\tBilled Duration: 117 ms\tMemory Size: 256 MB\tMax Memory Used: 192 MB\tStatus: timeout\t\n',
      'REPORT RequestId: 00000000-0000-4000-8000-000000000003\tDuration: 150.00 ms\tBilled Duration: 150 ms\tMemory Size: 256 MB\tMax Memory Used: 256 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t\n'
    ]);
    expect(messages(store, '/aws/lambda/orders').filter((m) => m.startsWith('START'))).toHaveLength(4);
  });

  it('writes JSON platform.report records, in a custom group with the function in the stream name', () => {
    const store = new LogStore();
    bulkLoadReports(store, {
      days: 1,
      endAt: WINDOW_END,
      functions: [
        {
          name: 'orders',
          logGroup: '/apps/shared',
          format: 'JSON',
          memorySizeMb: 512,
          invocationsPerDay: 2,
          durationMs: 20,
          maxMemoryUsedMb: 64,
          errorsPerDay: 1
        }
      ]
    });

    const stream = store.group('/apps/shared')!.streamsByName()[0]!;
    expect(stream.name).toMatch(/^2026\/03\/14\/orders\[\$LATEST\]\[[0-9a-f]{32}\]$/);
    expect(JSON.parse(stream.message(1))).toEqual({
      time: '2026-03-14T18:00:00.000Z',
      type: 'platform.report',
      record: {
        requestId: '00000000-0000-4000-8000-000000000001',
        metrics: { durationMs: 20, billedDurationMs: 20, memorySizeMB: 512, maxMemoryUsedMB: 64 },
        status: 'error',
        errorType: 'Runtime.ExitError'
      }
    });
  });

  it('refuses a spec it cannot honour', () => {
    const store = new LogStore();
    const base = { name: 'orders', memorySizeMb: 512, invocationsPerDay: 2, durationMs: 20, maxMemoryUsedMb: 64 };

    expect(() => bulkLoadReports(store, { days: 0, functions: [base] })).toThrow(BulkLoadError);
    expect(() => bulkLoadReports(store, { days: 1, functions: [{ ...base, oomKillsPerDay: 3 }] })).toThrow(
      'orders: day 0 has more cold starts or failures than its 2 records'
    );
    expect(() => bulkLoadReports(store, { days: 1, functions: [{ ...base, memorySizeMb: 64 }] })).toThrow(
      'orders: memorySizeMb must be a whole number ≥ 128; got 64'
    );
  });
});
