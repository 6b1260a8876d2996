/**
 * The canonical fast path of parseReportLine must give exactly what the tolerant reader gives: the same
 * record (same values, same keys in the same order), or step aside. Checked on generated canonical lines
 * and on lines perturbed at random, by seed, so that a failure can be reproduced.
 */
import { describe, expect, it } from '@jest/globals';
import { parseReportLineFast } from '../../src/analyze/report-line-fast.js';
import { parseReportLine, parseReportLineTolerant, type ReportRecord } from '../../src/analyze/report-line.js';
import { SeededRandom } from './seeded-random.js';

/** Words that start or make up a label: as values they are where a careless fast path would go wrong. */
const LABEL_WORDS = [
  'Billed',
  'Restore',
  'Init',
  'Max',
  'Memory',
  'Error',
  'XRAY',
  'Duration',
  'Status',
  'RequestId',
  'SegmentId',
  'Sampled',
  'Type',
  'Size',
  'Used',
  'TraceId'
];
const STATUS_WORDS = ['success', 'Success', 'timeout', 'TIMEOUT', 'error', 'failure', 'crashed', '-', '_', 'a.b-c_d'];
const ERROR_TYPES = ['Runtime.OutOfMemory', 'Runtime.ExitError', 'Sandbox.Timedout', 'Function.Unhandled', 'x'];

function hex(random: SeededRandom, length: number): string {
  return Array.from({ length }, () => random.int(0, 15).toString(16)).join('');
}

function requestId(random: SeededRandom, eligible: boolean): string {
  const uuid = `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-8${hex(random, 3)}-${hex(random, 12)}`;
  if (eligible) return random.pick([uuid, uuid.toUpperCase(), 'r', 'a_b.c-d', 'Durations', 'Maximum']);
  return random.pick([uuid, ...LABEL_WORDS, 'id:1', 'é', '', 'a b']);
}

/** A number as a REPORT writes it; eligible numbers fit the fast path's 9 + 6 digits. */
function number(random: SeededRandom, eligible: boolean): string {
  const integerDigits = eligible ? random.int(1, 9) : random.int(1, 20);
  let text = String(random.int(1, 9)) + Array.from({ length: integerDigits - 1 }, () => random.int(0, 9)).join('');
  if (random.next() < 0.2) text = `0${text}`.slice(0, Math.max(1, integerDigits));
  if (random.next() < 0.1) text = '0';
  if (random.next() < 0.6) {
    const decimals = eligible ? random.int(1, 6) : random.int(0, 9);
    text += `.${Array.from({ length: decimals }, () => random.int(0, 9)).join('')}`;
  }
  return text;
}

function token(random: SeededRandom, words: readonly string[], eligible: boolean): string {
  return eligible ? random.pick(words) : random.pick([...words, ...LABEL_WORDS, '', 'two words', 'a:b']);
}

/** A text REPORT in Lambda's layout; with eligible = true, one the fast path must accept. */
function canonicalLine(random: SeededRandom, eligible: boolean): string {
  const fields = [
    `REPORT RequestId: ${requestId(random, eligible)}`,
    `Duration: ${number(random, eligible)} ms`,
    `Billed Duration: ${number(random, eligible)} ms`,
    `Memory Size: ${number(random, eligible)} MB`,
    `Max Memory Used: ${number(random, eligible)} MB`
  ];
  if (random.next() < 0.4) fields.push(`Init Duration: ${number(random, eligible)} ms`);
  if (random.next() < 0.2) fields.push(`Restore Duration: ${number(random, eligible)} ms`);
  if (random.next() < 0.2) fields.push(`Billed Restore Duration: ${number(random, eligible)} ms`);
  if (random.next() < 0.4) fields.push(`Status: ${token(random, STATUS_WORDS, eligible)}`);
  if (random.next() < 0.3) fields.push(`Error Type: ${token(random, ERROR_TYPES, eligible)}`);
  return fields.join('\t') + (random.next() < 0.7 ? '\t' : '');
}

const EDITS = [
  ' ',
  '  ',
  '\t',
  '\t\t',
  '\n',
  '\r\n',
  ':',
  ': ',
  '.',
  '0',
  '9',
  '-',
  'a',
  'ms',
  'MB',
  ' ms',
  ' MB',
  'é',
  '\u00a0',
  '\u2028',
  ...LABEL_WORDS,
  ...LABEL_WORDS.map((word) => `\t${word}: `),
  '\tXRAY TraceId: 1-abc\tSegmentId: 12\tSampled: true',
  '\nXRAY TraceId: 1-abc\tSegmentId: 12\tSampled: true',
  '\tDuration: 5 ms',
  '\tStatus: timeout',
  '\tError Type: Runtime.OutOfMemory',
  '\tInit Duration: 1.5 ms',
  '\tTenant Id: blue'
];

/** The line with one to three random edits: a fragment replaced, inserted or removed, or fields moved. */
function perturb(random: SeededRandom, line: string): string {
  let text = line;
  for (let edits = random.int(1, 3); edits > 0; edits--) {
    const at = random.int(0, text.length);
    switch (random.int(0, 5)) {
      case 0:
        text = text.slice(0, at) + random.pick(EDITS) + text.slice(at + 1);
        break;
      case 1:
        text = text.slice(0, at) + random.pick(EDITS) + text.slice(at);
        break;
      case 2:
        text = text.slice(0, at) + text.slice(at + random.int(1, 4));
        break;
      case 3: {
        // Swap two fields, or repeat one.
        const fields = text.split('\t');
        const i = random.int(1, fields.length - 1);
        const j = random.int(1, fields.length - 1);
        if (random.next() < 0.5) [fields[i], fields[j]] = [fields[j]!, fields[i]!];
        else fields.splice(j, 0, fields[i]!);
        text = fields.join('\t');
        break;
      }
      case 4:
        // Spaces where tabs were, as some samples write.
        text = text.replace(/\t/g, random.pick([' ', '  ', ' \t']));
        break;
      default:
        text = random.pick(['  ', '\t', '']) + text + random.pick(['\n', ' ', '\t\t', '\r', '']);
    }
  }
  return text;
}

/** Same record, and the same keys in the same order (JSON output and snapshots depend on it). */
function expectSame(actual: ReportRecord | undefined, expected: ReportRecord | undefined, line: string): void {
  try {
    expect(actual).toStrictEqual(expected);
    if (actual !== undefined) expect(Object.keys(actual)).toEqual(Object.keys(expected!));
  } catch (error) {
    throw new Error(`for line ${JSON.stringify(line)}: ${(error as Error).message}`, { cause: error });
  }
}

describe('parseReportLine fast path', () => {
  it('accepts every canonical line and gives the tolerant record (seed 20261126)', () => {
    const random = new SeededRandom(20261126);
    for (let i = 0; i < 4000; i++) {
      const line = canonicalLine(random, true);
      const fast = parseReportLineFast(line);
      expect(fast).toBeDefined();
      expectSame(fast, parseReportLineTolerant(line), line);
      expectSame(parseReportLine(line), parseReportLineTolerant(line), line);
    }
  });

  it('on odd and perturbed lines, gives the tolerant record or steps aside (seed 20261127)', () => {
    const random = new SeededRandom(20261127);
    let fastRecords = 0;
    let tolerantOnly = 0;
    for (let i = 0; i < 20000; i++) {
      const base = canonicalLine(random, random.next() < 0.5);
      const line = random.next() < 0.2 ? base : perturb(random, base);
      const tolerant = parseReportLineTolerant(line);
      const fast = parseReportLineFast(line);
      if (fast !== undefined) {
        fastRecords++;
        expectSame(fast, tolerant, line);
      } else if (tolerant !== undefined) {
        tolerantOnly++;
      }
      expectSame(parseReportLine(line), tolerant, line);
    }
    // Both paths were exercised, not just one.
    expect(fastRecords).toBeGreaterThan(1000);
    expect(tolerantOnly).toBeGreaterThan(1000);
  });

  it('reads numbers exactly as Number() does, up to 9 + 6 digits', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 3000; i++) {
      const value = number(random, true);
      const line = `REPORT RequestId: r\tDuration: ${value} ms\tBilled Duration: ${value} ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB`;
      expect(Object.is(parseReportLineFast(line)?.durationMs, Number(value))).toBe(true);
    }
  });

  it.each([
    [
      'leading white space',
      `  ${'REPORT RequestId: r\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'}`
    ],
    [
      'runs of spaces',
      'REPORT RequestId: r  Duration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'
    ],
    [
      'a unit without its space',
      'REPORT RequestId: r\tDuration: 1ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'
    ],
    [
      'a value without a unit',
      'REPORT RequestId: r\tDuration: 1\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'
    ],
    [
      'fields in another order',
      'REPORT RequestId: r\tBilled Duration: 1 ms\tDuration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'
    ],
    [
      'X-Ray on the line',
      'REPORT RequestId: r\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\tXRAY TraceId: 1-a\tSegmentId: b\tSampled: true'
    ],
    [
      'X-Ray on the next line',
      'REPORT RequestId: r\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\t\nXRAY TraceId: 1-a\tSegmentId: b'
    ],
    [
      'an unknown field',
      'REPORT RequestId: r\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\tTenant Id: blue'
    ],
    [
      'ten integer digits',
      'REPORT RequestId: r\tDuration: 1234567890 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'
    ],
    [
      'a label word as request id',
      'REPORT RequestId: Billed\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'
    ]
  ])('steps aside for %s, and the tolerant reader decides', (_name, line) => {
    expect(parseReportLineFast(line)).toBeUndefined();
    expectSame(parseReportLine(line), parseReportLineTolerant(line), line);
  });

  it('gives a warm record the tolerant shape, and a cold one its init duration in place', () => {
    const warm =
      'REPORT RequestId: abc\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t';
    expect(Object.keys(parseReportLineFast(warm)!)).toEqual([
      'requestId',
      'durationMs',
      'billedDurationMs',
      'memorySizeMb',
      'maxMemoryUsedMb',
      'status',
      'format'
    ]);
    const cold = `${warm}Init Duration: 150.50 ms\tStatus: error\tError Type: Runtime.OutOfMemory\t`;
    expect(parseReportLineFast(cold)).toStrictEqual({
      requestId: 'abc',
      durationMs: 102.25,
      billedDurationMs: 103,
      memorySizeMb: 128,
      maxMemoryUsedMb: 70,
      initDurationMs: 150.5,
      status: 'error',
      errorType: 'Runtime.OutOfMemory',
      format: 'text'
    });
  });
});
