/**
 * Jobs per invocation, for cost per job: a fixed number, or read from the function's response
 * with a small JSON path (`$.jobs`, `$.result.items`, `$.batches[0].count`). An array counts as
 * its length. Pure.
 */
import { LambdaCostGateError } from '../errors.js';
import type { JobsPerInvocation } from './types.js';

export class JobsPathError extends LambdaCostGateError {}

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number };

/**
 * Parses `$.a.b[0].c` (the leading `$.` is optional) into steps.
 *
 * @example
 * parseJobsPath('$.result.items') // [{kind:'key',key:'result'},{kind:'key',key:'items'}]
 */
export function parseJobsPath(path: string): Step[] {
  const body = path.trim().replace(/^\$\.?/, '');
  if (body === '') throw new JobsPathError(`The jobs path "${path}" names no field: use e.g. "$.jobs"`);
  const steps: Step[] = [];
  const pattern = /([A-Za-z_][\w-]*)|\[(\d+)\]|\.(?=[A-Za-z_])/y;
  let index = 0;
  while (index < body.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(body);
    if (!match) {
      throw new JobsPathError(
        `The jobs path "${path}" is not valid at "${body.slice(index)}": use fields and [indexes], e.g. "$.result.items" or "$.batches[0].count"`
      );
    }
    if (match[1] !== undefined) steps.push({ kind: 'key', key: match[1] });
    else if (match[2] !== undefined) steps.push({ kind: 'index', index: Number(match[2]) });
    index = pattern.lastIndex;
  }
  return steps;
}

/**
 * The number of jobs an invocation did, or undefined when the response does not say (a failed
 * invocation, or a field that is missing or not a count).
 *
 * @example
 * jobsFromResponse({ kind: 'response-path', path: '$.jobs' }, Buffer.from('{"jobs":8}')) // 8
 */
export function jobsFromResponse(spec: JobsPerInvocation, response: Uint8Array): number | undefined {
  return spec.kind === 'fixed' ? spec.count : jobsFromValue(spec.path, parseResponse(response));
}

/** The response as JSON; undefined when it is not JSON (a function may return anything). */
function parseResponse(response: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(response).toString('utf8'));
  } catch {
    return undefined;
  }
}

function jobsFromValue(path: string, parsed: unknown): number | undefined {
  let value = parsed;
  for (const step of parseJobsPath(path)) {
    if (step.kind === 'key') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      value = (value as Record<string, unknown>)[step.key];
    } else {
      if (!Array.isArray(value)) return undefined;
      value = value[step.index];
    }
  }
  if (Array.isArray(value)) return value.length;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The most job durations kept per invocation: enough for any batch a Lambda handler runs, bounded for the report. */
export const MAX_JOB_DURATIONS = 10_000;

/** What a batch function may report besides its job count (the batch-worker sample's documented fields). */
export interface JobDetails {
  jobDurationsMs?: number[];
  threads?: number;
  elapsedMs?: number;
}

/**
 * Reads the documented per-job fields of a response: `jobDurationsMs` (an array of non-negative numbers, at
 * most {@link MAX_JOB_DURATIONS}), `threads` (a whole number ≥ 1) and `elapsedMs` (≥ 0), at the top level.
 * Anything else is ignored: a response that does not report them simply yields none, and nothing else of the
 * response is kept (it may echo the payload).
 *
 * @example
 * jobDetailsFromResponse(Buffer.from('{"jobs":2,"threads":2,"jobDurationsMs":[20.5,21],"elapsedMs":22}'))
 * // { jobDurationsMs: [20.5, 21], threads: 2, elapsedMs: 22 }
 */
export function jobDetailsFromResponse(response: Uint8Array): JobDetails {
  return detailsFromValue(parseResponse(response));
}

/**
 * The job count and, for a response path, the per-job fields, from one parse of the response.
 *
 * @example
 * readJobs({ kind: 'response-path', path: '$.jobs' }, Buffer.from('{"jobs":2,"threads":2}')) // { jobs: 2, threads: 2 }
 */
export function readJobs(spec: JobsPerInvocation, response: Uint8Array): JobDetails & { jobs?: number } {
  if (spec.kind === 'fixed') return { jobs: spec.count };
  const parsed = parseResponse(response);
  const jobs = jobsFromValue(spec.path, parsed);
  return { ...(jobs !== undefined ? { jobs } : {}), ...detailsFromValue(parsed) };
}

function detailsFromValue(value: unknown): JobDetails {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const record = value as Record<string, unknown>;
  const details: JobDetails = {};
  const durations = record.jobDurationsMs;
  if (
    Array.isArray(durations) &&
    durations.length <= MAX_JOB_DURATIONS &&
    durations.every((d) => typeof d === 'number' && Number.isFinite(d) && d >= 0)
  ) {
    details.jobDurationsMs = durations as number[];
  }
  const { threads, elapsedMs } = record;
  if (typeof threads === 'number' && Number.isInteger(threads) && threads >= 1) details.threads = threads;
  if (typeof elapsedMs === 'number' && Number.isFinite(elapsedMs) && elapsedMs >= 0) details.elapsedMs = elapsedMs;
  return details;
}
