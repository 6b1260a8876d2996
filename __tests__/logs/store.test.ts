import { describe, expect, it } from '@jest/globals';
import { LogStore } from '../../src/emulator/logs/store.js';
import { parsePlatformLine, LineType } from '../../src/emulator/logs/platform.js';
import { invocation, reportLine, uuid } from './helpers.js';

describe('platform lines', () => {
  it('parses a REPORT line with init duration and rebuilds it exactly', () => {
    const line = reportLine({
      requestId: uuid(1),
      durationMs: 102.25,
      billedMs: 103,
      memoryMb: 128,
      maxMemoryMb: 70,
      initMs: 150
    });
    const parsed = parsePlatformLine(line);
    expect(parsed?.type).toBe(LineType.Report);
    expect(parsed?.report).toEqual({
      durationMs: 102.25,
      billedDurationMs: 103,
      memorySizeMb: 128,
      maxMemoryUsedMb: 70,
      initDurationMs: 150
    });
    expect(parsed?.suffix).toBeGreaterThanOrEqual(0);
  });

  it('rebuilds every canonical variant exactly (property check over many generated lines)', () => {
    const store = new LogStore();
    const messages: string[] = [];
    for (let k = 0; k < 2000; k++) {
      const d = (k * 37.13) % 10_000;
      const suffix = ['', '\t', '\n', '\t\n'][k % 4];
      const init = k % 3 === 0 ? `\tInit Duration: ${((k * 1.37) % 900).toFixed(2)} ms` : '';
      messages.push(
        `REPORT RequestId: ${uuid(k * 7919)}\tDuration: ${d.toFixed(2)} ms\tBilled Duration: ${Math.ceil(d)} ms\tMemory Size: ${128 + k} MB\tMax Memory Used: ${k % 128} MB${init}${suffix}`
      );
      messages.push(`START RequestId: ${uuid(k)} Version: ${k % 2 ? '$LATEST' : String(k + 1)}${suffix}`);
      messages.push(`END RequestId: ${uuid(k)}${suffix}`);
    }
    store.append(
      'g',
      's',
      messages.map((message, k) => ({ timestamp: k, message }))
    );
    const stream = store.group('g')?.streams.get('s');
    expect(Array.from({ length: messages.length }, (_, i) => stream?.message(i))).toEqual(messages);
  });

  it('parses space-separated and status-suffixed lines but keeps their text', () => {
    const spaced = `REPORT RequestId: ${uuid(2)} Duration: 5.5 ms Billed Duration: 6 ms Memory Size: 256 MB Max Memory Used: 80 MB`;
    const p = parsePlatformLine(spaced);
    expect(p?.report?.durationMs).toBe(5.5);
    expect(p?.suffix).toBe(-1);
    const oom = reportLine({
      requestId: uuid(3),
      durationMs: 10,
      extra: 'Status: error\tError Type: Runtime.OutOfMemory'
    });
    expect(parsePlatformLine(oom)?.report?.maxMemoryUsedMb).toBe(64);
    expect(parsePlatformLine('REPORT nonsense')).toBeUndefined();
    expect(parsePlatformLine('hello')).toBeUndefined();
  });
});

describe('LogStore', () => {
  it('stores platform lines compactly and returns the exact messages', () => {
    const store = new LogStore({ now: () => 5000 });
    const messages = [
      ...invocation(1000, { requestId: uuid(1), durationMs: 12.34, initMs: 200.5 }),
      { timestamp: 1100, message: `START RequestId: ${uuid(2)} Version: 7` },
      {
        timestamp: 1101,
        message:
          'REPORT RequestId: not-a-uuid\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t'
      },
      { timestamp: 1102, message: reportLine({ requestId: uuid(3), durationMs: 3000, extra: 'Status: timeout' }) },
      { timestamp: 1103, message: 'plain text ✓ with unicode' }
    ];
    store.append('/aws/lambda/f', 's', messages);
    const stream = store.group('/aws/lambda/f')?.streams.get('s');
    expect(stream?.count).toBe(messages.length);
    const back = Array.from({ length: messages.length }, (_, i) => stream?.event(i));
    expect(back.map((e) => e?.message)).toEqual(messages.map((m) => m.message));
    expect(back.every((e) => e?.ingestionTime === 5000)).toBe(true);
    expect(stream?.field(2, '@requestId')).toBe(uuid(1));
    expect(stream?.field(4, '@requestId')).toBe('not-a-uuid');
    expect(stream?.field(4, '@duration')).toBe(1);
    expect(stream?.field(6, '@type')).toBeNull();
    expect(stream?.storedBytes).toBe(messages.reduce((n, m) => n + Buffer.byteLength(m.message), 0));
    expect(store.group('/aws/lambda/f')?.storedBytes).toBe(stream?.storedBytes);
  });

  it('exposes REPORT numbers as Insights fields, memory in bytes (MB × 1,000,000)', () => {
    const store = new LogStore();
    store.append(
      'g',
      's',
      invocation(0, {
        requestId: uuid(9),
        durationMs: 102.25,
        billedMs: 103,
        memoryMb: 128,
        maxMemoryMb: 70,
        initMs: 150
      })
    );
    const s = store.group('g')?.streams.get('s');
    expect(s?.field(2, '@type')).toBe('REPORT');
    expect(s?.field(2, '@duration')).toBe(102.25);
    expect(s?.field(2, '@billedDuration')).toBe(103);
    expect(s?.field(2, '@memorySize')).toBe(128_000_000);
    expect(s?.field(2, '@maxMemoryUsed')).toBe(70_000_000);
    expect(s?.field(2, '@initDuration')).toBe(150);
    expect(s?.field(0, '@type')).toBe('START');
    expect(s?.field(1, '@type')).toBe('END');
    expect(s?.field(0, '@duration')).toBeNull();
    expect(s?.field(2, '@log')).toBe('123456789012:g');
    expect(s?.field(2, '@logStream')).toBe('s');
  });

  it('keeps events sorted by timestamp when they arrive out of order (stable for equal times)', () => {
    const store = new LogStore();
    store.append('g', 's', [
      { timestamp: 30, message: 'c' },
      { timestamp: 40, message: 'd' }
    ]);
    store.append('g', 's', [
      { timestamp: 10, message: 'a' },
      { timestamp: 30, message: 'c2' }
    ]);
    store.append('g', 's', [{ timestamp: 20, message: 'b' }]);
    const s = store.group('g')?.streams.get('s');
    s?.ensureSorted();
    expect(Array.from({ length: 5 }, (_, i) => s?.message(i))).toEqual(['a', 'b', 'c', 'c2', 'd']);
    expect(s?.firstEventTimestamp).toBe(10);
    expect(s?.lastEventTimestamp).toBe(40);
    expect(s?.lowerBound(30)).toBe(2);
    expect(s?.lowerBound(30, true)).toBe(4);
  });

  it('creates groups with ARNs in the configured region and selects scan ranges by time', () => {
    const store = new LogStore({ region: 'eu-west-1' });
    store.ensureGroup('/aws/lambda/x');
    store.ensureGroup('/aws/lambda/x');
    expect(store.group('/aws/lambda/x')?.arn).toBe('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x:*');
    store.append('/aws/lambda/x', 'a', [
      { timestamp: 100, message: '1' },
      { timestamp: 200, message: '2' },
      { timestamp: 300, message: '3' }
    ]);
    store.append('/aws/lambda/x', 'b', [{ timestamp: 900, message: '4' }]);
    const targets = store.scanTargets(store.groups(), 150, 301);
    expect(targets.map((t) => [t.from, t.to])).toEqual([[1, 3]]);
    expect(store.eventCount()).toBe(4);
    expect(store.deleteGroup('/aws/lambda/x')).toBe(true);
    expect(store.groups()).toHaveLength(0);
  });
});
