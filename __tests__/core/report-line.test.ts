import { describe, expect, it } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { decodeLogTail, findReport, parseReportLine, type ReportRecord } from '../../src/analyze/report-line.js';
import { SeededRandom } from './seeded-random.js';

const ID = '8f5a3c2e-1b4d-4e6f-9a0b-123456789abc';
const OTHER_ID = '0c1d2e3f-4a5b-4c6d-8e7f-fedcba987654';

/** A text REPORT as Lambda writes it: tab-separated, with a trailing tab. */
function textLine(...extra: string[]): string {
  return (
    [
      `REPORT RequestId: ${ID}`,
      'Duration: 102.25 ms',
      'Billed Duration: 103 ms',
      'Memory Size: 128 MB',
      'Max Memory Used: 70 MB',
      ...extra
    ].join('\t') + '\t'
  );
}

const WARM: ReportRecord = {
  requestId: ID,
  durationMs: 102.25,
  billedDurationMs: 103,
  memorySizeMb: 128,
  maxMemoryUsedMb: 70,
  status: 'success',
  format: 'text'
};

/** A JSON platform.report as Lambda writes it with LogFormat = JSON. */
function jsonLine(record: Record<string, unknown> = {}, metrics: Record<string, unknown> = {}): string {
  return JSON.stringify({
    time: '2026-11-25T12:00:00.000Z',
    type: 'platform.report',
    record: {
      requestId: ID,
      metrics: { durationMs: 102.25, billedDurationMs: 103, memorySizeMB: 128, maxMemoryUsedMB: 70, ...metrics },
      status: 'success',
      ...record
    }
  });
}

describe('parseReportLine, text format', () => {
  it('reads a warm invocation', () => {
    expect(parseReportLine(textLine())).toEqual(WARM);
  });

  it('reads a cold start with Init Duration', () => {
    expect(parseReportLine(textLine('Init Duration: 150.00 ms'))).toEqual({ ...WARM, initDurationMs: 150 });
  });

  it('reads the line without a trailing tab, with runs of spaces, and after leading white space', () => {
    const spaced = `  REPORT RequestId: ${ID}  Duration: 102.25 ms   Billed  Duration: 103 ms Memory Size: 128 MB  Max Memory Used: 70 MB`;
    expect(parseReportLine(spaced)).toEqual(WARM);
    expect(parseReportLine(textLine().trimEnd())).toEqual(WARM);
  });

  it('reads a unit written without a space and a value without a unit', () => {
    const line = `REPORT RequestId: ${ID}\tDuration: 102.25ms\tBilled Duration: 103\tMemory Size: 128MB\tMax Memory Used: 70 MB`;
    expect(parseReportLine(line)).toEqual(WARM);
  });

  it('reads SnapStart restore fields', () => {
    const line = textLine('Restore Duration: 245.67 ms', 'Billed Restore Duration: 246 ms');
    expect(parseReportLine(line)).toEqual({ ...WARM, restoreDurationMs: 245.67, billedRestoreDurationMs: 246 });
  });

  it('reads a timeout', () => {
    expect(parseReportLine(textLine('Status: timeout'))).toEqual({ ...WARM, status: 'timeout' });
  });

  it('reads an out-of-memory error with its error type', () => {
    expect(parseReportLine(textLine('Status: error', 'Error Type: Runtime.OutOfMemory'))).toEqual({
      ...WARM,
      status: 'error',
      errorType: 'Runtime.OutOfMemory'
    });
  });

  it('treats an error type without a status, and an unknown status, as an error', () => {
    expect(parseReportLine(textLine('Error Type: Runtime.ExitError'))?.status).toBe('error');
    expect(parseReportLine(textLine('Status: crashed'))?.status).toBe('error');
    expect(parseReportLine(textLine('Status: Success'))?.status).toBe('success');
  });

  it('reads the X-Ray trace id on the same line or after a newline in the same message', () => {
    const xray = 'XRAY TraceId: 1-5e1b4151-5ac6c58f5b0a9b8d3a2f7e10\tSegmentId: 6f8a3b2c1d4e5f60\tSampled: true';
    const expected = { ...WARM, initDurationMs: 150, xrayTraceId: '1-5e1b4151-5ac6c58f5b0a9b8d3a2f7e10' };
    expect(parseReportLine(textLine('Init Duration: 150.00 ms', xray))).toEqual(expected);
    expect(parseReportLine(`${textLine('Init Duration: 150.00 ms')}\n${xray}\t\n`)).toEqual(expected);
  });

  it('ignores a field it does not know', () => {
    expect(parseReportLine(textLine('Tenant Id: blue'))).toEqual(WARM);
  });

  it.each([
    ['an empty string', ''],
    ['a START line', `START RequestId: ${ID} Version: $LATEST`],
    ['an END line', `END RequestId: ${ID}`],
    ['an application line', `2026-11-25T12:00:00.000Z\t${ID}\tINFO\tREPORT RequestId: ${ID}`],
    ['REPORT alone', 'REPORT'],
    ['a REPORTS word', textLine().replace('REPORT', 'REPORTS')],
    ['no request id', textLine().replace(`RequestId: ${ID}`, 'RequestId: ')],
    ['no Duration', textLine().replace('\tDuration: 102.25 ms', '')],
    ['no Billed Duration', textLine().replace('\tBilled Duration: 103 ms', '')],
    ['no Memory Size', textLine().replace('\tMemory Size: 128 MB', '')],
    ['no Max Memory Used', textLine().replace('\tMax Memory Used: 70 MB', '')],
    ['a duration in MB', textLine().replace('Duration: 102.25 ms', 'Duration: 102.25 MB')],
    ['a memory size in ms', textLine().replace('Memory Size: 128 MB', 'Memory Size: 128 ms')],
    ['a duration that is not a number', textLine().replace('102.25', 'fast')],
    ['a negative duration', textLine().replace('102.25', '-102.25')],
    ['a duration too large to be finite', textLine().replace('102.25', '9'.repeat(400))],
    ['an unreadable Init Duration', textLine('Init Duration: soon')],
    ['a doubled field', textLine('Duration: 5 ms')],
    ['two records on one line', textLine() + textLine()]
  ])('returns undefined for %s', (_name, line) => {
    expect(parseReportLine(line)).toBeUndefined();
  });

  it('returns undefined for a value that is not a string', () => {
    expect(parseReportLine(undefined as unknown as string)).toBeUndefined();
    expect(parseReportLine(42 as unknown as string)).toBeUndefined();
  });
});

describe('parseReportLine, JSON format', () => {
  const JSON_WARM: ReportRecord = { ...WARM, format: 'json' };

  it('reads a warm invocation, which has no initDurationMs', () => {
    expect(parseReportLine(jsonLine())).toEqual(JSON_WARM);
  });

  it('reads a cold start and SnapStart metrics', () => {
    expect(parseReportLine(jsonLine({}, { initDurationMs: 150 }))).toEqual({ ...JSON_WARM, initDurationMs: 150 });
    expect(parseReportLine(jsonLine({}, { restoreDurationMs: 245.67, billedRestoreDurationMs: 246 }))).toEqual({
      ...JSON_WARM,
      restoreDurationMs: 245.67,
      billedRestoreDurationMs: 246
    });
  });

  it('treats a null optional metric as absent', () => {
    expect(parseReportLine(jsonLine({}, { initDurationMs: null }))).toEqual(JSON_WARM);
  });

  it('maps the statuses', () => {
    expect(parseReportLine(jsonLine({ status: 'timeout' }))?.status).toBe('timeout');
    expect(parseReportLine(jsonLine({ status: 'error' }))?.status).toBe('error');
    expect(parseReportLine(jsonLine({ status: 'something new' }))?.status).toBe('error');
    expect(parseReportLine(jsonLine({ status: undefined }))?.status).toBe('success');
    expect(parseReportLine(jsonLine({ status: 'failure', errorType: 'Runtime.ExitError' }))).toEqual({
      ...JSON_WARM,
      status: 'error',
      errorType: 'Runtime.ExitError'
    });
  });

  it('reads the X-Ray trace id from the tracing header', () => {
    const tracing = {
      spanId: '54565fb41ac79632',
      type: 'X-Amzn-Trace-Id',
      value: 'Root=1-62e900b2-710d76f009d6e7785905449a;Parent=0efbd19962d95b05;Sampled=1'
    };
    expect(parseReportLine(jsonLine({ tracing }))?.xrayTraceId).toBe('1-62e900b2-710d76f009d6e7785905449a');
    expect(parseReportLine(jsonLine({ tracing: { value: 'Parent=0efbd19962d95b05' } }))?.xrayTraceId).toBeUndefined();
    expect(parseReportLine(jsonLine({ tracing: { value: 7 } }))?.xrayTraceId).toBeUndefined();
    expect(parseReportLine(jsonLine({ tracing: 'Root=1-2-3' }))?.xrayTraceId).toBeUndefined();
  });

  it.each([
    ['invalid JSON', '{"type":"platform.report",'],
    ['JSON null', 'null'],
    ['a JSON array', '[1,2]'],
    ['a platform.start record', jsonLine().replace('platform.report', 'platform.start')],
    ['an application JSON line', JSON.stringify({ level: 'INFO', message: 'REPORT' })],
    ['a record that is not an object', JSON.stringify({ type: 'platform.report', record: 'x' })],
    ['an empty request id', jsonLine({ requestId: '' })],
    ['a request id that is not a string', jsonLine({ requestId: 5 })],
    ['no metrics', jsonLine({ metrics: undefined })],
    ['a duration given as a string', jsonLine({}, { durationMs: '102.25' })],
    ['a negative billed duration', jsonLine({}, { billedDurationMs: -1 })],
    ['no memory size', jsonLine({}, { memorySizeMB: undefined })],
    ['no max memory used', jsonLine({}, { maxMemoryUsedMB: undefined })],
    ['an init duration given as a string', jsonLine({}, { initDurationMs: '150' })],
    ['a status that is not a string', jsonLine({ status: 1 })],
    ['an error type that is not a string', jsonLine({ status: 'error', errorType: {} })]
  ])('returns undefined for %s', (_name, line) => {
    expect(parseReportLine(line)).toBeUndefined();
  });
});

describe('parseReportLine never throws', () => {
  const alphabet = [
    ...['REPORT ', 'RequestId: ', 'Duration: ', 'Billed ', 'Memory Size: ', 'Max Memory Used: ', 'Init '],
    ...['Status: ', 'XRAY TraceId: ', '{', '}', '"', ':', ',', '\t', ' ', '\n', '12', '.5', ' ms', ' MB'],
    ...['é', '\u0000', '𝄞', '"metrics":', '"type":"platform.report"', '"record":']
  ];

  it('on random strings and on damaged REPORT lines (seed 20261125)', () => {
    const random = new SeededRandom(20261125);
    const valid = [
      textLine('Init Duration: 150.00 ms', 'Status: error', 'Error Type: Runtime.OutOfMemory'),
      jsonLine({}, { initDurationMs: 1 })
    ];
    for (let i = 0; i < 5000; i++) {
      let line: string;
      if (i % 2 === 0) {
        line = Array.from({ length: random.int(0, 40) }, () => random.pick(alphabet)).join('');
      } else {
        const chars = [...random.pick(valid)];
        const cut = random.int(0, chars.length);
        const at = random.int(0, chars.length - 1);
        chars[at] = random.pick(alphabet);
        line = random.next() < 0.5 ? chars.slice(cut).join('') : chars.slice(0, cut).join('');
      }
      const record = parseReportLine(line);
      if (record !== undefined) {
        for (const value of [record.durationMs, record.billedDurationMs, record.memorySizeMb, record.maxMemoryUsedMb]) {
          expect(Number.isFinite(value) && value >= 0).toBe(true);
        }
        expect(record.requestId).not.toBe('');
      }
    }
  });
});

describe('findReport', () => {
  const other = textLine().replace(ID, OTHER_ID).replace('102.25', '5.00');
  const log = [
    `START RequestId: ${OTHER_ID} Version: 3`,
    `END RequestId: ${OTHER_ID}`,
    other,
    `START RequestId: ${ID} Version: 3`,
    `2026-11-25T12:00:00.000Z\t${ID}\tINFO\thello`,
    `END RequestId: ${ID}`,
    textLine('Init Duration: 150.00 ms'),
    ''
  ].join('\n');

  it('returns the REPORT for the given request id', () => {
    expect(findReport(log, ID)).toEqual({ ...WARM, initDurationMs: 150 });
    expect(findReport(log, OTHER_ID)?.durationMs).toBe(5);
  });

  it('returns the last REPORT when no id is given', () => {
    expect(findReport(log)?.requestId).toBe(ID);
  });

  it('returns undefined when the id is absent or the log has no REPORT', () => {
    expect(findReport(log, 'missing')).toBeUndefined();
    expect(findReport('')).toBeUndefined();
    expect(findReport(`START RequestId: ${ID}\nEND RequestId: ${ID}`)).toBeUndefined();
  });

  it('skips a REPORT cut at the start of the tail', () => {
    const cut = textLine().slice(10);
    expect(findReport(`${cut}\n${textLine().replace(ID, OTHER_ID)}\n`, ID)).toBeUndefined();
  });

  it('reads Windows line ends and JSON logs', () => {
    expect(findReport(log.replace(/\n/g, '\r\n'), ID)?.initDurationMs).toBe(150);
    expect(findReport(`${jsonLine({ requestId: OTHER_ID })}\n${jsonLine()}\n`, OTHER_ID)?.format).toBe('json');
  });

  it('takes the X-Ray trace id from the next line, keeping one already on the REPORT line', () => {
    const xray = 'XRAY TraceId: 1-aaa\tSegmentId: 1\tSampled: true\t';
    expect(findReport(`${textLine()}\n${xray}\n`)?.xrayTraceId).toBe('1-aaa');
    expect(findReport(`${textLine('XRAY TraceId: 1-same')}\n${xray}`)?.xrayTraceId).toBe('1-same');
    expect(findReport(`${textLine()}\nsomething else`)?.xrayTraceId).toBeUndefined();
    // The REPORT as the very last line, with no line after it.
    expect(findReport(textLine())).toEqual(WARM);
  });

  it('finds the REPORT in a base64 tail cut to its last 4 KB', () => {
    const noise = Array.from({ length: 200 }, (_, i) => `2026-11-25T12:00:00.000Z\t${ID}\tINFO\tline ${i} é`);
    const full = Buffer.from([...noise, `END RequestId: ${ID}`, textLine('Status: timeout'), ''].join('\n'));
    const tail = full.subarray(full.length - 4096).toString('base64');
    expect(findReport(decodeLogTail(tail), ID)?.status).toBe('timeout');
  });
});

describe('decodeLogTail', () => {
  it('decodes base64 text and gives an empty string for nothing', () => {
    expect(decodeLogTail(Buffer.from('REPORT RequestId: abc').toString('base64'))).toBe('REPORT RequestId: abc');
    expect(decodeLogTail(undefined)).toBe('');
    expect(decodeLogTail('')).toBe('');
  });

  it('skips characters that are not base64 instead of throwing', () => {
    expect(() => decodeLogTail('!!!not base64***')).not.toThrow();
  });
});
