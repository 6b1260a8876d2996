/**
 * Reads and writes the JSON run report (schema in run-report-schema.ts).
 *
 * A report read back is usually a baseline written by another run, perhaps by an older or newer tool, so the
 * version is checked first and refused with a message that says which version the file has and which this
 * tool reads, rather than a list of missing fields.
 */
import { LambdaCostGateError } from '../errors.js';
import { VERSION } from '../version.js';
import { type RunReport, runReportSchema, SUPPORTED_SCHEMA_VERSIONS } from './run-report-schema.js';

export type { RunReport } from './run-report-schema.js';

/** A run report that cannot be read. `issues` lists every problem as `path: message`. */
export class RunReportError extends LambdaCostGateError {
  constructor(
    message: string,
    readonly issues: readonly string[] = []
  ) {
    super(message);
  }
}

/** Issues spelled out in the message; the rest are in `issues`. */
const ISSUES_IN_MESSAGE = 5;

/**
 * Checks a parsed JSON value against the run report schema and returns it typed. Unknown properties are
 * dropped.
 *
 * @param json - the value from `JSON.parse`
 * @param source - what the value is, for messages: `'baseline run-report.json from main'`
 * @throws {@link RunReportError} when it is not an object, has no or an unsupported `schemaVersion`, or does
 *   not match the schema (the message names each path, e.g. `sizes[0].duration.p50.value`)
 *
 * @example
 * ```ts
 * const baseline = parseRunReport(JSON.parse(text), 'baseline from main');
 * // a file from a newer tool:
 * // RunReportError: The baseline from main has schemaVersion 2; lambda-cost-gate 0.1.0 reads schemaVersion 1.
 * //   It was written by a newer lambda-cost-gate: upgrade this one to read it.
 * ```
 */
export function parseRunReport(json: unknown, source = 'run report'): RunReport {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RunReportError(`The ${source} is not a JSON object`);
  }
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  const supported = `lambda-cost-gate ${VERSION} reads schemaVersion ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`;
  if (version === undefined) {
    throw new RunReportError(`The ${source} has no schemaVersion, so it is not a lambda-cost-gate run report`);
  }
  if (typeof version !== 'number' || !SUPPORTED_SCHEMA_VERSIONS.includes(version)) {
    const advice =
      typeof version === 'number' && version > Math.max(...SUPPORTED_SCHEMA_VERSIONS)
        ? 'It was written by a newer lambda-cost-gate: upgrade this one to read it.'
        : 'Run the sweep again with this version to make a baseline it can read.';
    throw new RunReportError(`The ${source} has schemaVersion ${JSON.stringify(version)}; ${supported}. ${advice}`);
  }
  const result = runReportSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > ISSUES_IN_MESSAGE ? `; and ${issues.length - ISSUES_IN_MESSAGE} more` : '';
  throw new RunReportError(
    `The ${source} is not a valid schemaVersion ${version} run report: ` +
      issues.slice(0, ISSUES_IN_MESSAGE).join('; ') +
      more,
    issues
  );
}

/**
 * {@link parseRunReport} for text, such as a file's contents.
 *
 * @throws {@link RunReportError} when the text is not JSON, or as parseRunReport does
 *
 * @example
 * ```ts
 * parseRunReportText(await readFile('run-report.json', 'utf8'), 'run-report.json')
 * ```
 */
export function parseRunReportText(text: string, source = 'run report'): RunReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunReportError(`The ${source} is not JSON: ${(error as Error).message}`);
  }
  return parseRunReport(json, source);
}

/**
 * The report as the text to write: two-space indented, ending with a newline.
 *
 * @example
 * ```ts
 * await writeFile('run-report.json', serializeRunReport(report));
 * ```
 */
export function serializeRunReport(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** `sizes[0].duration.p50.value`. The path is never empty: the report is known to be an object by then. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
  }
  return text;
}
