/**
 * The fake's HTTP plumbing: the request and response shapes its routes use, fault injection, the request
 * log, and GitHub-style JSON errors and pagination.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface FakeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** A Buffer is sent as is; anything else as JSON; undefined sends no body. */
  body?: unknown;
}

/** One injected failure: the next `times` matching requests get this answer instead of the real one. */
export interface FaultSpec {
  /** GET, POST, …; any method when left out. */
  method?: string;
  /** Matched against the path (no query); a string matches when the path contains it. */
  pathPattern: RegExp | string;
  status: number;
  headers?: Record<string, string>;
  /** The JSON message; a GitHub-like default for the status otherwise. */
  message?: string;
  /** How many requests fail (default 1). */
  times?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
}

/** Holds pending faults and hands out the first that matches a request. */
export class FaultQueue {
  private readonly faults: (FaultSpec & { left: number })[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }

  /** The response of the first matching fault, consuming one of its uses. */
  take(request: FakeRequest): FakeResponse | undefined {
    const fault = this.faults.find(
      (f) =>
        f.left > 0 &&
        (f.method === undefined || f.method.toUpperCase() === request.method) &&
        (typeof f.pathPattern === 'string' ? request.path.includes(f.pathPattern) : f.pathPattern.test(request.path))
    );
    if (fault === undefined) return undefined;
    fault.left--;
    return {
      status: fault.status,
      headers: fault.headers,
      body: { message: fault.message ?? defaultMessage(fault.status) }
    };
  }

  clear(): void {
    this.faults.length = 0;
  }
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Bad credentials';
  if (status === 403) return 'Resource not accessible by integration';
  if (status === 404) return 'Not Found';
  if (status === 410) return 'Gone';
  if (status === 422) return 'Validation Failed';
  return status >= 500 ? 'Server Error' : 'Error';
}

/** A GitHub REST error body. */
export function apiError(status: number, message = defaultMessage(status)): FakeResponse {
  return { status, body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) } };
}

/**
 * One page of `items` as GitHub pages them (`per_page` ≤ 100, default 30; `page` from 1), with a `link`
 * header so Octokit's paginate follows it.
 */
export function paginate<T>(
  request: FakeRequest,
  items: T[],
  baseUrl: string,
  wrap: (page: T[]) => unknown = (page) => page
): FakeResponse {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const links: string[] = [];
  const pageUrl = (n: number): string => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(n));
    query.set('per_page', String(perPage));
    return `${baseUrl}${request.path}?${query.toString()}`;
  };
  if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`);
  return { status: 200, headers: links.length > 0 ? { link: links.join(', ') } : {}, body: wrap(slice) };
}

/** Parses a JSON request body; undefined when it is not JSON. */
export function jsonBody(request: FakeRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(request.body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    // A body that is not JSON is the caller's error; the route answers 400 for it.
    return undefined;
  }
}
