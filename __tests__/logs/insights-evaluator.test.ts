import { beforeAll, describe, expect, it } from '@jest/globals';
import { LogStore } from '../../src/emulator/logs/store.js';
import { QueryRun, prepareQuery, runQuery } from '../../src/emulator/logs/insights/evaluator.js';
import type { ResultRow } from '../../src/emulator/logs/insights/types.js';
import { DAY, invocation, jsonReport, nearestRankPercentile, uuid } from './helpers.js';

const T0 = Date.UTC(2024, 4, 1);

/** Rows as plain objects, without @ptr. */
const plain = (rows: ResultRow[]) =>
  rows.map((row) => Object.fromEntries(row.filter((c) => c.field !== '@ptr').map((c) => [c.field, c.value])));

describe('Insights over text-format REPORT lines', () => {
  const store = new LogStore();
  // Day 1: durations 1..100 ms (the 100th a cold start); day 2: 101..110 ms.
  const day1 = Array.from({ length: 100 }, (_, k) => k + 1);
  const day2 = Array.from({ length: 10 }, (_, k) => k + 101);
  beforeAll(() => {
    day1.forEach((d, k) =>
      store.append(
        '/aws/lambda/a',
        'stream-1',
        invocation(T0 + k * 60_000, {
          requestId: uuid(k),
          durationMs: d - 0.5,
          billedMs: d,
          memoryMb: 256,
          maxMemoryMb: 60 + (k % 10),
          initMs: k === 99 ? 300 : undefined
        })
      )
    );
    day2.forEach((d, k) =>
      store.append(
        '/aws/lambda/a',
        'stream-2',
        invocation(T0 + DAY + k * 60_000, {
          requestId: uuid(1000 + k),
          durationMs: d - 0.5,
          billedMs: d,
          memoryMb: 256,
          maxMemoryMb: 90
        })
      )
    );
    store.append('/aws/lambda/a', 'stream-2', [
      { timestamp: T0 + DAY + 5, message: '2024-05-02T00:00:00.005Z\tabc\tINFO\thello world' }
    ]);
  });
  const all = () => store.scanTargets(store.groups(), T0, T0 + 10 * DAY);

  it('computes count, nearest-rank percentiles, avg and max per day', () => {
    const { results, statistics } = runQuery(
      'filter @type = "REPORT" | stats count(*) as invocations, pct(@billedDuration, 99) as p99, pct(@billedDuration, 50) as p50, ' +
        'avg(@billedDuration), max(@maxMemoryUsed), min(@duration) by bin(1d)',
      all()
    );
    expect(plain(results)).toEqual([
      {
        'bin(1d)': '2024-05-01 00:00:00.000',
        invocations: '100',
        p99: '99',
        p50: '50',
        'avg(@billedDuration)': '50.5',
        'max(@maxMemoryUsed)': '69000000',
        'min(@duration)': '0.5'
      },
      {
        'bin(1d)': '2024-05-02 00:00:00.000',
        invocations: '10',
        p99: '110',
        p50: '105',
        'avg(@billedDuration)': '105.5',
        'max(@maxMemoryUsed)': '90000000',
        'min(@duration)': '100.5'
      }
    ]);
    expect(nearestRankPercentile(day1, 99)).toBe(99);
    expect(statistics).toMatchObject({ recordsScanned: 331, recordsMatched: 110 });
  });

  it('filters with comparisons, arithmetic, in, like, regex, ispresent and not', () => {
    const count = (filter: string) => plain(runQuery(`filter ${filter} | stats count(*) as n`, all()).results)[0]?.n;
    expect(count('@type = "REPORT" and @billedDuration >= 95')).toBe('16');
    expect(count('@type = "REPORT" and @billedDuration * 2 > 200 and @billedDuration - 1 < 105')).toBe('5');
    expect(count('@type in ["START", "END"]')).toBe('220');
    expect(count('@type not in ["START", "END"]')).toBe('110');
    expect(count('@message like "hello"')).toBe('1');
    expect(count('@message like /Init Duration: 300\\.00/')).toBe('1');
    expect(count('@message =~ /^END/')).toBe('110');
    expect(count('ispresent(@initDuration)')).toBe('1');
    expect(count('not ispresent(@type)')).toBe('1');
    expect(count('@type = "REPORT" and (@billedDuration < 3 or @billedDuration > 108)')).toBe('4');
    expect(count('@type != "REPORT" and @type != "START"')).toBe('110');
    expect(count('@memorySize / 1000 / 1000 = 256')).toBe('110');
    expect(count('@type = "REPORT" and @maxMemoryUsed / 1000000 != 90 and @billedDuration > 100')).toBe('0');
  });

  it('supports fields, sort, limit, display, functions and @ptr', () => {
    const { results } = runQuery(
      'filter @type = "REPORT" | fields @requestId, @billedDuration * 2 as doubled, ceil(@duration) as c, concat(toupper("x"), strlen(@requestId)) as s ' +
        '| sort doubled desc | limit 3 | display @requestId, doubled, c, s',
      all()
    );
    expect(plain(results)).toEqual([
      { '@requestId': uuid(1009), doubled: '220', c: '110', s: 'X36' },
      { '@requestId': uuid(1008), doubled: '218', c: '109', s: 'X36' },
      { '@requestId': uuid(1007), doubled: '216', c: '108', s: 'X36' }
    ]);
    expect(results[0]?.at(-1)?.field).toBe('@ptr');
    const greatest = plain(
      runQuery(
        'stats max(greatest(@billedDuration, 105)) as g, min(least(@billedDuration, 2)) as l, sum(abs(-1)) as s',
        all()
      ).results
    );
    expect(greatest).toEqual([{ g: '110', l: '1', s: '331' }]);
  });

  it('returns default fields, omits absent ones, and honours the run limit', () => {
    const { results } = runQuery('filter @type = "REPORT" and ispresent(@initDuration)', all());
    const row = plain(results)[0];
    expect(row).toMatchObject({
      '@type': 'REPORT',
      '@initDuration': '300',
      '@billedDuration': '100',
      '@memorySize': '256000000',
      '@log': '123456789012:/aws/lambda/a'
    });
    expect(row?.['@timestamp']).toBe('2024-05-01 01:39:00.100');
    expect(runQuery('fields @message', all(), 7).results).toHaveLength(7);
    expect(runQuery('fields @message | limit 3', all()).results).toHaveLength(3);
    const noInit = plain(runQuery('filter @type = "REPORT" | limit 1', all()).results)[0];
    expect(noInit).not.toHaveProperty('@initDuration');
  });

  it('computes stddev, count_distinct, earliest, latest, sum of strcontains and stats over stats', () => {
    const rows = plain(
      runQuery(
        'filter @type = "REPORT" | stats stddev(@billedDuration) as sd, count_distinct(@maxMemoryUsed) as mems, earliest(@requestId) as first, ' +
          'latest(@requestId) as last, sum(strcontains(@message, "Init Duration")) / count(*) * 100 as coldPct',
        all()
      ).results
    );
    const values = [...day1, ...day2];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
    expect(Number(rows[0]?.sd)).toBeCloseTo(sd, 9);
    expect(rows[0]).toMatchObject({ mems: '11', first: uuid(0), last: uuid(1009) });
    expect(Number(rows[0]?.coldPct)).toBeCloseTo(100 / 110, 9);
    const nested = plain(
      runQuery(
        'filter @type = "REPORT" | stats count(*) as n by bin(1d) | stats sum(n) as total, max(n) as peak',
        all()
      ).results
    );
    expect(nested).toEqual([{ total: '110', peak: '100' }]);
  });

  it('parses fields out of messages with glob and regex patterns', () => {
    const glob = plain(
      runQuery(
        'filter @type = "REPORT" | parse @message "Billed Duration: * ms" as billed | stats sum(billed) as total',
        all()
      ).results
    );
    expect(glob).toEqual([{ total: String(day1.reduce((a, b) => a + b, 0) + day2.reduce((a, b) => a + b, 0)) }]);
    const regex = plain(
      runQuery(
        'parse @message /\\t(?<level>[A-Z]+)\\t(?<text>.*)$/ | filter ispresent(level) | display level, text',
        all()
      ).results
    );
    expect(regex).toEqual([{ level: 'INFO', text: 'hello world' }]);
  });

  it('groups by several keys, sorts and dedups', () => {
    const rows = plain(
      runQuery('filter @type = "REPORT" | stats count(*) as n by @logStream, bin(1d) | sort n asc', all()).results
    );
    expect(rows).toEqual([
      { '@logStream': 'stream-2', 'bin(1d)': '2024-05-02 00:00:00.000', n: '10' },
      { '@logStream': 'stream-1', 'bin(1d)': '2024-05-01 00:00:00.000', n: '100' }
    ]);
    const dedup = runQuery(
      'filter @type = "REPORT" | fields @maxMemoryUsed / 1000000 as mem | dedup mem | display mem',
      all()
    ).results;
    expect(dedup).toHaveLength(11);
  });

  it('scans in slices with the same result as one pass', () => {
    const prepared = prepareQuery('filter @type = "REPORT" | stats avg(@duration) as a by bin(1h)');
    const run = new QueryRun(prepared, all());
    let steps = 0;
    while (!run.step(7)) steps++;
    expect(steps).toBeGreaterThan(40);
    expect(run.results()).toEqual(
      runQuery('filter @type = "REPORT" | stats avg(@duration) as a by bin(1h)', all()).results
    );
  });
});

describe('Insights over JSON-format events', () => {
  const store = new LogStore();
  beforeAll(() => {
    const events = Array.from({ length: 20 }, (_, k) => ({
      timestamp: T0 + k * 1000,
      message: jsonReport(
        T0 + k * 1000,
        { requestId: uuid(k), durationMs: 10 * (k + 1) + 0.25, maxMemoryMb: 100 + k },
        k === 19 ? 'timeout' : 'success'
      )
    }));
    events.push({
      timestamp: T0 + 30_000,
      message: JSON.stringify({ time: 'x', type: 'platform.start', record: { requestId: uuid(99) } })
    });
    store.append('/aws/lambda/json', 's', events);
  });
  const all = () => store.scanTargets(store.groups(), T0, T0 + DAY);

  it('discovers dotted fields and aggregates them', () => {
    const rows = plain(
      runQuery(
        'filter type = "platform.report" | stats count(*) as n, pct(record.metrics.durationMs, 90) as p90, max(record.metrics.maxMemoryUsedMB) as mem, ' +
          'sum(record.status = "timeout") as timeouts',
        all()
      ).results
    );
    expect(rows).toEqual([{ n: '20', p90: '180.25', mem: '119', timeouts: '1' }]);
  });

  it('returns discovered fields and leaves Lambda text fields empty', () => {
    const rows = plain(
      runQuery(
        'filter record.requestId = "' +
          uuid(3) +
          '" | fields record.metrics.billedDurationMs as billed, @duration, record.metrics',
        all()
      ).results
    );
    expect(rows).toEqual([
      {
        billed: '41',
        'record.metrics': '{"durationMs":40.25,"billedDurationMs":41,"memorySizeMB":128,"maxMemoryUsedMB":103}'
      }
    ]);
  });
});

describe('sort with limit over many events', () => {
  it('keeps only the top rows while scanning and still returns the exact answer', () => {
    const store = new LogStore();
    const durations = Array.from({ length: 20_000 }, (_, k) => ((k * 7919) % 20_000) / 4);
    durations.forEach((d, k) =>
      store.append('g', `s${k % 3}`, [
        {
          timestamp: T0 + k,
          message: `REPORT RequestId: ${uuid(k)}\tDuration: ${d.toFixed(2)} ms\tBilled Duration: ${Math.ceil(d)} ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\t`
        }
      ])
    );
    const targets = store.scanTargets(store.groups(), T0, T0 + DAY);
    const top = plain(runQuery('fields @duration | sort @duration desc | limit 4', targets).results).map((r) =>
      Number(r['@duration'])
    );
    expect(top).toEqual([...durations].sort((a, b) => b - a).slice(0, 4));
    const asc = runQuery('fields @duration | sort @duration', targets, 3).results;
    expect(plain(asc).map((r) => Number(r['@duration']))).toEqual([0, 0.25, 0.5]);
  });
});
