/**
 * The fast reader of text REPORT lines: Lambda's canonical layout only, read without allocating.
 * Everything it does not recognise goes back to the tolerant reader in report-line.ts.
 */
import { TEXT_LABELS, toStatus, type ReportRecord } from './report-fields.js';

/*
 * The canonical text REPORT: Lambda's (and the emulator's) own layout, fields in Lambda's order, tab-separated:
 *
 *   REPORT RequestId: <token>\tDuration: <n> ms\tBilled Duration: <n> ms\tMemory Size: <n> MB\tMax Memory Used: <n> MB
 *   [\tInit Duration: <n> ms][\tRestore Duration: <n> ms][\tBilled Restore Duration: <n> ms][\tStatus: <token>]
 *   [\tError Type: <token>][\t]
 *
 * A number is `\d{1,9}(\.\d{1,6})?` (at most 15 digits, so digits / 10^k, both exact, is the correctly rounded
 * value `Number()` gives). A token is `[A-Za-z0-9_.-]+` and not the first word of a multi-word label, which the
 * tolerant reader would take for the start of a label (`Billed\tDuration:`). One anchored regular expression
 * checks the whole line without allocating; the values are then read at the positions the layout implies.
 * Anything else (leading white space, runs of spaces, a unit without its space, another order, an unknown or
 * repeated field, X-Ray, a newline…) goes to the tolerant reader. So the fast path never rejects a line on its
 * own, and accepts only lines for which it gives exactly the tolerant reader's record, which the tests check
 * on many generated and perturbed lines.
 */
const CANONICAL_NUMBER = String.raw`\d{1,9}(?:\.\d{1,6})?`;
/** First words of multi-word labels: Billed, Restore, Init, Max, Memory, Error, XRAY. */
const LABEL_FIRST_WORDS = [
  ...new Set(TEXT_LABELS.filter((label) => label.includes(' ')).map((label) => label.slice(0, label.indexOf(' '))))
];
const CANONICAL_TOKEN = String.raw`(?!(?:${LABEL_FIRST_WORDS.join('|')})(?:\t|$))[\w.-]+`;
const CANONICAL_TEXT = new RegExp(
  String.raw`^REPORT RequestId: ${CANONICAL_TOKEN}\tDuration: ${CANONICAL_NUMBER} ms` +
    String.raw`\tBilled Duration: ${CANONICAL_NUMBER} ms\tMemory Size: ${CANONICAL_NUMBER} MB` +
    String.raw`\tMax Memory Used: ${CANONICAL_NUMBER} MB(?:\tInit Duration: ${CANONICAL_NUMBER} ms)?` +
    String.raw`(?:\tRestore Duration: ${CANONICAL_NUMBER} ms)?(?:\tBilled Restore Duration: ${CANONICAL_NUMBER} ms)?` +
    String.raw`(?:\tStatus: ${CANONICAL_TOKEN})?(?:\tError Type: ${CANONICAL_TOKEN})?\t?$`
);
const LETTER_R = 82;
const DOT = 46;
const ZERO = 48;
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];
/** Characters from a value's end to the next value: ` ms\t` or ` MB\t`, then the next label and `: `. */
const TO_BILLED_DURATION = ' ms\tBilled Duration: '.length;
const TO_MEMORY_SIZE = ' ms\tMemory Size: '.length;
const TO_MAX_MEMORY_USED = ' MB\tMax Memory Used: '.length;
const UNIT = ' ms'.length;

/** Where the last {@link readNumber} stopped. Module state, so that reading allocates nothing. */
let numberEnd = 0;

/**
 * The fast path of {@link parseReportLine}: the record of a canonical text REPORT (see above), or undefined
 * when the line is not canonical, which means "ask the tolerant reader", not "not a REPORT". Exported for
 * the tests that prove it agrees with {@link parseReportLineTolerant}.
 */
export function parseReportLineFast(line: string): ReportRecord | undefined {
  // Reading the first character also flattens a string built by concatenation, which V8 does faster here
  // than inside the regular expression; and it turns most lines that are not a REPORT away at once.
  if (line.charCodeAt(0) !== LETTER_R || !CANONICAL_TEXT.test(line)) return undefined;
  const length = line.length;
  const idStart = 'REPORT RequestId: '.length;
  const idEnd = line.indexOf('\t', idStart);
  const requestId = line.slice(idStart, idEnd);
  const durationMs = readNumber(line, idEnd + '\tDuration: '.length);
  const billedDurationMs = readNumber(line, numberEnd + TO_BILLED_DURATION);
  const memorySizeMb = readNumber(line, numberEnd + TO_MEMORY_SIZE);
  const maxMemoryUsedMb = readNumber(line, numberEnd + TO_MAX_MEMORY_USED);
  // At the tab before the next field, or at the trailing tab, or at the end.
  let position = numberEnd + UNIT;
  if (position + 1 >= length) {
    return {
      requestId,
      durationMs,
      billedDurationMs,
      memorySizeMb,
      maxMemoryUsedMb,
      status: 'success',
      format: 'text'
    };
  }

  let initDurationMs: number | undefined;
  let restoreDurationMs: number | undefined;
  let billedRestoreDurationMs: number | undefined;
  let status: string | undefined;
  let errorType: string | undefined;
  // The expression has checked the order and that each field occurs at most once; the first letter tells them apart.
  while (position + 1 < length) {
    const start = position + 1;
    switch (line.charCodeAt(start)) {
      case 73: // I
        initDurationMs = readNumber(line, start + 'Init Duration: '.length);
        position = numberEnd + UNIT;
        break;
      case 82: // R
        restoreDurationMs = readNumber(line, start + 'Restore Duration: '.length);
        position = numberEnd + UNIT;
        break;
      case 66: // B
        billedRestoreDurationMs = readNumber(line, start + 'Billed Restore Duration: '.length);
        position = numberEnd + UNIT;
        break;
      case 83: // S
        position = tokenEnd(line, start + 'Status: '.length);
        status = line.slice(start + 'Status: '.length, position);
        break;
      default: // E
        position = tokenEnd(line, start + 'Error Type: '.length);
        errorType = line.slice(start + 'Error Type: '.length, position);
    }
  }

  // The same keys in the same order as the tolerant reader's record.
  const record = { requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb } as ReportRecord;
  if (initDurationMs !== undefined) record.initDurationMs = initDurationMs;
  if (restoreDurationMs !== undefined) record.restoreDurationMs = restoreDurationMs;
  if (billedRestoreDurationMs !== undefined) record.billedRestoreDurationMs = billedRestoreDurationMs;
  record.status = toStatus(status, errorType);
  if (errorType !== undefined) record.errorType = errorType;
  record.format = 'text';
  return record;
}

/** The end of the token at `start`: the next tab, or the end of the line. */
function tokenEnd(line: string, start: number): number {
  const end = line.indexOf('\t', start);
  return end < 0 ? line.length : end;
}

/**
 * The number at `start`, known to be `\d{1,9}(\.\d{1,6})?`: equal to `Number()` of its text, since digits /
 * 10^k with both exact is correctly rounded. Leaves its end in {@link numberEnd}.
 */
function readNumber(line: string, start: number): number {
  let position = start;
  let mantissa = 0;
  let code = line.charCodeAt(position);
  while (code >= ZERO && code <= ZERO + 9) {
    mantissa = mantissa * 10 + (code - ZERO);
    code = line.charCodeAt(++position);
  }
  if (code !== DOT) {
    numberEnd = position;
    return mantissa;
  }
  const fractionStart = ++position;
  code = line.charCodeAt(position);
  while (code >= ZERO && code <= ZERO + 9) {
    mantissa = mantissa * 10 + (code - ZERO);
    code = line.charCodeAt(++position);
  }
  numberEnd = position;
  return mantissa / POWERS_OF_TEN[position - fractionStart]!;
}
