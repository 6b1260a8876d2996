import { describe, expect, it, jest } from '@jest/globals';
import { parseReportLine, type ReportRecord } from '../../src/analyze/report-line.js';
import { classify, errorKind } from '../../src/sweep/classify.js';
import { JobsPathError, jobsFromResponse, parseJobsPath } from '../../src/sweep/jobs.js';
import type { InvokeOutcome } from '../../src/sweep/types.js';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const report = (line: string) => parseReportLine(line) as ReportRecord;
const WARM = report(
  'REPORT RequestId: 11111111-2222-3333-4444-555555555555\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\t'
);
const COLD = report(
  'REPORT RequestId: 11111111-2222-3333-4444-555555555555\tDuration: 10.00 ms\tBilled Duration: 161 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\tInit Duration: 150.50 ms\t'
);
const base = {
  memoryMb: 512,
  plannedVersion: '4',
  payloadIndex: 0,
  phase: 'measure' as const,
  reportSource: 'tail' as const,
  roundTripMs: 120.5,
  startedAt: 1_700_000_000_000
};

describe('classify', () => {
  it('turns a successful warm invocation into a sample with the billed figures', () => {
    const outcome: InvokeOutcome = { statusCode: 200, executedVersion: '4', payload: bytes({ ok: true }) };
    expect(classify({ ...base, outcome, report: WARM })).toEqual({
      memoryMb: 512,
      version: '4',
      payloadIndex: 0,
      phase: 'measure',
      requestId: '11111111-2222-3333-4444-555555555555',
      durationMs: 102.25,
      billedDurationMs: 103,
      maxMemoryUsedMb: 70,
      roundTripMs: 120.5,
      reportSource: 'tail',
      startedAt: 1_700_000_000_000
    });
  });

  it('keeps the init duration of a cold start and the version that really ran', () => {
    const outcome: InvokeOutcome = { statusCode: 200, executedVersion: '5', payload: bytes({}) };
    const sample = classify({ ...base, outcome, report: COLD });
    expect(sample).toMatchObject({ initDurationMs: 150.5, billedDurationMs: 161, version: '5' });
  });

  it('counts jobs from the response only for successful invocations', () => {
    const ok: InvokeOutcome = { statusCode: 200, payload: bytes({ jobs: 8 }) };
    const jobs = { kind: 'response-path' as const, path: '$.jobs' };
    expect(classify({ ...base, outcome: ok, report: WARM, jobsPerInvocation: jobs }).jobs).toBe(8);
    const failed: InvokeOutcome = {
      statusCode: 200,
      functionError: 'Unhandled',
      payload: bytes({ errorType: 'Error' })
    };
    expect(classify({ ...base, outcome: failed, report: WARM, jobsPerInvocation: jobs }).jobs).toBeUndefined();
    expect(classify({ ...base, outcome: ok, report: WARM, jobsPerInvocation: { kind: 'fixed', count: 3 } }).jobs).toBe(
      3
    );
  });

  it('takes the request id from the Invoke response when there is no REPORT', () => {
    const outcome: InvokeOutcome = {
      requestId: 'abc',
      payload: bytes(''),
      failure: { kind: 'throttled', message: 'Rate' }
    };
    expect(classify({ ...base, outcome, report: undefined, reportSource: 'none' })).toMatchObject({
      requestId: 'abc',
      error: 'throttled',
      reportSource: 'none'
    });
  });
});

describe('errorKind', () => {
  const outcome = (extra: Partial<InvokeOutcome>): InvokeOutcome => ({ statusCode: 200, payload: bytes({}), ...extra });

  it.each([
    ['a success', outcome({}), WARM, undefined],
    ['a throttle', outcome({ failure: { kind: 'throttled', message: 'x' } }), undefined, { kind: 'throttled' }],
    ['a client failure', outcome({ failure: { kind: 'client', message: 'x' } }), undefined, { kind: 'client' }],
    [
      'a handled error',
      outcome({ functionError: 'Handled', payload: bytes({ errorType: 'ValidationError', errorMessage: 'bad' }) }),
      WARM,
      { kind: 'handled', type: 'ValidationError' }
    ],
    [
      'a thrown error',
      outcome({
        functionError: 'Unhandled',
        payload: bytes({ errorType: 'TypeError', errorMessage: 'x is undefined' })
      }),
      WARM,
      { kind: 'unhandled', type: 'TypeError' }
    ],
    [
      'an unhandled error with a body that is not JSON',
      outcome({ functionError: 'Unhandled', payload: bytes('oops') }),
      WARM,
      { kind: 'unhandled' }
    ],
    [
      'a Handled error with an array body',
      outcome({ functionError: 'Handled', payload: bytes([1]) }),
      WARM,
      { kind: 'handled' }
    ]
  ])('classifies %s', (_name, given, rep, expected) => {
    expect(errorKind(given, rep)).toEqual(expected);
  });

  it('recognises a timeout from the REPORT status or, without one, from the message', () => {
    const timeoutReport = report(
      'REPORT RequestId: r\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout'
    );
    const unhandled = outcome({ functionError: 'Unhandled', payload: bytes({ errorMessage: 'x' }) });
    expect(errorKind(unhandled, timeoutReport)).toEqual({ kind: 'timeout', type: 'Sandbox.Timedout' });
    const oldRuntime = outcome({
      functionError: 'Unhandled',
      payload: bytes({ errorMessage: '2024-01-01T00:00:00.000Z r Task timed out after 3.00 seconds' })
    });
    expect(errorKind(oldRuntime, undefined)?.kind).toBe('timeout');
  });

  it('recognises an out-of-memory kill from the REPORT or from a kill at full memory', () => {
    const oom = report(
      'REPORT RequestId: r\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory'
    );
    const killed = outcome({
      functionError: 'Unhandled',
      payload: bytes({
        errorType: 'Runtime.ExitError',
        errorMessage: 'RequestId: r Error: Runtime exited with error: signal: killed'
      })
    });
    expect(errorKind(killed, oom)).toEqual({ kind: 'out-of-memory', type: 'Runtime.OutOfMemory' });
    const fullNoStatus = report(
      'REPORT RequestId: r\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB'
    );
    expect(errorKind(killed, fullNoStatus)?.kind).toBe('out-of-memory');
    const killedWithRoom = report(
      'REPORT RequestId: r\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 128 MB\tMax Memory Used: 90 MB'
    );
    expect(errorKind(killed, killedWithRoom)).toEqual({ kind: 'unhandled', type: 'Runtime.ExitError' });
    expect(errorKind(killed, undefined)).toEqual({ kind: 'unhandled', type: 'Runtime.ExitError' });
  });
});

describe('jobs per invocation', () => {
  it.each([
    ['$.jobs', { jobs: 8 }, 8],
    ['jobs', { jobs: 8 }, 8],
    ['$.result.items', { result: { items: [1, 2, 3] } }, 3],
    ['$.batches[1].count', { batches: [{ count: 1 }, { count: 5 }] }, 5],
    ['$.jobs', { jobs: -1 }, undefined],
    ['$.jobs', { jobs: 'eight' }, undefined],
    ['$.missing.deeper', { other: 1 }, undefined],
    ['$.list[3]', { list: [1] }, undefined],
    ['$.list[0]', { list: 'not an array' }, undefined],
    ['$.a.b', { a: [1, 2] }, undefined]
  ])('reads %s from %j as %s', (path, response, expected) => {
    expect(jobsFromResponse({ kind: 'response-path', path }, bytes(response))).toBe(expected);
  });

  it('reads nothing from a response that is not JSON', () => {
    expect(jobsFromResponse({ kind: 'response-path', path: '$.jobs' }, bytes('plain text'))).toBeUndefined();
  });

  it.each(['$', '$.', '$.a..b', '$.a[x]', '$.a b', '$["a"]'])('refuses the path %s with a message', (path) => {
    expect(() => parseJobsPath(path)).toThrow(JobsPathError);
    expect(() => parseJobsPath(path)).toThrow(/jobs path/);
  });
});

describe('classify, the fast path for successes', () => {
  const LEGACY_ORDER = [
    'memoryMb',
    'version',
    'payloadIndex',
    'phase',
    'roundTripMs',
    'reportSource',
    'startedAt',
    'requestId',
    'durationMs',
    'billedDurationMs',
    'maxMemoryUsedMb'
  ];

  it('does not read the payload of an invocation that did not fail', () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const ok: InvokeOutcome = { statusCode: 200, payload: new Uint8Array() };
      expect(classify({ ...base, outcome: ok, report: WARM }).error).toBeUndefined();
      expect(errorKind({ statusCode: 200, payload: bytes('not json') }, WARM)).toBeUndefined();
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('still finds a timeout or an out-of-memory kill in the REPORT of a call without a function error', () => {
    const timeout = report(
      'REPORT RequestId: r\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout'
    );
    const oom = report(
      'REPORT RequestId: r\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory'
    );
    const ok: InvokeOutcome = { statusCode: 200, payload: new Uint8Array() };
    expect(errorKind(ok, timeout)).toEqual({ kind: 'timeout', type: 'Sandbox.Timedout' });
    expect(errorKind(ok, oom)).toEqual({ kind: 'out-of-memory', type: 'Runtime.OutOfMemory' });
    expect(classify({ ...base, outcome: ok, report: timeout })).toMatchObject({ error: 'timeout' });
  });

  it('reads error messages only for function errors: a result that merely mentions a timeout is a success', () => {
    const result: InvokeOutcome = {
      statusCode: 200,
      payload: bytes({ errorMessage: 'Task timed out after 3.00 seconds' })
    };
    expect(errorKind(result, WARM)).toBeUndefined();
    expect(errorKind({ ...result, functionError: 'Unhandled' }, undefined)?.kind).toBe('timeout');
  });

  it('reads an error body from a view into a larger buffer without copying it wrongly', () => {
    const whole = Buffer.from(`xx${JSON.stringify({ errorType: 'ValidationError' })}yy`);
    const payload = whole.subarray(2, whole.length - 2);
    expect(errorKind({ statusCode: 200, functionError: 'Handled', payload }, WARM)).toEqual({
      kind: 'handled',
      type: 'ValidationError'
    });
  });

  it('builds samples with the keys in the order they always had, warm and cold', () => {
    const ok: InvokeOutcome = { statusCode: 200, payload: new Uint8Array() };
    expect(Object.keys(classify({ ...base, outcome: ok, report: WARM }))).toEqual(LEGACY_ORDER);
    expect(Object.keys(classify({ ...base, outcome: ok, report: COLD }))).toEqual([...LEGACY_ORDER, 'initDurationMs']);
    const failed: InvokeOutcome = { statusCode: 200, functionError: 'Unhandled', payload: bytes({ errorType: 'E' }) };
    expect(Object.keys(classify({ ...base, outcome: failed, report: WARM }))).toEqual([
      ...LEGACY_ORDER,
      'error',
      'errorType'
    ]);
  });

  it('builds the same sample as before when the REPORT has no request id or is missing', () => {
    const noId = { ...WARM, requestId: '' };
    const outcome: InvokeOutcome = { statusCode: 200, requestId: 'from-invoke', payload: new Uint8Array() };
    expect(classify({ ...base, outcome, report: noId })).toStrictEqual({
      memoryMb: 512,
      version: '4',
      payloadIndex: 0,
      phase: 'measure',
      roundTripMs: 120.5,
      reportSource: 'tail',
      startedAt: 1_700_000_000_000,
      durationMs: 102.25,
      billedDurationMs: 103,
      maxMemoryUsedMb: 70
    });
    expect(classify({ ...base, outcome, report: undefined })).toStrictEqual({
      memoryMb: 512,
      version: '4',
      payloadIndex: 0,
      phase: 'measure',
      roundTripMs: 120.5,
      reportSource: 'tail',
      startedAt: 1_700_000_000_000,
      requestId: 'from-invoke'
    });
  });
});
